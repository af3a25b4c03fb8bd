-- The read stamps' statement triggers find the GIs a statement touched by their ids.
-- PL/pgSQL plans such a statement once per session and keeps the plan: made while
-- `gis` was small (the first batch of an import), it was a scan of every GI, kept for
-- the rest of the import (15 of a 100,000-GI import's 52 s, growing with the square of
-- its size). Without sequential scans to choose from, the plan is a lookup by id
-- whatever the size of `gis` when it was made.
ALTER FUNCTION read_stamp_of_new_rows() SET enable_seqscan = off;
ALTER FUNCTION read_stamp_of_old_rows() SET enable_seqscan = off;
ALTER FUNCTION read_stamp_of_changed_rows() SET enable_seqscan = off;
