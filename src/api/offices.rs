//! Offices: created and amended by admins, read by anyone.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::caller::Caller;
use super::if_match::{etag, IfMatch};
use super::json::JsonBody;
use super::pagination::{Page, PageQuery};
use super::state::AppState;
use super::validation::valid_language_tags;
use crate::audit::AuditRecord;
use crate::domain::identifiers::validate;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::store::{audit, offices};

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeView {
    pub id: i64,
    pub code: String,
    pub jurisdiction: String,
    pub name: String,
    pub opposition_period_days: i32,
    pub languages: Vec<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl From<offices::Office> for OfficeView {
    fn from(office: offices::Office) -> Self {
        let languages = office.language_list();
        Self {
            id: office.id,
            code: office.code,
            jurisdiction: office.jurisdiction,
            name: office.name,
            opposition_period_days: office.opposition_period_days,
            languages,
            version: office.version,
            created_at: office.created_at,
            updated_at: office.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOffice {
    /// `CNIPA`, `DIP`: 2–16 capitals, digits, `-`, `_`.
    #[validate(custom(function = "validate::office_code"))]
    pub code: String,
    /// ISO 3166-1 alpha-2, or a regional code such as `EU`.
    #[validate(custom(function = "validate::jurisdiction"))]
    pub jurisdiction: String,
    #[validate(length(min = 1, max = 200), custom(function = "validate::not_blank"))]
    pub name: String,
    /// The national opposition period (Thailand 90, China 60).
    #[validate(range(min = 0, max = 3660))]
    pub opposition_period_days: i32,
    /// BCP-47 tags.
    #[serde(default)]
    #[validate(length(max = 20), custom(function = "valid_language_tags"))]
    pub languages: Vec<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOffice {
    #[validate(custom(function = "validate::jurisdiction"))]
    pub jurisdiction: Option<String>,
    #[validate(length(min = 1, max = 200), custom(function = "validate::not_blank"))]
    pub name: Option<String>,
    #[validate(range(min = 0, max = 3660))]
    pub opposition_period_days: Option<i32>,
    #[validate(length(max = 20), custom(function = "valid_language_tags"))]
    pub languages: Option<Vec<String>>,
}

fn languages_json(languages: &[String]) -> String {
    serde_json::to_string(languages).unwrap_or_else(|_| "[]".into())
}

/// Create an office (admin).
#[utoipa::path(tag = "offices", request_body = CreateOffice, security(("bearer" = [])), responses(
    (status = 201, body = OfficeView),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 409, description = "the code is taken", body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/offices")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<CreateOffice>,
) -> Result<HttpResponse, AppError> {
    caller.authorize(Action::ManageOffices)?;
    let body = body.0;
    let office = state
        .db
        .write(move |conn| {
            let now = Utc::now().naive_utc();
            let office = offices::insert(
                conn,
                &offices::NewOffice {
                    code: body.code,
                    jurisdiction: body.jurisdiction,
                    name: body.name,
                    opposition_period_days: body.opposition_period_days,
                    languages: languages_json(&body.languages),
                    created_at: now,
                    updated_at: now,
                },
            )?;
            let view = OfficeView::from(office.clone());
            audit::append(
                conn,
                AuditRecord::new(
                    &caller.audit_actor(),
                    "office.create",
                    "office",
                    &office.code,
                    json!(view),
                ),
            )?;
            Ok(view)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(office.version))
        .json(office))
}

/// List offices, by code.
#[utoipa::path(tag = "offices", params(PageQuery), responses((status = 200, body = Page<OfficeView>)))]
#[get("/api/v1/offices")]
pub async fn list(
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
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
#[utoipa::path(tag = "offices", params(("code" = String, Path, description = "office code")), responses(
    (status = 200, body = OfficeView, headers(("ETag" = String))),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/offices/{code}")]
pub async fn read(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let office = state
        .db
        .read(move |conn| offices::by_code(conn, &code))
        .await?
        .ok_or_else(|| AppError::not_found("office"))?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(office.version))
        .json(OfficeView::from(office)))
}

/// Amend an office (admin); honours `If-Match`.
#[utoipa::path(tag = "offices", request_body = UpdateOffice, security(("bearer" = [])),
    params(("code" = String, Path, description = "office code"),
           ("If-Match" = Option<String>, Header, description = "the ETag you read")),
    responses(
    (status = 200, body = OfficeView),
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
    caller.authorize(Action::ManageOffices)?;
    let code = code.into_inner();
    let body = body.0;
    let office = state
        .db
        .write(move |conn| {
            let office =
                offices::by_code(conn, &code)?.ok_or_else(|| AppError::not_found("office"))?;
            if_match.check(office.version)?;
            let changes = offices::OfficeChanges {
                jurisdiction: body.jurisdiction,
                name: body.name,
                opposition_period_days: body.opposition_period_days,
                languages: body.languages.as_deref().map(languages_json),
            };
            let now = Utc::now().naive_utc();
            if !offices::update(conn, office.id, office.version, &changes, now)? {
                return Err(AppError::PreconditionFailed {
                    current: office.version,
                });
            }
            let updated =
                offices::by_id(conn, office.id)?.ok_or_else(|| AppError::not_found("office"))?;
            let view = OfficeView::from(updated);
            audit::append(
                conn,
                AuditRecord::new(
                    &caller.audit_actor(),
                    "office.update",
                    "office",
                    &view.code,
                    json!(view),
                ),
            )?;
            Ok(view)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(office.version))
        .json(office))
}
