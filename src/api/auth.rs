//! Login, refresh and logout.

use std::time::Instant;

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::caller::Caller;
use super::json::JsonBody;
use super::state::AppState;
use crate::auth::password::{burn_verification, verify_password};
use crate::auth::session::{self, RefreshOutcome, TokenPair};
use crate::error::AppError;
use crate::registry::sessions::{self as sessions, Logout};
use crate::store::users::User;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(min_length = 1, max_length = 64)]
    #[validate(length(min = 1, max = 64))]
    pub username: String,
    #[schema(min_length = 1, max_length = 256)]
    #[validate(length(min = 1, max = 256))]
    pub password: String,
}

/// Exchange a username and password for a token pair.
#[utoipa::path(tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = TokenPair),
    (status = 401, description = "wrong username or password", body = crate::api::docs::ErrorBody),
    (status = 429, description = "too many failed attempts; see Retry-After", body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.open()?;
    let LoginRequest { username, password } = body;
    let client = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let attempt_at = Instant::now();
    state
        .login_limiter
        .reserve(&client, &username, attempt_at)
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;

    let db = state.db.clone();
    let name = username.clone();
    // The lookup and the hash run together on the blocking pool; an unknown or
    // deactivated user costs one verification too.
    let user = web::block(move || -> Result<Option<User>, AppError> {
        let found = db.read_blocking(|conn| sessions::login_candidate(conn, &name))?;
        match found {
            Some(user) if user.active && verify_password(&password, &user.password_hash) => {
                Ok(Some(user))
            }
            Some(_) => Ok(None),
            None => {
                burn_verification(&password);
                Ok(None)
            }
        }
    })
    .await??;

    let Some(user) = user else {
        state
            .db
            .write(move |conn| sessions::record_failed_login(conn, &username, &client))
            .await?;
        return Err(AppError::Unauthorized(
            "invalid username or password".into(),
        ));
    };

    state.login_limiter.release(&client, &username, attempt_at);
    let keys = state.tokens.clone();
    let ttl = state.refresh_ttl;
    let pair = state
        .db
        .write(move |conn| sessions::open(conn, &keys, &user, &client, ttl, Utc::now().naive_utc()))
        .await?;
    Ok(HttpResponse::Ok().json(pair))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[schema(min_length = 1, max_length = 512)]
    #[validate(length(min = 1, max = 512))]
    pub refresh_token: String,
}

/// Rotate a refresh token: the old one is spent, a new pair is returned. Presenting a
/// spent token again revokes every token of its family.
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses(
    (status = 200, body = TokenPair),
    (status = 401, description = "unknown, spent, revoked or expired refresh token", body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: JsonBody<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.open()?;
    let keys = state.tokens.clone();
    let ttl = state.refresh_ttl;
    let presented = body.refresh_token;
    let outcome = state
        .db
        .write(move |conn| session::refresh(conn, &keys, &presented, ttl, Utc::now().naive_utc()))
        .await?;
    match outcome {
        RefreshOutcome::Rotated(pair) => Ok(HttpResponse::Ok().json(pair)),
        RefreshOutcome::Refused(why) => Err(AppError::Unauthorized(why.into())),
    }
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    /// The refresh token of this session, to revoke its family too.
    #[schema(min_length = 1, max_length = 512)]
    #[validate(length(min = 1, max = 512))]
    pub refresh_token: Option<String>,
    /// End every session of this user, on every device.
    #[serde(default)]
    pub everywhere: bool,
}

/// End this session (the access token and, if given, its refresh token family), or with
/// `everywhere` every session of the user.
#[utoipa::path(tag = "auth", request_body = LogoutRequest, security(("bearer" = [])), responses(
    (status = 204, description = "logged out"),
    (status = 401, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/auth/logout")]
pub async fn logout(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<LogoutRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.open()?;
    let now = Utc::now().naive_utc();
    let logout = Logout {
        token_id: caller.token_id.clone(),
        token_expires_at: DateTime::from_timestamp(caller.token_expires_at, 0)
            .map_or(now, |t| t.naive_utc()),
        refresh_token: body.refresh_token,
        everywhere: body.everywhere,
    };
    let acting = caller.acting();
    state
        .db
        .write(move |conn| sessions::close(conn, &acting, logout, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
