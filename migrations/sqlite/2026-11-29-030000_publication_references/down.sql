ALTER TABLE recognitions DROP COLUMN publication_reference;
ALTER TABLE gis DROP COLUMN publication_reference;
