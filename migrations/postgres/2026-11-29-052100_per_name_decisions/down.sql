ALTER TABLE oppositions DROP COLUMN decision_earlier_rights;
ALTER TABLE oppositions DROP COLUMN settlement_terms;
ALTER TABLE gis DROP COLUMN excluded_names;
ALTER TABLE recognitions DROP COLUMN coexisting_rights;
ALTER TABLE recognitions DROP COLUMN excluded_names;
