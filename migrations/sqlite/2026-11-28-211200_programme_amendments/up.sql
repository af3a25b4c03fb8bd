-- Dated amendments of a programme's legal terms (issue 11): the programme row keeps
-- the terms it was created with; the terms in force on a date add every amendment
-- effective by then.

CREATE TABLE programme_amendments (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programmes (id),
    effective_on DATE NOT NULL,
    decision_reference TEXT NOT NULL,
    -- JSON of the terms it sets (decision_period, tacit_protection, …).
    changes TEXT NOT NULL,
    applies_to_pending BOOLEAN NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

CREATE INDEX programme_amendments_by_programme ON programme_amendments (programme_id, effective_on);
