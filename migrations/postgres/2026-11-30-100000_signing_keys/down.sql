ALTER TABLE exports DROP COLUMN signature_key_id;
ALTER TABLE exports DROP COLUMN signature;
DROP TABLE signing_keys;
