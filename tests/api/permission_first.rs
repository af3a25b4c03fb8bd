//! Permission before validation (issue 8, item 9): a caller who may not write a
//! resource gets 401/403 whatever body it sends, never the 422 that would teach it the
//! body's rules. Walked over every write route of the OpenAPI document and every role
//! that may not write it.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::TestApp;

both_backends!(callers_who_may_not_write_learn_nothing_from_an_invalid_body);

const ADMIN: &str = "admin";
const OFFICE_ADMIN: &str = "office_admin";
const EXAMINER: &str = "examiner";
const ASSOCIATION: &str = "association";
const AUDITOR: &str = "auditor";
const EVERY_ROLE: [&str; 5] = [ADMIN, OFFICE_ADMIN, EXAMINER, ASSOCIATION, AUDITOR];
const PROCEEDINGS: &[&str] = &[OFFICE_ADMIN, EXAMINER, ASSOCIATION];
const EXAMINERS: &[&str] = &[OFFICE_ADMIN, EXAMINER];

/// The roles that may write each route (anonymous never may); `None` for routes an
/// anonymous caller may use. Every write route of the document must be listed here.
fn writers(method: &str, path: &str) -> Option<Option<&'static [&'static str]>> {
    let roles: Option<&'static [&'static str]> = match (method, path) {
        ("post", "/api/v1/auth/login" | "/api/v1/auth/refresh") => None,
        ("post", "/api/v1/auth/logout" | "/api/v1/me/password") => Some(&EVERY_ROLE),
        ("post", "/api/v1/offices") | ("patch", "/api/v1/offices/{code}") => Some(&[ADMIN]),
        ("post", "/api/v1/programmes")
        | ("patch", "/api/v1/programmes/{code}")
        | ("post", "/api/v1/programmes/{code}/amendments") => Some(&[ADMIN]),
        ("post", "/api/v1/offices/{code}/holidays") => Some(&[ADMIN, OFFICE_ADMIN]),
        ("post", "/api/v1/offices/{code}/generic-terms" | "/api/v1/offices/{code}/trademarks") => {
            Some(&[ADMIN, OFFICE_ADMIN, EXAMINER])
        }
        // Admins may attempt (and are told they have no partner system of their own).
        ("post", "/api/v1/subscriptions") => Some(&[ADMIN, OFFICE_ADMIN, ASSOCIATION]),
        ("post", "/api/v1/associations")
        | ("patch", "/api/v1/associations/{id}")
        | ("post", "/api/v1/users")
        | ("patch", "/api/v1/users/{id}") => Some(&[ADMIN, OFFICE_ADMIN]),
        ("post", "/api/v1/gis")
        | ("patch", "/api/v1/gis/{id}")
        | ("post", "/api/v1/gis/{id}/actions")
        | ("post", "/api/v1/gis/{id}/oppositions")
        | ("post", "/api/v1/gis/{id}/specifications")
        | ("post", "/api/v1/gis/{id}/documents")
        | ("post", "/api/v1/recognitions/{id}/oppositions")
        // The GI's association appeals a refusal abroad.
        | ("post", "/api/v1/recognitions/{id}/actions")
        | ("post", "/api/v1/oppositions/{id}/actions") => Some(PROCEEDINGS),
        ("post", "/api/v1/gis/{id}/specifications/{version}/actions")
        | ("post", "/api/v1/recognitions")
        | ("post", "/api/v1/recognitions/lists")
        | ("post", "/api/v1/recognitions/{id}/documents") => Some(EXAMINERS),
        _ => return None,
    };
    Some(roles)
}

/// Every operation of the document that takes a request body.
fn write_routes() -> Vec<(String, String)> {
    use utoipa::OpenApi;
    let doc = serde_json::to_value(terroir::api::docs::ApiDoc::openapi()).unwrap();
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation.get("requestBody").is_some() {
                routes.push((method.clone(), path.clone()));
            }
        }
    }
    routes
}

/// Path parameters filled with values that exist in the world below (a forbidden caller
/// must be refused whether the resource exists or not).
fn concrete(path: &str) -> String {
    path.replace("{code}", "CNIPA")
        .replace("{id}", "1")
        .replace("{version}", "1")
}

async fn callers_who_may_not_write_learn_nothing_from_an_invalid_body(app: TestApp) {
    let admin = app.admin_token().await;
    app.create_office(&admin, "CNIPA", "CN", 60).await;
    let association_id = app
        .create_association(&admin, "Longjing Tea Association", "CNIPA")
        .await["id"]
        .as_i64()
        .unwrap();
    let mut tokens = vec![(ADMIN, admin.clone())];
    for (role, body) in [
        (
            OFFICE_ADMIN,
            json!({"username": "cn-admin", "role": "office_admin", "office": "CNIPA"}),
        ),
        (
            EXAMINER,
            json!({"username": "cn-examiner", "role": "examiner", "office": "CNIPA"}),
        ),
        (
            ASSOCIATION,
            json!({"username": "longjing", "role": "association", "association_id": association_id}),
        ),
        (AUDITOR, json!({"username": "auditor", "role": "auditor"})),
    ] {
        tokens.push((role, app.user_token(&admin, body).await));
    }

    let routes = write_routes();
    assert!(routes.len() >= 20, "the document lists the write routes");
    let before = app.audit_count().await;
    let invalid_bodies = [
        json!({"no_such_field": true}),
        json!({}),
        json!("not an object"),
    ];
    let mut checked = 0;
    for (method, path) in &routes {
        let allowed = writers(method, path)
            .unwrap_or_else(|| panic!("{method} {path} is missing from the table of writers"));
        let Some(allowed) = allowed else { continue };
        let url = concrete(path);
        let verb = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        for body in &invalid_bodies {
            let response = app
                .request(verb.clone(), &url, None)
                .json(body)
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                401,
                "anonymous {method} {path} with {body}"
            );
            for (role, token) in &tokens {
                if allowed.contains(role) {
                    continue;
                }
                let response = app
                    .request(verb.clone(), &url, Some(token))
                    .json(body)
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                let answer: Value = response.json().await.unwrap();
                assert_eq!(
                    (status, answer["error"]["code"].as_str()),
                    (403, Some("forbidden")),
                    "{role} {method} {path} with {body}: {answer}"
                );
                checked += 1;
            }
        }
        // Not even a body that is not JSON at all tells a forbidden caller anything.
        if let Some((role, token)) = tokens.iter().find(|(role, _)| !allowed.contains(role)) {
            let response = app
                .request(verb.clone(), &url, Some(token))
                .header("content-type", "text/plain")
                .body("{")
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "{role} {method} {path}, text body");
        }
    }
    assert!(checked > 100, "only {checked} refusals checked");
    assert_eq!(app.audit_count().await, before, "refusals write nothing");
}
