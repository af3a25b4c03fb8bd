-- Read stamps (issue 9): see the SQLite migration of the same name. Here the child
-- tables bump once per statement (transition tables), so a batch of a thousand names
-- costs one UPDATE.

ALTER TABLE gis ADD COLUMN read_stamp BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION gis_bump_read_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.read_stamp = OLD.read_stamp THEN
        NEW.read_stamp := OLD.read_stamp + 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER gis_read_stamp BEFORE UPDATE ON gis
    FOR EACH ROW EXECUTE FUNCTION gis_bump_read_stamp();

CREATE FUNCTION read_stamp_of_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id IN (SELECT gi_id FROM new_rows);
    RETURN NULL;
END $$;
CREATE FUNCTION read_stamp_of_old_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1 WHERE id IN (SELECT gi_id FROM old_rows);
    RETURN NULL;
END $$;
CREATE FUNCTION read_stamp_of_changed_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE gis SET read_stamp = read_stamp + 1
        WHERE id IN (SELECT gi_id FROM new_rows UNION SELECT gi_id FROM old_rows);
    RETURN NULL;
END $$;

CREATE TRIGGER gi_names_insert_read_stamp AFTER INSERT ON gi_names
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_new_rows();
CREATE TRIGGER gi_names_update_read_stamp AFTER UPDATE ON gi_names
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_changed_rows();
CREATE TRIGGER gi_names_delete_read_stamp AFTER DELETE ON gi_names
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_old_rows();

CREATE TRIGGER specifications_insert_read_stamp AFTER INSERT ON specifications
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_new_rows();
CREATE TRIGGER specifications_update_read_stamp AFTER UPDATE ON specifications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_changed_rows();
CREATE TRIGGER specifications_delete_read_stamp AFTER DELETE ON specifications
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_old_rows();

CREATE TRIGGER recognitions_insert_read_stamp AFTER INSERT ON recognitions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_new_rows();
CREATE TRIGGER recognitions_update_read_stamp AFTER UPDATE ON recognitions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_changed_rows();
CREATE TRIGGER recognitions_delete_read_stamp AFTER DELETE ON recognitions
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_old_rows();

CREATE TRIGGER events_insert_read_stamp AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_new_rows();
CREATE TRIGGER events_update_read_stamp AFTER UPDATE ON events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_changed_rows();
CREATE TRIGGER events_delete_read_stamp AFTER DELETE ON events
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION read_stamp_of_old_rows();
