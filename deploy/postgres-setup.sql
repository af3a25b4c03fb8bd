-- Terroir on PostgreSQL with least privilege: run as a superuser with psql, e.g.
--   psql -v owner_password="'…'" -v app_password="'…'" -f deploy/postgres-setup.sql
--
-- Two roles:
--   terroir_owner  owns the database and its schema; runs the migrations
--                  (`terroir migrate`, at install and at each upgrade).
--   terroir_app    what the service logs in as: reads and writes rows, creates nothing,
--                  and may only append to the audit log (no UPDATE, no DELETE there).

CREATE ROLE terroir_owner LOGIN PASSWORD :owner_password;
CREATE ROLE terroir_app LOGIN PASSWORD :app_password CONNECTION LIMIT 100;
CREATE DATABASE terroir OWNER terroir_owner ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE terroir FROM PUBLIC;
GRANT CONNECT ON DATABASE terroir TO terroir_owner, terroir_app;

\connect terroir
ALTER SCHEMA public OWNER TO terroir_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO terroir_app;

-- Every table and sequence the owner's migrations create, now and in later versions.
ALTER DEFAULT PRIVILEGES FOR ROLE terroir_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO terroir_app;
ALTER DEFAULT PRIVILEGES FOR ROLE terroir_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO terroir_app;
