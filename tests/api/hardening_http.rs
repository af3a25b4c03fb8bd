//! HTTP hardening (issue 8): control characters, unknown and malformed query parameters,
//! one paging vocabulary, HEAD and OPTIONS, 405 with `Allow`, security headers. The
//! routes are walked from the OpenAPI document, so a new route is covered the day it is
//! added.

use reqwest::header::{
    ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use reqwest::{Method, Response};
use serde_json::{json, Value};
use terroir::api::docs::ApiDoc;
use utoipa::openapi::path::ParameterIn;
use utoipa::OpenApi;

use crate::both_backends;
use crate::helpers::{TestApp, ADMIN_PASSWORD};

both_backends!(
    control_characters_in_any_path_parameter_are_404,
    control_characters_in_any_query_parameter_are_422,
    undeclared_query_parameters_are_422_on_every_operation,
    declared_query_parameters_are_never_called_unknown,
    every_list_pages_with_cursor,
    malformed_query_values_are_422_naming_the_parameter,
    future_dates_are_refused_alike,
    bom_false_suits_every_format,
    head_answers_like_get_on_every_get_route,
    options_answers_alike_everywhere,
    wrong_methods_on_known_paths_are_405_with_allow,
    security_headers_on_every_response,
    the_docs_page_loads_only_what_its_policy_allows,
);

/// One operation of the OpenAPI document.
#[derive(Clone, Debug)]
struct Operation {
    method: Method,
    path: String,
    path_params: Vec<String>,
    query_params: Vec<String>,
}

/// Every operation the service documents.
fn operations() -> Vec<Operation> {
    let doc = ApiDoc::openapi();
    let mut all = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [
            (Method::GET, &item.get),
            (Method::POST, &item.post),
            (Method::PUT, &item.put),
            (Method::PATCH, &item.patch),
            (Method::DELETE, &item.delete),
        ] {
            let Some(op) = op else { continue };
            let params = op.parameters.iter().flatten();
            let names = |wanted: fn(&ParameterIn) -> bool| {
                params
                    .clone()
                    .filter(|p| wanted(&p.parameter_in))
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>()
            };
            all.push(Operation {
                method,
                path: path.clone(),
                path_params: names(|p| matches!(p, ParameterIn::Path)),
                query_params: names(|p| matches!(p, ParameterIn::Query)),
            });
        }
    }
    assert!(all.len() > 40, "the document lists every operation");
    all
}

/// Every documented path with the methods it has.
fn paths() -> Vec<(String, Vec<Method>)> {
    let mut paths: Vec<(String, Vec<Method>)> = Vec::new();
    for op in operations() {
        match paths.iter_mut().find(|(p, _)| *p == op.path) {
            Some((_, methods)) => methods.push(op.method),
            None => paths.push((op.path, vec![op.method])),
        }
    }
    paths
}

/// `template` with each `{param}` replaced by `value(param)`.
fn fill(template: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').unwrap() + open;
        out.push_str(&rest[..open]);
        out.push_str(&value(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A plausible value for a path parameter of the fixture.
fn plausible(param: &str) -> String {
    match param {
        "code" => "DIP".into(),
        _ => "1".into(),
    }
}

async fn send(app: &TestApp, method: Method, path: &str, token: Option<&str>) -> Response {
    let mut request = app.request(method.clone(), path, token);
    if matches!(method, Method::POST | Method::PATCH | Method::PUT) {
        request = request.json(&json!({}));
    }
    request.send().await.unwrap()
}

/// Asserts a JSON error with this status and code; returns the body.
async fn error(response: Response, status: u16, code: &str, what: &str) -> Value {
    let actual = response.status().as_u16();
    let content_type = header(&response, CONTENT_TYPE);
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "{what}: {text}");
    assert!(
        content_type.starts_with("application/json"),
        "{what}: {content_type}"
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["error"]["code"], code, "{what}: {body}");
    body
}

/// Asserts a 422 whose details name `field`; returns the message given for it.
async fn invalid(response: Response, field: &str, what: &str) -> String {
    let body = error(response, 422, "validation_failed", what).await;
    let details = body["error"]["details"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let named = details.iter().find(|d| d["field"] == field);
    assert!(named.is_some(), "{what}: should name {field:?}: {body}");
    named.unwrap()["message"].as_str().unwrap().to_string()
}

fn header(response: &Response, name: reqwest::header::HeaderName) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The sorted methods of an `Allow` header.
fn allowed(response: &Response) -> Vec<String> {
    let mut methods: Vec<String> = header(response, ALLOW)
        .split(',')
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    methods.sort();
    methods
}

/// What a path should allow: its operations, HEAD with GET, and OPTIONS.
fn expected_allow(methods: &[Method]) -> Vec<String> {
    let mut names: Vec<String> = methods.iter().map(|m| m.to_string()).collect();
    if methods.contains(&Method::GET) {
        names.push("HEAD".into());
    }
    names.push("OPTIONS".into());
    names.sort();
    names
}

/// An admin token, two offices and an association.
async fn setup(app: &TestApp) -> String {
    let admin = app.admin_token().await;
    app.create_office(&admin, "DIP", "TH", 90).await;
    app.create_office(&admin, "CNIPA", "CN", 60).await;
    app.create_association(&admin, "Longjing Tea Association", "CNIPA")
        .await;
    admin
}

/// Control characters a client might send, percent-encoded: C0, DEL and C1.
const CONTROLS: [&str; 6] = ["%00", "%01", "%0A", "%1F", "%7F", "%C2%85"];

async fn control_characters_in_any_path_parameter_are_404(app: TestApp) {
    let admin = setup(&app).await;
    let audit = app.audit_count().await;
    let mut covered = Vec::new();
    for (n, op) in operations().into_iter().enumerate() {
        for param in &op.path_params {
            let control = CONTROLS[n % CONTROLS.len()];
            for value in [control.to_string(), format!("D{control}IP")] {
                let path = fill(&op.path, |p| {
                    if p == param {
                        value.clone()
                    } else {
                        plausible(p)
                    }
                });
                let what = format!("{} {path}", op.method);
                error(
                    send(&app, op.method.clone(), &path, Some(&admin)).await,
                    404,
                    "not_found",
                    &what,
                )
                .await;
            }
            covered.push(format!("{} {}", op.path, param));
        }
    }
    for must in [
        "/api/v1/offices/{code} code",
        "/api/v1/programmes/{code} code",
        "/api/v1/gis/{id} id",
        "/api/v1/users/{id} id",
    ] {
        assert!(covered.iter().any(|c| c == must), "{must} is covered");
    }
    assert!(covered.len() > 25, "{covered:?}");
    assert_eq!(app.audit_count().await, audit, "nothing was written");
}

async fn control_characters_in_any_query_parameter_are_422(app: TestApp) {
    let admin = setup(&app).await;
    let audit = app.audit_count().await;
    let mut covered = Vec::new();
    let mut n = 0;
    for op in operations() {
        let path = fill(&op.path, plausible);
        for param in &op.query_params {
            for value in [CONTROLS[n % CONTROLS.len()].to_string(), "DIP%00".into()] {
                n += 1;
                let url = format!("{path}?{param}={value}");
                let what = format!("{} {url}", op.method);
                let message = invalid(
                    send(&app, op.method.clone(), &url, Some(&admin)).await,
                    param,
                    &what,
                )
                .await;
                assert!(message.contains("control characters"), "{what}: {message}");
            }
            covered.push(format!("{} {}", op.path, param));
        }
    }
    // The ones PostgreSQL answered with a 500, among all the others.
    for must in [
        "/api/v1/recognitions partner",
        "/api/v1/recognitions programme",
        "/api/v1/recognitions origin",
        "/api/v1/gis origin",
        "/api/v1/gis product_class",
        "/api/v1/associations office",
        "/api/v1/exports/recognitions programme",
        "/api/v1/users office",
    ] {
        assert!(covered.iter().any(|c| c == must), "{must} is covered");
    }
    assert!(covered.len() > 30, "{covered:?}");
    // Anonymous callers meet the same answer (no 401 first, no database question).
    invalid(
        app.get("/api/v1/recognitions?partner=%00", None).await,
        "partner",
        "anonymous",
    )
    .await;
    assert_eq!(app.audit_count().await, audit, "nothing was written");
}

async fn undeclared_query_parameters_are_422_on_every_operation(app: TestApp) {
    let admin = setup(&app).await;
    let audit = app.audit_count().await;
    for op in operations() {
        let url = format!("{}?no_such_parameter=1", fill(&op.path, plausible));
        let what = format!("{} {url}", op.method);
        let message = invalid(
            send(&app, op.method.clone(), &url, Some(&admin)).await,
            "no_such_parameter",
            &what,
        )
        .await;
        for declared in &op.query_params {
            assert!(message.contains(declared.as_str()), "{what}: {message}");
        }
    }
    // The filters users tried, which used to be ignored (read as "no match").
    for (url, field) in [
        ("/api/v1/users?association_id=1", "association_id"),
        ("/api/v1/gis?nation=TH", "nation"),
        ("/api/v1/recognitions?list_label=batch%201", "list_label"),
        ("/api/v1/offices?limit=1&sort=code", "sort"),
    ] {
        invalid(app.get(url, Some(&admin)).await, field, url).await;
    }
    assert_eq!(app.audit_count().await, audit, "nothing was written");
}

async fn declared_query_parameters_are_never_called_unknown(app: TestApp) {
    let admin = setup(&app).await;
    for op in operations() {
        if op.method != Method::GET {
            continue;
        }
        let path = fill(&op.path, plausible);
        for param in &op.query_params {
            let url = format!("{path}?{param}=x");
            let response = app.get(&url, Some(&admin)).await;
            if response.status() == 422 {
                let body: Value = response.json().await.unwrap();
                assert!(
                    !body.to_string().contains("is not a parameter"),
                    "{url}: {body}"
                );
            }
        }
    }
}

async fn every_list_pages_with_cursor(app: TestApp) {
    let admin = setup(&app).await;
    // Programme changes are in the public feed.
    for code in ["P-1", "P-2", "P-3", "P-4", "P-5"] {
        let response = app
            .post(
                "/api/v1/programmes",
                Some(&admin),
                json!({"code": code, "title": code, "parties": ["CNIPA", "DIP"],
                       "signed_on": "2021-03-01", "in_force_on": "2021-03-01",
                       "decision_period_days": 365, "tacit_protection": false}),
            )
            .await;
        assert_eq!(response.status(), 201, "programme {code}");
    }
    // Every list with a next_cursor takes it back as `cursor`.
    for op in operations() {
        if op.method == Method::GET && op.path_params.is_empty() {
            let takes_limit = op.query_params.iter().any(|p| p == "limit");
            let takes_cursor = op.query_params.iter().any(|p| p == "cursor");
            assert_eq!(takes_limit, takes_cursor, "{}: limit and cursor", op.path);
        }
    }
    for path in ["/api/v1/audit", "/api/v1/feed"] {
        let first: Value = app
            .get(&format!("{path}?limit=2"), Some(&admin))
            .await
            .json()
            .await
            .unwrap();
        let cursor = first["next_cursor"].as_str().unwrap().to_string();
        let second: Value = app
            .get(&format!("{path}?limit=2&cursor={cursor}"), Some(&admin))
            .await
            .json()
            .await
            .unwrap();
        let seq = |page: &Value, i: usize| page["items"][i]["seq"].as_i64().unwrap();
        assert_eq!(
            seq(&second, 0),
            seq(&first, 1) + 1,
            "{path}: page 2 follows page 1"
        );
    }
    // The audit log never took `after`: it says so instead of serving page 1 again.
    let first: Value = app
        .get("/api/v1/audit?limit=2", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let cursor = first["next_cursor"].as_str().unwrap();
    invalid(
        app.get(
            &format!("/api/v1/audit?limit=2&after={cursor}"),
            Some(&admin),
        )
        .await,
        "after",
        "audit?after",
    )
    .await;
    // The feed's former name still works, gives the same page, and not with the new one.
    let feed = |query: String| {
        let app = &app;
        async move {
            let response = app.get(&format!("/api/v1/feed?{query}"), None).await;
            assert_eq!(response.status(), 200, "{query}");
            response.json::<Value>().await.unwrap()
        }
    };
    let start = feed("limit=1".into()).await;
    let cursor = start["next_cursor"].as_str().unwrap().to_string();
    let by_cursor = feed(format!("limit=3&cursor={cursor}")).await;
    let by_after = feed(format!("limit=3&after={cursor}")).await;
    assert_eq!(by_cursor, by_after);
    assert_eq!(by_cursor["items"].as_array().unwrap().len(), 3);
    invalid(
        app.get(
            &format!("/api/v1/feed?cursor={cursor}&after={cursor}"),
            None,
        )
        .await,
        "after",
        "both names",
    )
    .await;
    invalid(
        app.get("/api/v1/feed?cursor=garbage!!", None).await,
        "cursor",
        "garbage cursor",
    )
    .await;
}

async fn malformed_query_values_are_422_naming_the_parameter(app: TestApp) {
    let admin = setup(&app).await;
    let audit = app.audit_count().await;
    for (url, field) in [
        ("/api/v1/recognitions?status=bogus", "status"),
        ("/api/v1/recognitions?as_of=2026-02-30", "as_of"),
        ("/api/v1/recognitions?limit=abc", "limit"),
        ("/api/v1/gis?status=bogus", "status"),
        ("/api/v1/gis?gi_type=brand", "gi_type"),
        ("/api/v1/gis?limit=1.5", "limit"),
        ("/api/v1/gis/1/protection?as_of=2026-02-30", "as_of"),
        ("/api/v1/audit?limit=abc", "limit"),
        ("/api/v1/feed?limit=abc", "limit"),
        ("/api/v1/offices?limit=1&limit=2", "limit"),
        (
            "/api/v1/exports/recognitions?format=csv&as_of=2026-02-30",
            "as_of",
        ),
        (
            "/api/v1/exports/recognitions?format=csv&status=bogus",
            "status",
        ),
        ("/api/v1/exports/recognitions?format=pdf", "format"),
        ("/api/v1/exports/recognitions", "format"),
        ("/api/v1/exports/recognitions?format=csv&bom=maybe", "bom"),
    ] {
        invalid(app.get(url, Some(&admin)).await, field, url).await;
    }
    assert_eq!(app.audit_count().await, audit, "nothing was written");
}

async fn future_dates_are_refused_alike(app: TestApp) {
    let admin = setup(&app).await;
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let today = chrono::Utc::now().date_naive().to_string();
    for path in [
        "/api/v1/gis/1/protection?",
        "/api/v1/recognitions?",
        "/api/v1/exports/recognitions?format=json&",
    ] {
        let url = format!("{path}as_of={tomorrow}");
        let message = invalid(app.get(&url, Some(&admin)).await, "as_of", &url).await;
        assert!(message.contains("future"), "{url}: {message}");
        // Today is fine (the protection of GI 1 is a 404: there is no GI 1).
        let url = format!("{path}as_of={today}");
        let status = app.get(&url, Some(&admin)).await.status().as_u16();
        assert!(status == 200 || status == 404, "{url}: {status}");
    }
}

async fn bom_false_suits_every_format(app: TestApp) {
    let admin = setup(&app).await;
    for format in ["csv", "json", "xlsx"] {
        let url = format!("/api/v1/exports/recognitions?format={format}&bom=false");
        let response = app.get(&url, Some(&admin)).await;
        assert_eq!(response.status(), 200, "{url}");
        let body = response.bytes().await.unwrap();
        assert!(!body.starts_with("\u{feff}".as_bytes()), "{url}: no BOM");
    }
    for format in ["json", "xlsx"] {
        let url = format!("/api/v1/exports/recognitions?format={format}&bom=true");
        invalid(app.get(&url, Some(&admin)).await, "bom", &url).await;
    }
}

async fn head_answers_like_get_on_every_get_route(app: TestApp) {
    let admin = setup(&app).await;
    let mut targets: Vec<String> = operations()
        .into_iter()
        .filter(|op| op.method == Method::GET)
        .map(|op| fill(&op.path, plausible))
        .collect();
    targets.extend([
        "/api/v1/openapi.json".to_string(),
        "/docs/".into(),
        "/docs/swagger-ui.css".into(),
        "/api/v1/gis/999".into(),
    ]);
    let mut ok = 0;
    for path in &targets {
        let get = app.get(path, Some(&admin)).await;
        let head = app
            .request(Method::HEAD, path, Some(&admin))
            .send()
            .await
            .unwrap();
        assert_eq!(head.status(), get.status(), "HEAD {path}");
        assert_eq!(
            header(&head, CONTENT_TYPE),
            header(&get, CONTENT_TYPE),
            "HEAD {path}"
        );
        // The length GET's body would have (an error's message differs from route to
        // route, so a HEAD answered by anything but the GET handler shows here). The
        // metrics count the GET itself, so their length moves.
        assert!(
            path == "/metrics" || header(&head, CONTENT_LENGTH) == header(&get, CONTENT_LENGTH),
            "HEAD {path}: {} against {}",
            header(&head, CONTENT_LENGTH),
            header(&get, CONTENT_LENGTH)
        );
        if get.status() == 200 {
            ok += 1;
        }
        assert!(
            head.bytes().await.unwrap().is_empty(),
            "HEAD {path}: no body"
        );
    }
    assert!(ok >= 15, "most GET routes answered 200 ({ok})");
}

async fn options_answers_alike_everywhere(app: TestApp) {
    let admin = setup(&app).await;
    let mut targets: Vec<(String, Vec<Method>)> = paths()
        .into_iter()
        .map(|(path, methods)| (fill(&path, plausible), methods))
        .collect();
    for path in ["/api/v1/openapi.json", "/docs/", "/docs/index.css"] {
        targets.push((path.to_string(), vec![Method::GET]));
    }
    for (path, methods) in targets {
        for token in [None, Some(admin.as_str())] {
            let response = app
                .request(Method::OPTIONS, &path, token)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 204, "OPTIONS {path}");
            assert_eq!(
                allowed(&response),
                expected_allow(&methods),
                "OPTIONS {path}"
            );
            assert!(response.bytes().await.unwrap().is_empty(), "OPTIONS {path}");
        }
    }
    error(
        app.request(Method::OPTIONS, "/api/v1/nothing-here", None)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
        "OPTIONS on an unknown path",
    )
    .await;
}

async fn wrong_methods_on_known_paths_are_405_with_allow(app: TestApp) {
    let admin = setup(&app).await;
    let audit = app.audit_count().await;
    // The one that was a 404: a literal segment beside a `{id}`.
    let response = app.get("/api/v1/recognitions/lists", Some(&admin)).await;
    assert_eq!(allowed(&response), ["OPTIONS", "POST"]);
    error(response, 405, "method_not_allowed", "GET lists").await;
    let mut targets = paths();
    targets.push(("/api/v1/openapi.json".into(), vec![Method::GET]));
    targets.push(("/docs/".into(), vec![Method::GET]));
    for (template, methods) in targets {
        let path = fill(&template, plausible);
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            if methods.contains(&method) {
                continue;
            }
            let what = format!("{method} {path}");
            let response = send(&app, method.clone(), &path, Some(&admin)).await;
            assert_eq!(allowed(&response), expected_allow(&methods), "{what}");
            error(response, 405, "method_not_allowed", &what).await;
        }
    }
    assert_eq!(app.audit_count().await, audit, "nothing was written");
}

async fn security_headers_on_every_response(app: TestApp) {
    let admin = setup(&app).await;
    let refresh = app.tokens("admin", ADMIN_PASSWORD).await["refresh_token"].clone();
    let login = json!({"username": "admin", "password": ADMIN_PASSWORD});
    let wrong = json!({"username": "admin", "password": "not-the-password!"});
    let requests = vec![
        (Method::GET, "/api/v1/offices", None, None, false),
        (Method::GET, "/api/v1/gis/999", None, None, false),
        (Method::DELETE, "/api/v1/offices", None, None, false),
        (Method::GET, "/api/v1/offices?bogus=1", None, None, false),
        (Method::GET, "/api/v1/users", None, None, false),
        (Method::GET, "/api/v1/nothing-here", None, None, false),
        (Method::HEAD, "/api/v1/offices", None, None, false),
        (Method::OPTIONS, "/api/v1/offices", None, None, false),
        (Method::GET, "/healthz", None, None, false),
        (Method::GET, "/metrics", None, None, false),
        (Method::GET, "/api/v1/openapi.json", None, None, false),
        (Method::GET, "/docs/", None, None, false),
        (Method::GET, "/docs/swagger-ui-bundle.js", None, None, false),
        (Method::POST, "/api/v1/auth/login", None, Some(login), true),
        (Method::POST, "/api/v1/auth/login", None, Some(wrong), true),
        (
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(json!({"refresh_token": refresh})),
            true,
        ),
        (Method::GET, "/api/v1/auth/login", None, None, true),
        (Method::GET, "/api/v1/me", Some(admin.clone()), None, true),
        (Method::GET, "/api/v1/me", None, None, true),
        (
            Method::POST,
            "/api/v1/me/password",
            Some(admin.clone()),
            Some(json!({})),
            true,
        ),
        (
            Method::POST,
            "/api/v1/auth/logout",
            Some(admin.clone()),
            Some(json!({})),
            true,
        ),
    ];
    for (method, path, token, body, private) in requests {
        let mut request = app.request(method.clone(), path, token.as_deref());
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let what = format!("{method} {path} ({})", response.status());
        assert_eq!(
            header(&response, X_CONTENT_TYPE_OPTIONS),
            "nosniff",
            "{what}"
        );
        assert_eq!(header(&response, REFERRER_POLICY), "no-referrer", "{what}");
        assert_eq!(header(&response, X_FRAME_OPTIONS), "DENY", "{what}");
        let csp = header(&response, CONTENT_SECURITY_POLICY);
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert!(csp.starts_with("default-src 'none'"), "{what}: {csp}");
        let cache = header(&response, CACHE_CONTROL);
        if private {
            assert_eq!(cache, "no-store", "{what}");
        } else {
            assert!(!cache.contains("no-store"), "{what}: {cache}");
        }
    }
}

async fn the_docs_page_loads_only_what_its_policy_allows(app: TestApp) {
    let response = app.get("/docs/", None).await;
    assert_eq!(response.status(), 200);
    let csp = header(&response, CONTENT_SECURITY_POLICY);
    for directive in [
        "script-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(!script_src.contains("unsafe-inline"), "{csp}");
    let html = response.text().await.unwrap();

    // Every script is an external file of ours (no inline script, which the policy
    // forbids), and every stylesheet and icon is served from /docs/.
    let mut loaded = Vec::new();
    for (tag, attribute) in [("<script", "src=\""), ("<link", "href=\"")] {
        for piece in html.split(tag).skip(1) {
            let element = &piece[..piece.find('>').unwrap()];
            let start = element
                .find(attribute)
                .unwrap_or_else(|| panic!("an inline {tag}: {element}"))
                + attribute.len();
            let target = &element[start..start + element[start..].find('"').unwrap()];
            assert!(
                !target.contains("//") && !target.starts_with("data:"),
                "{target} is not served by us"
            );
            if tag == "<script" {
                let after = &piece[piece.find('>').unwrap() + 1..];
                let inline = &after[..after.find("</script>").unwrap()];
                assert!(inline.trim().is_empty(), "inline script: {inline}");
            }
            loaded.push(target.trim_start_matches("./").to_string());
        }
    }
    assert!(
        loaded.contains(&"swagger-ui-bundle.js".to_string()),
        "{loaded:?}"
    );
    for file in &loaded {
        let response = app.get(&format!("/docs/{file}"), None).await;
        assert_eq!(response.status(), 200, "{file}");
    }
    // The initializer reads the document from this origin and asks no outside
    // validator for a badge (img-src would block it, and the docs work offline).
    let init = app
        .get("/docs/swagger-initializer.js", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("\"/api/v1/openapi.json\""), "{init}");
    assert!(init.contains("\"validatorUrl\": \"none\""), "{init}");
    assert!(
        !init.contains("http://") && !init.contains("https://"),
        "{init}"
    );
    // The bundle needs no eval: its one `new Function` is a guarded fallback.
    let bundle = app
        .get("/docs/swagger-ui-bundle.js", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(!bundle.contains("eval("), "the bundle calls eval");
    assert!(
        bundle.matches("new Function").count() <= 1
            && bundle.contains("try{return this||new Function(\"return this\")()}catch"),
        "the bundle builds functions from strings"
    );
}
