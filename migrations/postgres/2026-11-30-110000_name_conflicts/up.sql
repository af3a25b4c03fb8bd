-- The conflicts the name check reported when a GI was filed or a recognition submitted
-- (a JSON array of candidates), shown with it and on the examiner's work list.
ALTER TABLE gis ADD COLUMN name_conflicts TEXT;
ALTER TABLE recognitions ADD COLUMN name_conflicts TEXT;
