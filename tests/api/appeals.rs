//! Appeals against refusals (issue 12): lodged by the association or the origin office
//! while the remedies are open, allowed or dismissed by the office that refused; as-of
//! reads and exports show `under_appeal` in between.

use serde_json::json;

use crate::both_backends;
use crate::exports::export_bytes;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{partners, protection, r_act, r_events, recognition, recognition_in};
use crate::register::{act, expect, gi, gi_in, World};

both_backends!(
    a_refusal_is_appealed_in_time_and_allowed,
    an_appeal_after_the_remedy_deadline_is_out_of_time,
    a_refusal_at_home_is_appealed_then_dismissed_or_allowed,
);

const REMEDIES: &str = "An appeal to the GI Board within 60 days of this notification";

/// A recognition refused by DIP on 2026-09-01, appealable until 2026-10-31.
async fn refused_in_thailand(app: &TestApp, w: &World) -> (i64, i64) {
    let (gi_id, id) = recognition_in(app, w, "published").await;
    expect(
        r_act(
            app,
            &w.th_examiner,
            id,
            json!({"action": "refuse", "effective_on": "2026-09-01",
                   "grounds": "the name is generic in Thailand",
                   "remedies": REMEDIES, "remedy_deadline": "2026-10-31"}),
        )
        .await,
        200,
    )
    .await;
    (gi_id, id)
}

async fn a_refusal_is_appealed_in_time_and_allowed(app: TestApp) {
    let w = partners(&app).await;
    let (gi_id, id) = refused_in_thailand(&app, &w).await;
    let appeal = json!({"action": "appeal", "effective_on": "2026-10-15",
                        "grounds": "the name designates tea from West Lake only"});
    let before = app.audit_count().await;
    // The partner does not appeal its own refusal, nor another association.
    for token in [&w.th_examiner, &w.cn_other_assoc, &w.th_assoc] {
        assert_error(
            r_act(&app, token, id, appeal.clone()).await,
            403,
            "forbidden",
        )
        .await;
    }
    // An appeal states its grounds.
    let error = assert_error(
        r_act(
            &app,
            &w.cn_assoc,
            id,
            json!({"action": "appeal", "effective_on": "2026-10-15"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "grounds");
    assert_eq!(app.audit_count().await, before, "nothing written");

    let appealed = expect(r_act(&app, &w.cn_assoc, id, appeal).await, 200).await;
    assert_eq!(appealed["status"], "under_appeal", "{appealed}");
    // The refusal stands while appealed.
    assert_eq!(appealed["grounds"], "the name is generic in Thailand");
    assert_eq!(appealed["remedy_deadline"], "2026-10-31");

    // Only the deciding office decides the appeal.
    let allow = json!({"action": "appeal_allowed", "effective_on": "2026-11-20",
                       "excluded_names": [{"name": "Longjing cha", "reason": "a romanisation in use by Thai traders"}]});
    for token in [&w.cn_assoc, &w.cn_examiner] {
        assert_error(
            r_act(&app, token, id, allow.clone()).await,
            403,
            "forbidden",
        )
        .await;
    }
    let allowed = expect(r_act(&app, &w.th_examiner, id, allow).await, 200).await;
    assert_eq!(allowed["status"], "protected");
    assert_eq!(allowed["protected_from"], "2026-11-20");
    assert_eq!(allowed["remedies"], serde_json::Value::Null);
    let kinds: Vec<String> = r_events(&app, id)
        .await
        .iter()
        .map(|e| e["event_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds[kinds.len() - 2..], ["appeal", "appeal_allowed"]);

    let now = protection(&app, gi_id, None).await;
    assert_eq!(now["territories"][0]["status"], "protected");
    assert_eq!(now["territories"][0]["protected_names"], json!(["龙井茶"]));
    // In between, under appeal: in /protection, the list and the export.
    let between = protection(&app, gi_id, Some("2026-11-01")).await;
    assert_eq!(
        between["territories"][0]["status"], "under_appeal",
        "{between}"
    );
    assert_eq!(between["territories"][0]["protected_names"], json!([]));
    let listed = expect(
        app.get(
            "/api/v1/recognitions?as_of=2026-11-01&status=under_appeal",
            None,
        )
        .await,
        200,
    )
    .await;
    let ids: Vec<i64> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [id]);
    let csv =
        String::from_utf8(export_bytes(&app, &w.auditor, "format=csv&as_of=2026-11-01").await)
            .unwrap();
    let row = csv
        .lines()
        .find(|l| l.starts_with(&format!("{id},")))
        .unwrap();
    assert!(row.contains(",DIP,TH,under_appeal,"), "{row}");
    // Before the appeal: refused.
    let refused = protection(&app, gi_id, Some("2026-10-01")).await;
    assert_eq!(refused["territories"][0]["status"], "refused");
}

async fn an_appeal_after_the_remedy_deadline_is_out_of_time(app: TestApp) {
    let w = partners(&app).await;
    let (_, id) = refused_in_thailand(&app, &w).await;
    let before = app.audit_count().await;
    let late = assert_error(
        r_act(
            &app,
            &w.cn_examiner,
            id,
            json!({"action": "appeal", "effective_on": "2026-11-01", "grounds": "late"}),
        )
        .await,
        409,
        "remedy_deadline_passed",
    )
    .await;
    assert_eq!(late["error"]["details"]["remedy_deadline"], "2026-10-31");
    assert_eq!(app.audit_count().await, before, "nothing written");
    assert_eq!(recognition(&app, id).await["status"], "refused");
    // Neither allowed nor dismissed before an appeal is lodged.
    assert_error(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "appeal_dismissed", "grounds": "no appeal"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;

    // The last day still counts; the origin office may lodge it.
    let appealed = expect(
        r_act(
            &app,
            &w.cn_examiner,
            id,
            json!({"action": "appeal", "effective_on": "2026-10-31", "grounds": "on the last day"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(appealed["status"], "under_appeal");
    // A dismissal states its grounds, and leaves the refusal as it was.
    let error = assert_error(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "appeal_dismissed", "effective_on": "2026-11-10"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "grounds");
    let dismissed = expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "appeal_dismissed", "effective_on": "2026-11-10",
                   "grounds": "the Board confirms the refusal"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(dismissed["status"], "refused");
    assert_eq!(dismissed["grounds"], "the name is generic in Thailand");
    assert_eq!(dismissed["decided_on"], "2026-09-01");
    // Once dismissed and out of time, no second appeal.
    assert_error(
        r_act(
            &app,
            &w.cn_assoc,
            id,
            json!({"action": "appeal", "effective_on": "2026-11-11", "grounds": "again"}),
        )
        .await,
        409,
        "remedy_deadline_passed",
    )
    .await;
}

/// At home the office that refused decides the appeal; an allowed appeal registers the
/// GI (with its number), a dismissed one leaves it refused.
async fn a_refusal_at_home_is_appealed_then_dismissed_or_allowed(app: TestApp) {
    let w = partners(&app).await;
    let refuse = json!({"action": "refuse", "effective_on": "2026-06-01",
                        "grounds": "the area is not shown to shape the tea",
                        "remedies": "A request for review to CNIPA's review board",
                        "remedy_deadline": "2026-08-31"});
    // The remedies' deadline comes after the refusal's legal date, not on it.
    let early = gi_in(&app, &w, "published").await;
    let mut same_day = refuse.clone();
    same_day["remedy_deadline"] = json!("2026-06-01");
    let error = assert_error(
        act(&app, &w.cn_examiner, early, same_day).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "remedy_deadline");
    assert_eq!(gi(&app, None, early).await["status"], "published");
    let mut stories = Vec::new();
    for _ in 0..2 {
        let id = gi_in(&app, &w, "published").await;
        expect(act(&app, &w.cn_examiner, id, refuse.clone()).await, 200).await;
        stories.push(id);
    }
    let (dismissed, allowed) = (stories[0], stories[1]);
    // Remedies only with a refusal, and with their deadline.
    let error = assert_error(
        act(
            &app,
            &w.cn_assoc,
            dismissed,
            json!({"action": "appeal", "effective_on": "2026-07-01", "grounds": "g",
                   "remedy_deadline": "2026-12-01"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "remedy_deadline");
    assert_error(
        act(
            &app,
            &w.cn_assoc,
            dismissed,
            json!({"action": "appeal", "effective_on": "2026-09-01", "grounds": "late"}),
        )
        .await,
        409,
        "remedy_deadline_passed",
    )
    .await;
    assert_error(
        act(
            &app,
            &w.cn_other_assoc,
            dismissed,
            json!({"action": "appeal", "effective_on": "2026-07-01", "grounds": "not ours"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    for id in [dismissed, allowed] {
        let appealed = expect(
            act(
                &app,
                &w.cn_assoc,
                id,
                json!({"action": "appeal", "effective_on": "2026-07-01",
                       "grounds": "the link with West Lake is documented since the Tang"}),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(appealed["status"], "under_appeal");
    }
    // The association does not decide its own appeal.
    assert_error(
        act(
            &app,
            &w.cn_assoc,
            allowed,
            json!({"action": "appeal_allowed", "effective_on": "2026-08-01"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let done = expect(
        act(
            &app,
            &w.cn_examiner,
            dismissed,
            json!({"action": "appeal_dismissed", "effective_on": "2026-08-01",
                   "grounds": "the review board confirms the refusal"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(done["status"], "refused");
    let registered = expect(
        act(
            &app,
            &w.cn_examiner,
            allowed,
            json!({"action": "appeal_allowed", "effective_on": "2026-08-01",
                   "excluded_names": [{"name": "Longjing cha", "reason": "a romanisation, not an indication"}]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(registered["status"], "registered");
    assert_eq!(registered["registered_on"], "2026-08-01");
    assert!(registered["registration_number"].is_string());
    let home = protection(&app, allowed, None).await["home"].clone();
    assert_eq!(home["status"], "registered");
    assert_eq!(home["protected_names"], json!(["龙井茶"]));
    let between = protection(&app, allowed, Some("2026-07-15")).await["home"].clone();
    assert_eq!(between["status"], "under_appeal", "{between}");
    assert_eq!(between["protected_names"], json!([]));
    assert_eq!(
        gi(&app, None, dismissed).await["status"],
        "refused",
        "dismissed"
    );
}
