//! Embedded migrations, one folder per backend.

use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::connection::AnyConnection;
use crate::error::AppError;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// An arbitrary constant: the advisory lock that keeps two server processes starting at
/// once from running the same migration twice.
const MIGRATION_LOCK: i64 = 0x7465_7272_6f69;

/// Runs every pending migration and returns the versions it applied.
pub fn run_pending(conn: &mut AnyConnection) -> Result<Vec<String>, AppError> {
    let applied = match conn {
        AnyConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE)
            .map(|versions| versions.iter().map(|v| v.to_string()).collect())
            .map_err(|e| AppError::internal(format!("migration failed: {e}"))),
        AnyConnection::Postgres(c) => {
            // A service role without CREATE on the schema (deploy/postgres-setup.sql)
            // starts on an up-to-date database: nothing to run, nothing to create.
            if pending_postgres(c).is_some_and(|pending| pending == 0) {
                return Ok(Vec::new());
            }
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
            let result = c
                .run_pending_migrations(POSTGRES)
                .map(|versions| versions.iter().map(|v| v.to_string()).collect())
                .map_err(|e| AppError::internal(format!("migration failed: {e}")));
            c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
            result
        }
    }?;
    Ok(applied)
}

#[derive(diesel::QueryableByName)]
struct Present {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    present: bool,
}

/// Whether the database holds a registry (its migrations' bookkeeping table), read
/// without writing anything.
pub fn holds_a_registry(conn: &mut AnyConnection) -> Result<bool, AppError> {
    use diesel::RunQueryDsl;
    let query = match conn {
        AnyConnection::Postgres(_) => {
            "SELECT to_regclass('__diesel_schema_migrations') IS NOT NULL AS present"
        }
        AnyConnection::Sqlite(_) => {
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' \
             AND name = '__diesel_schema_migrations') AS present"
        }
    };
    let found: Present = diesel::sql_query(query).get_result(conn)?;
    Ok(found.present)
}

#[derive(diesel::QueryableByName)]
struct AppliedVersion {
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

/// How many embedded migrations the database has not applied, read without writing
/// (None when that cannot be told, e.g. before the first migration).
fn pending_postgres(conn: &mut diesel::PgConnection) -> Option<usize> {
    use diesel::migration::MigrationSource;
    use diesel::RunQueryDsl;
    let applied: Vec<AppliedVersion> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
            .load(conn)
            .ok()?;
    let embedded = MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES).ok()?;
    Some(
        embedded
            .iter()
            .filter(|m| {
                let version = m.name().version().to_string();
                !applied.iter().any(|a| a.version == version)
            })
            .count(),
    )
}

/// Reverts every applied migration; used by the test that checks each `down.sql`.
pub fn revert_all(conn: &mut AnyConnection) -> Result<usize, AppError> {
    let reverted = match conn {
        AnyConnection::Sqlite(c) => c.revert_all_migrations(SQLITE).map(|v| v.len()),
        AnyConnection::Postgres(c) => c.revert_all_migrations(POSTGRES).map(|v| v.len()),
    };
    reverted.map_err(|e| AppError::internal(format!("revert failed: {e}")))
}
