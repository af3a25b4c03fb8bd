//! The record of every export: asked for, then completed with its digest.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::exports;
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = exports)]
pub struct ExportRecord {
    pub id: i64,
    #[schema(value_type = crate::export::ExportFormat)]
    pub format: String,
    /// The query, a JSON object (stored as canonical JSON).
    #[serde(serialize_with = "crate::json_text::serialize")]
    #[schema(value_type = Object)]
    pub query: String,
    pub as_of: NaiveDate,
    /// `started` until the last byte is sent, then `complete`.
    pub status: String,
    pub row_count: Option<i64>,
    /// SHA-256 (hex) of exactly the bytes sent.
    pub sha256: Option<String>,
    pub byte_count: Option<i64>,
    pub requested_by: String,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize_option")]
    pub completed_at: Option<NaiveDateTime>,
    /// The audit chain's head once the export was recorded: the sequence number of the
    /// export's own audit entry. Keep it with the file: `audit verify` checks that the
    /// chain still holds this entry with this hash.
    pub audit_seq: Option<i64>,
    /// The hash of that entry.
    pub audit_hash: Option<String>,
    /// The registry's Ed25519 signature (base64) over exactly the bytes sent, as in the
    /// response's `X-Signature`.
    pub signature: Option<String>,
    /// The key that made it, listed at `GET /api/v1/keys`.
    pub signature_key_id: Option<String>,
}

/// A signature and the key that made it.
#[derive(Clone, Debug)]
pub struct Signed {
    pub kid: String,
    pub signature: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = exports)]
pub struct NewExport {
    pub format: String,
    pub query: String,
    pub as_of: NaiveDate,
    pub status: String,
    pub requested_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, new: &NewExport) -> Result<i64, AppError> {
    Ok(diesel::insert_into(exports::table)
        .values(new)
        .returning(exports::id)
        .get_result(conn)?)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<ExportRecord>, AppError> {
    Ok(exports::table
        .find(id)
        .select(ExportRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn complete(
    conn: &mut AnyConnection,
    id: i64,
    row_count: i64,
    byte_count: i64,
    sha256: &str,
    signed: &Signed,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(exports::table.find(id))
        .set((
            exports::status.eq("complete"),
            exports::row_count.eq(row_count),
            exports::byte_count.eq(byte_count),
            exports::sha256.eq(sha256),
            exports::completed_at.eq(at),
            exports::signature.eq(&signed.signature),
            exports::signature_key_id.eq(&signed.kid),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records the audit head the export's own entry made (`audit_seq`, `audit_hash`).
pub fn anchor(conn: &mut AnyConnection, id: i64, seq: i64, hash: &str) -> Result<(), AppError> {
    diesel::update(exports::table.find(id))
        .set((exports::audit_seq.eq(seq), exports::audit_hash.eq(hash)))
        .execute(conn)?;
    Ok(())
}
