-- Read stamps (issue 9): `gis.read_stamp` grows with every committed change to what a
-- read of the GI shows (its row, names, specifications, recognitions and events), so a
-- view built after reading stamp S is still exact while the stamp is S. The views are
-- kept in memory and in gi_read_views (registry/cached_reads.rs); the stamp is read first.
-- Kept by triggers so that no write path can forget it.

ALTER TABLE gis ADD COLUMN read_stamp BIGINT NOT NULL DEFAULT 0;

-- Recursive triggers are off (SQLite's default), so the inner UPDATE fires nothing.
CREATE TRIGGER gis_read_stamp AFTER UPDATE ON gis WHEN NEW.read_stamp = OLD.read_stamp BEGIN
    UPDATE gis SET read_stamp = OLD.read_stamp + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER gi_names_insert_read_stamp AFTER INSERT ON gi_names BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id = NEW.gi_id;
END;
CREATE TRIGGER gi_names_update_read_stamp AFTER UPDATE ON gi_names BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id IN (OLD.gi_id, NEW.gi_id);
END;
CREATE TRIGGER gi_names_delete_read_stamp AFTER DELETE ON gi_names BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id = OLD.gi_id;
END;

CREATE TRIGGER specifications_insert_read_stamp AFTER INSERT ON specifications BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id = NEW.gi_id;
END;
CREATE TRIGGER specifications_update_read_stamp AFTER UPDATE ON specifications BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id IN (OLD.gi_id, NEW.gi_id);
END;
CREATE TRIGGER specifications_delete_read_stamp AFTER DELETE ON specifications BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id = OLD.gi_id;
END;

CREATE TRIGGER recognitions_insert_read_stamp AFTER INSERT ON recognitions BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id = NEW.gi_id;
END;
CREATE TRIGGER recognitions_update_read_stamp AFTER UPDATE ON recognitions BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id IN (OLD.gi_id, NEW.gi_id);
END;
CREATE TRIGGER recognitions_delete_read_stamp AFTER DELETE ON recognitions BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id = OLD.gi_id;
END;

CREATE TRIGGER events_insert_read_stamp AFTER INSERT ON events BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id = NEW.gi_id;
END;
CREATE TRIGGER events_update_read_stamp AFTER UPDATE ON events BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id IN (OLD.gi_id, NEW.gi_id);
END;
CREATE TRIGGER events_delete_read_stamp AFTER DELETE ON events BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id = OLD.gi_id;
END;
