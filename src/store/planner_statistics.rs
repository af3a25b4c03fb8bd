//! The query planner's statistics after a bulk load.
//!
//! PostgreSQL plans from statistics that autovacuum refreshes only a while after a load
//! (a minute or more). Until then a freshly imported register looks empty to the
//! planner: right after importing 100,000 GIs the conflict check's lookup of its
//! candidates by id took 25–35 ms through the status index, and their names 60–70 ms,
//! against under 1 ms each once analysed. So a bulk load ends by analysing what it
//! filled. SQLite keeps no statistics unless asked (`ANALYZE`), and its plans here do
//! not depend on them, so nothing is done there.

use diesel::RunQueryDsl;

use crate::db::AnyConnection;
use crate::error::AppError;

/// The tables the register's import fills.
pub const REGISTER_TABLES: &[&str] = &[
    "gis",
    "gi_names",
    "specifications",
    "events",
    "recognitions",
    "conflict_forms",
    "conflict_trigrams",
    "audit_log",
];

/// The table the trademark import fills.
pub const TRADEMARK_TABLES: &[&str] = &["trademarks"];

/// Refreshes the planner's statistics of `tables` (names from the lists above, never
/// from input).
pub fn refresh(conn: &mut AnyConnection, tables: &[&str]) -> Result<(), AppError> {
    if let AnyConnection::Postgres(pg) = conn {
        diesel::sql_query(format!("ANALYZE {}", tables.join(", "))).execute(pg)?;
    }
    Ok(())
}
