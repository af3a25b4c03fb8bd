//! Sessions: refresh-token rotation and reuse detection, logout, password change, and
//! login throttling.

use reqwest::Response;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, AuditTail, Backend, TestApp, ADMIN_PASSWORD, PASSWORD};

const ME: &str = "/api/v1/me";
const REFRESH: &str = "/api/v1/auth/refresh";
const LOGOUT: &str = "/api/v1/auth/logout";
const PASSWORD_CHANGE: &str = "/api/v1/me/password";
const NEW_PASSWORD: &str = "a-brand-new-password-for-admin";

both_backends!(
    refresh_rotates_the_pair,
    reused_refresh_token_revokes_its_family,
    unknown_refresh_token_is_refused,
    logout_ends_this_session_only,
    logout_everywhere_ends_every_session,
    password_change_checks_and_ends_sessions,
    concurrent_refreshes_rotate_once,
    expired_refresh_token_is_refused,
    every_session_write_leaves_one_audit_entry,
    concurrent_correct_logins_all_succeed,
);

fn access(pair: &Value) -> &str {
    pair["access_token"].as_str().unwrap()
}

fn refresh_token(pair: &Value) -> &str {
    pair["refresh_token"].as_str().unwrap()
}

async fn refresh(app: &TestApp, token: &str) -> Response {
    app.post(REFRESH, None, json!({ "refresh_token": token }))
        .await
}

async fn me_status(app: &TestApp, token: &str) -> u16 {
    app.get(ME, Some(token)).await.status().as_u16()
}

async fn refresh_rotates_the_pair(app: TestApp) {
    let first = app.tokens("admin", ADMIN_PASSWORD).await;
    let response = refresh(&app, refresh_token(&first)).await;
    assert_eq!(response.status(), 200);
    let second: Value = response.json().await.unwrap();
    assert_eq!(second["token_type"], "Bearer");
    assert_eq!(second["expires_in"], 900);
    assert_ne!(refresh_token(&second), refresh_token(&first));
    assert_ne!(access(&second), access(&first));
    let me = app.get(ME, Some(access(&second))).await;
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["username"], "admin");
    // The rotated token rotates in turn.
    let third = refresh(&app, refresh_token(&second)).await;
    assert_eq!(third.status(), 200);
    let third: Value = third.json().await.unwrap();
    assert_ne!(refresh_token(&third), refresh_token(&second));
    assert_eq!(me_status(&app, access(&third)).await, 200);
}

async fn reused_refresh_token_revokes_its_family(app: TestApp) {
    let first = app.tokens("admin", ADMIN_PASSWORD).await;
    let other_session = app.tokens("admin", ADMIN_PASSWORD).await;
    let second: Value = refresh(&app, refresh_token(&first))
        .await
        .json()
        .await
        .unwrap();

    let before = app.audit_count().await;
    assert_error(
        refresh(&app, refresh_token(&first)).await,
        401,
        "unauthorized",
    )
    .await;
    // The reuse is recorded even though the request is refused.
    assert_eq!(app.audit_count().await, before + 1);
    // The rotated token, never used, is refused too: the whole family is revoked.
    assert_error(
        refresh(&app, refresh_token(&second)).await,
        401,
        "unauthorized",
    )
    .await;
    // ... for good: presenting the reused one again changes nothing.
    assert_error(
        refresh(&app, refresh_token(&first)).await,
        401,
        "unauthorized",
    )
    .await;
    assert_error(
        refresh(&app, refresh_token(&second)).await,
        401,
        "unauthorized",
    )
    .await;

    // Another login is another family, untouched.
    let rotated = refresh(&app, refresh_token(&other_session)).await;
    assert_eq!(rotated.status(), 200);
}

async fn unknown_refresh_token_is_refused(app: TestApp) {
    let pair = app.tokens("admin", ADMIN_PASSWORD).await;
    assert_error(
        refresh(&app, "no-such-refresh-token-anywhere").await,
        401,
        "unauthorized",
    )
    .await;
    // An access token is not a refresh token.
    assert_error(refresh(&app, access(&pair)).await, 401, "unauthorized").await;
    // A known token with a character changed is unknown.
    let mut altered: Vec<char> = refresh_token(&pair).chars().collect();
    altered[0] = if altered[0] == 'A' { 'B' } else { 'A' };
    let altered: String = altered.into_iter().collect();
    assert_error(refresh(&app, &altered).await, 401, "unauthorized").await;
    // The real one still works: the refusals did not spend it.
    assert_eq!(refresh(&app, refresh_token(&pair)).await.status(), 200);
}

async fn concurrent_refreshes_rotate_once(app: TestApp) {
    let pair = app.tokens("admin", ADMIN_PASSWORD).await;
    let attempts = (0..8).map(|_| refresh(&app, refresh_token(&pair)));
    let responses = futures_util::future::join_all(attempts).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 401),
        "{statuses:?}"
    );
}

/// Moves every stored refresh token's expiry into the past; returns the stored hashes.
async fn expire_refresh_tokens(app: &TestApp) -> Vec<String> {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.write_blocking(|conn| {
            use diesel::prelude::*;
            use terroir::db::schema::refresh_tokens;
            let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
            diesel::update(refresh_tokens::table)
                .set(refresh_tokens::expires_at.eq(past))
                .execute(conn)?;
            Ok(refresh_tokens::table
                .select(refresh_tokens::token_hash)
                .load::<String>(conn)?)
        })
        .unwrap()
    })
    .await
    .unwrap()
}

async fn expired_refresh_token_is_refused(app: TestApp) {
    let pair = app.tokens("admin", ADMIN_PASSWORD).await;
    let stored = expire_refresh_tokens(&app).await;
    assert_eq!(stored.len(), 1);
    // Only a digest is stored, never the token itself.
    assert_ne!(stored[0], refresh_token(&pair));
    assert!(!stored[0].contains(refresh_token(&pair)));
    assert_error(
        refresh(&app, refresh_token(&pair)).await,
        401,
        "unauthorized",
    )
    .await;
    // An expired refresh token does not touch the access token of its session.
    assert_eq!(me_status(&app, access(&pair)).await, 200);
}

async fn logout_ends_this_session_only(app: TestApp) {
    let this = app.tokens("admin", ADMIN_PASSWORD).await;
    let other = app.tokens("admin", ADMIN_PASSWORD).await;
    assert_eq!(me_status(&app, access(&this)).await, 200);

    let response = app
        .post(
            LOGOUT,
            Some(access(&this)),
            json!({ "refresh_token": refresh_token(&this) }),
        )
        .await;
    assert_eq!(response.status(), 204);

    assert_error(app.get(ME, Some(access(&this))).await, 401, "unauthorized").await;
    assert_error(
        refresh(&app, refresh_token(&this)).await,
        401,
        "unauthorized",
    )
    .await;
    // Logging out twice with the dead token is refused as well.
    assert_error(
        app.post(LOGOUT, Some(access(&this)), json!({})).await,
        401,
        "unauthorized",
    )
    .await;

    // The other session of the same user lives on.
    assert_eq!(me_status(&app, access(&other)).await, 200);
    let rotated = refresh(&app, refresh_token(&other)).await;
    assert_eq!(rotated.status(), 200);
    let rotated: Value = rotated.json().await.unwrap();
    assert_eq!(me_status(&app, access(&rotated)).await, 200);
}

async fn logout_everywhere_ends_every_session(app: TestApp) {
    let this = app.tokens("admin", ADMIN_PASSWORD).await;
    let other = app.tokens("admin", ADMIN_PASSWORD).await;
    assert_eq!(me_status(&app, access(&other)).await, 200);

    let response = app
        .post(LOGOUT, Some(access(&this)), json!({ "everywhere": true }))
        .await;
    assert_eq!(response.status(), 204);

    assert_error(app.get(ME, Some(access(&this))).await, 401, "unauthorized").await;
    assert_error(app.get(ME, Some(access(&other))).await, 401, "unauthorized").await;
    assert_error(
        refresh(&app, refresh_token(&other)).await,
        401,
        "unauthorized",
    )
    .await;
    assert_error(
        refresh(&app, refresh_token(&this)).await,
        401,
        "unauthorized",
    )
    .await;

    // Logging in again starts afresh.
    let again = app.tokens("admin", ADMIN_PASSWORD).await;
    assert_eq!(me_status(&app, access(&again)).await, 200);
}

async fn password_change_checks_and_ends_sessions(app: TestApp) {
    let pair = app.tokens("admin", ADMIN_PASSWORD).await;
    let token = access(&pair).to_string();

    let wrong = app
        .post(
            PASSWORD_CHANGE,
            Some(&token),
            json!({ "current_password": "not-the-current-password", "new_password": NEW_PASSWORD }),
        )
        .await;
    let body = assert_error(wrong, 422, "validation_failed").await;
    let fields: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["current_password"], "{body}");

    let short = app
        .post(
            PASSWORD_CHANGE,
            Some(&token),
            json!({ "current_password": ADMIN_PASSWORD, "new_password": "elevenchars" }),
        )
        .await;
    let body = assert_error(short, 422, "validation_failed").await;
    assert_eq!(
        body["error"]["details"][0]["field"], "new_password",
        "{body}"
    );

    // Neither refusal changed anything.
    assert_eq!(me_status(&app, &token).await, 200);
    assert_error(app.login("admin", NEW_PASSWORD).await, 401, "unauthorized").await;
    assert_error(app.login("admin", "elevenchars").await, 401, "unauthorized").await;

    let changed = app
        .post(
            PASSWORD_CHANGE,
            Some(&token),
            json!({ "current_password": ADMIN_PASSWORD, "new_password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(changed.status(), 204);

    assert_error(app.get(ME, Some(&token)).await, 401, "unauthorized").await;
    assert_error(
        refresh(&app, refresh_token(&pair)).await,
        401,
        "unauthorized",
    )
    .await;
    assert_error(
        app.login("admin", ADMIN_PASSWORD).await,
        401,
        "unauthorized",
    )
    .await;
    let fresh = app.token("admin", NEW_PASSWORD).await;
    assert_eq!(me_status(&app, &fresh).await, 200);
}

// Login throttling needs a customised server, so it does not go through `both_backends!`.

#[tokio::test]
async fn login_throttling_sqlite() {
    let app = TestApp::spawn_with(Backend::Sqlite, |server| server.login_max_failures = 3)
        .await
        .unwrap();
    login_throttling(app).await;
}

#[tokio::test]
async fn login_throttling_postgres() {
    match TestApp::spawn_with(Backend::Postgres, |server| server.login_max_failures = 3).await {
        Some(app) => login_throttling(app).await,
        None => eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set"),
    }
}

async fn assert_throttled(response: Response) {
    let retry_after = response
        .headers()
        .get("retry-after")
        .expect("a 429 carries Retry-After")
        .to_str()
        .unwrap()
        .parse::<u64>()
        .expect("Retry-After is an integer number of seconds");
    assert!(
        retry_after > 0 && retry_after <= 900,
        "Retry-After: {retry_after}"
    );
    let body = assert_error(response, 429, "rate_limited").await;
    assert_eq!(
        body["error"]["details"]["retry_after_seconds"], retry_after,
        "{body}"
    );
}

async fn login_throttling(app: TestApp) {
    // A second account, created before any failure, to try from the same address later.
    let admin = app.admin_token().await;
    let created = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": "auditor.one", "password": PASSWORD,
                   "role": "auditor"}),
        )
        .await;
    assert_eq!(created.status(), 201);

    let mut audited = app.audit_count().await;
    for attempt in 1..=3 {
        let wrong = app
            .login("admin", &format!("wrong-password-{attempt}"))
            .await;
        assert_error(wrong, 401, "unauthorized").await;
        let now = app.audit_count().await;
        assert_eq!(now, audited + 1, "failed login {attempt} is audited once");
        audited = now;
    }

    // The fourth attempt is throttled, even with the right password, and not audited.
    assert_throttled(app.login("admin", ADMIN_PASSWORD).await).await;
    assert_eq!(app.audit_count().await, audited);
    // Another username from the same address is throttled too, right password or not.
    assert_throttled(app.login("auditor.one", PASSWORD).await).await;
    assert_throttled(app.login("nobody-at-all", "whatever-password").await).await;
    assert_eq!(app.audit_count().await, audited);

    // Throttling is about logging in: an existing session is unaffected.
    assert_eq!(me_status(&app, &admin).await, 200);
}

#[tokio::test]
async fn concurrent_login_throttling_sqlite() {
    let app = TestApp::spawn_with(Backend::Sqlite, |server| server.login_max_failures = 3)
        .await
        .unwrap();
    concurrent_login_throttling(app).await;
}

#[tokio::test]
async fn concurrent_login_throttling_postgres() {
    match TestApp::spawn_with(Backend::Postgres, |server| server.login_max_failures = 3).await {
        Some(app) => concurrent_login_throttling(app).await,
        None => eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set"),
    }
}

/// Ten wrong passwords sent at once must not buy ten guesses when three are allowed.
async fn concurrent_login_throttling(app: TestApp) {
    let before = app.audit_count().await;
    let attempts =
        (0..10).map(|i| app.login("admin", if i % 2 == 0 { "wrong-one" } else { "wrong-two" }));
    let responses = futures_util::future::join_all(attempts).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    let evaluated = statuses.iter().filter(|s| **s == 401).count();
    // Regression: the limiter was checked before the (slow) password verification and
    // the failure recorded after it, so a burst of attempts all got through.
    assert!(
        evaluated <= 3,
        "{evaluated} passwords were tried, not at most 3: {statuses:?}"
    );
    assert_eq!(app.audit_count().await, before + evaluated as i64);
    // Afterwards the right password is throttled too.
    assert_throttled(app.login("admin", ADMIN_PASSWORD).await).await;
}

/// The one entry a successful session write must append, by the admin on itself.
fn admin_entry(action: &str, payload: Value) -> AuditTail {
    AuditTail {
        action: action.to_owned(),
        actor: Some("admin".to_owned()),
        entity_id: Some("1".to_owned()),
        payload,
    }
}

async fn every_session_write_leaves_one_audit_entry(app: TestApp) {
    let pair = app.tokens("admin", ADMIN_PASSWORD).await;

    let before = app.audit_count().await;
    let rotated: Value = refresh(&app, refresh_token(&pair))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        app.audit_after(before).await,
        vec![admin_entry("auth.refresh", json!({}))]
    );

    let before = app.audit_count().await;
    let response = app
        .post(
            LOGOUT,
            Some(access(&rotated)),
            json!({ "refresh_token": refresh_token(&rotated) }),
        )
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        app.audit_after(before).await,
        vec![admin_entry("auth.logout", json!({ "everywhere": false }))]
    );

    let token = app.token("admin", ADMIN_PASSWORD).await;
    let before = app.audit_count().await;
    let response = app
        .post(
            PASSWORD_CHANGE,
            Some(&token),
            json!({ "current_password": ADMIN_PASSWORD, "new_password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), 204);
    let written = app.audit_after(before).await;
    assert_eq!(
        written,
        vec![admin_entry("user.change_password", json!({}))]
    );
    // The entry never carries either password.
    let stored = format!("{written:?}");
    assert!(!stored.contains(ADMIN_PASSWORD) && !stored.contains(NEW_PASSWORD));
}

/// Staff behind one NAT address log in at once: only failures count toward the limit, so
/// 32 correct logins from one address (one username, the hardest case) all succeed; and
/// wrong passwords sent in parallel afterwards still buy at most the limit (5) of guesses.
async fn concurrent_correct_logins_all_succeed(app: TestApp) {
    let logins = (0..32).map(|_| app.login("admin", ADMIN_PASSWORD));
    let statuses: Vec<u16> = futures_util::future::join_all(logins)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");

    let before = app.audit_count().await;
    let wrong =
        (0..12).map(|i| app.login("admin", if i % 2 == 0 { "wrong-one" } else { "wrong-two" }));
    let statuses: Vec<u16> = futures_util::future::join_all(wrong)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    let evaluated = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(evaluated, 5, "exactly the limit is tried: {statuses:?}");
    assert_eq!(app.audit_count().await, before + 5);
    assert_throttled(app.login("admin", ADMIN_PASSWORD).await).await;
}
