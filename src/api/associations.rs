//! Producers' associations: managed by admins and by office admins of their office;
//! read by anyone.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::caller::Caller;
use super::if_match::{etag, IfMatch};
use super::json::JsonBody;
use super::pagination::{Page, PageQuery};
use super::state::AppState;
use super::validation::valid_email;
use crate::audit::AuditRecord;
use crate::domain::identifiers::validate;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::store::associations::{self, AssociationWithOffice};
use crate::store::{audit, offices};

#[derive(Debug, Serialize, ToSchema)]
pub struct AssociationView {
    pub id: i64,
    pub name: String,
    /// The home office's code.
    pub office: String,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub address: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl From<AssociationWithOffice> for AssociationView {
    fn from((a, office): AssociationWithOffice) -> Self {
        Self {
            id: a.id,
            name: a.name,
            office,
            contact_email: a.contact_email,
            contact_phone: a.contact_phone,
            address: a.address,
            version: a.version,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAssociation {
    #[validate(length(min = 1, max = 300), custom(function = "validate::not_blank"))]
    pub name: String,
    /// The home office's code.
    #[validate(custom(function = "validate::office_code"))]
    pub office: String,
    #[validate(custom(function = "valid_email"))]
    pub contact_email: Option<String>,
    #[validate(length(max = 50))]
    pub contact_phone: Option<String>,
    #[validate(length(max = 1000))]
    pub address: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAssociation {
    #[validate(length(min = 1, max = 300), custom(function = "validate::not_blank"))]
    pub name: Option<String>,
    #[validate(custom(function = "valid_email"))]
    pub contact_email: Option<String>,
    #[validate(length(max = 50))]
    pub contact_phone: Option<String>,
    #[validate(length(max = 1000))]
    pub address: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssociationFilter {
    /// Only associations of this office.
    pub office: Option<String>,
}

/// Create an association (admin, or office admin of its office).
#[utoipa::path(tag = "associations", request_body = CreateAssociation, security(("bearer" = [])), responses(
    (status = 201, body = AssociationView),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 409, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/associations")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<CreateAssociation>,
) -> Result<HttpResponse, AppError> {
    let body = body.0;
    let view = state
        .db
        .write(move |conn| {
            let office = offices::by_code(conn, &body.office)?
                .ok_or_else(|| AppError::invalid("office", "no office has this code"))?;
            caller.authorize(Action::ManageAssociation {
                office_id: office.id,
            })?;
            let now = Utc::now().naive_utc();
            let id = associations::insert(
                conn,
                &associations::NewAssociation {
                    name: body.name,
                    office_id: office.id,
                    contact_email: body.contact_email,
                    contact_phone: body.contact_phone,
                    address: body.address,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            let view = AssociationView::from(
                associations::by_id(conn, id)?.ok_or_else(|| AppError::not_found("association"))?,
            );
            audit::append(
                conn,
                AuditRecord::new(
                    &caller.audit_actor(),
                    "association.create",
                    "association",
                    id,
                    json!(view),
                ),
            )?;
            Ok(view)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.version))
        .json(view))
}

/// List associations, by id.
#[utoipa::path(tag = "associations", params(PageQuery, AssociationFilter), responses(
    (status = 200, body = Page<AssociationView>)))]
#[get("/api/v1/associations")]
pub async fn list(
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    filter: web::Query<AssociationFilter>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let after: i64 = page.after()?.unwrap_or(0);
    let office_code = filter.into_inner().office;
    let rows = state
        .db
        .read(move |conn| {
            let office_id = match office_code {
                Some(code) => match offices::by_code(conn, &code)? {
                    Some(office) => Some(office.id),
                    None => return Ok(Vec::new()),
                },
                None => None,
            };
            associations::list(conn, office_id, after, limit + 1)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |(a, _)| a.id,
        AssociationView::from,
    )))
}

/// Read one association.
#[utoipa::path(tag = "associations", params(("id" = i64, Path)), responses(
    (status = 200, body = AssociationView, headers(("ETag" = String))),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/associations/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let found = state
        .db
        .read(move |conn| associations::by_id(conn, id))
        .await?
        .ok_or_else(|| AppError::not_found("association"))?;
    let view = AssociationView::from(found);
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// Amend an association; honours `If-Match`.
#[utoipa::path(tag = "associations", request_body = UpdateAssociation, security(("bearer" = [])),
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "the ETag you read")),
    responses(
    (status = 200, body = AssociationView),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 412, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[patch("/api/v1/associations/{id}")]
pub async fn update(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<UpdateAssociation>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let body = body.0;
    let view = state
        .db
        .write(move |conn| {
            let (current, _) =
                associations::by_id(conn, id)?.ok_or_else(|| AppError::not_found("association"))?;
            caller.authorize(Action::ManageAssociation {
                office_id: current.office_id,
            })?;
            if_match.check(current.version)?;
            let changes = associations::AssociationChanges {
                name: body.name,
                contact_email: body.contact_email.map(Some),
                contact_phone: body.contact_phone.map(Some),
                address: body.address.map(Some),
            };
            let now = Utc::now().naive_utc();
            if !associations::update(conn, id, current.version, &changes, now)? {
                return Err(AppError::PreconditionFailed {
                    current: current.version,
                });
            }
            let view = AssociationView::from(
                associations::by_id(conn, id)?.ok_or_else(|| AppError::not_found("association"))?,
            );
            audit::append(
                conn,
                AuditRecord::new(
                    &caller.audit_actor(),
                    "association.update",
                    "association",
                    id,
                    json!(view),
                ),
            )?;
            Ok(view)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}
