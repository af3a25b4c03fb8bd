-- Run as terroir_owner after each `terroir migrate` (deploy/postgres-setup.sql first):
--   psql "postgres://terroir_owner@DBHOST/terroir" -f deploy/postgres-after-migrate.sql
-- The audit log is append-only for the service: a compromised service cannot rewrite
-- history, only add to it (and `terroir audit verify` shows any gap or change).
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM terroir_app;
-- The migrations' own bookkeeping: the service reads it at start-up, never writes it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON __diesel_schema_migrations FROM terroir_app;
