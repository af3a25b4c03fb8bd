DROP TABLE conflict_gram_postings;
CREATE TABLE conflict_trigrams_by_form (
    gram TEXT NOT NULL,
    form_id INTEGER NOT NULL,
    trigrams INTEGER NOT NULL,
    PRIMARY KEY (gram, form_id)
) WITHOUT ROWID;
INSERT INTO conflict_trigrams_by_form (gram, form_id, trigrams)
SELECT gram, form_id, trigrams FROM conflict_trigrams ORDER BY gram, form_id;
DROP TABLE conflict_trigrams;
ALTER TABLE conflict_trigrams_by_form RENAME TO conflict_trigrams;
