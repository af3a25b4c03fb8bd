DROP TABLE notice_reads;
