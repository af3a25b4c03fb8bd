//! Oppositions settled by coexistence, and decisions that name their earlier rights
//! (issue 12).

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{
    decide, oppose, partners, protection, r_act, recognition, recognition_in, TH_PROTECTED_ON,
};
use crate::register::{act_ok, expect, gi_in, oppose as oppose_gi, REGISTERED_ON};

both_backends!(
    a_prior_trademark_coexists_with_the_protection,
    opposition_decisions_name_their_earlier_rights,
    a_settlement_at_home_is_listed_with_the_registration,
);

fn prior_mark() -> Value {
    json!({"kind": "trademark", "number": "TH 181112345", "territory": "TH",
           "owner": "Siam Dragon Tea Co. (fictitious)", "classes": [30]})
}

/// The mark as the register shows it back (every field, null when not given).
fn prior_mark_shown() -> Value {
    let mut mark = prior_mark();
    mark["description"] = Value::Null;
    mark
}

/// An opposition recorded by the DIP examiner for the owner of a prior Thai mark.
async fn opposed_by_the_mark_owner(app: &TestApp, token: &str, id: i64) -> i64 {
    let filed = expect(
        oppose(
            app,
            token,
            id,
            json!({"opponent_name": "Siam Dragon Tea Co. (fictitious)",
                   "grounds": "the mark DRAGON WELL has been registered for tea since 2011",
                   "filed_on": "2026-07-01", "earlier_rights": [prior_mark()]}),
        )
        .await,
        201,
    )
    .await;
    filed["id"].as_i64().unwrap()
}

/// EU–China Art. 6(4): the mark and the GI coexist on stated terms; the application goes
/// on and the protection lists the mark.
async fn a_prior_trademark_coexists_with_the_protection(app: TestApp) {
    let w = partners(&app).await;
    let (gi_id, id) = recognition_in(&app, &w, "published").await;
    let opposition = opposed_by_the_mark_owner(&app, &w.th_examiner, id).await;
    let terms = "DRAGON WELL is used only with its owner's house name, never alone on tea";
    let before = app.audit_count().await;
    for (body, field) in [
        (
            json!({"action": "settle", "effective_on": "2026-08-01"}),
            "coexistence_terms",
        ),
        (
            json!({"action": "settle", "effective_on": "2026-08-01", "coexistence_terms": "  "}),
            "coexistence_terms",
        ),
        (
            json!({"action": "settle", "effective_on": "2026-08-01", "coexistence_terms": terms,
                   "earlier_rights": [{"kind": "trademark", "owner": "x"}]}),
            "earlier_rights[0].number",
        ),
        (
            json!({"action": "reject", "grounds": "g", "effective_on": "2026-08-01",
                   "coexistence_terms": terms}),
            "coexistence_terms",
        ),
    ] {
        let error = assert_error(
            decide(&app, &w.th_examiner, opposition, body.clone()).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(
            error["error"]["details"][0]["field"], field,
            "{body}: {error}"
        );
    }
    // Only the deciding office settles.
    for token in [&w.cn_examiner, &w.th_assoc] {
        assert_error(
            decide(
                &app,
                token,
                opposition,
                json!({"action": "settle", "effective_on": "2026-08-01", "coexistence_terms": terms}),
            )
            .await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_eq!(app.audit_count().await, before, "nothing written");

    let settled = expect(
        decide(
            &app,
            &w.th_examiner,
            opposition,
            json!({"action": "settle", "effective_on": "2026-08-01", "coexistence_terms": terms}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(settled["status"], "settled", "{settled}");
    assert_eq!(settled["coexistence_terms"], terms);
    assert_eq!(
        settled["decision_earlier_rights"][0]["number"],
        "TH 181112345"
    );
    // The application goes on: published, and protected once the period has run.
    assert_eq!(recognition(&app, id).await["status"], "published");
    expect(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "protect", "effective_on": TH_PROTECTED_ON}),
        )
        .await,
        200,
    )
    .await;
    let now = protection(&app, gi_id, None).await;
    let thailand = &now["territories"][0];
    assert_eq!(thailand["status"], "protected", "{now}");
    assert_eq!(
        thailand["coexisting_rights"],
        json!([{"opposition_id": opposition, "right": prior_mark_shown(), "terms": terms}])
    );
    // Before the settlement, nothing coexisted.
    let then = protection(&app, gi_id, Some("2026-07-15")).await;
    assert_eq!(then["territories"][0]["coexisting_rights"], json!([]));
}

/// Upheld or rejected, a decision names the earlier rights it rests on; an upheld one
/// refuses the recognition on them.
async fn opposition_decisions_name_their_earlier_rights(app: TestApp) {
    let w = partners(&app).await;
    let (_, rejected_in) = recognition_in(&app, &w, "published").await;
    let (_, upheld_in) = recognition_in(&app, &w, "published").await;
    let first = opposed_by_the_mark_owner(&app, &w.th_examiner, rejected_in).await;
    let second = opposed_by_the_mark_owner(&app, &w.th_examiner, upheld_in).await;
    let error = assert_error(
        decide(
            &app,
            &w.th_examiner,
            first,
            json!({"action": "withdraw", "grounds": "the opponent's letter of 2026-08-01",
                   "earlier_rights": [prior_mark()]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "earlier_rights");
    let generic =
        json!({"kind": "generic_term", "description": "'dragon well' for a kind of green tea"});
    let rejected = expect(
        decide(
            &app,
            &w.th_examiner,
            first,
            json!({"action": "reject", "effective_on": "2026-08-01",
                   "grounds": "the mark lapsed for non-use", "earlier_rights": [generic]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(
        rejected["decision_earlier_rights"][0]["kind"],
        "generic_term"
    );
    assert_eq!(rejected["coexistence_terms"], Value::Null);

    let upheld = expect(
        decide(
            &app,
            &w.th_examiner,
            second,
            json!({"action": "uphold", "effective_on": "2026-08-01",
                   "grounds": "the mark is in use for tea", "earlier_rights": [prior_mark()]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(upheld["status"], "upheld");
    let refused = recognition(&app, upheld_in).await;
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["earlier_rights"], json!([prior_mark_shown()]));
}

/// At home too: the settled opposition's right is listed with the GI at home.
async fn a_settlement_at_home_is_listed_with_the_registration(app: TestApp) {
    let w = partners(&app).await;
    let gi_id = gi_in(&app, &w, "published").await;
    let mark = json!({"kind": "trademark", "number": "CN 7654321", "territory": "CN",
                      "owner": "Pinggu Peach Association", "classes": [30]});
    let filed = expect(
        oppose_gi(
            &app,
            &w.cn_other_assoc,
            gi_id,
            json!({"grounds": "our collective mark for tea", "filed_on": "2026-04-01",
                   "earlier_rights": [mark]}),
        )
        .await,
        201,
    )
    .await;
    let terms = "the collective mark is used only on peach-flavoured tea";
    expect(
        decide(
            &app,
            &w.cn_examiner,
            filed["id"].as_i64().unwrap(),
            json!({"action": "settle", "effective_on": "2026-04-15", "coexistence_terms": terms}),
        )
        .await,
        200,
    )
    .await;
    act_ok(&app, &w.cn_examiner, gi_id, "register", REGISTERED_ON).await;
    let home = protection(&app, gi_id, None).await["home"].clone();
    assert_eq!(home["status"], "registered");
    assert_eq!(
        home["coexisting_rights"][0]["right"]["number"], "CN 7654321",
        "{home}"
    );
    assert_eq!(home["coexisting_rights"][0]["terms"], terms);
    let before = protection(&app, gi_id, Some("2026-04-10")).await["home"].clone();
    assert_eq!(before["coexisting_rights"], json!([]));
}
