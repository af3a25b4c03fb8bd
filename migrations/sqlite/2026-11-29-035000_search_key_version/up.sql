-- Which making of the search blobs (domain/names.rs SEARCH_KEY_VERSION) the gis rows
-- hold (issue 13). A migration cannot compute a blob, so the blobs of a database made
-- before are made again by the application at start-up or `terroir migrate`
-- (store/search_keys.rs), which then raises this version. One row.
CREATE TABLE search_key_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO search_key_version (id, version) VALUES (1, 1);
