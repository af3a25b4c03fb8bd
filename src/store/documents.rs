//! Documents: their bytes, stored once per SHA-256 in chunks, and the rows that tie them
//! to a GI or a recognition.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{document_chunks, document_contents, documents};
use crate::db::AnyConnection;
use crate::error::AppError;

/// The largest chunk a document's bytes are stored in.
pub const CHUNK_BYTES: usize = 1024 * 1024;

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = document_contents)]
pub struct DocumentContent {
    pub sha256: String,
    pub content_type: String,
    pub byte_count: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = documents)]
pub struct Document {
    pub id: i64,
    pub gi_id: i64,
    pub recognition_id: Option<i64>,
    /// SHA-256 (hex) of the bytes: download them at `/api/v1/documents/{sha256}`.
    pub sha256: String,
    #[schema(value_type = crate::domain::document_kind::DocumentKind)]
    pub kind: String,
    pub title: String,
    pub lang: Option<String>,
    /// The name the file was uploaded under.
    pub file_name: Option<String>,
    /// The specification version the document belongs to, if any.
    pub specification_version: Option<i32>,
    /// The event (a decision, a publication) the document belongs to, if any.
    pub event_id: Option<i64>,
    pub uploaded_by: String,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub uploaded_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = documents)]
pub struct NewDocument {
    pub gi_id: i64,
    pub recognition_id: Option<i64>,
    pub sha256: String,
    pub kind: String,
    pub title: String,
    pub lang: Option<String>,
    pub file_name: Option<String>,
    pub specification_version: Option<i32>,
    pub event_id: Option<i64>,
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
}

pub fn content(
    conn: &mut AnyConnection,
    sha256: &str,
) -> Result<Option<DocumentContent>, AppError> {
    Ok(document_contents::table
        .find(sha256)
        .select(DocumentContent::as_select())
        .first(conn)
        .optional()?)
}

/// Stores the description of new bytes; their chunks follow with `insert_chunk`.
pub fn insert_content(conn: &mut AnyConnection, content: &DocumentContent) -> Result<(), AppError> {
    diesel::insert_into(document_contents::table)
        .values(content)
        .execute(conn)?;
    Ok(())
}

pub fn insert_chunk(
    conn: &mut AnyConnection,
    sha256: &str,
    seq: i32,
    bytes: &[u8],
) -> Result<(), AppError> {
    diesel::insert_into(document_chunks::table)
        .values((
            document_chunks::sha256.eq(sha256),
            document_chunks::seq.eq(seq),
            document_chunks::bytes.eq(bytes),
        ))
        .execute(conn)?;
    Ok(())
}

/// Chunk `seq` of the bytes with digest `sha256`.
pub fn chunk(
    conn: &mut AnyConnection,
    sha256: &str,
    seq: i32,
) -> Result<Option<Vec<u8>>, AppError> {
    Ok(document_chunks::table
        .find((sha256, seq))
        .select(document_chunks::bytes)
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut AnyConnection, new: &NewDocument) -> Result<i64, AppError> {
    Ok(diesel::insert_into(documents::table)
        .values(new)
        .returning(documents::id)
        .get_result(conn)?)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Document>, AppError> {
    Ok(documents::table
        .find(id)
        .select(Document::as_select())
        .first(conn)
        .optional()?)
}

/// The documents of a GI (its recognitions' included), oldest first.
pub fn of_gi(conn: &mut AnyConnection, gi_id: i64) -> Result<Vec<Document>, AppError> {
    Ok(documents::table
        .filter(documents::gi_id.eq(gi_id))
        .select(Document::as_select())
        .order(documents::id.asc())
        .load(conn)?)
}

/// The documents of one recognition, oldest first.
pub fn of_recognition(
    conn: &mut AnyConnection,
    recognition_id: i64,
) -> Result<Vec<Document>, AppError> {
    Ok(documents::table
        .filter(documents::recognition_id.eq(recognition_id))
        .select(Document::as_select())
        .order(documents::id.asc())
        .load(conn)?)
}

/// Every document row that carries the bytes `sha256`, oldest first.
pub fn with_digest(conn: &mut AnyConnection, sha256: &str) -> Result<Vec<Document>, AppError> {
    Ok(documents::table
        .filter(documents::sha256.eq(sha256))
        .select(Document::as_select())
        .order(documents::id.asc())
        .load(conn)?)
}

/// The digests of the decision documents of these recognitions uploaded by `until`, by
/// recognition and upload order.
pub fn decision_digests_of(
    conn: &mut AnyConnection,
    recognition_ids: &[i64],
    until: NaiveDateTime,
) -> Result<Vec<(i64, String)>, AppError> {
    if recognition_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Option<i64>, String)> = documents::table
        .filter(documents::recognition_id.eq_any(recognition_ids))
        .filter(documents::kind.eq("decision"))
        .filter(documents::uploaded_at.le(until))
        .select((documents::recognition_id, documents::sha256))
        .order((documents::recognition_id.asc(), documents::id.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, digest)| id.map(|id| (id, digest)))
        .collect())
}
