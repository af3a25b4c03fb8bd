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
        session::check(&query, today)?;
        return Ok(HttpResponse::Ok()
            .content_type(query.format.content_type())
            .streaming(stream::empty::<Result<Bytes, AppError>>()));
    }
    let db = state.db.clone();
    let who = caller.audit_actor();
    let mut session = web::block(move || session::start(&db, &query, who, today)).await??;
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
