use serde_json::json;

use crate::both_backends;
use crate::helpers::{assert_error, TestApp, ADMIN_PASSWORD};

both_backends!(
    login_right_and_wrong,
    unknown_user_is_refused_like_a_wrong_password
);

async fn login_right_and_wrong(app: TestApp) {
    let pair = app.tokens("admin", ADMIN_PASSWORD).await;
    assert_eq!(pair["token_type"], "Bearer");
    assert_eq!(pair["expires_in"], 900);
    assert!(pair["refresh_token"].as_str().unwrap().len() > 20);
    let me = app.get("/api/v1/me", pair["access_token"].as_str()).await;
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["username"], "admin");
    assert_eq!(me["role"], "admin");
    assert!(me.get("password_hash").is_none());

    let before = app.audit_count().await;
    let wrong = app.login("admin", "not-the-password").await;
    assert_error(wrong, 401, "unauthorized").await;
    // A failed login is a write: it is audited.
    assert_eq!(app.audit_count().await, before + 1);
}

async fn unknown_user_is_refused_like_a_wrong_password(app: TestApp) {
    let unknown: serde_json::Value = app
        .login("nobody", "whatever-password")
        .await
        .json()
        .await
        .unwrap();
    let wrong: serde_json::Value = app
        .login("admin", "whatever-password")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unknown, wrong);
    let _ = json!({});
}
