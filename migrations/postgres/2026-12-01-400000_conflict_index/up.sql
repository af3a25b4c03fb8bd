-- The conflict index (issue 13; store/conflict_index.rs): per GI, the forms its names
-- are compared in (domain::conflicts::NameForms: the folded key, the romanisations) and
-- their phonetic codes, and the trigrams of each form, so that the conflict check finds
-- its candidates by lookups instead of reading every GI. A migration cannot compute the
-- forms: the application fills the index at start-up or `terroir migrate` when
-- conflict_index_version is older than its own (0 here), and keeps it on every write of
-- names.
CREATE TABLE conflict_forms (
    id BIGSERIAL PRIMARY KEY,
    gi_id BIGINT NOT NULL REFERENCES gis (id),
    form TEXT NOT NULL,
    -- A phonetic code (domain::conflicts::phonetic_code) rather than a form.
    phonetic BOOLEAN NOT NULL
);
CREATE INDEX conflict_forms_form ON conflict_forms (form, phonetic);
CREATE INDEX conflict_forms_gi ON conflict_forms (gi_id);

-- The trigrams of each form (not of phonetic codes), padded as pg_trgm pads a word,
-- with the number of the form's trigrams (for the length bound of the similarity).
CREATE TABLE conflict_trigrams (
    gram TEXT NOT NULL,
    form_id BIGINT NOT NULL,
    trigrams INTEGER NOT NULL,
    -- INCLUDE: a posting list is read from the index alone.
    PRIMARY KEY (gram, form_id) INCLUDE (trigrams)
);

CREATE TABLE conflict_index_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO conflict_index_version (id, version) VALUES (1, 0);
