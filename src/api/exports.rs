//! Recognition-list exports for auditors and admins.

use actix_web::{get, web, HttpMessage, HttpRequest, HttpResponse};
use bytes::Bytes;
use futures_util::stream;

use super::caller::Caller;
use super::query::Query;
use super::request_guard::WasHead;
use super::state::AppState;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::export::issue::{issue, Issued};
use crate::export::replay;
use crate::export::session;
use crate::export::spool::Spooled;
use crate::export::{ExportFormat, ExportQuery};
use crate::registry::audit_log;
use crate::registry::calendars::{office_of_filters, reader_today};
use crate::store::exports::{ExportRecord, Signed};

/// Export recognitions as they stood on `as_of`, as CSV (RFC 4180), one JSON document or
/// an xlsx workbook. Rows come in recognition id order. The body is written out whole
/// (memory stays bounded) before the first byte is sent, so that the headers can carry
/// its SHA-256 (`X-Content-SHA256`) and the registry's Ed25519 signature over exactly
/// these bytes (`X-Signature`, base64; `X-Signature-Key-Id` names the key listed at
/// `GET /api/v1/keys`). `X-Export-Id` names the record (`GET /api/v1/exports/{id}`),
/// which keeps all three.
#[utoipa::path(operation_id = "export_recognitions", tag = "exports", params(ExportQuery), security(("bearer" = [])), responses(
    (status = 200, description = "the list", content(
        (String = "text/csv"),
        (crate::export::json::ExportDocument = "application/json"),
        (crate::export::json::Workbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        headers(("X-Export-Id" = i64), ("X-Content-SHA256" = String), ("X-Signature" = String), ("X-Signature-Key-Id" = String))),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/exports/recognitions")]
pub async fn export_recognitions(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    query: Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let (today, recorded_now) = export_day(&state, &caller, &query).await?;
    if req.extensions().contains::<WasHead>() {
        // The headers a GET would send, and no export: none is recorded that was never sent.
        session::check(&query, today, recorded_now)?;
        return Ok(HttpResponse::Ok()
            .content_type(query.format.content_type())
            .streaming(stream::empty::<Result<Bytes, AppError>>()));
    }
    let export = issue_export(&state, &caller, query, today, recorded_now).await?;
    Ok(file_response(
        export.id,
        export.format,
        export.as_of,
        Some(&export.issued.signed),
        export.issued.body,
    ))
}

/// An export written out, signed and recorded.
pub struct IssuedExport {
    pub id: i64,
    pub format: ExportFormat,
    pub as_of: chrono::NaiveDate,
    pub issued: Issued,
}

/// For a caller who may export: the day an export of `query` is as of by default (the
/// reader's today where its filters' office is), and the moment it is known at.
pub async fn export_day(
    state: &AppState,
    caller: &Caller,
    query: &ExportQuery,
) -> Result<(chrono::NaiveDate, chrono::DateTime<chrono::Utc>), AppError> {
    caller.authorize(Action::ReadAuditLog)?;
    let now = state.clock.now();
    // `known_at` is on the clock events are recorded by, not the (settable) legal one.
    let recorded_now = chrono::Utc::now();
    let (actor, partner, origin) = (
        caller.actor.clone(),
        query.partner.clone(),
        query.origin.clone(),
    );
    let today = state
        .db
        .read(move |conn| {
            let about = office_of_filters(conn, partner.as_deref(), origin.as_deref())?;
            reader_today(conn, Some(&actor), about, now)
        })
        .await?;
    Ok((today, recorded_now))
}

/// Issues the export of `query`: spooled, signed and recorded (the API's and the
/// auditor desk's one path).
pub async fn issue_export(
    state: &AppState,
    caller: &Caller,
    query: ExportQuery,
    today: chrono::NaiveDate,
    recorded_now: chrono::DateTime<chrono::Utc>,
) -> Result<IssuedExport, AppError> {
    let (db, signer) = (state.db.clone(), state.signer.clone());
    let who = caller.audit_actor();
    let (session, issued) = web::block(move || {
        let mut session = session::start(&db, &query, who, today, recorded_now)?;
        let file = tempfile::tempfile().map_err(AppError::internal)?;
        let issued = issue(&db, &signer, &mut session, file, &|_| {})?;
        Ok::<_, AppError>((session, issued))
    })
    .await??;
    Ok(IssuedExport {
        id: session.id,
        format: session.format(),
        as_of: session.as_of,
        issued,
    })
}

/// A written-out export with the headers that name and prove it.
fn file_response(
    id: i64,
    format: ExportFormat,
    as_of: chrono::NaiveDate,
    signed: Option<&Signed>,
    body: Spooled,
) -> HttpResponse {
    let filename = format!("recognitions-{as_of}.{}", format.as_str());
    let mut response = HttpResponse::Ok();
    response
        .content_type(format.content_type())
        .insert_header(("X-Export-Id", id.to_string()))
        .insert_header(("X-Content-SHA256", body.sha256.clone()))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ));
    if let Some(signed) = signed {
        response
            .insert_header(("X-Signature", signed.signature.clone()))
            .insert_header(("X-Signature-Key-Id", signed.kid.clone()));
    }
    response.body(actix_web::body::SizedStream::new(
        body.len,
        file_body(body.file),
    ))
}

/// The record of an export: its query, and once complete its row count and digest.
#[utoipa::path(operation_id = "read_export", tag = "exports", params(("id" = i64, Path)), security(("bearer" = [])), responses(
    (status = 200, body = ExportRecord),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/exports/{id}")]
pub async fn read_export(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let acting = caller.acting();
    let record = state
        .db
        .read(move |conn| audit_log::export_record(conn, &acting, id))
        .await?;
    Ok(HttpResponse::Ok().json(record))
}

/// Regenerate a complete export from its record: the same query, as of the same date and
/// as known at the same moment, so the same bytes whatever was recorded since (backdated
/// events, later registrations, later documents). The body is built (and spooled to a
/// temporary file) before the first byte is sent, so that a replay whose digest differs
/// from the recorded one is answered with a 500 `replay_mismatch`, never with other
/// bytes. A replay is not itself recorded. It carries the export's recorded
/// `X-Signature` and `X-Signature-Key-Id` (absent for exports made before exports were
/// signed), which hold for the replayed bytes since they are the same.
#[utoipa::path(operation_id = "replay_export", tag = "exports", params(("id" = i64, Path)), security(("bearer" = [])), responses(
    (status = 200, description = "the bytes of the export, as first sent", content(
        (String = "text/csv"),
        (crate::export::json::ExportDocument = "application/json"),
        (crate::export::json::Workbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        headers(("X-Export-Id" = i64), ("X-Content-SHA256" = String), ("X-Signature" = Option<String>), ("X-Signature-Key-Id" = Option<String>))),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 409, description = "the export was never completed, or was recorded before exports kept their `known_at`", body = crate::api::docs::ErrorBody),
    (status = 500, description = "`replay_mismatch`: the replay does not give the recorded bytes", body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/exports/{id}/replay")]
pub async fn replay_export(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    replay_response(&state, &caller, id.into_inner()).await
}

/// The replay of export `id` as a file with the headers that name and prove it (the
/// API's and the auditor desk's one path).
pub async fn replay_response(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<HttpResponse, AppError> {
    let acting = caller.acting();
    let record = state
        .db
        .read(move |conn| audit_log::export_record(conn, &acting, id))
        .await?;
    let db = state.db.clone();
    let (record, spooled) = web::block(move || {
        let spooled = replay::replay_to_file(&db, &record)?;
        Ok::<_, AppError>((record, spooled))
    })
    .await??;
    let format: ExportFormat = record.format.parse().map_err(AppError::internal)?;
    let signed = record
        .signature
        .clone()
        .zip(record.signature_key_id.clone())
        .map(|(signature, kid)| Signed { kid, signature });
    Ok(file_response(
        id,
        format,
        record.as_of,
        signed.as_ref(),
        spooled,
    ))
}

/// A spooled file, 64 KiB at a time, each read on the blocking pool.
fn file_body(file: std::fs::File) -> impl futures_util::Stream<Item = Result<Bytes, AppError>> {
    stream::unfold(Some(file), |state| async move {
        let mut file = state?;
        let outcome = web::block(move || {
            use std::io::Read;
            let mut buf = vec![0u8; 64 * 1024];
            let read = file.read(&mut buf);
            (
                file,
                read.map(|n| {
                    buf.truncate(n);
                    buf
                }),
            )
        })
        .await;
        match outcome {
            Ok((_, Ok(buf))) if buf.is_empty() => None,
            Ok((file, Ok(buf))) => Some((Ok(Bytes::from(buf)), Some(file))),
            Ok((_, Err(err))) => Some((Err(AppError::internal(err)), None)),
            Err(err) => Some((Err(AppError::internal(err)), None)),
        }
    })
}
