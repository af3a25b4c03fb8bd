-- PostgreSQL only (room in the pages of `gis` for the read stamps' updates): SQLite
-- updates a row in place. Kept so that both backends have the same migrations.
SELECT 1;
