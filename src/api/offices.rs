//! Offices: created and amended by admins, read by anyone.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::NaiveDate;

use super::caller::Caller;
use super::if_match::{etag, IfMatch};
use super::json::JsonBody;
use super::pagination::{Page, PageQuery};
use super::query::Query;
use super::state::AppState;
use crate::domain::attempts::Write;
use crate::error::AppError;
use crate::registry::holidays::{self, AddHolidays, Holidays};
use crate::registry::offices::{self, CreateOffice, OfficeView, UpdateOffice};

/// Create an office (admin).
#[utoipa::path(operation_id = "create_office", tag = "offices", request_body = CreateOffice, security(("bearer" = [])), responses(
    (status = 201, body = OfficeView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 409, description = "the code is taken", body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/offices")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<CreateOffice>,
) -> Result<HttpResponse, AppError> {
    let body = body.for_caller(&caller, Write::Offices)?;
    let acting = caller.acting();
    let view = state
        .db
        .write(move |conn| offices::create(conn, &acting, body))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.version))
        .json(view))
}

/// List offices, by code.
#[utoipa::path(operation_id = "list_offices", tag = "offices", params(PageQuery), responses((status = 200, body = Page<OfficeView>)))]
#[get("/api/v1/offices")]
pub async fn list(
    state: web::Data<AppState>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let after: Option<String> = page.after()?;
    let rows = state
        .db
        .read(move |conn| offices::list(conn, after.as_deref(), limit + 1))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |o| o.code.clone(),
        OfficeView::from,
    )))
}

/// Read one office.
#[utoipa::path(operation_id = "read_office", tag = "offices", params(("code" = String, Path, description = "office code")), responses(
    (status = 200, body = OfficeView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/offices/{code}")]
pub async fn read(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let office = state
        .db
        .read(move |conn| offices::read(conn, &code))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(office.version))
        .json(office))
}

/// An office's holidays (its weekend is on the office).
#[utoipa::path(operation_id = "list_office_holidays", tag = "offices", params(("code" = String, Path, description = "office code")), responses(
    (status = 200, body = Holidays),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/offices/{code}/holidays")]
pub async fn list_holidays(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let calendar = state
        .db
        .read(move |conn| holidays::list(conn, &code))
        .await?;
    Ok(HttpResponse::Ok().json(calendar))
}

/// Add holidays (the office's own office admin, or an admin); a date already listed is
/// relabelled. Deadlines computed from now on move off them.
#[utoipa::path(operation_id = "add_office_holidays", tag = "offices", request_body = AddHolidays, security(("bearer" = [])),
    params(("code" = String, Path, description = "office code")),
    responses(
    (status = 201, body = Holidays),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/offices/{code}/holidays")]
pub async fn add_holidays(
    caller: Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: JsonBody<AddHolidays>,
) -> Result<HttpResponse, AppError> {
    caller.may_attempt(Write::Calendar)?;
    let code = code.into_inner();
    let acting = caller.acting();
    // The office and the caller's right to it are checked before the body is read.
    let (check_code, check_acting) = (code.clone(), acting.clone());
    state
        .db
        .read(move |conn| holidays::authorize(conn, &check_acting, &check_code))
        .await?;
    let body = body.for_caller(&caller, Write::Calendar)?;
    let calendar = state
        .db
        .write(move |conn| holidays::add(conn, &acting, &code, body))
        .await?;
    Ok(HttpResponse::Created().json(calendar))
}

/// Remove a holiday (the office's own office admin, or an admin).
#[utoipa::path(operation_id = "remove_office_holiday", tag = "offices", security(("bearer" = [])),
    params(("code" = String, Path, description = "office code"), ("date" = NaiveDate, Path, description = "the holiday, YYYY-MM-DD")),
    responses(
    (status = 204, description = "removed"),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[delete("/api/v1/offices/{code}/holidays/{date}")]
pub async fn remove_holiday(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, NaiveDate)>,
) -> Result<HttpResponse, AppError> {
    caller.may_attempt(Write::Calendar)?;
    let (code, date) = path.into_inner();
    let acting = caller.acting();
    state
        .db
        .write(move |conn| holidays::remove(conn, &acting, &code, date))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Amend an office (admin); honours `If-Match`.
#[utoipa::path(operation_id = "update_office", tag = "offices", request_body = UpdateOffice, security(("bearer" = [])),
    params(("code" = String, Path, description = "office code"),
           ("If-Match" = Option<String>, Header, description = "the ETag you read")),
    responses(
    (status = 200, body = OfficeView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 412, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[patch("/api/v1/offices/{code}")]
pub async fn update(
    caller: Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<UpdateOffice>,
) -> Result<HttpResponse, AppError> {
    let body = body.for_caller(&caller, Write::Offices)?;
    let code = code.into_inner();
    let acting = caller.acting();
    let view = state
        .db
        .write(move |conn| offices::update(conn, &acting, &code, if_match.0, body))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}
