-- Stored read views (issue 9): the JSON of a GI's most read answers, kept with the
-- `gis.read_stamp` read before it was built, so that every server on the database, and
-- a server after a restart, can serve it while the stamp is unchanged. Written by a
-- background writer after a read built it (registry/view_writer.rs); never the truth:
-- a view whose stamp differs from the GI's is ignored and built again.
CREATE TABLE gi_read_views (
    gi_id BIGINT NOT NULL REFERENCES gis (id),
    -- 'gi' (GET /gis/{id}), 'list_item' (an item of GET /gis), 'protection'
    kind TEXT NOT NULL,
    stamp BIGINT NOT NULL,
    -- The date a protection view answers for (NULL for the others).
    as_of DATE,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (gi_id, kind)
);
