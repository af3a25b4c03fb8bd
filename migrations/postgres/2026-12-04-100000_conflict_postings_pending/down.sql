DROP TABLE conflict_postings_pending;
