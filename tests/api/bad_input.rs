//! Hostile and malformed input over HTTP: every refusal has its status and error code,
//! names the offending field, and changes nothing (neither the data nor the audit log).

use std::future::Future;

use reqwest::header::{ALLOW, CONTENT_TYPE, ETAG, IF_MATCH};
use reqwest::{Method, Response};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::both_backends;
use crate::helpers::{Backend, TestApp, PASSWORD};

both_backends!(
    malformed_json_is_400,
    wrong_types_are_422_naming_the_field,
    missing_fields_are_422,
    unknown_fields_are_422_naming_them,
    lengths_count_characters_not_bytes,
    unknown_enum_values_are_422,
    invalid_codes_and_jurisdictions_are_422,
    invalid_language_tags_are_422,
    out_of_range_periods_are_422,
    control_characters_are_422,
    hostile_text_is_stored_and_returned_verbatim,
    wrong_content_type_is_415,
    unknown_routes_are_404,
    wrong_methods_are_405_with_allow,
    bad_paging_parameters,
    bad_ids_are_404,
    duplicates_are_409,
    if_match_guards_updates,
    keyset_pagination_sees_every_office_once,
);

const OFFICES: &str = "/api/v1/offices";
const DIP: &str = "/api/v1/offices/DIP";

/// A valid body for POST /api/v1/offices.
fn office(code: &str) -> Value {
    json!({"code": code, "jurisdiction": "TH", "name": "Department of Intellectual Property",
           "opposition_period_days": 90, "languages": ["th", "en"]})
}

/// `base` with `changes` applied; a null in `changes` removes the field.
fn with(base: Value, changes: Value) -> Value {
    let mut body = base;
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            body.as_object_mut().unwrap().remove(key);
        } else {
            body[key] = value.clone();
        }
    }
    body
}

/// An admin token, with the offices DIP and CNIPA and one association in place.
async fn setup(app: &TestApp) -> String {
    let admin = app.admin_token().await;
    app.create_office(&admin, "DIP", "TH", 90).await;
    app.create_office(&admin, "CNIPA", "CN", 60).await;
    app.create_association(&admin, "Longjing Tea Association", "CNIPA")
        .await;
    admin
}

/// Everything a refused request might have touched: the audit log's length, and the
/// offices, associations and users as listed.
async fn snapshot(app: &TestApp, admin: &str) -> (i64, Value) {
    let mut lists = json!({});
    for (key, path) in [
        ("offices", "/api/v1/offices?limit=500"),
        ("associations", "/api/v1/associations?limit=500"),
        ("users", "/api/v1/users?limit=500"),
    ] {
        let response = app.get(path, Some(admin)).await;
        assert_eq!(response.status(), 200, "{path}");
        lists[key] = response.json::<Value>().await.unwrap();
    }
    (app.audit_count().await, lists)
}

/// Asserts an error response: status, JSON envelope, code, and (when given) that
/// `details` names `field`. Returns the body.
async fn expect_error(
    response: Response,
    status: u16,
    code: &str,
    field: Option<&str>,
    what: &str,
) -> Value {
    let actual = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "{what}: {text}");
    assert!(
        content_type.starts_with("application/json"),
        "{what}: error responses are JSON, got {content_type:?}"
    );
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"));
    assert_eq!(body["error"]["code"], code, "{what}: {body}");
    assert!(body["error"]["message"].is_string(), "{what}: {body}");
    if let Some(field) = field {
        let details = body["error"]["details"].as_array();
        assert!(
            details.is_some_and(|d| d
                .iter()
                .any(|item| item["field"] == field && item["message"].is_string())),
            "{what}: the details should name {field:?}: {body}"
        );
    }
    body
}

/// Sends a request that must be refused, and checks that nothing changed.
async fn rejected(
    app: &TestApp,
    admin: &str,
    request: impl Future<Output = Response>,
    (status, code, field): (u16, &str, Option<&str>),
    what: &str,
) -> Value {
    let before = snapshot(app, admin).await;
    let body = expect_error(request.await, status, code, field, what).await;
    let after = snapshot(app, admin).await;
    assert_eq!(
        after.0, before.0,
        "{what}: a refused request wrote to the audit log"
    );
    assert_eq!(
        after.1, before.1,
        "{what}: a refused request changed the data"
    );
    body
}

/// A POST with a raw body and content type.
async fn post_raw(
    app: &TestApp,
    path: &str,
    token: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> Response {
    app.request(Method::POST, path, Some(token))
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

fn invalid(field: &str) -> (u16, &'static str, Option<&str>) {
    (422, "validation_failed", Some(field))
}

/// Reads an office as anyone may, asserting it exists.
async fn read_office(app: &TestApp, code: &str) -> Value {
    let response = app.get(&format!("{OFFICES}/{code}"), None).await;
    assert_eq!(response.status(), 200, "GET office {code}");
    response.json().await.unwrap()
}

async fn malformed_json_is_400(app: TestApp) {
    let admin = setup(&app).await;
    for (what, raw) in [
        ("a truncated body", br#"{"code": "#.to_vec()),
        ("an empty body", Vec::new()),
        ("single quotes", br#"{'code': 'EUIPO'}"#.to_vec()),
        ("a trailing comma", br#"{"code": "EUIPO",}"#.to_vec()),
        (
            "trailing garbage",
            br#"{"code": "EUIPO"} and more"#.to_vec(),
        ),
        ("invalid UTF-8", b"{\"code\": \"EU\xff\xfeIPO\"}".to_vec()),
        (
            "nesting deeper than any parser should follow",
            "[".repeat(100_000).into_bytes(),
        ),
    ] {
        let request = post_raw(&app, OFFICES, &admin, "application/json", raw);
        rejected(&app, &admin, request, (400, "malformed_json", None), what).await;
    }
    // The same on a PATCH.
    let request = app
        .request(Method::PATCH, DIP, Some(&admin))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"name": "#)
        .send();
    rejected(
        &app,
        &admin,
        async { request.await.unwrap() },
        (400, "malformed_json", None),
        "PATCH truncated",
    )
    .await;
    assert_eq!(read_office(&app, "DIP").await["version"], 1);
}

async fn wrong_types_are_422_naming_the_field(app: TestApp) {
    let admin = setup(&app).await;
    for (what, changes, field) in [
        (
            "a period in words",
            json!({"opposition_period_days": "sixty"}),
            "opposition_period_days",
        ),
        (
            "a fractional period",
            json!({"opposition_period_days": 60.5}),
            "opposition_period_days",
        ),
        (
            "a period beyond i32",
            json!({"opposition_period_days": 9_999_999_999_i64}),
            "opposition_period_days",
        ),
        ("a number for a name", json!({"name": 42}), "name"),
        (
            "a string for languages",
            json!({"languages": "en"}),
            "languages",
        ),
        (
            "an object for a code",
            json!({"code": {"value": "EUIPO"}}),
            "code",
        ),
    ] {
        let body = with(office("EUIPO"), changes);
        rejected(
            &app,
            &admin,
            app.post(OFFICES, Some(&admin), body),
            invalid(field),
            what,
        )
        .await;
    }
    rejected(
        &app,
        &admin,
        app.post(OFFICES, Some(&admin), json!(["EUIPO"])),
        invalid("body"),
        "an array body",
    )
    .await;
    let patch = app.patch(
        DIP,
        Some(&admin),
        json!({"opposition_period_days": "ninety"}),
    );
    rejected(
        &app,
        &admin,
        patch,
        invalid("opposition_period_days"),
        "PATCH with a period in words",
    )
    .await;
    assert_eq!(read_office(&app, "DIP").await["opposition_period_days"], 90);
}

async fn missing_fields_are_422(app: TestApp) {
    let admin = setup(&app).await;
    for field in ["code", "jurisdiction", "name", "opposition_period_days"] {
        let body = with(office("EUIPO"), json!({ field: null }));
        let what = format!("an office without {field}");
        let response = rejected(
            &app,
            &admin,
            app.post(OFFICES, Some(&admin), body),
            (422, "validation_failed", None),
            &what,
        )
        .await;
        // The error says which field is missing (today as `body` with the field in the message).
        let details = response["error"]["details"].as_array().unwrap();
        assert!(
            details.iter().any(|d| d["field"] == field
                || d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(&format!("`{field}`")))),
            "{what}: the missing field is not named: {response}"
        );
    }
    rejected(
        &app,
        &admin,
        app.post(OFFICES, Some(&admin), json!({})),
        (422, "validation_failed", None),
        "{}",
    )
    .await;
    // languages has a default: leaving it out is fine.
    let response = app
        .post(
            OFFICES,
            Some(&admin),
            with(office("EUIPO"), json!({"languages": null})),
        )
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(read_office(&app, "EUIPO").await["languages"], json!([]));
}

async fn unknown_fields_are_422_naming_them(app: TestApp) {
    let admin = setup(&app).await;
    let cases = [
        (
            "an unknown field",
            Method::POST,
            OFFICES,
            with(office("EUIPO"), json!({"colour": "red"})),
            "colour",
        ),
        // A field that exists but may not be changed is unknown to the update.
        (
            "PATCH of the code",
            Method::PATCH,
            DIP,
            json!({"code": "DIP2", "name": "Renamed"}),
            "code",
        ),
        (
            "PATCH of the version",
            Method::PATCH,
            DIP,
            json!({"version": 7}),
            "version",
        ),
        (
            "a user with is_admin",
            Method::POST,
            "/api/v1/users",
            json!({"username": "sneaky", "password": PASSWORD, "role": "auditor", "is_admin": true}),
            "is_admin",
        ),
        (
            "an association with office_id",
            Method::POST,
            "/api/v1/associations",
            json!({"name": "Extra", "office": "DIP", "office_id": 1}),
            "office_id",
        ),
    ];
    let mut named = Vec::new();
    for (what, method, path, body, field) in cases {
        let request = async {
            app.request(method, path, Some(&admin))
                .json(&body)
                .send()
                .await
                .unwrap()
        };
        let response = rejected(
            &app,
            &admin,
            request,
            (422, "validation_failed", None),
            what,
        )
        .await;
        let details = response["error"]["details"].as_array().unwrap();
        assert_eq!(details.len(), 1, "{what}: {response}");
        assert!(
            details[0]["message"].as_str().unwrap().contains(field),
            "{what}: {response}"
        );
        named.push((field, details[0]["field"].as_str().unwrap().to_string()));
    }
    let dip = read_office(&app, "DIP").await;
    assert_eq!(dip["code"], "DIP");
    assert_eq!(dip["version"], 1);
    assert_eq!(app.login("sneaky", PASSWORD).await.status(), 401);
    // Regression: unknown fields were once reported as "colour.colour".
    for (field, reported) in named {
        assert_eq!(reported, field, "the unknown field is named as it was sent");
    }
}

async fn lengths_count_characters_not_bytes(app: TestApp) {
    let admin = setup(&app).await;
    let too_long = "a".repeat(201);
    let body = with(office("EUIPO"), json!({"name": too_long}));
    rejected(
        &app,
        &admin,
        app.post(OFFICES, Some(&admin), body),
        invalid("name"),
        "a 201-character name",
    )
    .await;
    let chinese_too_long = "龙".repeat(201);
    let body = with(office("EUIPO"), json!({"name": chinese_too_long}));
    rejected(
        &app,
        &admin,
        app.post(OFFICES, Some(&admin), body),
        invalid("name"),
        "201 Chinese characters",
    )
    .await;
    let patch = app.patch(DIP, Some(&admin), json!({"name": too_long}));
    rejected(
        &app,
        &admin,
        patch,
        invalid("name"),
        "PATCH to a 201-character name",
    )
    .await;
    let blank = with(office("EUIPO"), json!({"name": "   "}));
    rejected(
        &app,
        &admin,
        app.post(OFFICES, Some(&admin), blank),
        invalid("name"),
        "a blank name",
    )
    .await;
    let empty = with(office("EUIPO"), json!({"name": ""}));
    rejected(
        &app,
        &admin,
        app.post(OFFICES, Some(&admin), empty),
        invalid("name"),
        "an empty name",
    )
    .await;

    // 200 characters are accepted, however many bytes they take (600 in Chinese, 700 in
    // emoji and Thai).
    for (code, name) in [
        ("ASCII", "a".repeat(200)),
        ("CHINESE", "龙井茶".repeat(66) + "龙井"),
        ("WIDE", "🍵".repeat(100) + &"ข".repeat(100)),
    ] {
        assert_eq!(name.chars().count(), 200);
        let response = app
            .post(
                OFFICES,
                Some(&admin),
                with(office(code), json!({"name": name})),
            )
            .await;
        let status = response.status();
        assert_eq!(
            status,
            201,
            "{code}: {} bytes: {}",
            name.len(),
            response.text().await.unwrap()
        );
        let created: Value = response.json().await.unwrap();
        assert_eq!(created["name"], name.as_str());
        assert_eq!(
            read_office(&app, code).await["name"],
            name.as_str(),
            "{code} is returned verbatim"
        );
    }
}

async fn unknown_enum_values_are_422(app: TestApp) {
    let admin = setup(&app).await;
    for role in ["superuser", "Admin", "ADMIN", "", "root"] {
        let body = json!({"username": "mallory", "password": PASSWORD, "role": role});
        let what = format!("role {role:?}");
        rejected(
            &app,
            &admin,
            app.post("/api/v1/users", Some(&admin), body),
            invalid("role"),
            &what,
        )
        .await;
    }
    assert_eq!(app.login("mallory", PASSWORD).await.status(), 401);
}

async fn invalid_codes_and_jurisdictions_are_422(app: TestApp) {
    let admin = setup(&app).await;
    for code in ["dip", "D", "1DIP", "D IP", "D'IP", "ABCDEFGHIJKLMNOPQ", ""] {
        let what = format!("code {code:?}");
        rejected(
            &app,
            &admin,
            app.post(OFFICES, Some(&admin), office(code)),
            invalid("code"),
            &what,
        )
        .await;
    }
    for jurisdiction in ["XX", "th", "THA", "", "T"] {
        let body = with(office("EUIPO"), json!({"jurisdiction": jurisdiction}));
        let what = format!("jurisdiction {jurisdiction:?}");
        rejected(
            &app,
            &admin,
            app.post(OFFICES, Some(&admin), body),
            invalid("jurisdiction"),
            &what,
        )
        .await;
    }
    let patch = app.patch(DIP, Some(&admin), json!({"jurisdiction": "XX"}));
    rejected(
        &app,
        &admin,
        patch,
        invalid("jurisdiction"),
        "PATCH to jurisdiction XX",
    )
    .await;
    assert_eq!(read_office(&app, "DIP").await["jurisdiction"], "TH");
    // Regional codes are fine.
    let response = app
        .post(
            OFFICES,
            Some(&admin),
            with(office("EUIPO"), json!({"jurisdiction": "EU"})),
        )
        .await;
    assert_eq!(response.status(), 201);
}

async fn invalid_language_tags_are_422(app: TestApp) {
    let admin = setup(&app).await;
    for tags in [
        json!(["en", "english!"]),
        json!(["th_TH"]),
        json!([""]),
        json!(["en-"]),
        json!(["123"]),
    ] {
        let body = with(office("EUIPO"), json!({"languages": tags}));
        let what = format!("languages {tags}");
        rejected(
            &app,
            &admin,
            app.post(OFFICES, Some(&admin), body),
            invalid("languages"),
            &what,
        )
        .await;
    }
    let patch = app.patch(DIP, Some(&admin), json!({"languages": ["th", "not a tag"]}));
    rejected(
        &app,
        &admin,
        patch,
        invalid("languages"),
        "PATCH with a bad tag",
    )
    .await;
    assert_eq!(read_office(&app, "DIP").await["languages"], json!(["en"]));
    let body = with(
        office("EUIPO"),
        json!({"languages": ["zh-Hans-CN", "th", "en-GB"]}),
    );
    assert_eq!(app.post(OFFICES, Some(&admin), body).await.status(), 201);
}

async fn out_of_range_periods_are_422(app: TestApp) {
    let admin = setup(&app).await;
    for period in [-1, -90, i32::MIN, 3661, i32::MAX] {
        let body = with(office("EUIPO"), json!({"opposition_period_days": period}));
        let what = format!("period {period}");
        rejected(
            &app,
            &admin,
            app.post(OFFICES, Some(&admin), body),
            invalid("opposition_period_days"),
            &what,
        )
        .await;
    }
    let patch = app.patch(DIP, Some(&admin), json!({"opposition_period_days": -5}));
    rejected(
        &app,
        &admin,
        patch,
        invalid("opposition_period_days"),
        "PATCH to a negative period",
    )
    .await;
    assert_eq!(read_office(&app, "DIP").await["opposition_period_days"], 90);
    // The bounds themselves are accepted.
    for (code, period) in [("ZERO", 0), ("LONG", 3660)] {
        let body = with(office(code), json!({"opposition_period_days": period}));
        assert_eq!(
            app.post(OFFICES, Some(&admin), body).await.status(),
            201,
            "{period}"
        );
    }
}

async fn control_characters_are_422(app: TestApp) {
    let admin = setup(&app).await;
    for (what, name) in [
        ("a NUL", "Office\u{0}DIP"),
        ("a lone NUL", "\u{0}"),
        ("an escape", "Office \u{1b}[31m red"),
        ("a DEL", "Office\u{7f}"),
        ("a C1 control", "Office\u{85}"),
    ] {
        let body = with(office("EUIPO"), json!({"name": name}));
        rejected(
            &app,
            &admin,
            app.post(OFFICES, Some(&admin), body),
            invalid("name"),
            what,
        )
        .await;
    }
    // Also when written as a JSON escape in the raw body.
    let raw = r#"{"code": "EUIPO", "jurisdiction": "EU", "name": "EU\u0000IPO", "opposition_period_days": 90}"#;
    let request = post_raw(&app, OFFICES, &admin, "application/json", raw);
    rejected(&app, &admin, request, invalid("name"), "an escaped NUL").await;
    // ... in a list, named by its position.
    let body = with(office("EUIPO"), json!({"languages": ["en", "th\u{0}"]}));
    rejected(
        &app,
        &admin,
        app.post(OFFICES, Some(&admin), body),
        invalid("languages[1]"),
        "a NUL in a tag",
    )
    .await;
    // ... in an update, and in other resources.
    let patch = app.patch(DIP, Some(&admin), json!({"name": "D\u{0}IP"}));
    rejected(&app, &admin, patch, invalid("name"), "PATCH with a NUL").await;
    let association = json!({"name": "Tea\u{0}Association", "office": "DIP"});
    rejected(
        &app,
        &admin,
        app.post("/api/v1/associations", Some(&admin), association),
        invalid("name"),
        "association",
    )
    .await;
    // Tabs and newlines are ordinary text.
    let body = with(
        office("EUIPO"),
        json!({"name": "European Union\nIntellectual\tProperty Office"}),
    );
    assert_eq!(app.post(OFFICES, Some(&admin), body).await.status(), 201);
}

async fn hostile_text_is_stored_and_returned_verbatim(app: TestApp) {
    let admin = setup(&app).await;
    let sql = "x'); DROP TABLE offices; --";
    let script = "<script>alert(1)</script>";
    let quotes = r#"Robert"); DELETE FROM audit_log WHERE ('1'='1 \ ' " ` ; --"#;
    for (code, name) in [("SQL", sql), ("SCRIPT", script), ("QUOTES", quotes)] {
        let before = app.audit_count().await;
        let response = app
            .post(
                OFFICES,
                Some(&admin),
                with(office(code), json!({"name": name})),
            )
            .await;
        assert_eq!(response.status(), 201, "{code}");
        assert!(response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        assert_eq!(response.json::<Value>().await.unwrap()["name"], name);
        assert_eq!(app.audit_count().await, before + 1, "{code} is audited");
        let response = app.get(&format!("{OFFICES}/{code}"), None).await;
        assert!(response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        let text = response.text().await.unwrap();
        let read: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(read["name"], name, "{code}: {text}");
    }
    // The same text in an association and in an update.
    let association = app.create_association(&admin, script, "DIP").await;
    assert_eq!(association["name"], script);
    let path = format!("/api/v1/associations/{}", association["id"]);
    let read: Value = app.get(&path, None).await.json().await.unwrap();
    assert_eq!(read["name"], script);
    let response = app.patch(DIP, Some(&admin), json!({"name": sql})).await;
    assert_eq!(response.status(), 200);
    assert_eq!(read_office(&app, "DIP").await["name"], sql);

    // The tables are all still there.
    let list: Value = app.get(OFFICES, None).await.json().await.unwrap();
    let codes: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CNIPA", "DIP", "QUOTES", "SCRIPT", "SQL"]);
    let verify: Value = app
        .get("/api/v1/audit/verify", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(verify["status"], "ok", "{verify}");
    let users = app.get("/api/v1/users", Some(&admin)).await;
    assert_eq!(users.status(), 200);
}

async fn wrong_content_type_is_415(app: TestApp) {
    let admin = setup(&app).await;
    let valid = office("EUIPO").to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "text/html; charset=utf-8",
        "application/xml",
    ] {
        let request = post_raw(&app, OFFICES, &admin, content_type, valid.clone());
        let what = format!("content type {content_type}");
        rejected(
            &app,
            &admin,
            request,
            (415, "unsupported_media_type", None),
            &what,
        )
        .await;
    }
    let request = async {
        app.request(Method::POST, OFFICES, Some(&admin))
            .body(valid.clone())
            .send()
            .await
            .unwrap()
    };
    rejected(
        &app,
        &admin,
        request,
        (415, "unsupported_media_type", None),
        "no content type",
    )
    .await;
    // application/json with a charset, or a +json type, is JSON.
    let response = post_raw(
        &app,
        OFFICES,
        &admin,
        "application/json; charset=utf-8",
        valid,
    )
    .await;
    assert_eq!(response.status(), 201);
    let response = post_raw(
        &app,
        OFFICES,
        &admin,
        "application/merge-patch+json",
        office("KIPO").to_string(),
    )
    .await;
    assert_eq!(response.status(), 201);
}

/// A body of exactly `size` bytes: the JSON, padded with trailing spaces.
fn padded(body: &Value, size: usize) -> String {
    let mut text = body.to_string();
    assert!(text.len() <= size);
    text.push_str(&" ".repeat(size - text.len()));
    text
}

/// POSTs `body` with chunked transfer encoding (no Content-Length) over a raw socket;
/// returns the status and the response body.
async fn post_chunked(app: &TestApp, path: &str, token: &str, body: &[u8]) -> (u16, Value) {
    let mut stream = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.chunks(300) {
        let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
        frame.extend_from_slice(chunk);
        frame.extend_from_slice(b"\r\n");
        // The server may answer and stop reading before the end: that is its right.
        if stream.write_all(&frame).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).to_string();
    let status: u16 = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let (headers, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let payload = if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        // One chunk is enough for an error envelope.
        rest.split_once("\r\n")
            .map_or("", |(_, after)| after)
            .rsplit_once("\r\n0\r\n")
            .map_or("", |(body, _)| body)
    } else {
        rest
    };
    (status, serde_json::from_str(payload).unwrap_or(Value::Null))
}

async fn oversized_bodies_are_413(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |s| s.max_body_bytes = 1024).await else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    let admin = setup(&app).await;
    // Exactly the limit is accepted.
    let response = post_raw(
        &app,
        OFFICES,
        &admin,
        "application/json",
        padded(&office("EXACT"), 1024),
    )
    .await;
    assert_eq!(response.status(), 201, "a body of exactly the limit");

    // One byte over, with a Content-Length.
    let request = post_raw(
        &app,
        OFFICES,
        &admin,
        "application/json",
        padded(&office("OVER"), 1025),
    );
    rejected(
        &app,
        &admin,
        request,
        (413, "payload_too_large", None),
        "1025 bytes",
    )
    .await;
    let big_name = with(
        office("BIG"),
        json!({"name": "n".repeat(150), "languages": vec!["en"; 300]}),
    );
    assert!(big_name.to_string().len() > 1024);
    rejected(
        &app,
        &admin,
        app.post(OFFICES, Some(&admin), big_name),
        (413, "payload_too_large", None),
        "a big body",
    )
    .await;
    let patch = app.patch(DIP, Some(&admin), json!({"name": "n".repeat(2000)}));
    rejected(
        &app,
        &admin,
        patch,
        (413, "payload_too_large", None),
        "a big PATCH",
    )
    .await;

    // Without a Content-Length, the limit is counted as the body streams in.
    let before = snapshot(&app, &admin).await;
    let (status, body) = post_chunked(
        &app,
        OFFICES,
        &admin,
        padded(&office("CHUNKED"), 1500).as_bytes(),
    )
    .await;
    assert_eq!(status, 413, "a chunked body over the limit: {body}");
    assert_eq!(body["error"]["code"], "payload_too_large", "{body}");
    assert_eq!(snapshot(&app, &admin).await, before);
    let (status, body) = post_chunked(
        &app,
        OFFICES,
        &admin,
        padded(&office("SMALL"), 900).as_bytes(),
    )
    .await;
    assert_eq!(status, 201, "a chunked body under the limit: {body}");
    assert_eq!(read_office(&app, "SMALL").await["code"], "SMALL");
    assert_eq!(
        app.get(&format!("{OFFICES}/OVER"), None).await.status(),
        404
    );
}

mod oversized_bodies_are_413 {
    use crate::helpers::Backend;

    #[tokio::test]
    async fn sqlite() {
        super::oversized_bodies_are_413(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        super::oversized_bodies_are_413(Backend::Postgres).await;
    }
}

async fn unknown_routes_are_404(app: TestApp) {
    let admin = setup(&app).await;
    for (method, path) in [
        (Method::GET, "/api/v1/nothing-here"),
        (Method::POST, "/api/v1/nothing-here"),
        (Method::GET, "/api/v2/offices"),
        (Method::GET, "/api/v1/offices/DIP/extra"),
        // `/` is the search page now; a page path without its id is no page.
        (Method::GET, "/gis"),
        (Method::POST, "/"),
    ] {
        let what = format!("{method} {path}");
        let request = async {
            app.request(method.clone(), path, Some(&admin))
                .json(&json!({}))
                .send()
                .await
                .unwrap()
        };
        let body = rejected(&app, &admin, request, (404, "not_found", None), &what).await;
        assert!(
            body["error"]["message"].as_str().unwrap().contains(path),
            "{what}: {body}"
        );
    }
    // A known collection, but no such office.
    rejected(
        &app,
        &admin,
        app.get("/api/v1/offices/NOPE", None),
        (404, "not_found", None),
        "GET NOPE",
    )
    .await;
    let patch = app.patch("/api/v1/offices/NOPE", Some(&admin), json!({"name": "x"}));
    rejected(&app, &admin, patch, (404, "not_found", None), "PATCH NOPE").await;
}

async fn wrong_methods_are_405_with_allow(app: TestApp) {
    let admin = setup(&app).await;
    for (method, path, allow) in [
        (Method::DELETE, DIP, vec!["GET", "HEAD", "OPTIONS", "PATCH"]),
        (Method::PUT, DIP, vec!["GET", "HEAD", "OPTIONS", "PATCH"]),
        (
            Method::DELETE,
            "/api/v1/offices",
            vec!["GET", "HEAD", "OPTIONS", "POST"],
        ),
        (
            Method::DELETE,
            "/api/v1/users/1",
            vec!["GET", "HEAD", "OPTIONS", "PATCH"],
        ),
        (Method::GET, "/api/v1/auth/login", vec!["OPTIONS", "POST"]),
    ] {
        let what = format!("{method} {path}");
        let before = snapshot(&app, &admin).await;
        let response = app
            .request(method.clone(), path, Some(&admin))
            .send()
            .await
            .unwrap();
        let header = response
            .headers()
            .get(ALLOW)
            .unwrap_or_else(|| panic!("{what}: no Allow header"))
            .to_str()
            .unwrap()
            .to_string();
        let mut allowed: Vec<&str> = header.split(',').map(str::trim).collect();
        allowed.sort_unstable();
        assert_eq!(allowed, allow, "{what}: Allow: {header}");
        expect_error(response, 405, "method_not_allowed", None, &what).await;
        assert_eq!(
            snapshot(&app, &admin).await,
            before,
            "{what} changed something"
        );
    }
    assert_eq!(read_office(&app, "DIP").await["code"], "DIP");
}

async fn bad_paging_parameters(app: TestApp) {
    let admin = setup(&app).await;
    for path in [
        OFFICES,
        "/api/v1/associations",
        "/api/v1/users",
        "/api/v1/audit",
    ] {
        for (query, expected) in [
            ("limit=0", invalid("limit")),
            ("limit=501", invalid("limit")),
            ("limit=-1", invalid("limit")),
            ("limit=abc", invalid("limit")),
            ("limit=1.5", invalid("limit")),
            ("limit=99999999999999999999", invalid("limit")),
            ("cursor=garbage!!", invalid("cursor")),
            ("cursor=%25%25%25", invalid("cursor")),
            ("cursor=bm90IGpzb24", invalid("cursor")),
        ] {
            let url = format!("{path}?{query}");
            rejected(&app, &admin, app.get(&url, Some(&admin)), expected, &url).await;
        }
        // The bounds themselves are fine.
        for query in ["limit=1", "limit=500"] {
            let url = format!("{path}?{query}");
            assert_eq!(app.get(&url, Some(&admin)).await.status(), 200, "{url}");
        }
    }
    // A well-formed cursor of the wrong list: offices are keyed by code, the audit log
    // and users by number.
    let audit_page: Value = app
        .get("/api/v1/audit?limit=1", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let number_cursor = audit_page["next_cursor"].as_str().unwrap().to_string();
    let offices_page: Value = app
        .get("/api/v1/offices?limit=1", None)
        .await
        .json()
        .await
        .unwrap();
    let office_cursor = offices_page["next_cursor"].as_str().unwrap().to_string();
    let url = format!("{OFFICES}?cursor={number_cursor}");
    rejected(
        &app,
        &admin,
        app.get(&url, None),
        invalid("cursor"),
        "an audit cursor on offices",
    )
    .await;
    let url = format!("/api/v1/users?cursor={office_cursor}");
    rejected(
        &app,
        &admin,
        app.get(&url, Some(&admin)),
        invalid("cursor"),
        "an office cursor on users",
    )
    .await;
}

async fn bad_ids_are_404(app: TestApp) {
    let admin = setup(&app).await;
    for path in [
        "/api/v1/users/abc",
        "/api/v1/users/1.5",
        "/api/v1/users/99999999999999999999",
        "/api/v1/users/999999",
        "/api/v1/associations/abc",
        "/api/v1/associations/999999",
    ] {
        rejected(
            &app,
            &admin,
            app.get(path, Some(&admin)),
            (404, "not_found", None),
            path,
        )
        .await;
    }
    let patch = app.patch(
        "/api/v1/users/abc",
        Some(&admin),
        json!({"display_name": "x"}),
    );
    rejected(
        &app,
        &admin,
        patch,
        (404, "not_found", None),
        "PATCH /api/v1/users/abc",
    )
    .await;
    let patch = app.patch(
        "/api/v1/users/999999",
        Some(&admin),
        json!({"display_name": "x"}),
    );
    rejected(
        &app,
        &admin,
        patch,
        (404, "not_found", None),
        "PATCH /api/v1/users/999999",
    )
    .await;
}

async fn duplicates_are_409(app: TestApp) {
    let admin = setup(&app).await;
    let dip = read_office(&app, "DIP").await;
    let clash = with(
        office("DIP"),
        json!({"name": "Another DIP", "jurisdiction": "FR"}),
    );
    let body = rejected(
        &app,
        &admin,
        app.post(OFFICES, Some(&admin), clash),
        (409, "already_exists", None),
        "DIP again",
    )
    .await;
    assert!(
        body["error"]["message"].as_str().unwrap().contains("DIP"),
        "{body}"
    );
    assert_eq!(
        read_office(&app, "DIP").await,
        dip,
        "the original is untouched"
    );

    let user = json!({"username": "admin", "password": PASSWORD, "role": "auditor"});
    rejected(
        &app,
        &admin,
        app.post("/api/v1/users", Some(&admin), user),
        (409, "already_exists", None),
        "admin again",
    )
    .await;
    let association = json!({"name": "Longjing Tea Association", "office": "CNIPA"});
    let request = app.post("/api/v1/associations", Some(&admin), association);
    rejected(
        &app,
        &admin,
        request,
        (409, "already_exists", None),
        "an association again",
    )
    .await;
    // The same name in another office is another association.
    app.create_association(&admin, "Longjing Tea Association", "DIP")
        .await;
    // The database is still usable after the failed transactions.
    app.create_office(&admin, "EUIPO", "EU", 90).await;
}

async fn if_match_guards_updates(app: TestApp) {
    let admin = setup(&app).await;
    let response = app.get(DIP, None).await;
    assert_eq!(response.headers()[ETAG], "\"1\"");
    assert_eq!(response.json::<Value>().await.unwrap()["version"], 1);

    let patch = |etag: &'static str, body: Value| {
        app.request(Method::PATCH, DIP, Some(&admin))
            .header(IF_MATCH, etag)
            .json(&body)
            .send()
    };
    let first = patch(
        "\"1\"",
        json!({"name": "Department of Intellectual Property, Thailand"}),
    )
    .await
    .unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()[ETAG], "\"2\"");
    let after_first = read_office(&app, "DIP").await;
    assert_eq!(after_first["version"], 2);

    // A stale version: refused, nothing changes.
    let request = async {
        patch("\"1\"", json!({"opposition_period_days": 30}))
            .await
            .unwrap()
    };
    let body = rejected(
        &app,
        &admin,
        request,
        (412, "precondition_failed", None),
        "a stale If-Match",
    )
    .await;
    assert_eq!(body["error"]["details"]["current_version"], 2, "{body}");
    assert_eq!(read_office(&app, "DIP").await, after_first);
    // Also in the weak form, and from the future.
    for stale in ["W/\"1\"", "\"3\"", "1"] {
        let request = async {
            patch(stale, json!({"opposition_period_days": 30}))
                .await
                .unwrap()
        };
        rejected(
            &app,
            &admin,
            request,
            (412, "precondition_failed", None),
            stale,
        )
        .await;
    }
    // A header that is no ETag at all.
    let request = async {
        patch("\"abc\"", json!({"opposition_period_days": 30}))
            .await
            .unwrap()
    };
    rejected(
        &app,
        &admin,
        request,
        (400, "bad_request", None),
        "If-Match \"abc\"",
    )
    .await;
    assert_eq!(read_office(&app, "DIP").await, after_first);

    // The right version: 200, and the new ETag.
    let before = app.audit_count().await;
    let second = patch("\"2\"", json!({"opposition_period_days": 30}))
        .await
        .unwrap();
    assert_eq!(second.status(), 200);
    assert_eq!(second.headers()[ETAG], "\"3\"");
    let updated: Value = second.json().await.unwrap();
    assert_eq!(updated["version"], 3);
    assert_eq!(updated["opposition_period_days"], 30);
    assert_eq!(app.audit_count().await, before + 1);

    // GET's ETag is the version.
    let response = app.get(DIP, None).await;
    let etag = response.headers()[ETAG].to_str().unwrap().to_string();
    let read: Value = response.json().await.unwrap();
    assert_eq!(etag, format!("\"{}\"", read["version"]));
    assert_eq!(etag, "\"3\"");
    // `*` matches any version.
    let any = patch("*", json!({"name": "DIP"})).await.unwrap();
    assert_eq!(any.status(), 200);
    assert_eq!(any.headers()[ETAG], "\"4\"");
}

/// Pages through the offices, following `next_cursor` until it is null; returns the
/// codes seen, page by page.
async fn page_through(app: &TestApp, limit: u32) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut path = format!("{OFFICES}?limit={limit}");
    loop {
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        let page: Value = response.json().await.unwrap();
        let codes: Vec<String> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["code"].as_str().unwrap().to_string())
            .collect();
        assert!(codes.len() <= limit as usize, "{path}: {codes:?}");
        pages.push(codes);
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("{OFFICES}?limit={limit}&cursor={cursor}"),
            None => return pages,
        }
        assert!(pages.len() < 100, "the cursor never ends");
    }
}

async fn keyset_pagination_sees_every_office_once(app: TestApp) {
    let admin = app.admin_token().await;
    // Created out of order, with digits, '-' and '_' to test the ordering.
    let codes = ["ZZ", "KIPO", "OFF-B", "OFFA", "OFF_C", "A1", "EUIPO"];
    for (i, code) in codes.iter().enumerate() {
        app.create_office(&admin, code, "EU", 60 + i as i32).await;
    }
    let mut expected: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    expected.sort();

    let pages = page_through(&app, 3).await;
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        [3, 3, 1],
        "{pages:?}"
    );
    let seen: Vec<String> = pages.into_iter().flatten().collect();
    assert_eq!(seen, expected, "every office once, in code order");

    // A page exactly as long as the list has no next page.
    let pages = page_through(&app, 7).await;
    assert_eq!(pages, [expected.clone()]);
    let pages = page_through(&app, 1).await;
    assert_eq!(pages.len(), 7);
    assert_eq!(pages.into_iter().flatten().collect::<Vec<_>>(), expected);

    // Offices added while paging: those before the cursor are not seen, those after are,
    // and nothing repeats or goes missing.
    let first: Value = app
        .get(&format!("{OFFICES}?limit=3"), None)
        .await
        .json()
        .await
        .unwrap();
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    app.create_office(&admin, "AA", "EU", 60).await;
    app.create_office(&admin, "ZZZ", "EU", 60).await;
    let mut seen: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap().to_string())
        .collect();
    let mut path = format!("{OFFICES}?limit=3&cursor={cursor}");
    loop {
        let page: Value = app.get(&path, None).await.json().await.unwrap();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["code"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => path = format!("{OFFICES}?limit=3&cursor={next}"),
            None => break,
        }
    }
    let mut with_late = expected.clone();
    with_late.push("ZZZ".into());
    with_late.sort();
    assert_eq!(seen, with_late);
}
