//! What a page answers when it cannot show what was asked: a 404 for an unknown GI or
//! programme, a 400 naming what is wrong with the query (a date that is no date, or in
//! the future), a 503 when the database is away — as pages, in the reader's language.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use maud::html;

use super::layout::Frame;
use crate::error::AppError;

/// The page for a failed request.
pub fn respond(frame: &Frame, error: &AppError) -> HttpResponse {
    match error {
        AppError::NotFound(_) => not_found(frame),
        AppError::Validation(fields) => bad_request(
            frame,
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect(),
        ),
        AppError::BadRequest(message) => bad_request(frame, vec![message.clone()]),
        AppError::Forbidden(message) => forbidden(frame, message),
        AppError::Unavailable(_) => {
            // Logged as the API logs it.
            let _ = actix_web::ResponseError::error_response(error);
            page(
                frame,
                StatusCode::SERVICE_UNAVAILABLE,
                "error.unavailable",
                html! { p { (frame.t("error.unavailable_text")) } },
            )
        }
        other => actix_web::ResponseError::error_response(other),
    }
}

pub fn forbidden(frame: &Frame, message: &str) -> HttpResponse {
    page(
        frame,
        StatusCode::FORBIDDEN,
        "error.forbidden",
        html! { p { (message) } },
    )
}

pub fn not_found(frame: &Frame) -> HttpResponse {
    page(
        frame,
        StatusCode::NOT_FOUND,
        "error.not_found",
        html! { p { (frame.t("error.not_found_text")) } },
    )
}

pub fn bad_request(frame: &Frame, messages: Vec<String>) -> HttpResponse {
    page(
        frame,
        StatusCode::BAD_REQUEST,
        "error.bad_request",
        html! {
            p { (frame.t("error.bad_request_text")) }
            ul { @for message in &messages { li { code { (message) } } } }
        },
    )
}

fn page(frame: &Frame, status: StatusCode, title_key: &str, text: maud::Markup) -> HttpResponse {
    let title = frame.t(title_key);
    frame.respond(
        status,
        title,
        html! {
            div.error role="alert" {
                h1 { (title) }
                (text)
            }
            p { a href=(frame.link("/")) { (frame.t("error.back")) } }
        },
    )
}
