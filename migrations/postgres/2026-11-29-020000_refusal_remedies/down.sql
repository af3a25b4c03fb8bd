ALTER TABLE recognitions DROP COLUMN remedy_deadline;
ALTER TABLE recognitions DROP COLUMN remedies;
