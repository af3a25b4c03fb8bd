DROP TABLE programme_amendments;
