-- Room for the read stamps' updates (issue 9). Every write of a GI's names, events,
-- recognitions or specifications moves its `read_stamp` (migration
-- `2026-12-01-100000_read_stamps`): an UPDATE of its `gis` row. With full pages, each
-- such update writes the new row version to another page and so adds an entry to every
-- index of `gis` (two of them GIN indexes of the search blob, with an entry per trigram
-- and per character): an import of 100,000 GIs wrote them three times over. With pages
-- two thirds empty, the new version stays on its page, and an update that changes no
-- indexed column (a stamp) touches no index (a HOT update). Only pages written from
-- now on are filled less; the rows are the same.
ALTER TABLE gis SET (fillfactor = 30);
