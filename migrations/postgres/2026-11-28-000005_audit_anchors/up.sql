-- Anchors of the audit chain outside the audit_log table, so that removing its newest
-- entries (a truncation) is detected without an outside copy: the head (the last
-- sequence number and hash, updated with every entry), a checkpoint every 100 entries
-- (only ever inserted), and the head as it stood on every completed export.

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE audit_checkpoints (
    seq BIGINT PRIMARY KEY,
    hash TEXT NOT NULL
);

-- A registry that kept its audit log before this migration is anchored from now on.
INSERT INTO audit_head (id, seq, hash)
    SELECT 1, seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;
INSERT INTO audit_checkpoints (seq, hash)
    SELECT seq, hash FROM audit_log WHERE seq % 100 = 0;

ALTER TABLE exports ADD COLUMN audit_seq BIGINT;
ALTER TABLE exports ADD COLUMN audit_hash TEXT;
