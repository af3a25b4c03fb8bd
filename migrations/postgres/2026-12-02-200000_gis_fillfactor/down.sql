ALTER TABLE gis RESET (fillfactor);
