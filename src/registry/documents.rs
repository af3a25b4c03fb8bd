//! Documents filed with a GI or a recognition: attaching received bytes (stored once per
//! digest, never changed), listing them, and reading them back, for whoever may see the
//! GI (a draft's documents are as private as the draft).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use chrono::Utc;
use serde_json::json;

use super::acting::Acting;
use super::gi_application::load_visible;
use super::recognitions::load_visible_recognition;
use super::targets;
use crate::audit::AuditRecord;
use crate::db::AnyConnection;
use crate::domain::attempts::{may_attempt_on, Target, Write, GI_ACTORS, RECOGNITION_ACTORS};
use crate::domain::document_kind::DocumentKind;
use crate::domain::role::Actor;
use crate::error::AppError;
use crate::store::documents::{self, Document, DocumentContent, NewDocument, CHUNK_BYTES};
use crate::store::{audit, events, specifications};

/// Who may attach a document to a GI: whoever may act in its home proceedings.
pub const ATTACH_TO_GI: Write = Write::Act(GI_ACTORS);
/// Who may attach a document to a recognition: the origin's and the partner's examiners.
pub const ATTACH_TO_RECOGNITION: Write = Write::Act(RECOGNITION_ACTORS);

/// What the uploader says about the file.
#[derive(Debug, Default)]
pub struct Description {
    pub kind: Option<DocumentKind>,
    pub title: Option<String>,
    pub lang: Option<String>,
    pub file_name: Option<String>,
    pub specification_version: Option<i32>,
    pub event_id: Option<i64>,
}

/// The bytes as received: spooled to `path`, with their digest, size and media type.
pub struct Received<'a> {
    pub path: &'a Path,
    pub sha256: String,
    pub byte_count: i64,
    pub content_type: &'static str,
}

/// Attaches a received file to GI `gi_id`.
pub fn attach_to_gi(
    conn: &mut AnyConnection,
    acting: &Acting,
    gi_id: i64,
    description: Description,
    received: Received<'_>,
) -> Result<Document, AppError> {
    let target = targets::gi(conn, &acting.actor, gi_id)?;
    attach(
        conn,
        acting,
        ATTACH_TO_GI,
        target,
        gi_id,
        None,
        description,
        received,
    )
}

/// Attaches a received file to recognition `recognition_id` (and so to its GI).
pub fn attach_to_recognition(
    conn: &mut AnyConnection,
    acting: &Acting,
    recognition_id: i64,
    description: Description,
    received: Received<'_>,
) -> Result<Document, AppError> {
    let recognition = load_visible_recognition(conn, Some(&acting.actor), recognition_id)?;
    let target = targets::recognition(conn, &acting.actor, recognition_id)?;
    attach(
        conn,
        acting,
        ATTACH_TO_RECOGNITION,
        target,
        recognition.gi_id,
        Some(recognition_id),
        description,
        received,
    )
}

#[allow(clippy::too_many_arguments)]
fn attach(
    conn: &mut AnyConnection,
    acting: &Acting,
    write: Write,
    target: Target,
    gi_id: i64,
    recognition_id: Option<i64>,
    description: Description,
    received: Received<'_>,
) -> Result<Document, AppError> {
    if !may_attempt_on(&acting.actor, write, &target) {
        return Err(AppError::forbidden(
            "this is outside your office's or your association's scope",
        ));
    }
    let kind = description
        .kind
        .ok_or_else(|| AppError::invalid("kind", "is required"))?;
    let title = description
        .title
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| AppError::invalid("title", "is required"))?;
    if let Some(version) = description.specification_version {
        specifications::by_version(conn, gi_id, version)?.ok_or_else(|| {
            AppError::invalid(
                "specification_version",
                "is not a version of this GI's specification",
            )
        })?;
    }
    if let Some(event_id) = description.event_id {
        let (entity_type, entity_id) = match recognition_id {
            Some(id) => ("recognition", id),
            None => ("gi", gi_id),
        };
        let belongs = events::of_entity(conn, entity_type, entity_id)?
            .iter()
            .any(|event| event.id == event_id);
        if !belongs {
            return Err(AppError::invalid(
                "event_id",
                format!("is not an event of this {entity_type}"),
            ));
        }
    }
    let now = Utc::now().naive_utc();
    if documents::content(conn, &received.sha256)?.is_none() {
        store_bytes(conn, &received, now)?;
    }
    let id = documents::insert(
        conn,
        &NewDocument {
            gi_id,
            recognition_id,
            sha256: received.sha256.clone(),
            kind: kind.as_str().to_string(),
            title,
            lang: description.lang,
            file_name: description.file_name,
            specification_version: description.specification_version,
            event_id: description.event_id,
            uploaded_by: acting.audit.name.clone(),
            uploaded_at: now,
        },
    )?;
    let document =
        documents::by_id(conn, id)?.ok_or_else(|| AppError::internal("document lost"))?;
    let (entity_type, entity_id) = match recognition_id {
        Some(id) => ("recognition", id),
        None => ("gi", gi_id),
    };
    let (gi, _) = load_visible(conn, Some(&acting.actor), gi_id)?;
    let record = AuditRecord::new(
        &acting.audit,
        "document.attach",
        entity_type,
        entity_id,
        json!({
            "document_id": id,
            "gi_id": gi_id,
            "sha256": document.sha256,
            "content_type": received.content_type,
            "byte_count": received.byte_count,
            "kind": document.kind,
            "title": document.title,
        }),
    );
    // A filed GI's documents are public; a draft's are as private as the draft.
    let record = if gi.file_number.is_some() {
        record.public()
    } else {
        record
    };
    audit::append(conn, record)?;
    Ok(document)
}

/// Copies the spooled file into the database, chunk by chunk.
fn store_bytes(
    conn: &mut AnyConnection,
    received: &Received<'_>,
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    documents::insert_content(
        conn,
        &DocumentContent {
            sha256: received.sha256.clone(),
            content_type: received.content_type.to_string(),
            byte_count: received.byte_count,
            created_at: now,
        },
    )?;
    let mut file = File::open(received.path).map_err(AppError::internal)?;
    let mut buffer = vec![0; CHUNK_BYTES];
    for seq in 0.. {
        let filled = fill(&mut file, &mut buffer).map_err(AppError::internal)?;
        if filled == 0 {
            break;
        }
        documents::insert_chunk(conn, &received.sha256, seq, &buffer[..filled])?;
    }
    Ok(())
}

/// Reads until `buffer` is full or the file ends; how many bytes were read.
fn fill(file: &mut File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// The documents of a GI the reader may see (those of its recognitions included).
pub fn of_gi(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    gi_id: i64,
) -> Result<Vec<Document>, AppError> {
    load_visible(conn, reader, gi_id)?;
    documents::of_gi(conn, gi_id)
}

/// The documents of a recognition the reader may see.
pub fn of_recognition(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    recognition_id: i64,
) -> Result<Vec<Document>, AppError> {
    load_visible_recognition(conn, reader, recognition_id)?;
    documents::of_recognition(conn, recognition_id)
}

/// The bytes `sha256` and the first document that carries them, when the reader may
/// see a GI they were filed with.
pub fn readable(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    sha256: &str,
) -> Result<(DocumentContent, Document), AppError> {
    let not_found = || AppError::not_found("document");
    let content = documents::content(conn, sha256)?.ok_or_else(not_found)?;
    for document in documents::with_digest(conn, sha256)? {
        if load_visible(conn, reader, document.gi_id).is_ok() {
            return Ok((content, document));
        }
    }
    Err(not_found())
}

/// Chunk `seq` of the bytes `sha256` (already found readable).
pub fn chunk(conn: &mut AnyConnection, sha256: &str, seq: i32) -> Result<Vec<u8>, AppError> {
    documents::chunk(conn, sha256, seq)?
        .ok_or_else(|| AppError::internal("a document chunk is missing"))
}
