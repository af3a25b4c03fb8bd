-- Mutual recognition: programmes, their parties, and one recognition per
-- (programme, GI, partner office).

CREATE TABLE programmes (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    signed_on DATE,
    in_force_on DATE,
    legal_instrument TEXT,
    decision_period_days INTEGER NOT NULL,
    tacit_protection BOOLEAN NOT NULL,
    requires_origin_registration BOOLEAN NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE programme_parties (
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    PRIMARY KEY (programme_id, office_id)
);

CREATE TABLE recognitions (
    id BIGSERIAL PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    gi_id BIGINT NOT NULL REFERENCES gis (id),
    origin_office_id BIGINT NOT NULL REFERENCES offices (id),
    partner_office_id BIGINT NOT NULL REFERENCES offices (id),
    status TEXT NOT NULL,
    list_label TEXT,
    submitted_on DATE NOT NULL,
    decision_deadline DATE NOT NULL,
    published_on DATE,
    opposition_deadline DATE,
    decided_on DATE,
    protected_from DATE,
    limitations TEXT,
    phase_out_until DATE,
    grounds TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (programme_id, gi_id, partner_office_id)
);
CREATE INDEX recognitions_gi ON recognitions (gi_id, id);
CREATE INDEX recognitions_partner ON recognitions (partner_office_id, id);
CREATE INDEX recognitions_origin ON recognitions (origin_office_id, id);
CREATE INDEX recognitions_programme ON recognitions (programme_id, id);
CREATE INDEX recognitions_status ON recognitions (status, id);
CREATE INDEX recognitions_deadline ON recognitions (status, decision_deadline);
