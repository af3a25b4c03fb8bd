-- Webhooks: partner systems and associations subscribe to changes; each matching change
-- is written to the outbox (webhook_deliveries) in the same transaction as the change,
-- and a worker in the server POSTs it, retrying with backoff, recording every attempt.

CREATE TABLE subscriptions (
    id BIGSERIAL PRIMARY KEY,
    -- The subscriber: an office (its office administrator subscribes for its partner
    -- systems) or an association (for its own GIs). Exactly one is set.
    office_id BIGINT REFERENCES offices (id),
    association_id BIGINT REFERENCES associations (id),
    url TEXT NOT NULL,
    -- A JSON array of event names and families (`recognition.*`).
    events TEXT NOT NULL,
    programme_id BIGINT REFERENCES programmes (id),
    partner_office_id BIGINT REFERENCES offices (id),
    gi_id BIGINT REFERENCES gis (id),
    description TEXT,
    -- The HMAC key; shown once, when the subscription is made.
    secret TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP,
    CHECK ((office_id IS NULL) <> (association_id IS NULL))
);

CREATE INDEX subscriptions_of_office ON subscriptions (office_id) WHERE cancelled_at IS NULL;
CREATE INDEX subscriptions_of_association ON subscriptions (association_id) WHERE cancelled_at IS NULL;

CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
    event_id BIGINT NOT NULL REFERENCES events (id),
    event_name TEXT NOT NULL,
    -- The JSON body, fixed when the change is committed.
    payload TEXT NOT NULL,
    -- pending, delivered, failed (gave up) or cancelled (the subscription was).
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    -- While set and in the future, one worker is attempting it.
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    UNIQUE (subscription_id, event_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_of_subscription ON webhook_deliveries (subscription_id, id);

CREATE TABLE webhook_attempts (
    id BIGSERIAL PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id),
    attempted_at TIMESTAMP NOT NULL,
    -- The receiver's HTTP status; null when no response came.
    response_status INTEGER,
    error TEXT,
    duration_ms BIGINT NOT NULL
);

CREATE INDEX webhook_attempts_of_delivery ON webhook_attempts (delivery_id, id);
