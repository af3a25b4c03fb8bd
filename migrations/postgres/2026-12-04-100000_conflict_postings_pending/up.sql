-- Postings a bulk load (`terroir import`) writes with its GIs, set aside in the order
-- they come and moved into conflict_trigrams in the order of its key when the load ends
-- (store/conflict_index.rs `merge_pending`; at start-up for a load that stopped first).
-- Inserted batch by batch into conflict_trigrams, they rewrote most of its pages with
-- every batch. No index: each insert lands at the table's end.
CREATE TABLE conflict_postings_pending (
    gram TEXT NOT NULL,
    form_id BIGINT NOT NULL,
    trigrams INTEGER NOT NULL
);
