//! The span each request is logged in (tracing-actix-web's root span). The crate's
//! default matches the path against actix's routes again and parses the forwarding
//! headers for every request, whether the span is logged or not; this one takes the
//! route from the route table (found once per request, see `routes::route_of`) and the
//! peer address as it is (`client_address` is where forwarding headers are trusted).

use std::fmt;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{web, Error, HttpMessage};
use tracing::field::Empty;
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

use super::routes::RouteTable;

pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let documented = request
            .app_data::<web::Data<RouteTable>>()
            .and_then(|table| table.route_of(request))
            .map(|route| route.path.clone());
        let request_id = request.extensions().get::<RequestId>().copied();
        // The fields are written only when the span is enabled at INFO.
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %RouteName { documented: documented.as_deref(), request },
            http.target = %request.uri().path_and_query().map_or("", |p| p.as_str()),
            http.client_ip = %PeerIp(request),
            http.status_code = Empty,
            otel.status_code = Empty,
            request_id = %OrEmpty(request_id),
            exception.message = Empty,
            exception.details = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// The documented route, else actix's pattern (the web pages), matched only if written.
struct RouteName<'a> {
    documented: Option<&'a str>,
    request: &'a ServiceRequest,
}

impl fmt::Display for RouteName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.documented {
            Some(route) => f.write_str(route),
            None => f.write_str(self.request.match_pattern().as_deref().unwrap_or("default")),
        }
    }
}

struct PeerIp<'a>(&'a ServiceRequest);

impl fmt::Display for PeerIp<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.peer_addr() {
            Some(address) => write!(f, "{}", address.ip()),
            None => Ok(()),
        }
    }
}

struct OrEmpty<T>(Option<T>);

impl<T: fmt::Display> fmt::Display for OrEmpty<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(value) => value.fmt(f),
            None => Ok(()),
        }
    }
}
