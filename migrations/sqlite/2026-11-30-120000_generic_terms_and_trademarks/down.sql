DROP TABLE trademarks;
DROP TABLE generic_terms;
