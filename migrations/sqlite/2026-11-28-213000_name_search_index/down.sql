DROP TRIGGER gis_search_delete;
DROP TRIGGER gis_search_update;
DROP TRIGGER gis_search_insert;
DROP TABLE gi_search_trigram_terms;
DROP TABLE gi_search_trigrams;
