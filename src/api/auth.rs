//! Login, refresh and logout.

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::caller::Caller;
use super::json::JsonBody;
use super::state::AppState;
use crate::auth::session::{self, RefreshOutcome, TokenPair};
use crate::error::AppError;
use crate::registry::sessions::{self as sessions, Logout};

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
#[utoipa::path(operation_id = "login", tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = TokenPair),
    (status = 401, description = "wrong username or password", body = crate::api::docs::ErrorBody),
    (status = 429, description = "too many failed attempts; see Retry-After", body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    let LoginRequest { username, password } = body.open()?;
    let pair = authenticate(&req, &state, username, password).await?;
    Ok(HttpResponse::Ok().json(pair))
}

/// Checks a username and password (limited per client and username) and opens a
/// session: what `POST /api/v1/auth/login` and the web sign-in both do.
pub async fn authenticate(
    req: &HttpRequest,
    state: &AppState,
    username: String,
    password: String,
) -> Result<TokenPair, AppError> {
    let client = super::client_address::client_address(req, &state.trusted_proxies);
    let attempt = state
        .login_limiter
        .admit(&client, &username)
        .await
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;

    // The lookup on the blocking pool; the hash on the hashing threads. An unknown or
    // deactivated user costs one verification too.
    let name = username.clone();
    let found = state
        .db
        .read(move |conn| sessions::login_candidate(conn, &name))
        .await?;
    let user = match found {
        Some(user) => {
            let matches = state
                .hashers
                .verify(password, user.password_hash.clone())
                .await?;
            (user.active && matches).then_some(user)
        }
        None => {
            state.hashers.burn(password).await?;
            None
        }
    };

    let Some(user) = user else {
        attempt.failed();
        state
            .db
            .write(move |conn| sessions::record_failed_login(conn, &username, &client))
            .await?;
        return Err(AppError::Unauthorized(
            "invalid username or password".into(),
        ));
    };

    attempt.succeeded();
    let keys = state.tokens.clone();
    let ttl = state.refresh_ttl;
    let pair = state
        .db
        .write(move |conn| sessions::open(conn, &keys, &user, &client, ttl, Utc::now().naive_utc()))
        .await?;
    Ok(pair)
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
#[utoipa::path(operation_id = "refresh_tokens", tag = "auth", request_body = RefreshRequest, responses(
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
#[utoipa::path(operation_id = "logout", tag = "auth", request_body = LogoutRequest, security(("bearer" = [])), responses(
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
