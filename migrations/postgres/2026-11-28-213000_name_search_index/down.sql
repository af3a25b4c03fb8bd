-- pg_trgm stays: it may have been there before, and other objects may use it.
DROP INDEX gis_search_characters;
DROP INDEX gis_search_trigrams;
