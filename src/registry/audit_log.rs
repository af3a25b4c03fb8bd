//! Reading the audit log and verifying its chain: auditors and admins only.

use super::acting::Acting;
use crate::db::AnyConnection;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::store::audit::{self, AuditEntry, VerifyReport};
use crate::store::audit_anchors;

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
