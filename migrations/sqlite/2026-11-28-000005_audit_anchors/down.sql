ALTER TABLE exports DROP COLUMN audit_hash;
ALTER TABLE exports DROP COLUMN audit_seq;
DROP TABLE audit_checkpoints;
DROP TABLE audit_head;
