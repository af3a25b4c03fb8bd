//! Decisions as the law writes them (issue 12): standing to oppose, who withdraws.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{oppose as oppose_recognition, partners, protection, recognition_in};
use crate::register::{expect, gi_in, oppose as oppose_gi, FILED_ON, REGISTERED_ON};

both_backends!(
    an_association_has_no_standing_against_its_own_gi,
    protection_shows_the_gi_at_home_as_it_stood,
);

/// The Moutai story: the applicant association files an opposition against its own GI
/// abroad (and at home). Refused, before the body is read; another association may.
async fn an_association_has_no_standing_against_its_own_gi(app: TestApp) {
    let w = partners(&app).await;
    let home = gi_in(&app, &w, "published").await;
    let before = app.audit_count().await;
    for body in [
        json!({"grounds": "we object to our own name", "filed_on": "2026-04-01"}),
        json!({"grounds": 7}),
    ] {
        assert_error(
            oppose_gi(&app, &w.cn_assoc, home, body).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_eq!(app.audit_count().await, before, "nothing written");
    expect(
        oppose_gi(
            &app,
            &w.cn_other_assoc,
            home,
            json!({"grounds": "the area is drawn too wide", "filed_on": "2026-04-01"}),
        )
        .await,
        201,
    )
    .await;

    let (_, abroad) = recognition_in(&app, &w, "published").await;
    let before = app.audit_count().await;
    for body in [
        json!({"grounds": "we object to our own protection", "filed_on": "2026-07-01"}),
        json!({"filed_on": "not a date"}),
    ] {
        assert_error(
            oppose_recognition(&app, &w.cn_assoc, abroad, body).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_eq!(app.audit_count().await, before, "nothing written");
    expect(
        oppose_recognition(
            &app,
            &w.th_assoc,
            abroad,
            json!({"grounds": "prior use in Thailand", "filed_on": "2026-07-01"}),
        )
        .await,
        201,
    )
    .await;
}

/// `/protection` starts with the GI at home, as of the same date as the territories.
async fn protection_shows_the_gi_at_home_as_it_stood(app: TestApp) {
    let w = partners(&app).await;
    let (gi, _) = recognition_in(&app, &w, "protected").await;
    let now = protection(&app, gi, None).await;
    let home = &now["home"];
    assert_eq!(home["office"], "CNIPA", "{now}");
    assert_eq!(home["status"], "registered");
    assert_eq!(home["filed_on"], FILED_ON);
    assert_eq!(home["registered_on"], REGISTERED_ON);
    assert!(home["file_number"].as_str().unwrap().starts_with("CN-GI-"));
    assert!(home["registration_number"].is_string());
    assert_eq!(now["territories"][0]["status"], "protected");

    // Published, not yet registered: the file number, no registration number.
    let before = protection(&app, gi, Some("2026-04-01")).await;
    assert_eq!(before["home"]["status"], "published", "{before}");
    assert_eq!(before["home"]["file_number"], home["file_number"]);
    assert_eq!(
        before["home"]["registration_number"],
        serde_json::Value::Null
    );
    assert_eq!(before["home"]["registered_on"], serde_json::Value::Null);
    assert_eq!(before["territories"], json!([]));

    // Before its filing: nothing at home yet.
    let earlier = protection(&app, gi, Some("2025-12-31")).await;
    assert_eq!(
        earlier["home"]["status"],
        serde_json::Value::Null,
        "{earlier}"
    );
    assert_eq!(earlier["home"]["file_number"], serde_json::Value::Null);
}
