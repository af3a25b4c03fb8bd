-- Name search by index (issue 9). Every GI's search blob (domain/names.rs) is indexed
-- by its trigrams in an FTS5 table kept in step by triggers; a search reads the index
-- for candidates and checks each with the same LIKE as before, so the results do not
-- change. The blob is indexed with one more separator at its end, so that every
-- character of a name starts a trigram: a one- or two-character query is answered from
-- the trigrams that start with it (gi_search_trigram_terms lists them).
--
-- contentless: the blob is already in gis; detail 'none': only which GIs hold a
-- trigram, not where (a phrase is checked by the LIKE); case_sensitive: the blob is
-- already folded, and the terms must compare as stored.

CREATE VIRTUAL TABLE gi_search_trigrams USING fts5(
    blob,
    content = '',
    detail = 'none',
    columnsize = 0,
    tokenize = 'trigram case_sensitive 1'
);

CREATE VIRTUAL TABLE gi_search_trigram_terms USING fts5vocab(gi_search_trigrams, 'row');

INSERT INTO gi_search_trigrams (rowid, blob)
    SELECT id, search_blob || char(31) FROM gis;

CREATE TRIGGER gis_search_insert AFTER INSERT ON gis BEGIN
    INSERT INTO gi_search_trigrams (rowid, blob) VALUES (new.id, new.search_blob || char(31));
END;

CREATE TRIGGER gis_search_update AFTER UPDATE OF search_blob ON gis BEGIN
    INSERT INTO gi_search_trigrams (gi_search_trigrams, rowid, blob)
        VALUES ('delete', old.id, old.search_blob || char(31));
    INSERT INTO gi_search_trigrams (rowid, blob) VALUES (new.id, new.search_blob || char(31));
END;

CREATE TRIGGER gis_search_delete AFTER DELETE ON gis BEGIN
    INSERT INTO gi_search_trigrams (gi_search_trigrams, rowid, blob)
        VALUES ('delete', old.id, old.search_blob || char(31));
END;
