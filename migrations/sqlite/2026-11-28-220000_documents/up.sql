-- Documents filed with a GI or a recognition (specifications, decisions, maps, letters).
-- The bytes are stored once per SHA-256, in chunks of at most 1 MiB so that neither an
-- upload nor a download ever holds a whole file in memory; a document row ties those
-- bytes to a GI (and a recognition) with its kind, title and language. Nothing here is
-- ever updated or deleted.

CREATE TABLE document_contents (
    sha256 TEXT PRIMARY KEY NOT NULL,
    content_type TEXT NOT NULL,
    byte_count BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE document_chunks (
    sha256 TEXT NOT NULL REFERENCES document_contents (sha256),
    seq INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (sha256, seq)
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    gi_id BIGINT NOT NULL REFERENCES gis (id),
    recognition_id BIGINT REFERENCES recognitions (id),
    sha256 TEXT NOT NULL REFERENCES document_contents (sha256),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    lang TEXT,
    file_name TEXT,
    specification_version INTEGER,
    event_id BIGINT REFERENCES events (id),
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL
);

CREATE INDEX documents_of_gi ON documents (gi_id, id);
CREATE INDEX documents_of_recognition ON documents (recognition_id, id);
CREATE INDEX documents_by_digest ON documents (sha256);
