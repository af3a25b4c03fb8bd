//! Access tokens: every way a bearer token can be wrong gets 401 with the JSON envelope,
//! and a hand-signed token with the right claims works, so the refusals are for the
//! reason each test names.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::header::AUTHORIZATION;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, TestApp, ADMIN_PASSWORD, JWT_SECRET, PASSWORD};

const ME: &str = "/api/v1/me";

both_backends!(
    hand_signed_token_with_correct_claims_works,
    missing_authorization_header_is_refused,
    basic_authorization_is_refused,
    garbage_bearer_token_is_refused,
    expired_token_is_refused,
    token_not_yet_valid_is_refused,
    token_issued_in_the_future_is_refused,
    tampered_payload_is_refused,
    token_signed_with_another_key_is_refused,
    alg_none_token_is_refused,
    wrong_audience_is_refused,
    wrong_issuer_is_refused,
    token_without_jti_is_refused,
    token_missing_any_claim_is_refused,
    token_for_unknown_subject_is_refused,
    token_with_stale_token_version_is_refused,
    token_of_deactivated_user_is_refused,
);

/// Valid claims for the bootstrap admin (user 1, token version 1), valid from now on.
fn admin_claims() -> Value {
    let now = Utc::now().timestamp();
    json!({
        "iss": "terroir",
        "aud": "terroir-api",
        "sub": "1",
        "exp": now + 300,
        "iat": now,
        "nbf": now,
        "jti": format!("hand-signed-{now}"),
        "tv": 1,
    })
}

fn sign_with(claims: &Value, secret: &[u8]) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

fn sign(claims: &Value) -> String {
    sign_with(claims, JWT_SECRET.as_bytes())
}

/// Admin claims with one field replaced.
fn admin_claims_with(field: &str, value: Value) -> Value {
    let mut claims = admin_claims();
    claims[field] = value;
    claims
}

async fn assert_refused(app: &TestApp, token: &str) {
    assert_error(app.get(ME, Some(token)).await, 401, "unauthorized").await;
}

async fn hand_signed_token_with_correct_claims_works(app: TestApp) {
    let response = app.get(ME, Some(&sign(&admin_claims()))).await;
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["id"], 1);
    assert_eq!(me["username"], "admin");
    // The real token agrees with the hand-built one about who user 1 is.
    let real = app.admin_token().await;
    let real_me: Value = app.get(ME, Some(&real)).await.json().await.unwrap();
    assert_eq!(real_me["id"], 1);
}

async fn missing_authorization_header_is_refused(app: TestApp) {
    let response = app.get(ME, None).await;
    assert!(response.headers().contains_key("www-authenticate"));
    assert_error(response, 401, "unauthorized").await;
}

async fn basic_authorization_is_refused(app: TestApp) {
    let credentials = URL_SAFE_NO_PAD.encode(format!("admin:{ADMIN_PASSWORD}"));
    let response = app
        .request(Method::GET, ME, None)
        .header(AUTHORIZATION, format!("Basic {credentials}"))
        .send()
        .await
        .unwrap();
    assert_error(response, 401, "unauthorized").await;
    // Not even a valid token is accepted under another scheme.
    let token = sign(&admin_claims());
    let response = app
        .request(Method::GET, ME, None)
        .header(AUTHORIZATION, format!("Basic {token}"))
        .send()
        .await
        .unwrap();
    assert_error(response, 401, "unauthorized").await;
}

async fn garbage_bearer_token_is_refused(app: TestApp) {
    assert_refused(&app, "garbage").await;
    assert_refused(&app, "not.a.jwt").await;
    let response = app
        .request(Method::GET, ME, None)
        .header(AUTHORIZATION, "Bearer ")
        .send()
        .await
        .unwrap();
    assert_error(response, 401, "unauthorized").await;
}

async fn expired_token_is_refused(app: TestApp) {
    let now = Utc::now().timestamp();
    // 60 s ago, and 15 s ago (beyond the 5 s leeway, within jsonwebtoken's default 60 s).
    for ago in [60, 15] {
        let mut claims = admin_claims();
        claims["exp"] = json!(now - ago);
        claims["iat"] = json!(now - 960);
        claims["nbf"] = json!(now - 960);
        assert_refused(&app, &sign(&claims)).await;
    }
}

async fn token_not_yet_valid_is_refused(app: TestApp) {
    let now = Utc::now().timestamp();
    let mut claims = admin_claims();
    claims["nbf"] = json!(now + 600);
    claims["exp"] = json!(now + 1200);
    assert_refused(&app, &sign(&claims)).await;
}

async fn token_issued_in_the_future_is_refused(app: TestApp) {
    let now = Utc::now().timestamp();
    let claims = admin_claims_with("iat", json!(now + 600));
    assert_refused(&app, &sign(&claims)).await;
}

async fn tampered_payload_is_refused(app: TestApp) {
    let token = app.admin_token().await;
    assert_eq!(app.get(ME, Some(&token)).await.status(), 200);
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    // Flip one character of the payload, keeping it valid base64url.
    let mut payload: Vec<char> = parts[1].chars().collect();
    let middle = payload.len() / 2;
    payload[middle] = if payload[middle] == 'A' { 'B' } else { 'A' };
    let payload: String = payload.into_iter().collect();
    assert_ne!(payload, parts[1]);
    let tampered = format!("{}.{}.{}", parts[0], payload, parts[2]);
    assert_refused(&app, &tampered).await;

    // A meaningful forgery: the payload re-encoded with another `tv`, old signature kept.
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["tv"] = json!(claims["tv"].as_i64().unwrap() + 1);
    let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    let forged = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
    assert_refused(&app, &forged).await;
}

async fn token_signed_with_another_key_is_refused(app: TestApp) {
    let other_key = [0x5au8; 32];
    assert_ne!(&other_key[..], JWT_SECRET.as_bytes());
    assert_refused(&app, &sign_with(&admin_claims(), &other_key)).await;
}

async fn alg_none_token_is_refused(app: TestApp) {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&admin_claims()).unwrap());
    assert_refused(&app, &format!("{header}.{payload}.")).await;
    // Nor with the real signature of the same claims kept on it.
    let real = sign(&admin_claims());
    let signature = real.rsplit('.').next().unwrap();
    assert_refused(&app, &format!("{header}.{payload}.{signature}")).await;
}

async fn wrong_audience_is_refused(app: TestApp) {
    assert_refused(&app, &sign(&admin_claims_with("aud", json!("another-api")))).await;
}

async fn wrong_issuer_is_refused(app: TestApp) {
    assert_refused(
        &app,
        &sign(&admin_claims_with("iss", json!("someone-else"))),
    )
    .await;
}

async fn token_without_jti_is_refused(app: TestApp) {
    let mut claims = admin_claims();
    claims.as_object_mut().unwrap().remove("jti");
    assert_refused(&app, &sign(&claims)).await;
    assert_refused(&app, &sign(&admin_claims_with("jti", json!("")))).await;
}

async fn token_missing_any_claim_is_refused(app: TestApp) {
    for missing in ["iss", "aud", "sub", "exp", "iat", "nbf", "tv"] {
        let mut claims = admin_claims();
        claims.as_object_mut().unwrap().remove(missing);
        let response = app.get(ME, Some(&sign(&claims))).await;
        assert_eq!(response.status(), 401, "accepted a token without {missing}");
        assert_error(response, 401, "unauthorized").await;
    }
}

async fn token_for_unknown_subject_is_refused(app: TestApp) {
    assert_refused(&app, &sign(&admin_claims_with("sub", json!("999")))).await;
    assert_refused(&app, &sign(&admin_claims_with("sub", json!("admin")))).await;
    assert_refused(&app, &sign(&admin_claims_with("sub", json!(1)))).await;
}

async fn token_with_stale_token_version_is_refused(app: TestApp) {
    // A version older than the user's is refused outright.
    assert_refused(&app, &sign(&admin_claims_with("tv", json!(0)))).await;

    // A real token goes stale when the version moves on: logging out everywhere from
    // another session bumps it, without revoking the first token's jti.
    let first = app.admin_token().await;
    let second = app.admin_token().await;
    assert_eq!(app.get(ME, Some(&first)).await.status(), 200);
    let logout = app
        .post(
            "/api/v1/auth/logout",
            Some(&second),
            json!({"everywhere": true}),
        )
        .await;
    assert_eq!(logout.status(), 204);
    assert_refused(&app, &first).await;
    assert_refused(&app, &sign(&admin_claims())).await;
    // The current version (2) still works, so the refusal above is about tv.
    let current = app
        .get(ME, Some(&sign(&admin_claims_with("tv", json!(2)))))
        .await;
    assert_eq!(current.status(), 200);
}

async fn token_of_deactivated_user_is_refused(app: TestApp) {
    let admin = app.admin_token().await;
    app.create_office(&admin, "EUIPO", "EU", 90).await;
    let created = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": "examiner.one", "password": PASSWORD, "role": "examiner",
                   "office": "EUIPO"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();

    let examiner_pair = app.tokens("examiner.one", PASSWORD).await;
    let examiner = examiner_pair["access_token"].as_str().unwrap().to_string();
    let examiner_refresh = examiner_pair["refresh_token"].as_str().unwrap().to_string();
    let me = app.get(ME, Some(&examiner)).await;
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["username"], "examiner.one");
    let examiner_claims = |tv: i64| {
        let mut claims = admin_claims_with("sub", json!(id.to_string()));
        claims["tv"] = json!(tv);
        claims
    };
    assert_eq!(
        app.get(ME, Some(&sign(&examiner_claims(1)))).await.status(),
        200
    );

    let patched = app
        .patch(
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            json!({"active": false}),
        )
        .await;
    assert_eq!(patched.status(), 200);
    let patched: Value = patched.json().await.unwrap();
    assert_eq!(patched["active"], false);

    assert_refused(&app, &examiner).await;
    // Deactivation also bumped the token version; a token carrying the new version is
    // still refused, because the account is inactive.
    assert_refused(&app, &sign(&examiner_claims(2))).await;
    assert_error(
        app.login("examiner.one", PASSWORD).await,
        401,
        "unauthorized",
    )
    .await;
    let refreshed = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": examiner_refresh}),
        )
        .await;
    assert_error(refreshed, 401, "unauthorized").await;
    // The admin's own token is untouched by the examiner's deactivation.
    assert_eq!(app.get(ME, Some(&admin)).await.status(), 200);

    // Reactivated (which ends no sessions), the version-2 token works again: the refusal
    // above was for inactivity. The token from before the deactivation stays dead.
    let reactivated = app
        .patch(
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            json!({"active": true}),
        )
        .await;
    assert_eq!(reactivated.status(), 200);
    assert_eq!(
        app.get(ME, Some(&sign(&examiner_claims(2)))).await.status(),
        200
    );
    assert_refused(&app, &examiner).await;
}
