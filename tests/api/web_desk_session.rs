//! A desk session lasts a working session, not the access token's lifetime: when the
//! session cookie's token has run out, the next desk page renews the pair with the
//! refresh cookie (the API's rotation), and signing out revokes what was renewed.
//! Access tokens live 1 second here (and the token check allows 5 seconds of clock
//! skew), so the test waits 7 seconds once.

use std::time::Duration;

use super::web_desk::{csrf_of, html, location, Visitor};
use super::web_pages::load_demo;
use crate::helpers::{Backend, TestApp};

#[tokio::test]
async fn a_desk_session_outlives_its_access_token_on_sqlite() {
    a_desk_session_outlives_its_access_token(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_desk_session_outlives_its_access_token_on_postgres() {
    a_desk_session_outlives_its_access_token(Backend::Postgres).await;
}

/// A visitor holding only `refresh` as its refresh cookie.
fn with_refresh<'a>(app: &'a TestApp, refresh: &str) -> Visitor<'a> {
    let mut visitor = Visitor::new(app);
    visitor
        .jar
        .0
        .push(("terroir_refresh".into(), refresh.to_string()));
    visitor
}

async fn a_desk_session_outlives_its_access_token(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |server| server.access_token_ttl_secs = 1).await
    else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    load_demo(&app).await;
    let mut working = Visitor::new(&app);
    working.sign_in("dip-examiner").await;
    let mut leaving = Visitor::new(&app);
    leaving.sign_in("cnipa-examiner").await;
    let first_access = working.jar.get("terroir_session").unwrap().to_string();
    let first_refresh = working.jar.get("terroir_refresh").unwrap().to_string();
    let leaving_refresh = leaving.jar.get("terroir_refresh").unwrap().to_string();

    tokio::time::sleep(Duration::from_secs(7)).await;
    assert_eq!(
        app.get("/api/v1/worklist", Some(&first_access))
            .await
            .status(),
        401,
        "the first access token has expired"
    );

    // Still signed in: the desk renews the pair, in cookies of the same kind.
    let (response, set) = working.get("/desk").await;
    assert_eq!(response.status(), 200);
    for name in ["terroir_session", "terroir_refresh"] {
        let cookie = set
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name} renewed: {set:?}"));
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
    }
    assert!(html(response)
        .await
        .contains("<strong>dip-examiner</strong>"));
    let access = working.jar.get("terroir_session").unwrap().to_string();
    let refresh = working.jar.get("terroir_refresh").unwrap().to_string();
    assert_ne!(access, first_access);
    assert_ne!(refresh, first_refresh, "the refresh token is rotated");
    assert_eq!(
        app.get("/api/v1/worklist", Some(&access)).await.status(),
        200
    );
    // The next page uses the renewed token: nothing more to renew.
    let (response, set) = working.get("/desk").await;
    assert_eq!(response.status(), 200);
    assert!(
        !set.iter().any(|c| c.starts_with("terroir_session=")),
        "{set:?}"
    );

    // Signing out with an expired access token still ends the session: the refresh
    // token it held is spent and its family revoked.
    let csrf = csrf_of(&leaving);
    let (response, set) = leaving.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/?lang=en");
    for name in ["terroir_session", "terroir_refresh"] {
        assert!(
            set.iter()
                .any(|c| c.starts_with(&format!("{name}=;")) && c.contains("Max-Age=0")),
            "{name} cleared: {set:?}"
        );
    }
    let mut replay = with_refresh(&app, &leaving_refresh);
    let (response, set) = replay.get("/desk").await;
    assert_eq!(response.status(), 303, "no session after sign-out");
    assert!(
        set.iter()
            .any(|c| c.starts_with("terroir_refresh=;") && c.contains("Max-Age=0")),
        "a refused refresh cookie is cleared: {set:?}"
    );

    // Signing out of the renewed session revokes the renewed pair.
    let csrf = csrf_of(&working);
    let (response, _) = working.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        app.get("/api/v1/worklist", Some(&access)).await.status(),
        401
    );
    let mut replay = with_refresh(&app, &refresh);
    let (response, _) = replay.get("/desk").await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/login"));
}
