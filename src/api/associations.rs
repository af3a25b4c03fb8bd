//! Producers' associations: managed by admins and by office admins of their office;
//! read by anyone.

use actix_web::{get, patch, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::caller::Caller;
use super::if_match::{etag, IfMatch};
use super::json::JsonBody;
use super::pagination::{Page, PageQuery};
use super::query::Query;
use super::state::AppState;
use crate::domain::attempts::Write;
use crate::error::AppError;
use crate::registry::associations::{self, AssociationView, CreateAssociation, UpdateAssociation};
use crate::registry::targets;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssociationFilter {
    /// Only associations of this office.
    pub office: Option<String>,
}

/// Create an association (admin, or office admin of its office).
#[utoipa::path(operation_id = "create_association", tag = "associations", request_body = CreateAssociation, security(("bearer" = [])), responses(
    (status = 201, body = AssociationView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 409, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/associations")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<CreateAssociation>,
) -> Result<HttpResponse, AppError> {
    let body = body.for_caller(&caller, Write::Associations)?;
    let acting = caller.acting();
    let view = state
        .db
        .write(move |conn| associations::create(conn, &acting, body))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.version))
        .json(view))
}

/// List associations, by id.
#[utoipa::path(operation_id = "list_associations", tag = "associations", params(PageQuery, AssociationFilter), responses(
    (status = 200, body = Page<AssociationView>)))]
#[get("/api/v1/associations")]
pub async fn list(
    state: web::Data<AppState>,
    page: Query<PageQuery>,
    filter: Query<AssociationFilter>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let after: i64 = page.after()?.unwrap_or(0);
    let office_code = filter.into_inner().office;
    let rows = state
        .db
        .read(move |conn| associations::list(conn, office_code.as_deref(), after, limit + 1))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |(a, _)| a.id,
        AssociationView::from,
    )))
}

/// Read one association.
#[utoipa::path(operation_id = "read_association", tag = "associations", params(("id" = i64, Path)), responses(
    (status = 200, body = AssociationView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/associations/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let view = state
        .db
        .read(move |conn| associations::read(conn, id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// Amend an association; honours `If-Match`.
#[utoipa::path(operation_id = "update_association", tag = "associations", request_body = UpdateAssociation, security(("bearer" = [])),
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "the ETag you read")),
    responses(
    (status = 200, body = AssociationView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
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
    let view =
        update_association(&state, &caller, id.into_inner(), if_match.0, || body.open()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// Amends the association `id`, for a caller who may manage it (an admin, or an office
/// admin of its office): the API's and the admin desk's one path. `open` reads the body,
/// only once the caller is known to be one who may.
pub async fn update_association(
    state: &AppState,
    caller: &Caller,
    id: i64,
    expected: Option<i32>,
    open: impl FnOnce() -> Result<UpdateAssociation, AppError>,
) -> Result<AssociationView, AppError> {
    caller
        .may_attempt_on_record(&state.db, Write::Associations, move |conn, _| {
            targets::association(conn, id)
        })
        .await?;
    let body = open()?;
    let acting = caller.acting();
    state
        .db
        .write(move |conn| associations::update(conn, &acting, id, expected, body))
        .await
}
