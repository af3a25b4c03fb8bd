DROP TABLE documents;
DROP TABLE document_chunks;
DROP TABLE document_contents;
