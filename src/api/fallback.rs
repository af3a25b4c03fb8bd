//! Errors that do not come from a handler (an unknown route, a wrong method, actix's own
//! failures) leave in the same JSON envelope as every other error.

use actix_router::ResourceDef;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpRequest, HttpResponse};
use utoipa::OpenApi;

use super::docs::ApiDoc;
use crate::error::error_body;

/// Every documented path with the methods it answers, for telling 404 from 405.
pub struct KnownRoutes(Vec<(ResourceDef, Vec<String>)>);

impl KnownRoutes {
    pub fn from_openapi() -> Self {
        let doc = ApiDoc::openapi();
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods = Vec::new();
                for (method, operation) in [
                    ("GET", &item.get),
                    ("POST", &item.post),
                    ("PUT", &item.put),
                    ("PATCH", &item.patch),
                    ("DELETE", &item.delete),
                ] {
                    if operation.is_some() {
                        methods.push(method.to_string());
                    }
                }
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        Self(routes)
    }

    fn methods_for(&self, path: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, methods)| methods.as_slice())
    }
}

/// The default service: 405 with `Allow` for a known path, 404 otherwise.
pub async fn not_found_or_wrong_method(
    req: HttpRequest,
    routes: actix_web::web::Data<KnownRoutes>,
) -> HttpResponse {
    match routes.methods_for(req.path()) {
        Some(methods) if req.method() != Method::HEAD => HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, methods.join(", ")))
            .json(error_body(
                "method_not_allowed",
                &format!(
                    "{} is not allowed here; use {}",
                    req.method(),
                    methods.join(", ")
                ),
                serde_json::Value::Null,
            )),
        _ => HttpResponse::NotFound().json(error_body(
            "not_found",
            &format!("no such resource: {}", req.path()),
            serde_json::Value::Null,
        )),
    }
}

/// Rewrites an error response that is not JSON already into the envelope.
pub fn json_envelope<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_paths_list_their_methods() {
        let routes = KnownRoutes::from_openapi();
        let methods = routes.methods_for("/api/v1/users/42").unwrap();
        assert!(methods.contains(&"GET".to_string()));
        assert!(methods.contains(&"PATCH".to_string()));
        assert!(!methods.contains(&"DELETE".to_string()));
        assert!(routes.methods_for("/api/v1/nothing-here").is_none());
    }
}
