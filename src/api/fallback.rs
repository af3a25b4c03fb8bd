//! Errors that do not come from a handler (an unknown route, a wrong method, actix's own
//! failures) leave in the same JSON envelope as every other error; the web pages' own
//! error pages stay HTML.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpRequest, HttpResponse};

use crate::error::error_body;

/// The default service: no route matched. A known path with the wrong method never gets
/// here: the request guard answers it (405 with `Allow`).
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    HttpResponse::NotFound().json(error_body(
        "not_found",
        &format!("no such resource: {}", req.path()),
        serde_json::Value::Null,
    ))
}

/// Rewrites an error response that is not JSON already into the envelope.
pub fn json_envelope<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let answered = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if answered {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (code, message) = describe(status);
    let (req, response) = res.into_parts();
    let body = error_body(code, message, serde_json::Value::Null).to_string();
    let mut response = response.set_body(BoxBody::new(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let res: ServiceResponse<EitherBody<B, BoxBody>> =
        ServiceResponse::new(req, response).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}

fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("bad_request", "the request is malformed"),
        401 => ("unauthorized", "authentication required"),
        403 => ("forbidden", "not allowed"),
        404 => ("not_found", "no such resource"),
        405 => ("method_not_allowed", "method not allowed"),
        406 => ("not_acceptable", "not acceptable"),
        408 => ("request_timeout", "the request took too long"),
        413 => ("payload_too_large", "the request body is too large"),
        414 => ("uri_too_long", "the URI is too long"),
        415 => ("unsupported_media_type", "unsupported content type"),
        431 => ("headers_too_large", "the request headers are too large"),
        503 => (
            "service_unavailable",
            "the service is unavailable; try again shortly",
        ),
        s if s < 500 => ("bad_request", "the request cannot be served"),
        _ => ("internal_error", "internal server error"),
    }
}
