//! Decisions as the law writes them (issue 12): standing to oppose, who withdraws.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{oppose as oppose_recognition, partners, recognition_in};
use crate::register::{expect, gi_in, oppose as oppose_gi};

both_backends!(an_association_has_no_standing_against_its_own_gi);

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
