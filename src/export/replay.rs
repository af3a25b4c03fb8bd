//! Replaying an export: its recorded query read again into a temporary file, and the
//! digest of those bytes checked against the recorded one before any is handed out.

use std::io::{Seek, Write};

use super::session;
use super::{xlsx, ExportFormat};
use crate::db::Database;
use crate::error::AppError;
use crate::store::exports::ExportRecord;

/// A replayed export, spooled: the file (at its start) and its length.
pub struct Spooled {
    pub file: std::fs::File,
    pub len: u64,
    pub sha256: String,
    pub rows: i64,
}

/// Regenerates the export `record` describes into a temporary file (memory stays bounded
/// for CSV and JSON), and checks that its bytes are the recorded ones: a replay that
/// differs is a [`AppError::ReplayMismatch`]. Blocking.
pub fn replay_to_file(db: &Database, record: &ExportRecord) -> Result<Spooled, AppError> {
    let mut session = session::replay(db, record)?;
    let mut file = tempfile::tempfile().map_err(AppError::internal)?;
    let mut len = 0u64;
    let digest = if session.format() == ExportFormat::Xlsx {
        let bytes = xlsx::workbook_bytes(&mut session)?;
        len = bytes.len() as u64;
        file.write_all(&bytes).map_err(AppError::internal)?;
        session.finish_with(&bytes)?
    } else {
        let mut out = std::io::BufWriter::new(&mut file);
        while let Some(chunk) = session.next_chunk()? {
            len += chunk.len() as u64;
            out.write_all(&chunk).map_err(AppError::internal)?;
        }
        out.flush().map_err(AppError::internal)?;
        session.digest.clone().unwrap_or_default()
    };
    let recorded = record.sha256.clone().unwrap_or_default();
    if digest != recorded {
        return Err(AppError::ReplayMismatch {
            export_id: record.id,
            recorded,
            replayed: digest,
        });
    }
    file.rewind().map_err(AppError::internal)?;
    Ok(Spooled {
        file,
        len,
        sha256: digest,
        rows: session.rows,
    })
}
