-- Every export of a recognition list: what was asked, and once it is sent, how many rows
-- and the SHA-256 of the bytes.

CREATE TABLE exports (
    id BIGSERIAL PRIMARY KEY,
    format TEXT NOT NULL,
    query TEXT NOT NULL,
    as_of DATE NOT NULL,
    status TEXT NOT NULL,
    row_count BIGINT,
    sha256 TEXT,
    byte_count BIGINT,
    requested_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP
);
