//! Checks every request against the route table before it is routed: OPTIONS is
//! answered with `Allow`, a known path with the wrong method is a 405 with `Allow`, HEAD
//! is served by the GET handler (the server sends no body), a control character
//! anywhere in the path is a 404, and a query parameter the operation does not declare,
//! or one holding a control character, is a 422 naming it. Handlers never see such
//! input, so no database is asked about a NUL byte.

use std::collections::BTreeSet;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use futures_util::future::{ready, FutureExt, LocalBoxFuture, TryFutureExt};
use percent_encoding::percent_decode_str;

use super::routes::{Route, RouteTable};
use crate::error::{error_body, AppError, FieldError};

/// What to do with a request.
enum Verdict {
    Pass,
    Answer(HttpResponse),
}

/// Marks a HEAD request routed to its GET handler.
#[derive(Clone, Copy, Debug)]
pub struct WasHead;

/// The middleware, for `App::wrap_fn`.
pub fn check<S, B>(
    mut req: ServiceRequest,
    srv: &S,
) -> LocalBoxFuture<'static, Result<ServiceResponse<EitherBody<B>>, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    let verdict = match req.app_data::<web::Data<RouteTable>>() {
        Some(table) => judge(table, &req),
        None => Verdict::Pass,
    };
    match verdict {
        Verdict::Pass => {
            if req.method() == Method::HEAD {
                // Routed as GET; actix-http still knows the request was HEAD and sends
                // the headers (Content-Length included) without the body. A handler whose
                // GET has effects beyond the answer (an export is recorded) asks `WasHead`.
                req.extensions_mut().insert(WasHead);
                req.head_mut().method = Method::GET;
            }
            srv.call(req)
                .map_ok(ServiceResponse::map_into_left_body)
                .boxed_local()
        }
        Verdict::Answer(response) => {
            ready(Ok(req.into_response(response).map_into_right_body())).boxed_local()
        }
    }
}

fn judge(table: &RouteTable, req: &ServiceRequest) -> Verdict {
    let path = req.path();
    if percent_decode_str(path)
        .decode_utf8_lossy()
        .chars()
        .any(char::is_control)
    {
        return Verdict::Answer(
            AppError::NotFound(format!("no such resource: {path}")).error_response(),
        );
    }
    let Some(route) = table.route_of(req) else {
        return Verdict::Pass;
    };
    let method = req.method();
    if method == Method::OPTIONS {
        return Verdict::Answer(
            HttpResponse::NoContent()
                .insert_header((header::ALLOW, route.allow_header()))
                .finish(),
        );
    }
    let Some(declared) = route.query_parameters(method) else {
        return Verdict::Answer(method_not_allowed(route, method));
    };
    let errors = query_errors(req.query_string(), declared);
    if errors.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Answer(AppError::Validation(errors).error_response())
    }
}

/// 405 with the methods the path does answer.
pub fn method_not_allowed(route: &Route, method: &Method) -> HttpResponse {
    let allow = route.allow_header();
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, allow.clone()))
        .json(error_body(
            "method_not_allowed",
            &format!("{method} is not allowed here; use {allow}"),
            serde_json::Value::Null,
        ))
}

/// One error per offending parameter name: undeclared, or holding a control character.
fn query_errors(query: &str, declared: &[String]) -> Vec<FieldError> {
    let mut seen = BTreeSet::new();
    let mut errors = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if !seen.insert(name.to_string()) {
            continue;
        }
        let message = if !declared.iter().any(|d| *d == name) {
            if declared.is_empty() {
                "is not a parameter of this operation, which takes none".to_string()
            } else {
                format!(
                    "is not a parameter of this operation, which takes: {}",
                    declared.join(", ")
                )
            }
        } else if value.chars().any(char::is_control) {
            "must not contain control characters".to_string()
        } else {
            continue;
        };
        errors.push(FieldError::new(name, message));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared() -> Vec<String> {
        vec!["limit".into(), "cursor".into()]
    }

    #[test]
    fn declared_parameters_with_clean_values_pass() {
        assert!(query_errors("", &declared()).is_empty());
        assert!(query_errors("limit=5&cursor=abc%20d", &declared()).is_empty());
    }

    #[test]
    fn an_undeclared_parameter_is_named_once() {
        let errors = query_errors("after=x&after=y&limit=2", &declared());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "after");
        assert!(errors[0].message.contains("limit, cursor"));
    }

    #[test]
    fn control_characters_are_refused_in_values_and_names() {
        for query in ["cursor=%00", "cursor=a%0Ab", "cursor=%7F", "cursor=%C2%85"] {
            let errors = query_errors(query, &declared());
            assert_eq!(errors.len(), 1, "{query}");
            assert_eq!(errors[0].field, "cursor", "{query}");
        }
        let errors = query_errors("lim%00it=1", &declared());
        assert_eq!(errors[0].field, "lim\0it");
    }
}
