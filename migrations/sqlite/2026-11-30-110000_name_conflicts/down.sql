ALTER TABLE recognitions DROP COLUMN name_conflicts;
ALTER TABLE gis DROP COLUMN name_conflicts;
