//! Programmes: created and amended by admins; read by anyone.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use super::caller::{Caller, MaybeCaller};
use super::if_match::{etag, IfMatch};
use super::json::JsonBody;
use super::pagination::{Page, PageQuery};
use super::query::Query;
use super::state::AppState;
use crate::domain::attempts::Write;
use crate::error::AppError;
use crate::registry::calendars::reader_today;
use crate::registry::programmes::{
    self, AmendProgramme, CreateProgramme, ProgrammeAmendment, ProgrammeView,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TermsAsOf {
    /// Show the terms in force on this date (default today: the local date of the
    /// reader's office, else UTC; a future date shows the terms already decided for it).
    pub as_of: Option<NaiveDate>,
}

/// Create a programme (admin).
#[utoipa::path(operation_id = "create_programme", tag = "programmes", request_body = CreateProgramme, security(("bearer" = [])), responses(
    (status = 201, body = ProgrammeView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 409, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/programmes")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<CreateProgramme>,
) -> Result<HttpResponse, AppError> {
    let body = body.for_caller(&caller, Write::Programmes)?;
    let acting = caller.acting();
    let now = state.clock.now();
    let view = state
        .db
        .write(move |conn| {
            let today = reader_today(conn, Some(&acting.actor), None, now)?;
            programmes::create(conn, &acting, body, today)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.version))
        .json(view))
}

/// List programmes, by code.
#[utoipa::path(operation_id = "list_programmes", tag = "programmes", params(PageQuery), responses((status = 200, body = Page<ProgrammeView>)))]
#[get("/api/v1/programmes")]
pub async fn list(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let after: Option<String> = page.after()?;
    let now = state.clock.now();
    let actor = reader.actor();
    let page = state
        .db
        .read(move |conn| {
            let today = reader_today(conn, actor.as_ref(), None, now)?;
            let mut items = programmes::list(conn, after.as_deref(), limit + 1, today)?;
            let more = items.len() as i64 > limit;
            items.truncate(limit as usize);
            let next_cursor = if more {
                items
                    .last()
                    .map(|p: &ProgrammeView| super::pagination::encode_cursor(&p.code))
            } else {
                None
            };
            Ok(Page { items, next_cursor })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Read one programme: its terms in force today, or on `as_of`, and their history.
#[utoipa::path(operation_id = "read_programme", tag = "programmes", params(("code" = String, Path), TermsAsOf), responses(
    (status = 200, body = ProgrammeView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/programmes/{code}")]
pub async fn read(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: Query<TermsAsOf>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let now = state.clock.now();
    let actor = reader.actor();
    let as_of = query.as_of;
    let view = state
        .db
        .read(move |conn| {
            let as_of = match as_of {
                Some(date) => date,
                None => reader_today(conn, actor.as_ref(), None, now)?,
            };
            programmes::read(conn, &code, as_of)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// Rename a programme (admin); honours `If-Match`. Only `title` changes here: its legal
/// terms, parties, dates and instrument change only by a dated amendment (422 naming the
/// field and the route).
#[utoipa::path(operation_id = "amend_programme", tag = "programmes", request_body = AmendProgramme, security(("bearer" = [])),
    params(("code" = String, Path), ("If-Match" = Option<String>, Header, description = "the ETag you read")),
    responses(
    (status = 200, body = ProgrammeView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 412, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[patch("/api/v1/programmes/{code}")]
pub async fn amend(
    caller: Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<AmendProgramme>,
) -> Result<HttpResponse, AppError> {
    let body = body.for_caller(&caller, Write::Programmes)?;
    let code = code.into_inner();
    let acting = caller.acting();
    let now = state.clock.now();
    let view = state
        .db
        .write(move |conn| {
            let today = reader_today(conn, Some(&acting.actor), None, now)?;
            programmes::amend(conn, &acting, &code, if_match.0, body, today)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// Record a dated amendment of the programme's legal terms or parties (admin), e.g. a
/// Joint Committee decision or an accession; it may take effect in the future. With
/// `applies_to_pending` the decision deadlines it reaches are recomputed at once.
#[utoipa::path(operation_id = "amend_programme_terms", tag = "programmes", request_body = ProgrammeAmendment, security(("bearer" = [])),
    params(("code" = String, Path)),
    responses(
    (status = 201, body = ProgrammeView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 409, body = crate::api::docs::ErrorBody, description = "`party_has_recognitions`: a withdrawal of a party with recognitions"),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/programmes/{code}/amendments")]
pub async fn record_amendment(
    caller: Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: JsonBody<ProgrammeAmendment>,
) -> Result<HttpResponse, AppError> {
    let body = body.for_caller(&caller, Write::Programmes)?;
    let code = code.into_inner();
    let acting = caller.acting();
    let now = state.clock.now();
    let view = state
        .db
        .write(move |conn| {
            let today = reader_today(conn, Some(&acting.actor), None, now)?;
            programmes::record_amendment(conn, &acting, &code, body, today, now)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.version))
        .json(view))
}
