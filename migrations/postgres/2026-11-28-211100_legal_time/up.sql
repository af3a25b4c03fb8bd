-- Legal time as offices count it (issue 11): an office's time zone, weekend and
-- holidays; periods as ISO 8601 durations in days or months; how each deadline was
-- computed; whether a programme lets a partner refuse after its decision deadline.

ALTER TABLE offices ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE offices ADD COLUMN weekend TEXT NOT NULL DEFAULT '["sat","sun"]';
ALTER TABLE offices ADD COLUMN deadline_rolls_forward BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE offices ADD COLUMN opposition_period TEXT NOT NULL DEFAULT '';
UPDATE offices SET opposition_period = 'P' || opposition_period_days || 'D';

ALTER TABLE programmes ADD COLUMN decision_period TEXT NOT NULL DEFAULT '';
UPDATE programmes SET decision_period = 'P' || decision_period_days || 'D';
ALTER TABLE programmes ADD COLUMN refusal_after_deadline BOOLEAN NOT NULL DEFAULT FALSE;

-- JSON {"date", "from", "period", "rolled_from"}; null for deadlines set before.
ALTER TABLE gis ADD COLUMN opposition_deadline_basis TEXT;
ALTER TABLE recognitions ADD COLUMN opposition_deadline_basis TEXT;
ALTER TABLE recognitions ADD COLUMN decision_deadline_basis TEXT;

CREATE TABLE office_holidays (
    office_id BIGINT NOT NULL REFERENCES offices (id),
    holiday_on DATE NOT NULL,
    label TEXT,
    -- Every year on this month and day, from this year on.
    yearly BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (office_id, holiday_on)
);
