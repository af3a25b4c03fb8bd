ALTER TABLE oppositions DROP COLUMN earlier_rights;
ALTER TABLE recognitions DROP COLUMN earlier_rights;
