//! The query planner's statistics after a bulk load.
//!
//! PostgreSQL plans from statistics that autovacuum refreshes only a while after a load
//! (a minute or more). Until then a freshly imported register looks empty to the
//! planner: right after importing 100,000 GIs the conflict check's lookup of its
//! candidates by id took 25–35 ms through the status index, and their names 60–70 ms,
//! against under 1 ms each once analysed. So a bulk load ends by analysing what it
//! filled. SQLite keeps no statistics unless asked (`ANALYZE`), and its plans here do
//! not depend on them, so nothing is done there.
//!
//! During a load, statements kept prepared are planned once for good (a generic plan,
//! after five runs) while the tables they read are still small, so each batch of the
//! trademark load plans its statements for the tables as they are
//! ([`plan_each_statement`]). Not the register's import: planning its inserts of a
//! thousand rows each time made it a third slower, and its lookups kept good plans.

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

/// Of those, the tables vacuumed too:
/// - those the conflict check reads by index-only scans, which read the table as well
///   until a vacuum has set its visibility map (0.7 s for 100,000 GIs; right after such
///   an import the check of a Latin name took 35 ms median before, 20 ms after,
///   BENCHMARKS.md);
/// - `gis`, whose GIN indexes of the search blob take new entries into a pending list
///   that every search reads whole until a vacuum sorts it in: after a 100,000-GI
///   import it held 261 and 213 pages, and a search's p95 was 27 ms against 3 ms once
///   vacuumed (1.6 s).
pub const VACUUMED: &[&str] = &["gis", "conflict_forms", "conflict_trigrams"];

/// Refreshes the planner's statistics of `tables` (names from the lists above, never
/// from input), and vacuums those of [`VACUUMED`]. Outside a transaction (`VACUUM`
/// cannot run in one).
pub fn refresh(conn: &mut AnyConnection, tables: &[&str]) -> Result<(), AppError> {
    if let AnyConnection::Postgres(pg) = conn {
        let (vacuumed, analysed): (Vec<&str>, Vec<&str>) =
            tables.iter().partition(|t| VACUUMED.contains(t));
        if !analysed.is_empty() {
            diesel::sql_query(format!("ANALYZE {}", analysed.join(", "))).execute(pg)?;
        }
        if !vacuumed.is_empty() {
            diesel::sql_query(format!("VACUUM (ANALYZE) {}", vacuumed.join(", "))).execute(pg)?;
        }
    }
    Ok(())
}

/// PostgreSQL: for the rest of the current transaction, plans every statement for its
/// parameters and the tables as they are, instead of a generic plan kept from earlier
/// runs. A load's lookups by key (`number = ANY($1)` among an office's trademarks) got a
/// generic plan while the table was empty, a sequential scan, and kept it as the table
/// grew to a million rows: seconds a batch, the import slowing with the square of its
/// size (a 1,000,000-mark load had not ended after 8 minutes; 160 s planned each
/// time).
pub fn plan_each_statement(conn: &mut AnyConnection) -> Result<(), AppError> {
    if let AnyConnection::Postgres(pg) = conn {
        diesel::sql_query("SET LOCAL plan_cache_mode = force_custom_plan").execute(pg)?;
    }
    Ok(())
}
