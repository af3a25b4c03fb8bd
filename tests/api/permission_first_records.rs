//! Permission before validation on routes that name a record (issue 8, item 9): a
//! caller whose role may write such records, but not this one (an examiner of another
//! office, another association, another office's administrator), gets 403 whatever body
//! it sends, and a draft it may not see stays a 404; the caller in scope, sending the
//! same body, learns the body's rules (422), so the refusals are not a blanket.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::TestApp;
use crate::recognition::{id_of, oppose, partners, recognition_in};
use crate::register::{expect, gi_in};

both_backends!(a_caller_outside_the_records_scope_learns_nothing_from_an_invalid_body);

const INVALID_BODIES: [&str; 4] = [
    r#"{"no_such_field": true}"#,
    "{}",
    r#""not an object""#,
    "{",
];

/// Sends `body` (as JSON) and returns the status and the error code.
async fn attempt(
    app: &TestApp,
    method: &Method,
    path: &str,
    token: &str,
    body: &str,
) -> (u16, String) {
    let response = app
        .request(method.clone(), path, Some(token))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let answer: Value = response.json().await.unwrap();
    let code = answer["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (status, code)
}

struct Route {
    method: Method,
    path: String,
    /// Callers whose role may write such records, but not this one.
    outsiders: Vec<String>,
    /// What outsiders get: 403 `forbidden`, or 404 for a record they may not see.
    refusal: (u16, &'static str),
    /// A caller in the record's scope.
    insider: String,
}

async fn a_caller_outside_the_records_scope_learns_nothing_from_an_invalid_body(app: TestApp) {
    let w = partners(&app).await;
    let user = |username: &str, role: &str, office: &str| json!({"username": username, "role": role, "office": office});
    let eu_examiner = app
        .user_token(&w.admin, user("eu-examiner", "examiner", "EUIPO"))
        .await;
    let dip_admin = app
        .user_token(&w.admin, user("dip-admin", "office_admin", "DIP"))
        .await;
    let cnipa_admin = app
        .user_token(&w.admin, user("cnipa-admin", "office_admin", "CNIPA"))
        .await;

    let draft = gi_in(&app, &w, "draft").await;
    let published = gi_in(&app, &w, "published").await;
    let (_, recognition) = recognition_in(&app, &w, "published").await;
    let opposition = id_of(
        &expect(
            oppose(
                &app,
                &w.th_assoc,
                recognition,
                json!({"grounds": "prior use", "filed_on": "2026-07-01"}),
            )
            .await,
            201,
        )
        .await,
    );

    let forbidden = (403, "forbidden");
    let routes = [
        Route {
            method: Method::PATCH,
            path: format!("/api/v1/gis/{draft}"),
            outsiders: vec![w.th_examiner.clone(), w.cn_other_assoc.clone()],
            refusal: (404, "not_found"),
            insider: w.cn_assoc.clone(),
        },
        Route {
            method: Method::POST,
            path: format!("/api/v1/gis/{published}/actions"),
            outsiders: vec![
                w.th_examiner.clone(),
                w.cn_other_assoc.clone(),
                dip_admin.clone(),
            ],
            refusal: forbidden,
            insider: w.cn_examiner.clone(),
        },
        Route {
            method: Method::POST,
            path: format!("/api/v1/gis/{published}/specifications"),
            outsiders: vec![w.th_examiner.clone(), w.th_assoc.clone()],
            refusal: forbidden,
            insider: w.cn_assoc.clone(),
        },
        Route {
            method: Method::POST,
            path: format!("/api/v1/gis/{published}/specifications/1/actions"),
            outsiders: vec![w.th_examiner.clone(), eu_examiner.clone()],
            refusal: forbidden,
            insider: w.cn_examiner.clone(),
        },
        Route {
            method: Method::POST,
            path: format!("/api/v1/gis/{published}/oppositions"),
            outsiders: vec![w.th_examiner.clone(), dip_admin.clone()],
            refusal: forbidden,
            insider: w.cn_examiner.clone(),
        },
        Route {
            method: Method::POST,
            path: format!("/api/v1/recognitions/{recognition}/actions"),
            outsiders: vec![eu_examiner.clone()],
            refusal: forbidden,
            insider: w.th_examiner.clone(),
        },
        Route {
            method: Method::POST,
            path: format!("/api/v1/recognitions/{recognition}/oppositions"),
            outsiders: vec![w.cn_examiner.clone(), eu_examiner.clone()],
            refusal: forbidden,
            insider: w.th_examiner.clone(),
        },
        Route {
            method: Method::POST,
            path: format!("/api/v1/oppositions/{opposition}/actions"),
            outsiders: vec![
                w.cn_examiner.clone(),
                eu_examiner.clone(),
                w.cn_assoc.clone(),
            ],
            refusal: forbidden,
            insider: w.th_examiner.clone(),
        },
        Route {
            method: Method::PATCH,
            path: format!("/api/v1/associations/{}", w.cn_association),
            outsiders: vec![dip_admin.clone()],
            refusal: forbidden,
            insider: cnipa_admin.clone(),
        },
    ];

    let before = app.audit_count().await;
    for route in &routes {
        let (method, path) = (&route.method, &route.path);
        for body in INVALID_BODIES {
            for (i, outsider) in route.outsiders.iter().enumerate() {
                let (status, code) = attempt(&app, method, path, outsider, body).await;
                assert_eq!(
                    (status, code.as_str()),
                    route.refusal,
                    "outsider #{i}: {method} {path} with {body}"
                );
            }
        }
        let (status, code) = attempt(&app, method, path, &route.insider, INVALID_BODIES[0]).await;
        assert_eq!(
            (status, code.as_str()),
            (422, "validation_failed"),
            "the insider on {method} {path}"
        );
    }
    assert_eq!(app.audit_count().await, before, "refusals write nothing");
}
