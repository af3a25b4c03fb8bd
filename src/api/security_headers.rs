//! Headers every response carries, whatever produced it: no MIME sniffing, no referrer
//! leaves the service, nothing may frame it; tokens and the caller's own account are
//! never cached; the documentation page and the web pages may load only what the binary
//! serves.

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};

/// Swagger UI loads its scripts, styles and favicons from `/docs/` and fetches the
/// document and "try it out" calls from the same origin. Its stylesheet uses `data:`
/// images and its components set inline styles; it needs no inline script and no eval.
pub const DOCS_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The web pages (`crate::web`): their stylesheet, forms and links stay on this origin;
/// they run no script, inline or not, and draw areas as inline SVG markup.
pub const PAGE_POLICY: &str =
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Everything else is data, never a page: it may load nothing and be framed by no one.
pub const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Adds the headers to a response of the request for `path`.
pub fn add(path: &str, headers: &mut HeaderMap) {
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    let policy = if path.starts_with("/docs") {
        DOCS_POLICY
    } else if crate::web::is_page(path) {
        PAGE_POLICY
    } else {
        API_POLICY
    };
    set(headers, header::CONTENT_SECURITY_POLICY, policy);
    if is_private(path) {
        set(headers, header::CACHE_CONTROL, "no-store");
        set(headers, header::PRAGMA, "no-cache");
    }
}

/// Token and account routes: `/api/v1/auth/*` and `/api/v1/me` (with `/me/…`), and the
/// web pages' sign-in and desk.
fn is_private(path: &str) -> bool {
    crate::web::is_private_page(path)
        || path.starts_with("/api/v1/auth/")
        || path == "/api/v1/auth"
        || path == "/api/v1/me"
        || path.starts_with("/api/v1/me/")
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    headers.insert(name, HeaderValue::from_static(value));
}

/// For `App::wrap_fn`: adds the headers once the inner service answered.
pub async fn apply<B>(
    res: Result<ServiceResponse<B>, actix_web::Error>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let mut res = res?;
    let path = res.request().path().to_string();
    add(&path, res.headers_mut());
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers_for(path: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        add(path, &mut headers);
        headers
    }

    #[test]
    fn every_response_gets_the_basics() {
        for path in ["/api/v1/gis", "/healthz", "/docs/", "/nowhere"] {
            let h = headers_for(path);
            assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
            assert_eq!(h.get(header::REFERRER_POLICY).unwrap(), "no-referrer");
            assert_eq!(h.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
            let csp = h.get(header::CONTENT_SECURITY_POLICY).unwrap();
            assert!(csp.to_str().unwrap().contains("frame-ancestors 'none'"));
        }
    }

    #[test]
    fn only_tokens_and_the_account_are_no_store() {
        for path in [
            "/api/v1/auth/login",
            "/api/v1/me",
            "/api/v1/me/password",
            "/login",
            "/desk",
        ] {
            assert_eq!(
                headers_for(path).get(header::CACHE_CONTROL).unwrap(),
                "no-store",
                "{path}"
            );
        }
        for path in ["/api/v1/gis", "/api/v1/meters", "/docs/"] {
            assert!(
                headers_for(path).get(header::CACHE_CONTROL).is_none(),
                "{path}"
            );
        }
    }

    #[test]
    fn pages_may_load_only_from_their_origin() {
        for path in ["/", "/gis/1", "/programmes/CN-TH", "/static/terroir.css"] {
            assert_eq!(
                headers_for(path)
                    .get(header::CONTENT_SECURITY_POLICY)
                    .unwrap(),
                PAGE_POLICY,
                "{path}"
            );
        }
        assert!(PAGE_POLICY.starts_with("default-src 'self';"));
        assert!(!PAGE_POLICY.contains("unsafe"));
        assert_eq!(
            headers_for("/api/v1/gis/1")
                .get(header::CONTENT_SECURITY_POLICY)
                .unwrap(),
            API_POLICY
        );
    }

    #[test]
    fn the_docs_may_load_their_own_scripts() {
        let h = headers_for("/docs/index.html");
        let csp = h
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(csp.contains("script-src 'self'"));
        assert!(!csp.contains("unsafe-eval"));
        assert_eq!(
            headers_for("/api/v1/gis")
                .get(header::CONTENT_SECURITY_POLICY)
                .unwrap(),
            API_POLICY
        );
    }
}
