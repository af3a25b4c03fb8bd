//! User accounts: admins manage all; office admins manage those of their own office.

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
use crate::registry::user_views;
use crate::registry::users::{self, CreateUser, UpdateUser, UserView};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// Only users of this office.
    pub office: Option<String>,
}

/// Create a user (admin; office admin for its own office, never an admin or auditor).
#[utoipa::path(operation_id = "create_user", tag = "users", request_body = CreateUser, security(("bearer" = [])), responses(
    (status = 201, body = UserView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 409, description = "the username is taken", body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/users")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<CreateUser>,
) -> Result<HttpResponse, AppError> {
    let body = body.for_caller(&caller, Write::Users)?;
    let view = create_user(&state, &caller, body).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.version))
        .json(view))
}

/// A user from `body`, validated, by a caller who may manage users: the API's and the
/// admin desk's one path.
pub async fn create_user(
    state: &AppState,
    caller: &Caller,
    body: CreateUser,
) -> Result<UserView, AppError> {
    let acting = caller.acting();
    // Refuse before paying for a hash when the role alone rules it out.
    users::precheck_create(&acting, &body)?;
    let (username, password) = (body.username.clone(), body.password.clone());
    let password_hash = state.hashers.hash_checked(username, password).await?;
    state
        .db
        .write(move |conn| users::create(conn, &acting, body, password_hash))
        .await
}

/// List users (admin, auditor; office admins see their office's).
#[utoipa::path(operation_id = "list_users", tag = "users", params(PageQuery, UserFilter), security(("bearer" = [])), responses(
    (status = 200, body = Page<UserView>),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/users")]
pub async fn list(
    caller: Caller,
    state: web::Data<AppState>,
    page: Query<PageQuery>,
    filter: Query<UserFilter>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let after: i64 = page.after()?.unwrap_or(0);
    let office_code = filter.into_inner().office;
    let acting = caller.acting();
    let rows = state
        .db
        .read(move |conn| user_views::list(conn, &acting, office_code.as_deref(), after, limit + 1))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |(u, _)| u.id, UserView::from)))
}

/// Read one user.
#[utoipa::path(operation_id = "read_user", tag = "users", params(("id" = i64, Path)), security(("bearer" = [])), responses(
    (status = 200, body = UserView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/users/{id}")]
pub async fn read(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let acting = caller.acting();
    let view = state
        .db
        .read(move |conn| user_views::read(conn, &acting, id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// Amend a user: name, password, role, office, association, activity. A change of
/// password, role, placement or a deactivation ends the user's sessions at once.
#[utoipa::path(operation_id = "update_user", tag = "users", request_body = UpdateUser, security(("bearer" = [])),
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "the ETag you read")),
    responses(
    (status = 200, body = UserView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 409, body = crate::api::docs::ErrorBody),
    (status = 412, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[patch("/api/v1/users/{id}")]
pub async fn update(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<UpdateUser>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.0;
    let view = update_user(&state, &caller, id.into_inner(), expected, || {
        body.for_caller(&caller, Write::Users)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// Amends the user `id`, for a caller who may manage it: the API's and the admin desk's
/// one path. `open` reads the body, only once the account is known to be one the caller
/// may manage (so that a caller who may not learns nothing of the body's rules).
pub async fn update_user(
    state: &AppState,
    caller: &Caller,
    id: i64,
    expected: Option<i32>,
    open: impl FnOnce() -> Result<UpdateUser, AppError>,
) -> Result<UserView, AppError> {
    caller.may_attempt(Write::Users)?;
    let db = state.db.clone();
    let acting = caller.acting();
    let checking = acting.clone();
    let username = db
        .read(move |conn| users::managed_username(conn, &checking, id))
        .await?;
    let body = open()?;
    let password_hash = match body.password.clone() {
        Some(password) => Some(state.hashers.hash_checked(username, password).await?),
        None => None,
    };
    db.write(move |conn| users::update(conn, &acting, id, expected, body, password_hash))
        .await
}
