//! Reading the audit log and verifying its chain: auditors and admins only.

use super::acting::Acting;
use crate::db::AnyConnection;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::store::audit::{self, AuditEntry, VerifyReport};
use crate::store::audit_anchors;
use crate::store::exports::{self, ExportRecord};

/// Entries after sequence `after`, at most `limit`, in sequence order.
pub fn list(
    conn: &mut AnyConnection,
    acting: &Acting,
    after: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    acting.authorize(Action::ReadAuditLog)?;
    audit::list(conn, after, limit, false)
}

/// Recomputes the whole chain and holds it against its anchors.
pub fn verify(conn: &mut AnyConnection, acting: &Acting) -> Result<VerifyReport, AppError> {
    acting.authorize(Action::ReadAuditLog)?;
    audit_anchors::verify(conn)
}

/// The chain's anchored head (sequence and hash), if any entry is anchored.
pub type AnchoredHead = Option<(i64, String)>;

/// A page of the public feed (entries after `after`, at most `limit`, with only what the
/// public may read of them) and the chain's anchored head.
pub fn feed_page(
    conn: &mut AnyConnection,
    after: i64,
    limit: i64,
) -> Result<(AnchoredHead, Vec<AuditEntry>), AppError> {
    let head = audit_anchors::head(conn)?;
    Ok((head, audit::list(conn, after, limit, true)?))
}

/// The record of an export: what was asked, and once complete its rows and digest.
pub fn export_record(
    conn: &mut AnyConnection,
    acting: &Acting,
    id: i64,
) -> Result<ExportRecord, AppError> {
    acting.authorize(Action::ReadAuditLog)?;
    exports::by_id(conn, id)?.ok_or_else(|| AppError::not_found("export"))
}
