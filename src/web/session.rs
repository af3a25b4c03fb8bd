//! Signing in to the web pages: the session is an access token of the API's own (the
//! same accounts, the same revocation, the same permission checks), kept in an HttpOnly,
//! SameSite=Strict cookie that scripts cannot read and other sites cannot send; its
//! refresh token waits in a cookie sent to `/logout` only, so that signing out revokes
//! both. Every form that changes something carries a CSRF token equal to a random
//! cookie of its own (double submit), compared in constant time.

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::HttpRequest;
use rand::RngCore;

use crate::api::caller::{caller_of_token, Caller};
use crate::api::state::AppState;

pub const SESSION_COOKIE: &str = "terroir_session";
pub const REFRESH_COOKIE: &str = "terroir_logout";
pub const CSRF_COOKIE: &str = "terroir_csrf";
/// The name of the forms' hidden field.
pub const CSRF_FIELD: &str = "csrf";
pub const LOGOUT_PATH: &str = "/logout";

/// The signed-in caller, or None when there is no session cookie or its token is no
/// longer valid (expired, revoked, the user deactivated).
pub async fn signed_in(req: &HttpRequest, state: &AppState) -> Option<Caller> {
    let token = req.cookie(SESSION_COOKIE)?;
    caller_of_token(state, token.value()).await.ok()
}

fn cookie(
    req: &HttpRequest,
    name: &'static str,
    value: String,
    path: &'static str,
) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(path)
        .http_only(true)
        .same_site(SameSite::Strict)
        // Secure where the page was served over HTTPS (directly or as a trusted proxy
        // says); on plain HTTP a Secure cookie would never come back.
        .secure(req.connection_info().scheme() == "https")
        .finish()
}

/// The cookies a sign-in sets.
pub fn session_cookies(req: &HttpRequest, access: String, refresh: String) -> [Cookie<'static>; 2] {
    [
        cookie(req, SESSION_COOKIE, access, "/"),
        cookie(req, REFRESH_COOKIE, refresh, LOGOUT_PATH),
    ]
}

/// The cookies a sign-out sets: the same, emptied and expired.
pub fn cleared_cookies(req: &HttpRequest) -> [Cookie<'static>; 2] {
    [(SESSION_COOKIE, "/"), (REFRESH_COOKIE, LOGOUT_PATH)].map(|(name, path)| {
        let mut c = cookie(req, name, String::new(), path);
        c.set_max_age(CookieAge::ZERO);
        c
    })
}

/// The CSRF token for the forms of this page: the browser's, or a new one with the
/// cookie that carries it (to be set on the response).
pub fn csrf_token(req: &HttpRequest) -> (String, Option<Cookie<'static>>) {
    if let Some(existing) = req.cookie(CSRF_COOKIE).filter(|c| is_token(c.value())) {
        return (existing.value().to_string(), None);
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let cookie = cookie(req, CSRF_COOKIE, token.clone(), "/");
    (token, Some(cookie))
}

/// Whether a submitted form's token is the browser's own.
pub fn csrf_holds(req: &HttpRequest, submitted: Option<&str>) -> bool {
    let (Some(cookie), Some(submitted)) = (req.cookie(CSRF_COOKIE), submitted) else {
        return false;
    };
    let expected = cookie.value().as_bytes();
    is_token(cookie.value())
        && expected.len() == submitted.len()
        && expected
            .iter()
            .zip(submitted.as_bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn is_token(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}
