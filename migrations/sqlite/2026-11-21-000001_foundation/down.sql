DROP TABLE audit_log;
DROP TABLE revoked_access_tokens;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TABLE associations;
DROP TABLE offices;
