-- Each office's generic terms and earlier trademarks, which the conflict check reads in
-- that office's territory. `match_key` is the folded key of the term or mark
-- (domain::names::query_key), `phonetic_key` its phonetic code when it has one.
CREATE TABLE generic_terms (
    id BIGSERIAL PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices (id),
    term TEXT NOT NULL,
    lang TEXT,
    note TEXT,
    match_key TEXT NOT NULL,
    phonetic_key TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (office_id, match_key)
);
CREATE INDEX generic_terms_match_key ON generic_terms (match_key);
CREATE INDEX generic_terms_phonetic_key ON generic_terms (phonetic_key);

CREATE TABLE trademarks (
    id BIGSERIAL PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices (id),
    number TEXT NOT NULL,
    mark TEXT NOT NULL,
    classes TEXT NOT NULL,
    owner TEXT NOT NULL,
    filed_on DATE,
    status TEXT NOT NULL,
    match_key TEXT NOT NULL,
    phonetic_key TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (office_id, number)
);
CREATE INDEX trademarks_match_key ON trademarks (match_key);
CREATE INDEX trademarks_phonetic_key ON trademarks (phonetic_key);
