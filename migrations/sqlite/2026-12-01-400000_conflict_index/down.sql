DROP TABLE conflict_index_version;
DROP TABLE conflict_trigrams;
DROP TABLE conflict_forms;
