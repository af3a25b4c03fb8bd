DROP TABLE conflict_gram_postings;
ALTER TABLE conflict_trigrams DROP CONSTRAINT conflict_trigrams_pkey;
ALTER TABLE conflict_trigrams ADD PRIMARY KEY (gram, form_id) INCLUDE (trigrams);
