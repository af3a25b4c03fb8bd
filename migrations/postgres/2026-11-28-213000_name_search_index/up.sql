-- Name search by index (issue 9). A search matches `search_blob LIKE '%key%'` (the
-- blob and key of domain/names.rs); these indexes find the candidates, and PostgreSQL
-- rechecks each with that LIKE, so the results do not change:
--   a key of three characters or more: pg_trgm's trigrams of the blob;
--   a key of one or two characters (no trigram): the blob's characters, a GI holding
--   a two-character key holding both.
-- pg_trgm is a trusted extension (PostgreSQL 13 and later): the database owner that
-- runs the migrations may create it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX gis_search_trigrams ON gis USING gin (search_blob gin_trgm_ops);
CREATE INDEX gis_search_characters ON gis USING gin (string_to_array(search_blob, NULL));
