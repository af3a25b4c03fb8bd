//! HEAD on the export route answers with a GET's headers and records nothing: an export
//! is recorded (and audited) only when its bytes are sent.

use reqwest::Method;

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};

both_backends!(a_head_on_an_export_records_no_export);

async fn a_head_on_an_export_records_no_export(app: TestApp) {
    let admin = app.admin_token().await;
    let audit = app.audit_count().await;
    for (query, content_type) in [
        ("format=csv", "text/csv"),
        ("format=json", "application/json"),
        ("format=csv&as_of=2026-01-01", "text/csv"),
    ] {
        let path = format!("/api/v1/exports/recognitions?{query}");
        let head = app
            .request(Method::HEAD, &path, Some(&admin))
            .send()
            .await
            .unwrap();
        assert_eq!(head.status(), 200, "{query}");
        assert!(
            head.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(content_type),
            "{query}"
        );
        assert!(head.headers().get("x-export-id").is_none(), "{query}");
    }
    assert_eq!(app.audit_count().await, audit, "nothing recorded");
    let first = app.get("/api/v1/exports/1", Some(&admin)).await;
    assert_error(first, 404, "not_found").await;

    // The query is checked as a GET's would be.
    let bad = app
        .request(
            Method::HEAD,
            "/api/v1/exports/recognitions?format=json&bom=true",
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let get = app
        .get("/api/v1/exports/recognitions?format=csv", Some(&admin))
        .await;
    assert_eq!(get.headers()["x-export-id"], "1");
    get.bytes().await.unwrap();
    assert!(app.audit_count().await > audit, "a GET is recorded");
}
