DROP TABLE number_sequences;
DROP TABLE events;
DROP TABLE oppositions;
DROP TABLE specifications;
DROP TABLE gi_names;
DROP TABLE gis;
