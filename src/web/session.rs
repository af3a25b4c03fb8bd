//! Signing in to the web pages: the session is an access token of the API's own (the
//! same accounts, the same revocation, the same permission checks), kept in an HttpOnly,
//! SameSite=Strict cookie that scripts cannot read and other sites cannot send, beside
//! its refresh token in a cookie of the same kind. When the access token has run out (15
//! minutes), the next desk page renews the pair with the API's refresh rotation
//! (`auth::session::refresh`: the old refresh token is spent, a reused one revokes the
//! family), so a desk user stays signed in for the working session — until the refresh
//! token's own lifetime, the browser's closing, or sign-out, which revokes both. Every
//! form that changes something carries a CSRF token equal to a random cookie of its own
//! (double submit), compared in constant time.

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::dev::ServiceResponse;
use actix_web::{HttpMessage, HttpRequest};
use chrono::Utc;
use rand::RngCore;

use crate::api::caller::{caller_of_token, Caller};
use crate::api::state::AppState;
use crate::auth::session::{refresh, RefreshOutcome};

pub const SESSION_COOKIE: &str = "terroir_session";
pub const REFRESH_COOKIE: &str = "terroir_refresh";
pub const CSRF_COOKIE: &str = "terroir_csrf";
/// The name of the forms' hidden field.
pub const CSRF_FIELD: &str = "csrf";
pub const LOGOUT_PATH: &str = "/logout";

/// Who this request is from, once asked (a page may ask more than once).
#[derive(Clone)]
struct SignedIn(Option<Caller>);

/// The cookies a renewal (or a refused one) sets on the response.
struct Renewed(Vec<Cookie<'static>>);

/// The signed-in caller: the session cookie's, or when its access token is no longer
/// valid, the refresh cookie's renewed pair (set on the response by
/// `set_renewed_cookies`). None without a session, or when both are spent, revoked,
/// expired or the user is deactivated.
pub async fn signed_in(req: &HttpRequest, state: &AppState) -> Option<Caller> {
    if let Some(known) = req.extensions().get::<SignedIn>() {
        return known.0.clone();
    }
    let current = match req.cookie(SESSION_COOKIE) {
        Some(token) => caller_of_token(state, token.value()).await.ok(),
        None => None,
    };
    let caller = match current {
        Some(caller) => Some(caller),
        None => renewed(req, state).await,
    };
    req.extensions_mut().insert(SignedIn(caller.clone()));
    caller
}

/// The caller of a pair renewed with the refresh cookie's token.
async fn renewed(req: &HttpRequest, state: &AppState) -> Option<Caller> {
    let presented = req.cookie(REFRESH_COOKIE)?.value().to_string();
    let keys = state.tokens.clone();
    let ttl = state.refresh_ttl;
    let outcome = state
        .db
        .write(move |conn| refresh(conn, &keys, &presented, ttl, Utc::now().naive_utc()))
        .await
        .ok()?;
    match outcome {
        RefreshOutcome::Rotated(pair) => {
            let caller = caller_of_token(state, &pair.access_token).await.ok()?;
            let cookies = session_cookies(req, pair.access_token, pair.refresh_token);
            req.extensions_mut().insert(Renewed(cookies.to_vec()));
            Some(caller)
        }
        RefreshOutcome::Refused(_) => {
            // A spent or revoked token: stop sending it.
            let cleared = cleared_cookies(req).to_vec();
            req.extensions_mut().insert(Renewed(cleared));
            None
        }
    }
}

/// For `App::wrap_fn`: sets the cookies of a session renewed while answering, unless the
/// answer set the session's cookies itself (a sign-in, a sign-out).
pub async fn set_renewed_cookies<B>(
    res: Result<ServiceResponse<B>, actix_web::Error>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let mut res = res?;
    let renewed = res
        .request()
        .extensions_mut()
        .remove::<Renewed>()
        .map(|r| r.0);
    let Some(cookies) = renewed else {
        return Ok(res);
    };
    let answered = res
        .response()
        .cookies()
        .any(|c| c.name() == SESSION_COOKIE || c.name() == REFRESH_COOKIE);
    if !answered {
        for cookie in cookies {
            // Only an invalid header value fails, and these are JWTs and hex.
            let _ = res.response_mut().add_cookie(&cookie);
        }
    }
    Ok(res)
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
        cookie(req, REFRESH_COOKIE, refresh, "/"),
    ]
}

/// The cookies a sign-out sets: the same, emptied and expired.
pub fn cleared_cookies(req: &HttpRequest) -> [Cookie<'static>; 2] {
    [(SESSION_COOKIE, "/"), (REFRESH_COOKIE, "/")].map(|(name, path)| {
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
