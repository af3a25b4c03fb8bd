//! The route table, read from the OpenAPI document: every path with the methods it
//! answers and the query parameters each method takes. One source for telling 404 from
//! 405, answering OPTIONS and HEAD, and refusing parameters a route does not know.

use std::sync::Arc;

use actix_web::dev::ServiceRequest;
use actix_web::http::Method;
use actix_web::{web, HttpMessage, HttpRequest};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::OpenApi;

use super::docs::ApiDoc;
use super::route_pattern::PathPattern;

/// Where the OpenAPI document and the interactive documentation are served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";
pub const DOCS_PATH: &str = "/docs/{_:.*}";

/// One path and what it answers.
pub struct Route {
    /// The template (`/api/v1/gis/{id}`), shared with the requests it matches.
    pub path: Arc<str>,
    pattern: PathPattern,
    /// How many `{…}` segments the path has: the fewer, the more specific.
    dynamic_segments: usize,
    /// The methods with an operation, each with its query parameters, in document order.
    operations: Vec<(Method, Vec<String>)>,
}

impl Route {
    fn new(path: &str, operations: Vec<(Method, Vec<String>)>) -> Self {
        Self {
            path: Arc::from(path),
            pattern: PathPattern::new(path),
            dynamic_segments: path.matches('{').count(),
            operations,
        }
    }

    /// The methods this path answers: its operations, HEAD wherever GET is, and OPTIONS.
    pub fn allowed(&self) -> Vec<Method> {
        let mut methods: Vec<Method> = self.operations.iter().map(|(m, _)| m.clone()).collect();
        if methods.contains(&Method::GET) {
            methods.push(Method::HEAD);
        }
        methods.push(Method::OPTIONS);
        methods
    }

    /// The `Allow` header's value.
    pub fn allow_header(&self) -> String {
        self.allowed()
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The query parameters `method` takes (HEAD takes GET's), or None when the path
    /// has no such operation.
    pub fn query_parameters(&self, method: &Method) -> Option<&[String]> {
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        self.operations
            .iter()
            .find(|(m, _)| m == method)
            .map(|(_, params)| params.as_slice())
    }
}

/// Every documented path, plus the documentation's own.
pub struct RouteTable(Vec<Route>);

impl RouteTable {
    pub fn from_openapi() -> Self {
        let doc = ApiDoc::openapi();
        let mut routes: Vec<Route> = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let operations = [
                    (Method::GET, &item.get),
                    (Method::POST, &item.post),
                    (Method::PUT, &item.put),
                    (Method::PATCH, &item.patch),
                    (Method::DELETE, &item.delete),
                ]
                .into_iter()
                .filter_map(|(method, op)| op.as_ref().map(|op| (method, query_names(op))))
                .collect();
                Route::new(path, operations)
            })
            .collect();
        for path in [OPENAPI_PATH, DOCS_PATH] {
            routes.push(Route::new(path, vec![(Method::GET, Vec::new())]));
        }
        Self(routes)
    }

    /// The most specific route matching `path` (a literal segment beats a parameter, so
    /// `/recognitions/lists` is not read as the recognition numbered "lists").
    pub fn lookup(&self, path: &str) -> Option<&Route> {
        self.lookup_index(path).map(|index| &self.0[index])
    }

    fn lookup_index(&self, path: &str) -> Option<usize> {
        let segments: Vec<&str> = path.split('/').collect();
        self.0
            .iter()
            .enumerate()
            .filter(|(_, route)| route.pattern.matches_segments(&segments))
            .min_by_key(|(_, route)| route.dynamic_segments)
            .map(|(index, _)| index)
    }

    /// [`lookup`](Self::lookup) of a request's path, once per request: the answer is kept
    /// with the request for the middlewares after the first (span, guard, metrics).
    pub fn route_of(&self, req: &impl RoutedRequest) -> Option<&Route> {
        let known = req.extensions().get::<Matched>().copied();
        let Matched(index) = known.unwrap_or_else(|| {
            let found = Matched(self.lookup_index(req.request_path()));
            req.extensions_mut().insert(found);
            found
        });
        index.map(|index| &self.0[index])
    }

    pub fn routes(&self) -> &[Route] {
        &self.0
    }
}

/// The documented route a request matched (its index in the table), or none.
#[derive(Clone, Copy, Debug)]
struct Matched(Option<usize>);

/// A request as the middlewares hold it (before routing or after): its path and its
/// extensions.
pub trait RoutedRequest: HttpMessage {
    fn request_path(&self) -> &str;
}

impl RoutedRequest for ServiceRequest {
    fn request_path(&self) -> &str {
        self.path()
    }
}

impl RoutedRequest for HttpRequest {
    fn request_path(&self) -> &str {
        self.path()
    }
}

/// The route a request is counted and logged under: its documented route, else the
/// pattern actix routed it by (the web pages), else "unmatched". Never the raw path, so
/// the number of series stays bounded.
pub fn route_label(req: &HttpRequest) -> Arc<str> {
    if let Some(table) = req.app_data::<web::Data<RouteTable>>() {
        if let Some(route) = table.route_of(req) {
            return route.path.clone();
        }
    }
    Arc::from(req.match_pattern().as_deref().unwrap_or("unmatched"))
}

fn query_names(operation: &Operation) -> Vec<String> {
    operation
        .parameters
        .iter()
        .flatten()
        .filter(|p| matches!(p.parameter_in, ParameterIn::Query))
        .map(|p| p.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_paths_list_their_methods() {
        let routes = RouteTable::from_openapi();
        let users = routes.lookup("/api/v1/users/42").unwrap();
        assert_eq!(users.allow_header(), "GET, PATCH, HEAD, OPTIONS");
        assert!(routes.lookup("/api/v1/nothing-here").is_none());
    }

    #[test]
    fn a_literal_segment_beats_a_parameter() {
        let routes = RouteTable::from_openapi();
        let lists = routes.lookup("/api/v1/recognitions/lists").unwrap();
        assert_eq!(&*lists.path, "/api/v1/recognitions/lists");
        assert_eq!(lists.allow_header(), "POST, OPTIONS");
        let one = routes.lookup("/api/v1/recognitions/7").unwrap();
        assert_eq!(&*one.path, "/api/v1/recognitions/{id}");
    }

    #[test]
    fn query_parameters_come_from_the_document() {
        let routes = RouteTable::from_openapi();
        let audit = routes.lookup("/api/v1/audit").unwrap();
        let mut params = audit.query_parameters(&Method::GET).unwrap().to_vec();
        params.sort();
        assert_eq!(params, ["cursor", "limit"]);
        assert_eq!(audit.query_parameters(&Method::HEAD).unwrap().len(), 2);
        assert!(audit.query_parameters(&Method::POST).is_none());
        let docs = routes.lookup("/docs/index.css").unwrap();
        assert_eq!(docs.allow_header(), "GET, HEAD, OPTIONS");
    }
}
