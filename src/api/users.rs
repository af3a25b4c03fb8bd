//! User accounts: admins manage all; office admins manage those of their own office.

use actix_web::{get, patch, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::caller::{check, Caller};
use super::if_match::{etag, IfMatch};
use super::json::JsonBody;
use super::pagination::{Page, PageQuery};
use super::query::Query;
use super::state::AppState;
use crate::auth::password::check_policy;
use crate::domain::permissions::Action;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::registry::users::{self, CreateUser, UpdateUser, UserView};
use crate::store::offices;
use crate::store::users as store;

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
    let body = body.0;
    check_policy(&body.username, &body.password)?;
    // Refuse before paying for a hash when the role alone rules it out.
    caller.authorize(Action::ManageUser {
        role: body.role,
        office_id: caller.actor.office_id,
    })?;
    let (username, password) = (body.username.clone(), body.password.clone());
    let password_hash = state.hashers.hash_checked(username, password).await?;
    let acting = caller.acting();
    let view = state
        .db
        .write(move |conn| users::create(conn, &acting, body, password_hash))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.version))
        .json(view))
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
    let rows = state
        .db
        .read(move |conn| {
            let requested = match office_code {
                Some(code) => Some(
                    offices::by_code(conn, &code)?
                        .ok_or_else(|| AppError::invalid("office", "no office has this code"))?
                        .id,
                ),
                None => None,
            };
            // Office admins see their own office only; admins and auditors see any.
            let office_id = if caller.role() == Role::OfficeAdmin {
                let own = caller.actor.office_id;
                check(
                    Some(&caller),
                    Action::ReadUser {
                        office_id: requested.or(own),
                    },
                )?;
                own
            } else {
                check(Some(&caller), Action::ReadUser { office_id: None })?;
                requested
            };
            store::list(conn, office_id, after, limit + 1)
        })
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
    let found = state
        .db
        .read(move |conn| store::by_id(conn, id))
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    if found.0.id != caller.actor.user_id {
        caller.authorize(Action::ReadUser {
            office_id: found.0.office_id,
        })?;
    }
    let view = UserView::from(found);
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
    let id = id.into_inner();
    let body = body.0;
    let db = state.db.clone();
    let (current, _) = db
        .read(move |conn| store::by_id(conn, id))
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    let current_role: Role = current.role.parse().map_err(AppError::internal)?;
    caller.authorize(Action::ManageUser {
        role: current_role,
        office_id: current.office_id,
    })?;
    let password_hash = match body.password.clone() {
        Some(password) => {
            let username = current.username.clone();
            Some(state.hashers.hash_checked(username, password).await?)
        }
        None => None,
    };
    let acting = caller.acting();
    let expected = if_match.0;
    let view = db
        .write(move |conn| users::update(conn, &acting, id, expected, body, password_hash))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}
