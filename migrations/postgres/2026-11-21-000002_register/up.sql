-- The home phase of a GI: the GI, its names, its specification versions, oppositions,
-- events, and the counters behind file and registration numbers.

CREATE TABLE gis (
    id BIGSERIAL PRIMARY KEY,
    file_number TEXT UNIQUE,
    registration_number TEXT UNIQUE,
    origin_office_id BIGINT NOT NULL REFERENCES offices (id),
    association_id BIGINT REFERENCES associations (id),
    gi_type TEXT NOT NULL,
    product_type TEXT NOT NULL,
    product_class TEXT NOT NULL,
    nice_class INTEGER,
    area_description TEXT NOT NULL,
    area_geojson TEXT,
    countries TEXT NOT NULL DEFAULT '[]',
    legal_instrument TEXT,
    status TEXT NOT NULL,
    filed_on DATE,
    published_on DATE,
    opposition_deadline DATE,
    registered_on DATE,
    decided_on DATE,
    search_blob TEXT NOT NULL,
    source TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX gis_origin ON gis (origin_office_id, id);
CREATE INDEX gis_association ON gis (association_id, id);
CREATE INDEX gis_status ON gis (status, id);
CREATE INDEX gis_gi_type ON gis (gi_type, id);
CREATE INDEX gis_product_type ON gis (product_type, id);
CREATE INDEX gis_product_class ON gis (product_class, id);

CREATE TABLE gi_names (
    id BIGSERIAL PRIMARY KEY,
    gi_id BIGINT NOT NULL REFERENCES gis (id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    lang TEXT NOT NULL,
    script TEXT NOT NULL,
    kind TEXT NOT NULL,
    romanization TEXT,
    UNIQUE (gi_id, position)
);

CREATE TABLE specifications (
    id BIGSERIAL PRIMARY KEY,
    gi_id BIGINT NOT NULL REFERENCES gis (id),
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    product_description TEXT NOT NULL,
    raw_materials TEXT,
    production_method TEXT,
    link_with_area TEXT,
    labelling TEXT,
    control_body TEXT,
    reason TEXT,
    proposed_by TEXT,
    proposed_at TIMESTAMP NOT NULL,
    decided_on DATE,
    decision_grounds TEXT,
    UNIQUE (gi_id, version)
);

CREATE TABLE oppositions (
    id BIGSERIAL PRIMARY KEY,
    gi_id BIGINT NOT NULL REFERENCES gis (id),
    recognition_id BIGINT,
    opponent_name TEXT NOT NULL,
    grounds TEXT NOT NULL,
    filed_on DATE NOT NULL,
    status TEXT NOT NULL,
    decided_on DATE,
    decision_grounds TEXT,
    filed_by_user_id BIGINT REFERENCES users (id),
    filed_by_association_id BIGINT REFERENCES associations (id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX oppositions_gi ON oppositions (gi_id, id);
CREATE INDEX oppositions_recognition ON oppositions (recognition_id, id);
CREATE INDEX oppositions_status ON oppositions (status, id);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    entity_type TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    gi_id BIGINT NOT NULL REFERENCES gis (id),
    event_type TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    effective_on DATE NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    office TEXT,
    grounds TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_entity ON events (entity_type, entity_id, id);
CREATE INDEX events_gi ON events (gi_id, id);

CREATE TABLE number_sequences (
    name TEXT PRIMARY KEY,
    last_value BIGINT NOT NULL
);
