//! Documents filed with a GI or a recognition: upload (multipart), list, download (with
//! `Range` and `ETag`).

use std::collections::BTreeMap;

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use futures_util::stream;
use utoipa::ToSchema;

use super::byte_range::{self, ByteRange};
use super::caller::{Caller, MaybeCaller};
use super::state::AppState;
use super::upload::{self, Upload};
use crate::domain::document_kind::DocumentKind;
use crate::domain::language_tags::canonical_language_tag;
use crate::domain::name_text::check_visible;
use crate::error::AppError;
use crate::registry::documents::{
    self, Description, Received, ATTACH_TO_GI, ATTACH_TO_RECOGNITION,
};
use crate::registry::targets;
use crate::store::documents::{Document, CHUNK_BYTES};

/// The form of an upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DocumentUpload {
    /// The file: PDF, PNG, JPEG, plain UTF-8 text, OpenDocument or Office Open XML, told
    /// from its bytes (a part `Content-Type` other than the bytes' is a 415).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    kind: DocumentKind,
    /// 1 to 500 characters.
    #[schema(min_length = 1, max_length = 500)]
    title: String,
    /// The document's language (a BCP 47 tag, e.g. `zh-Hans`, `th`).
    lang: Option<String>,
    /// The specification version the document belongs to.
    specification_version: Option<i32>,
    /// The event (a decision, a publication) the document belongs to.
    event_id: Option<i64>,
}

const FIELDS: &[&str] = &["kind", "title", "lang", "specification_version", "event_id"];
const MAX_TITLE_CHARS: usize = 500;

/// What the form's text fields say, checked.
fn description(upload: &Upload) -> Result<Description, AppError> {
    let fields: &BTreeMap<String, String> = &upload.fields;
    let text = |name: &str| fields.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let kind = text("kind")
        .map(|kind| {
            kind.parse::<DocumentKind>()
                .map_err(|e| AppError::invalid("kind", e.to_string()))
        })
        .transpose()?;
    let title = text("title").map(str::to_string);
    if let Some(title) = &title {
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(AppError::invalid(
                "title",
                format!("must be at most {MAX_TITLE_CHARS} characters long"),
            ));
        }
        check_text(title).map_err(|why| AppError::invalid("title", why))?;
    }
    let lang = text("lang")
        .map(|tag| {
            canonical_language_tag(tag)
                .ok_or_else(|| AppError::invalid("lang", "is not a BCP 47 language tag"))
        })
        .transpose()?;
    let number = |name: &str| {
        text(name)
            .map(|v| {
                v.parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| AppError::invalid(name, "must be a positive integer"))
            })
            .transpose()
    };
    let specification_version = number("specification_version")?
        .map(|v| {
            i32::try_from(v).map_err(|_| AppError::invalid("specification_version", "is too large"))
        })
        .transpose()?;
    let file_name = upload
        .file
        .file_name
        .as_deref()
        .filter(|name| check_text(name).is_ok())
        .map(|name| name.chars().take(MAX_TITLE_CHARS).collect());
    Ok(Description {
        kind,
        title,
        lang,
        file_name,
        specification_version,
        event_id: number("event_id")?,
    })
}

/// Text a reader sees as it is: no control characters, nothing invisible.
fn check_text(text: &str) -> Result<(), String> {
    if text.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    check_visible(text)
}

fn created(document: &Document) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/documents/{}", document.sha256),
        ))
        .json(document)
}

/// Attach a document to a GI (its applicant association or its origin office's
/// examiners). `multipart/form-data`; at most `TERROIR_MAX_DOCUMENT_BYTES`.
#[utoipa::path(operation_id = "attach_gi_document", tag = "documents",
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 201, body = Document, headers(("Location" = String, description = "where to download the bytes"))),
    (status = 400, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 413, body = crate::api::docs::ErrorBody),
    (status = 415, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/gis/{id}/documents")]
pub async fn attach_to_gi(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let gi_id = id.into_inner();
    caller
        .may_attempt_on_record(&state.db, ATTACH_TO_GI, move |conn, actor| {
            targets::gi(conn, actor, gi_id)
        })
        .await?;
    let upload = upload::receive(&req, payload, FIELDS, state.max_document_bytes).await?;
    let description = description(&upload)?;
    let acting = caller.acting();
    let document = state
        .db
        .write(move |conn| {
            let received = received(&upload);
            documents::attach_to_gi(conn, &acting, gi_id, description, received)
        })
        .await?;
    Ok(created(&document))
}

/// Attach a document to a recognition (the origin's or the partner's examiners).
#[utoipa::path(operation_id = "attach_recognition_document", tag = "documents",
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 201, body = Document, headers(("Location" = String, description = "where to download the bytes"))),
    (status = 400, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 413, body = crate::api::docs::ErrorBody),
    (status = 415, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/recognitions/{id}/documents")]
pub async fn attach_to_recognition(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let recognition_id = id.into_inner();
    caller
        .may_attempt_on_record(&state.db, ATTACH_TO_RECOGNITION, move |conn, actor| {
            targets::recognition(conn, actor, recognition_id)
        })
        .await?;
    let upload = upload::receive(&req, payload, FIELDS, state.max_document_bytes).await?;
    let description = description(&upload)?;
    let acting = caller.acting();
    let document = state
        .db
        .write(move |conn| {
            let received = received(&upload);
            documents::attach_to_recognition(conn, &acting, recognition_id, description, received)
        })
        .await?;
    Ok(created(&document))
}

fn received(upload: &Upload) -> Received<'_> {
    Received {
        path: upload.file.file.path(),
        sha256: upload.file.sha256.clone(),
        byte_count: upload.file.byte_count,
        content_type: upload.file.content_type,
    }
}

/// The documents of a GI, its recognitions' included, oldest first.
#[utoipa::path(operation_id = "list_gi_documents", tag = "documents", params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<Document>),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/gis/{id}/documents")]
pub async fn list_of_gi(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = reader.actor();
    let found = state
        .db
        .read(move |conn| documents::of_gi(conn, actor.as_ref(), id))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// The documents of a recognition, oldest first.
#[utoipa::path(operation_id = "list_recognition_documents", tag = "documents", params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<Document>),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/recognitions/{id}/documents")]
pub async fn list_of_recognition(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = reader.actor();
    let found = state
        .db
        .read(move |conn| documents::of_recognition(conn, actor.as_ref(), id))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Download a document's bytes by their SHA-256, as filed, never changed: `ETag` is the
/// digest; one `Range` of bytes is honoured (206).
#[utoipa::path(operation_id = "download_document", tag = "documents",
    params(("sha256" = String, Path, description = "the SHA-256 of the bytes, 64 lowercase hex digits"),
        ("Range" = Option<String>, Header, description = "one range of bytes, e.g. `bytes=0-1023`"),
        ("If-None-Match" = Option<String>, Header, description = "the ETag you hold")),
    responses(
    (status = 200, description = "the bytes", content_type = "application/octet-stream",
        headers(("ETag" = String, description = "the digest"), ("Content-Disposition" = String), ("Accept-Ranges" = String))),
    (status = 206, description = "the range asked for", content_type = "application/octet-stream",
        headers(("Content-Range" = String), ("ETag" = String, description = "the digest"))),
    (status = 304, description = "the copy you hold is this one"),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 416, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/documents/{sha256}")]
pub async fn download(
    req: HttpRequest,
    reader: MaybeCaller,
    state: web::Data<AppState>,
    sha256: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let sha256 = sha256.into_inner();
    if sha256.len() != 64
        || !sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(AppError::not_found("document"));
    }
    let actor = reader.actor();
    let digest = sha256.clone();
    let (content, document) = state
        .db
        .read(move |conn| documents::readable(conn, actor.as_ref(), &digest))
        .await?;
    let etag = format!("\"{sha256}\"");
    let held = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    if held {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    let range_header = req
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok());
    let range = byte_range::requested(range_header, content.byte_count)?;
    let sent = range.unwrap_or(ByteRange {
        start: 0,
        end: content.byte_count - 1,
    });
    let mut response = match range {
        Some(r) => {
            let mut partial = HttpResponse::PartialContent();
            partial.insert_header((
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{}", r.start, r.end, content.byte_count),
            ));
            partial
        }
        None => HttpResponse::Ok(),
    };
    response
        .insert_header((header::CONTENT_TYPE, content.content_type.clone()))
        .insert_header((header::ETAG, etag))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        ))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(download_name(&document))],
        })
        .no_chunking(sent.byte_count() as u64);
    Ok(response.streaming(chunks(state.into_inner(), sha256, sent)))
}

/// The name a download is saved under: the uploaded name, or the title.
fn download_name(document: &Document) -> String {
    let name = document.file_name.as_deref().unwrap_or(&document.title);
    name.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '"' | '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// The bytes of `range`, read from the database one stored chunk at a time.
fn chunks(
    state: std::sync::Arc<AppState>,
    sha256: String,
    range: ByteRange,
) -> impl futures_util::Stream<Item = Result<web::Bytes, AppError>> {
    let chunk = CHUNK_BYTES as i64;
    let first = (range.start / chunk) as i32;
    let last = (range.end / chunk) as i32;
    stream::unfold(first, move |seq| {
        let state = state.clone();
        let sha256 = sha256.clone();
        async move {
            if seq > last {
                return None;
            }
            let bytes = state
                .db
                .read(move |conn| documents::chunk(conn, &sha256, seq))
                .await;
            let item = bytes.map(|bytes| {
                let offset = seq as i64 * chunk;
                let from = (range.start - offset).max(0) as usize;
                let to = ((range.end - offset + 1) as usize).min(bytes.len());
                web::Bytes::copy_from_slice(&bytes[from..to])
            });
            Some((item, seq + 1))
        }
    })
}
