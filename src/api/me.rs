//! The caller's own account.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::caller::Caller;
use super::json::JsonBody;
use super::state::AppState;
use crate::auth::password::check_policy;
use crate::error::AppError;
use crate::registry::own_account;
use crate::registry::users::UserView;

/// Who am I.
#[utoipa::path(operation_id = "read_me", tag = "auth", security(("bearer" = [])), responses(
    (status = 200, body = UserView),
    (status = 401, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/me")]
pub async fn me(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let acting = caller.acting();
    let view = state
        .db
        .read(move |conn| own_account::read(conn, &acting))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    #[schema(min_length = 1, max_length = 256)]
    #[validate(length(min = 1, max = 256))]
    pub current_password: String,
    /// 12 to 256 characters, not the username.
    #[schema(min_length = 12, max_length = 256)]
    #[validate(length(min = 1, max = 256))]
    pub new_password: String,
}

/// Change one's own password; every session of the account ends, this one included.
#[utoipa::path(operation_id = "change_password", tag = "auth", request_body = ChangePassword, security(("bearer" = [])), responses(
    (status = 204, description = "changed; log in again"),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/me/password")]
pub async fn change_password(
    req: actix_web::HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<ChangePassword>,
) -> Result<HttpResponse, AppError> {
    let body = body.open()?;
    let ChangePassword {
        current_password,
        new_password,
    } = body;
    let username = caller.username.clone();
    // Wrong current passwords count against the same limit as failed logins.
    let client = super::client_address::client_address(&req, &state.trusted_proxies);
    let attempt = state
        .login_limiter
        .admit(&client, &username)
        .await
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    let acting = caller.acting();
    let checking = acting.clone();
    let current_hash = state
        .db
        .read(move |conn| own_account::password_hash(conn, &checking))
        .await?;
    if !state.hashers.verify(current_password, current_hash).await? {
        attempt.failed();
        return Err(AppError::invalid(
            "current_password",
            "is not your current password",
        ));
    }
    attempt.succeeded();
    check_policy(&username, &new_password).map_err(|_| {
        AppError::invalid(
            "new_password",
            "must be 12 to 256 characters and not the username",
        )
    })?;
    let new_hash = state
        .hashers
        .hash_checked(username.clone(), new_password)
        .await?;
    state
        .db
        .write(move |conn| own_account::change_password(conn, &acting, new_hash))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
