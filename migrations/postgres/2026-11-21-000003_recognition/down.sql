DROP TABLE recognitions;
DROP TABLE programme_parties;
DROP TABLE programmes;
