//! Issuing an export: its body written out, signed, and the export recorded with its
//! digest and signature, all before the first byte leaves.

use std::fs::File;

use super::session::ExportSession;
use super::spool::{spool_watched, Spooled};
use crate::db::Database;
use crate::error::AppError;
use crate::signing::keyring::Signer;
use crate::signing::signature::FileSigner;
use crate::store::exports::Signed;

pub struct Issued {
    pub body: Spooled,
    pub signed: Signed,
}

/// Writes the export into `file`, signs those bytes (the signature's first pass over
/// them as they are written) and records the export. Blocking.
pub fn issue(
    db: &Database,
    signer: &Signer,
    session: &mut ExportSession,
    file: File,
    progress: &dyn Fn(i64),
) -> Result<Issued, AppError> {
    let key = signer.key(db)?;
    let mut signing = FileSigner::new(&key);
    let mut body = spool_watched(session, file, progress, &mut |bytes| signing.update(bytes))?;
    let signature = signing.finish(&mut body.file).map_err(AppError::internal)?;
    let signed = Signed {
        kid: key.kid,
        signature,
    };
    session.record(&signed)?;
    Ok(Issued { body, signed })
}
