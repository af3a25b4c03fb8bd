//! `/login` and `/logout`: signing in with the API's accounts (the same password check,
//! the same limit on failed attempts, the same session table) and out again.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use maud::{html, Markup};

use super::error_page;
use super::forms::{field, fields, see_other, with_cookies};
use super::layout::Frame;
use super::session::{
    cleared_cookies, csrf_holds, csrf_token, session_cookies, signed_in, CSRF_FIELD, LOGOUT_PATH,
    REFRESH_COOKIE,
};
use crate::api::auth::authenticate;
use crate::api::state::AppState;
use crate::error::AppError;
use crate::registry::sessions::{self, Logout};

pub const LOGIN_PATH: &str = "/login";
pub const DESK_PATH: &str = "/desk";

pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let frame = Frame::of(&req);
    if signed_in(&req, &state).await.is_some() {
        return see_other(&frame, DESK_PATH);
    }
    form_page(&frame, StatusCode::OK, "", None)
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    let frame = Frame::of(&req);
    let fields = fields(&body);
    let username = field(&fields, "username")
        .unwrap_or_default()
        .trim()
        .to_string();
    if !csrf_holds(&req, field(&fields, CSRF_FIELD)) {
        return form_page(
            &frame,
            StatusCode::FORBIDDEN,
            &username,
            Some(frame.t("login.expired")),
        );
    }
    let password = field(&fields, "password").unwrap_or_default().to_string();
    if username.is_empty() || password.is_empty() {
        return form_page(
            &frame,
            StatusCode::BAD_REQUEST,
            &username,
            Some(frame.t("login.missing")),
        );
    }
    match authenticate(&req, &state, username.clone(), password).await {
        Ok(pair) => with_cookies(
            see_other(&frame, DESK_PATH),
            session_cookies(&req, pair.access_token, pair.refresh_token),
        ),
        Err(AppError::Unauthorized(_)) => form_page(
            &frame,
            StatusCode::UNAUTHORIZED,
            &username,
            Some(frame.t("login.failed")),
        ),
        Err(AppError::TooManyRequests { .. }) => form_page(
            &frame,
            StatusCode::TOO_MANY_REQUESTS,
            &username,
            Some(frame.t("login.too_many")),
        ),
        Err(AppError::Validation(_)) => form_page(
            &frame,
            StatusCode::BAD_REQUEST,
            &username,
            Some(frame.t("login.missing")),
        ),
        Err(error) => error_page::respond(&frame, &error),
    }
}

pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    let frame = Frame::of(&req);
    let fields = fields(&body);
    if !csrf_holds(&req, field(&fields, CSRF_FIELD)) {
        return error_page::forbidden(&frame, frame.t("login.expired"));
    }
    if let Some(caller) = signed_in(&req, &state).await {
        let now = Utc::now().naive_utc();
        let logout = Logout {
            token_id: caller.token_id.clone(),
            token_expires_at: DateTime::from_timestamp(caller.token_expires_at, 0)
                .map_or(now, |t| t.naive_utc()),
            refresh_token: req.cookie(REFRESH_COOKIE).map(|c| c.value().to_string()),
            everywhere: false,
        };
        let acting = caller.acting();
        if let Err(error) = state
            .db
            .write(move |conn| sessions::close(conn, &acting, logout, now))
            .await
        {
            return error_page::respond(&frame, &error);
        }
    }
    with_cookies(see_other(&frame, "/"), cleared_cookies(&req))
}

/// The sign-out button: a form, since signing out changes something.
pub fn logout_form(frame: &Frame, csrf: &str) -> Markup {
    html! {
        form.logout method="post" action=(LOGOUT_PATH) {
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            button type="submit" { (frame.t("desk.sign_out")) }
        }
    }
}

fn form_page(
    frame: &Frame,
    status: StatusCode,
    username: &str,
    error: Option<&str>,
) -> HttpResponse {
    let (csrf, new_cookie) = csrf_token(frame.req);
    let title = frame.t("login.title");
    let body = html! {
        h1 { (title) }
        form.login method="post" action=(frame.link(LOGIN_PATH)) {
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            @if let Some(error) = error {
                p.error id="login-error" role="alert" { (error) }
            }
            label {
                (frame.t("login.username"))
                input type="text" name="username" id="username" value=(username)
                    autocomplete="username" required maxlength="64"
                    aria-describedby=[error.map(|_| "login-error")];
            }
            label {
                (frame.t("login.password"))
                input type="password" name="password" id="password"
                    autocomplete="current-password" required maxlength="256";
            }
            button type="submit" { (frame.t("login.submit")) }
        }
    };
    with_cookies(frame.respond(status, title, body), new_cookie)
}
