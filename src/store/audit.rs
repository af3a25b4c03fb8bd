//! Appending to and listing the audit log (verifying it: `audit_verify`).

use chrono::{NaiveDateTime, Timelike, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::audit::chain::{canonical_payload, EntryFields, GENESIS_HASH};
use crate::audit::AuditRecord;
use crate::db::schema::audit_log;
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::store::bulk::copy_or_insert;

#[derive(Clone, Debug, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = audit_log)]
// NULL for None (no nullable column has another default), so that many rows go in one
// statement on SQLite as well (Diesel writes one INSERT per row when a value may be DEFAULT).
#[diesel(treat_none_as_default_value = false)]
pub struct AuditEntry {
    pub seq: i64,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub recorded_at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor: Option<String>,
    pub office: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    /// The change, a JSON object (hashed as its canonical JSON text).
    #[serde(serialize_with = "crate::json_text::serialize")]
    #[schema(value_type = Object)]
    pub payload: String,
    pub public: bool,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    pub(super) fn fields(&self) -> EntryFields<'_> {
        EntryFields {
            seq: self.seq,
            recorded_at: self.recorded_at,
            actor_id: self.actor_id,
            actor: self.actor.as_deref(),
            office: self.office.as_deref(),
            action: &self.action,
            entity_type: &self.entity_type,
            entity_id: self.entity_id.as_deref(),
            payload: &self.payload,
            public: self.public,
        }
    }
}

/// Appends one entry after the current head. Call it inside the write transaction of
/// the change it records (writes are serialised, so the head cannot move under it).
/// The entry follows the recorded head (`store::audit_anchors`), so that entries
/// removed from the end leave a gap at the next write rather than vanishing.
pub fn append(conn: &mut AnyConnection, record: AuditRecord) -> Result<AuditEntry, AppError> {
    let mut entries = append_all(conn, vec![record])?;
    entries
        .pop()
        .ok_or_else(|| AppError::internal("an audit entry was not written"))
}

/// Appends `records` in order, as many calls of [`append`] would, in a few statements:
/// the chain is computed in memory, the entries inserted together, the head moved once.
pub fn append_all(
    conn: &mut AnyConnection,
    records: Vec<AuditRecord>,
) -> Result<Vec<AuditEntry>, AppError> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let head = match super::audit_anchors::head(conn)? {
        Some(head) => Some(head),
        None => audit_log::table
            .select((audit_log::seq, audit_log::hash))
            .order(audit_log::seq.desc())
            .first(conn)
            .optional()?,
    };
    let (mut prev_seq, mut prev_hash) = head.unwrap_or((0, GENESIS_HASH.to_string()));
    let mut entries = Vec::with_capacity(records.len());
    for record in records {
        let now = Utc::now().naive_utc();
        let recorded_at = now
            .with_nanosecond(now.nanosecond() / 1000 * 1000)
            .unwrap_or(now);
        let mut entry = AuditEntry {
            seq: prev_seq + 1,
            recorded_at,
            actor_id: record.actor.id,
            actor: Some(record.actor.name),
            office: record.actor.office,
            action: record.action.to_string(),
            entity_type: record.entity_type.to_string(),
            entity_id: record.entity_id,
            payload: canonical_payload(record.payload),
            public: record.public,
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry.fields().hash(&entry.prev_hash);
        prev_seq = entry.seq;
        prev_hash = entry.hash.clone();
        entries.push(entry);
    }
    copy_or_insert!(conn, audit_log::table, &entries[..], 100)?;
    let checkpoints: Vec<(i64, &str)> = entries.iter().map(|e| (e.seq, e.hash.as_str())).collect();
    super::audit_anchors::advance_all(conn, &checkpoints)?;
    Ok(entries)
}

/// When the entry `seq` was recorded, if it is there.
pub fn recorded_at(conn: &mut AnyConnection, seq: i64) -> Result<Option<NaiveDateTime>, AppError> {
    Ok(audit_log::table
        .find(seq)
        .select(audit_log::recorded_at)
        .first(conn)
        .optional()?)
}

/// Entries after `after_seq`, oldest first.
pub fn list(
    conn: &mut AnyConnection,
    after_seq: i64,
    limit: i64,
    public_only: bool,
) -> Result<Vec<AuditEntry>, AppError> {
    let mut query = audit_log::table
        .select(AuditEntry::as_select())
        .filter(audit_log::seq.gt(after_seq))
        .order(audit_log::seq.asc())
        .limit(limit)
        .into_boxed();
    if public_only {
        query = query.filter(audit_log::public.eq(true));
    }
    Ok(query.load(conn)?)
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct VerifyReport {
    /// `ok` or `broken`.
    pub status: &'static str,
    /// How many entries were checked.
    pub entries: i64,
    /// The hash of the last entry, when the chain verifies.
    pub head_hash: Option<String>,
    /// The first entry that does not verify.
    pub first_broken: Option<BrokenEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BrokenEntry {
    pub seq: i64,
    pub reason: String,
}
