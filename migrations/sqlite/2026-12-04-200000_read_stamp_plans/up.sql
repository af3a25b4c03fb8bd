-- PostgreSQL only (the plans of the read stamps' statement triggers): SQLite's
-- triggers run row by row, by id. Kept so that both backends have the same migrations.
SELECT 1;
