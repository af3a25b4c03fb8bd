-- The posting lists of the conflict index by form length (store/conflict_postings.rs):
-- keyed (gram, trigrams, form_id), each band of lengths the conflict check reads is
-- one range of the key, in place of the whole list. A form has one number of
-- trigrams, so (gram, form_id) stays unique.
ALTER TABLE conflict_trigrams DROP CONSTRAINT conflict_trigrams_pkey;
ALTER TABLE conflict_trigrams ADD PRIMARY KEY (gram, trigrams, form_id);

-- How many postings each list holds, so that the check reads the rarest lists without
-- counting them (kept with the postings; a figure off by some only costs time).
CREATE TABLE conflict_gram_postings (
    gram TEXT PRIMARY KEY,
    postings BIGINT NOT NULL
);
INSERT INTO conflict_gram_postings (gram, postings)
SELECT gram, count(*) FROM conflict_trigrams GROUP BY gram;
