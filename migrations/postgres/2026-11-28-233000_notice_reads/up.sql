-- Which notices (events of an association's GIs) each association user has read.

CREATE TABLE notice_reads (
    user_id BIGINT NOT NULL REFERENCES users (id),
    event_id BIGINT NOT NULL REFERENCES events (id),
    read_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, event_id)
);
