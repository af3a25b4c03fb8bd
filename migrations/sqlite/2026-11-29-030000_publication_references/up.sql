-- Where a publication can be read (gazette, number, page or URL): required for one
-- recorded more than 30 days after its legal date.
ALTER TABLE gis ADD COLUMN publication_reference TEXT;
ALTER TABLE recognitions ADD COLUMN publication_reference TEXT;
