//! Replaying an export: its recorded query read again into a temporary file, and the
//! digest of those bytes checked against the recorded one before any is handed out.

use super::session;
use super::spool::{spool, Spooled};
use crate::db::Database;
use crate::error::AppError;
use crate::store::exports::ExportRecord;

/// Regenerates the export `record` describes into a temporary file (memory stays bounded
/// for CSV and JSON), and checks that its bytes are the recorded ones: a replay that
/// differs is a [`AppError::ReplayMismatch`]. The recorded signature covers the replayed
/// bytes too, since they are the same. Blocking.
pub fn replay_to_file(db: &Database, record: &ExportRecord) -> Result<Spooled, AppError> {
    let mut session = session::replay(db, record)?;
    let file = tempfile::tempfile().map_err(AppError::internal)?;
    let spooled = spool(&mut session, file, &|_| {})?;
    let recorded = record.sha256.clone().unwrap_or_default();
    if spooled.sha256 != recorded {
        return Err(AppError::ReplayMismatch {
            export_id: record.id,
            recorded,
            replayed: spooled.sha256,
        });
    }
    Ok(spooled)
}
