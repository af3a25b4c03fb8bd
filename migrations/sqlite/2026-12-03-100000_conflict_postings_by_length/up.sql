-- The posting lists of the conflict index by form length (store/conflict_postings.rs):
-- keyed (gram, trigrams, form_id), each band of lengths the conflict check reads is
-- one range of the key, in place of the whole list. A form has one number of
-- trigrams, so (gram, form_id) stays unique. SQLite cannot change the key of a
-- WITHOUT ROWID table: the table is copied.
CREATE TABLE conflict_trigrams_by_length (
    gram TEXT NOT NULL,
    form_id INTEGER NOT NULL,
    trigrams INTEGER NOT NULL,
    PRIMARY KEY (gram, trigrams, form_id)
) WITHOUT ROWID;
INSERT INTO conflict_trigrams_by_length (gram, form_id, trigrams)
SELECT gram, form_id, trigrams FROM conflict_trigrams ORDER BY gram, trigrams, form_id;
DROP TABLE conflict_trigrams;
ALTER TABLE conflict_trigrams_by_length RENAME TO conflict_trigrams;

-- How many postings each list holds, so that the check reads the rarest lists without
-- counting them (kept with the postings; a figure off by some only costs time).
CREATE TABLE conflict_gram_postings (
    gram TEXT PRIMARY KEY,
    postings INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO conflict_gram_postings (gram, postings)
SELECT gram, count(*) FROM conflict_trigrams GROUP BY gram;
