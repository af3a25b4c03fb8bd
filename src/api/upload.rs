//! Receiving a `multipart/form-data` upload: the `file` part is spooled to a temporary
//! file as it arrives (hashed, counted, its first bytes kept to tell its format), never
//! held whole in memory; the other parts are short text fields.

use std::collections::BTreeMap;
use std::io::Write as _;

use actix_multipart::{Field, Multipart};
use actix_web::{web, HttpMessage, HttpRequest};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use crate::domain::content_sniffing::{sniff, SNIFF_BYTES};
use crate::error::AppError;

/// The name of the part that carries the file.
const FILE_PART: &str = "file";
/// The longest text field accepted, in bytes.
const MAX_FIELD_BYTES: usize = 4000;
/// Room for the form's boundaries, headers and text fields around the file.
const FORM_OVERHEAD_BYTES: usize = 64 * 1024;
/// Bytes gathered before each write to the spool file.
const SPOOL_WRITE_BYTES: usize = 256 * 1024;

/// The file as received.
pub struct Spooled {
    pub file: NamedTempFile,
    pub sha256: String,
    pub byte_count: i64,
    /// Told from the bytes.
    pub content_type: &'static str,
    /// The name the client gave the file, if any.
    pub file_name: Option<String>,
}

/// A received form: its text fields by name, and the file.
pub struct Upload {
    pub fields: BTreeMap<String, String>,
    pub file: Spooled,
}

/// Reads the form, accepting text parts named in `fields` and one `file` part of at
/// most `limit` bytes. 415 for a body that is not a form or a file of a format not
/// accepted (or not the one its part declares), 413 beyond the limit, 422 for a field
/// that is unknown, repeated, too long or missing.
pub async fn receive(
    req: &HttpRequest,
    payload: web::Payload,
    fields: &[&str],
    limit: usize,
) -> Result<Upload, AppError> {
    let is_form =
        req.mime_type().ok().flatten().is_some_and(|mime| {
            mime.type_() == mime::MULTIPART && mime.subtype() == mime::FORM_DATA
        });
    if !is_form {
        return Err(AppError::UnsupportedContent(
            "the request body must be multipart/form-data".into(),
        ));
    }
    let declared_length = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared_length.is_some_and(|len| len > limit + FORM_OVERHEAD_BYTES) {
        return Err(AppError::PayloadTooLarge { limit });
    }
    let mut form = Multipart::new(req.headers(), payload);
    let mut texts = BTreeMap::new();
    let mut file = None;
    while let Some(part) = form.next().await {
        let part = part.map_err(malformed)?;
        let name = part.name().unwrap_or_default().to_string();
        if name == FILE_PART {
            if file.is_some() {
                return Err(AppError::invalid(FILE_PART, "is given twice"));
            }
            file = Some(spool(part, limit).await?);
        } else if fields.contains(&name.as_str()) {
            let text = read_text(part, &name).await?;
            if texts.insert(name.clone(), text).is_some() {
                return Err(AppError::invalid(name, "is given twice"));
            }
        } else {
            return Err(AppError::invalid(
                if name.is_empty() { "form" } else { &name },
                "is not a field of this form",
            ));
        }
    }
    let file = file.ok_or_else(|| AppError::invalid(FILE_PART, "is required"))?;
    Ok(Upload {
        fields: texts,
        file,
    })
}

fn malformed(err: actix_multipart::MultipartError) -> AppError {
    AppError::BadRequest(format!("the form cannot be read: {err}"))
}

async fn read_text(mut part: Field, name: &str) -> Result<String, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = part.next().await {
        let chunk = chunk.map_err(malformed)?;
        if bytes.len() + chunk.len() > MAX_FIELD_BYTES {
            return Err(AppError::invalid(
                name,
                format!("must be at most {MAX_FIELD_BYTES} bytes long"),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| AppError::invalid(name, "must be UTF-8 text"))
}

async fn spool(mut part: Field, limit: usize) -> Result<Spooled, AppError> {
    let declared = part
        .content_type()
        .map(|mime| mime.essence_str().to_string())
        .filter(|essence| essence != "application/octet-stream");
    let file_name = part
        .content_disposition()
        .and_then(|cd| cd.get_filename())
        .map(str::to_string);
    let mut spool = web::block(NamedTempFile::new)
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let mut hasher = Sha256::new();
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let mut pending = Vec::with_capacity(SPOOL_WRITE_BYTES);
    let mut byte_count = 0usize;
    while let Some(chunk) = part.next().await {
        let chunk = chunk.map_err(malformed)?;
        byte_count += chunk.len();
        if byte_count > limit {
            return Err(AppError::PayloadTooLarge { limit });
        }
        hasher.update(&chunk);
        let room = SNIFF_BYTES.saturating_sub(head.len());
        head.extend_from_slice(&chunk[..room.min(chunk.len())]);
        pending.extend_from_slice(&chunk);
        if pending.len() >= SPOOL_WRITE_BYTES {
            spool = write_out(spool, std::mem::take(&mut pending)).await?;
        }
    }
    if !pending.is_empty() {
        spool = write_out(spool, pending).await?;
    }
    if byte_count == 0 {
        return Err(AppError::invalid(FILE_PART, "is empty"));
    }
    let content_type = sniff(&head, byte_count <= SNIFF_BYTES).ok_or_else(|| {
        AppError::UnsupportedContent(
            "the file is not a PDF, PNG, JPEG, plain UTF-8 text, OpenDocument or Office Open XML file"
                .into(),
        )
    })?;
    let essence = content_type.split(';').next().unwrap_or(content_type);
    if let Some(declared) = declared.filter(|declared| declared != essence) {
        return Err(AppError::UnsupportedContent(format!(
            "the file's bytes are {essence}, not the {declared} its part declares"
        )));
    }
    Ok(Spooled {
        file: spool,
        sha256: hex::encode(hasher.finalize()),
        byte_count: byte_count as i64,
        content_type,
        file_name,
    })
}

/// Appends `bytes` to the spool file off the async worker.
async fn write_out(mut spool: NamedTempFile, bytes: Vec<u8>) -> Result<NamedTempFile, AppError> {
    web::block(move || {
        spool
            .write_all(&bytes)
            .and_then(|()| spool.flush())
            .map(|()| spool)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|err| AppError::InsufficientStorage(format!("cannot spool an upload: {err}")))
}
