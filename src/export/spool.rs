//! An export's whole body written to a file before any byte is sent, so that its digest
//! and signature can travel in the response's headers, with memory bounded (CSV and
//! JSON a batch at a time).

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};

use super::session::ExportSession;
use super::{xlsx, ExportFormat};
use crate::error::AppError;

/// A body written out: the file (at its start), its length and digest.
pub struct Spooled {
    pub file: File,
    pub len: u64,
    pub sha256: String,
    pub rows: i64,
}

/// Writes the session's body into `file` from its start, telling `progress` the rows
/// written so far. Blocking.
pub fn spool(
    session: &mut ExportSession,
    file: File,
    progress: &dyn Fn(i64),
) -> Result<Spooled, AppError> {
    spool_watched(session, file, progress, &mut |_| {})
}

/// [`spool`], handing `written` every piece of the body as it is written, in order.
pub fn spool_watched(
    session: &mut ExportSession,
    mut file: File,
    progress: &dyn Fn(i64),
    written: &mut dyn FnMut(&[u8]),
) -> Result<Spooled, AppError> {
    file.seek(SeekFrom::Start(0)).map_err(AppError::internal)?;
    file.set_len(0).map_err(AppError::internal)?;
    let mut len = 0u64;
    let sha256 = if session.format() == ExportFormat::Xlsx {
        let bytes = xlsx::workbook_bytes(session)?;
        len = bytes.len() as u64;
        file.write_all(&bytes).map_err(AppError::internal)?;
        written(&bytes);
        session.digest_of(&bytes)
    } else {
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, &mut file);
        while let Some(chunk) = session.next_chunk()? {
            len += chunk.len() as u64;
            out.write_all(&chunk).map_err(AppError::internal)?;
            written(&chunk);
            progress(session.rows);
        }
        out.flush().map_err(AppError::internal)?;
        drop(out);
        session.digest.clone().unwrap_or_default()
    };
    file.seek(SeekFrom::Start(0)).map_err(AppError::internal)?;
    Ok(Spooled {
        file,
        len,
        sha256,
        rows: session.rows,
    })
}
