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
use crate::export::replay;
use crate::export::session::{self, ExportSession};
use crate::export::{xlsx, ExportFormat, ExportQuery};
use crate::registry::audit_log;
use crate::registry::calendars::{office_of_filters, reader_today};
use crate::store::exports::ExportRecord;

/// Export recognitions as they stood on `as_of`, as CSV (RFC 4180), one JSON document or
/// an xlsx workbook. Rows come in recognition id order. CSV and JSON stream; the
/// `X-Export-Id` header names the record (`GET /api/v1/exports/{id}`) that gives the
/// row count and the SHA-256 of the bytes once the last one is sent. An xlsx carries its
/// digest in `X-Content-SHA256`.
#[utoipa::path(operation_id = "export_recognitions", tag = "exports", params(ExportQuery), security(("bearer" = [])), responses(
    (status = 200, description = "the list", content(
        (String = "text/csv"),
        (crate::export::json::ExportDocument = "application/json"),
        (crate::export::json::Workbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        headers(("X-Export-Id" = i64), ("X-Content-SHA256" = Option<String>))),
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
    caller.authorize(Action::ReadAuditLog)?;
    let query = query.into_inner();
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
    if req.extensions().contains::<WasHead>() {
        // The headers a GET would send, and no export: none is recorded that was never sent.
        session::check(&query, today, recorded_now)?;
        return Ok(HttpResponse::Ok()
            .content_type(query.format.content_type())
            .streaming(stream::empty::<Result<Bytes, AppError>>()));
    }
    let db = state.db.clone();
    let who = caller.audit_actor();
    let mut session =
        web::block(move || session::start(&db, &query, who, today, recorded_now)).await??;
    let id = session.id;
    let format = session.format();
    let filename = format!("recognitions-{}.{}", session.as_of, format.as_str());
    let mut response = HttpResponse::Ok();
    response
        .content_type(format.content_type())
        .insert_header(("X-Export-Id", id.to_string()))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ));
    if format == ExportFormat::Xlsx {
        let (bytes, digest) = web::block(move || xlsx::build(&mut session)).await??;
        return Ok(response
            .insert_header(("X-Content-SHA256", digest))
            .body(bytes));
    }
    Ok(response.streaming(body(session)))
}

/// The body, one piece at a time, each read on the blocking pool.
fn body(session: ExportSession) -> impl futures_util::Stream<Item = Result<Bytes, AppError>> {
    stream::unfold(Some(session), |state| async move {
        let mut session = state?;
        let outcome = web::block(move || {
            let chunk = session.next_chunk();
            (session, chunk)
        })
        .await;
        match outcome {
            Ok((session, Ok(Some(chunk)))) => Some((Ok(Bytes::from(chunk)), Some(session))),
            Ok((_, Ok(None))) => None,
            Ok((_, Err(err))) => Some((Err(err), None)),
            Err(err) => Some((Err(AppError::internal(err)), None)),
        }
    })
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
/// bytes. A replay is not itself recorded.
#[utoipa::path(operation_id = "replay_export", tag = "exports", params(("id" = i64, Path)), security(("bearer" = [])), responses(
    (status = 200, description = "the bytes of the export, as first sent", content(
        (String = "text/csv"),
        (crate::export::json::ExportDocument = "application/json"),
        (crate::export::json::Workbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        headers(("X-Export-Id" = i64), ("X-Content-SHA256" = String))),
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
    let id = id.into_inner();
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
    let filename = format!("recognitions-{}.{}", record.as_of, format.as_str());
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header(("X-Export-Id", id.to_string()))
        .insert_header(("X-Content-SHA256", spooled.sha256.clone()))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(actix_web::body::SizedStream::new(
            spooled.len,
            file_body(spooled.file),
        )))
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
