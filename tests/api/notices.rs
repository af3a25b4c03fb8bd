//! An association's notices (issue 15): every change to its own GIs at home and abroad,
//! newest first, with the grounds of a decision; read marks per user; the deadlines
//! ahead; nobody else's.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{oppose, partners, r_act_ok, recognition_in, DECISION_DEADLINE};
use crate::register::expect;

both_backends!(an_association_hears_of_its_own_gis_only);

async fn notices(app: &TestApp, token: &str, query: &str) -> Value {
    expect(
        app.get(&format!("/api/v1/notices{query}"), Some(token))
            .await,
        200,
    )
    .await
}

async fn an_association_hears_of_its_own_gis_only(app: TestApp) {
    let w = partners(&app).await;
    let (gi, recognition) = recognition_in(&app, &w, "published").await;
    expect(
        oppose(
            &app,
            &w.th_assoc,
            recognition,
            json!({"grounds": "prior use", "filed_on": "2026-07-01"}),
        )
        .await,
        201,
    )
    .await;
    r_act_ok(&app, &w.th_examiner, recognition, "refuse", "2026-09-01").await;

    let list = notices(&app, &w.cn_assoc, "").await;
    let items = list["items"].as_array().unwrap();
    let newest = &items[0];
    assert_eq!(newest["event"]["event_type"], "refuse", "{newest}");
    assert_eq!(newest["event"]["entity_id"], recognition);
    assert!(newest["event"]["grounds"]
        .as_str()
        .is_some_and(|g| !g.is_empty()));
    assert_eq!(newest["read"], false);
    let kinds: Vec<&str> = items
        .iter()
        .map(|n| n["event"]["event_type"].as_str().unwrap())
        .collect();
    assert!(kinds.iter().any(|k| k.contains("opposition")), "{kinds:?}");
    assert!(kinds.contains(&"register"), "home events too: {kinds:?}");
    let ids: Vec<i64> = items.iter().map(|n| n["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    assert!(items.iter().all(|n| n["event"]["gi_id"] == gi));
    // The refusal closed the proceeding: no deadline ahead for it.
    assert_eq!(list["deadlines_ahead"], json!([]), "{list}");

    // Read marks are the reader's own.
    let id = ids[0];
    let read = app
        .post(
            &format!("/api/v1/notices/{id}/read"),
            Some(&w.cn_assoc),
            json!({}),
        )
        .await;
    assert_eq!(read.status(), 204);
    let again = app
        .post(
            &format!("/api/v1/notices/{id}/read"),
            Some(&w.cn_assoc),
            json!({}),
        )
        .await;
    assert_eq!(again.status(), 204, "marking twice is harmless");
    assert_eq!(
        notices(&app, &w.cn_assoc, "").await["items"][0]["read"],
        true
    );

    // Pages follow each other without overlap.
    let first = notices(&app, &w.cn_assoc, "?limit=2").await;
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let second = notices(&app, &w.cn_assoc, &format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(first["items"][1]["id"].as_i64().unwrap(), ids[1]);
    assert_eq!(second["items"][0]["id"].as_i64().unwrap(), ids[2]);

    // Another association hears nothing of it, and cannot mark it.
    assert_eq!(
        notices(&app, &w.cn_other_assoc, "").await["items"],
        json!([])
    );
    let other = app
        .post(
            &format!("/api/v1/notices/{id}/read"),
            Some(&w.cn_other_assoc),
            json!({}),
        )
        .await;
    assert_error(other, 404, "not_found").await;
    for token in [&w.cn_examiner, &w.auditor, &w.admin] {
        assert_error(
            app.get("/api/v1/notices", Some(token)).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_error(app.get("/api/v1/notices", None).await, 401, "unauthorized").await;

    // A pending recognition shows its decision deadline ahead.
    let (_, pending) = recognition_in(&app, &w, "published").await;
    let ahead = notices(&app, &w.cn_assoc, "").await["deadlines_ahead"].clone();
    assert!(
        ahead
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["recognition_id"] == pending
                && d["deadline"] == "decision"
                && d["date"] == DECISION_DEADLINE
                && d["basis"]["period"] == "P365D"
                && d["basis"]["from"] == "2026-05-10"),
        "{ahead}"
    );
}
