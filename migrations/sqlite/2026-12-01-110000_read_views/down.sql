DROP TABLE gi_read_views;
