ALTER FUNCTION read_stamp_of_new_rows() RESET enable_seqscan;
ALTER FUNCTION read_stamp_of_old_rows() RESET enable_seqscan;
ALTER FUNCTION read_stamp_of_changed_rows() RESET enable_seqscan;
