//! Who acts in the partner phase (DESIGN §3): the partner office's examiners (and
//! office admins) decide, the origin office's submit and withdraw, nobody else writes;
//! and the work list shows each examiner what awaits their own office.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{
    create_programme, decide, id_of, oppose, partners, programme_body, r_act, r_act_ok,
    recognition, recognition_in, submission, submit, submit_list, submit_ok, th_gi, CN_TH,
    SUBMITTED_ON, TH_PROTECTED_ON,
};
use crate::register::{expect, get_ok, gi_in, World};

both_backends!(
    the_partner_side_belongs_to_the_partner_office,
    dip_cannot_decide_what_cnipa_decides,
    only_the_origin_office_submits,
    the_work_list_shows_what_awaits_the_callers_office,
);

const PARTNER_ACTIONS: [&str; 6] = [
    "start_examination",
    "publish",
    "protect",
    "refuse",
    "withdraw_refusal",
    "invalidate",
];

/// Office administrators of CNIPA and DIP.
async fn office_admins(app: &TestApp, w: &World) -> (String, String) {
    let cn = app
        .user_token(
            &w.admin,
            json!({"username": "cnipa-admin", "role": "office_admin", "office": "CNIPA"}),
        )
        .await;
    let th = app
        .user_token(
            &w.admin,
            json!({"username": "dip-admin", "role": "office_admin", "office": "DIP"}),
        )
        .await;
    (cn, th)
}

fn body(action: &str) -> Value {
    json!({"action": action, "grounds": "some grounds", "effective_on": TH_PROTECTED_ON})
}

/// Every one of `tokens` gets 403 for every one of `actions`, and anonymous callers 401;
/// the recognition and the audit log do not change.
async fn all_refused(app: &TestApp, id: i64, tokens: &[&String], actions: &[&str]) {
    let before = recognition(app, id).await;
    let audit = app.audit_count().await;
    for action in actions {
        for (i, token) in tokens.iter().enumerate() {
            let response = r_act(app, token, id, body(action)).await;
            let code = response.status().as_u16();
            let err: Value = response.json().await.unwrap();
            assert_eq!(code, 403, "caller #{i} --{action}--> {err}");
            assert_eq!(err["error"]["code"], "forbidden", "{err}");
        }
        let anonymous = app
            .post(
                &format!("/api/v1/recognitions/{id}/actions"),
                None,
                body(action),
            )
            .await;
        assert_error(anonymous, 401, "unauthorized").await;
    }
    assert_eq!(recognition(app, id).await, before);
    assert_eq!(app.audit_count().await, audit);
}

async fn the_partner_side_belongs_to_the_partner_office(app: TestApp) {
    let w = partners(&app).await;
    let (cn_admin, th_admin) = office_admins(&app, &w).await;
    let (_, id) = recognition_in(&app, &w, "submitted").await;

    // Nobody but DIP decides for DIP: not CNIPA's examiners or office admin, not an
    // association, an auditor or an admin.
    let outsiders = [
        &w.cn_examiner,
        &cn_admin,
        &w.cn_assoc,
        &w.th_assoc,
        &w.auditor,
        &w.admin,
    ];
    all_refused(&app, id, &outsiders, &PARTNER_ACTIONS).await;
    // Nobody but CNIPA withdraws what CNIPA submitted.
    let not_origin = [
        &w.th_examiner,
        &th_admin,
        &w.cn_assoc,
        &w.th_assoc,
        &w.auditor,
        &w.admin,
    ];
    all_refused(&app, id, &not_origin, &["withdraw"]).await;

    // DIP's office admin acts for DIP like its examiners.
    let examined = r_act_ok(&app, &th_admin, id, "start_examination", "2026-05-20").await;
    assert_eq!(examined["status"], "under_examination");
    r_act_ok(&app, &w.th_examiner, id, "publish", "2026-06-01").await;
    // A CNIPA examiner cannot protect the GI in Thailand, even when it is due.
    all_refused(&app, id, &[&w.cn_examiner, &cn_admin], &["protect"]).await;
    let protected = r_act_ok(&app, &w.th_examiner, id, "protect", TH_PROTECTED_ON).await;
    assert_eq!(protected["status"], "protected");
    all_refused(&app, id, &outsiders, &["invalidate"]).await;
    all_refused(&app, id, &not_origin, &["withdraw"]).await;
    // The origin withdraws.
    let withdrawn = r_act_ok(&app, &w.cn_examiner, id, "withdraw", "2026-09-01").await;
    assert_eq!(withdrawn["status"], "withdrawn");
    let events = get_ok(&app, &format!("/api/v1/recognitions/{id}/events"), None).await;
    let offices: Vec<(&str, &str)> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor"].as_str().unwrap(), e["office"].as_str().unwrap()))
        .collect();
    assert_eq!(
        offices,
        [
            ("cn-examiner", "CNIPA"),
            ("dip-admin", "DIP"),
            ("th-examiner", "DIP"),
            ("th-examiner", "DIP"),
            ("cn-examiner", "CNIPA"),
        ]
    );

    // CNIPA's office admin withdraws as well.
    let (_, other) = recognition_in(&app, &w, "under_examination").await;
    let withdrawn = r_act_ok(&app, &cn_admin, other, "withdraw", "2026-06-01").await;
    assert_eq!(withdrawn["status"], "withdrawn");

    // Unknown recognitions are 404 for everyone who may act at all.
    let response = r_act(&app, &w.th_examiner, 999_999, body("start_examination")).await;
    assert_error(response, 404, "not_found").await;
}

async fn dip_cannot_decide_what_cnipa_decides(app: TestApp) {
    let w = partners(&app).await;
    let (cn_admin, th_admin) = office_admins(&app, &w).await;
    let th = th_gi(&app, &w, "registered").await;
    let id = id_of(&submit_ok(&app, &w.th_examiner, CN_TH, th, "CNIPA", "2026-06-10").await);

    all_refused(
        &app,
        id,
        &[&w.th_examiner, &th_admin, &w.th_assoc, &w.auditor, &w.admin],
        &PARTNER_ACTIONS,
    )
    .await;
    all_refused(&app, id, &[&w.cn_examiner, &cn_admin], &["withdraw"]).await;
    r_act_ok(&app, &w.cn_examiner, id, "start_examination", "2026-06-15").await;
    r_act_ok(&app, &cn_admin, id, "publish", "2026-07-01").await;

    // An opposition in CNIPA's proceeding is decided by CNIPA.
    let filed = expect(
        oppose(
            &app,
            &w.cn_other_assoc,
            id,
            json!({"grounds": "coffee from Doi Tung is also grown in Yunnan",
                   "filed_on": "2026-07-10"}),
        )
        .await,
        201,
    )
    .await;
    let opposition = id_of(&filed);
    // DIP's examiner records no opposition on someone's behalf in CNIPA's proceeding.
    let audit = app.audit_count().await;
    assert_error(
        oppose(
            &app,
            &w.th_examiner,
            id,
            json!({"opponent_name": "X Co.", "grounds": "g", "filed_on": "2026-07-10"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    for action in ["uphold", "reject"] {
        let decision = json!({"action": action, "grounds": "g", "effective_on": "2026-07-20"});
        for token in [
            &w.th_examiner,
            &th_admin,
            &w.cn_other_assoc,
            &w.th_assoc,
            &w.auditor,
            &w.admin,
        ] {
            assert_error(
                decide(&app, token, opposition, decision.clone()).await,
                403,
                "forbidden",
            )
            .await;
        }
        assert_error(
            app.post(
                &format!("/api/v1/oppositions/{opposition}/actions"),
                None,
                decision,
            )
            .await,
            401,
            "unauthorized",
        )
        .await;
    }
    // Only its filer (or CNIPA) withdraws it.
    let withdraw = json!({"action": "withdraw", "effective_on": "2026-07-20"});
    for token in [&w.th_assoc, &w.th_examiner, &w.cn_assoc] {
        assert_error(
            decide(&app, token, opposition, withdraw.clone()).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_eq!(app.audit_count().await, audit);
    let rejected = expect(
        decide(
            &app,
            &w.cn_examiner,
            opposition,
            json!({"action": "reject", "grounds": "no prior right", "effective_on": "2026-07-20"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(recognition(&app, id).await["status"], "published");

    // The origin (DIP) withdraws its own GI's recognition.
    let withdrawn = r_act_ok(&app, &th_admin, id, "withdraw", "2026-08-01").await;
    assert_eq!(withdrawn["status"], "withdrawn");
}

async fn only_the_origin_office_submits(app: TestApp) {
    let w = partners(&app).await;
    let (cn_admin, th_admin) = office_admins(&app, &w).await;
    let cn = gi_in(&app, &w, "registered").await;
    let th = th_gi(&app, &w, "registered").await;
    let audit = app.audit_count().await;

    // A CNIPA examiner cannot put a DIP GI forward, nor the other way round.
    for (token, gi_id, partner) in [
        (&w.cn_examiner, th, "CNIPA"),
        (&cn_admin, th, "CNIPA"),
        (&w.th_examiner, cn, "DIP"),
        (&th_admin, cn, "DIP"),
    ] {
        let response = submit(&app, token, submission(CN_TH, gi_id, partner, "2026-06-10")).await;
        assert_error(response, 403, "forbidden").await;
    }
    // Associations, auditors and admins do not submit at all.
    for token in [&w.cn_assoc, &w.th_assoc, &w.auditor, &w.admin] {
        for (gi_id, partner) in [(cn, "DIP"), (th, "CNIPA")] {
            let response =
                submit(&app, token, submission(CN_TH, gi_id, partner, "2026-06-10")).await;
            assert_error(response, 403, "forbidden").await;
        }
    }
    assert_error(
        app.post(
            "/api/v1/recognitions",
            None,
            submission(CN_TH, cn, "DIP", "2026-06-10"),
        )
        .await,
        401,
        "unauthorized",
    )
    .await;
    let list = json!({"programme": CN_TH, "list_label": "batch 1", "effective_on": "2026-06-10",
                      "items": [{"gi_id": cn, "partner": "DIP"}, {"gi_id": th, "partner": "CNIPA"}]});
    assert_error(
        app.post("/api/v1/recognitions/lists", None, list.clone())
            .await,
        401,
        "unauthorized",
    )
    .await;
    // A list with another office's GI in it is refused whole, naming that item.
    let err = assert_error(
        submit_list(&app, &w.cn_examiner, list.clone()).await,
        409,
        "list_refused",
    )
    .await;
    let items = err["error"]["details"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{err}");
    assert_eq!(items[0]["index"], 1);
    assert_eq!(items[0]["gi_id"], th);
    assert_eq!(items[0]["status"], 403);
    assert_eq!(items[0]["code"], "forbidden");
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(
        get_ok(&app, "/api/v1/recognitions", None).await["items"],
        json!([])
    );

    // Each office puts its own GIs forward; office admins may too.
    let to_th = submit_ok(&app, &cn_admin, CN_TH, cn, "DIP", SUBMITTED_ON).await;
    assert_eq!(to_th["origin"], "CNIPA");
    let to_cn = submit_ok(&app, &w.th_examiner, CN_TH, th, "CNIPA", "2026-06-10").await;
    assert_eq!(to_cn["origin"], "DIP");
    assert_eq!(app.audit_count().await, audit + 2);
    // And everyone reads them.
    for token in [None, Some(w.th_assoc.as_str()), Some(w.auditor.as_str())] {
        let listed = get_ok(&app, "/api/v1/recognitions", token).await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 2);
    }

    // Regression: a caller who may submit nothing got 409 `list_refused` with a 403 per
    // item instead of a plain 403.
    let audit = app.audit_count().await;
    for token in [&w.auditor, &w.admin, &w.cn_assoc] {
        let response = submit_list(&app, token, list.clone()).await;
        assert_error(response, 403, "forbidden").await;
    }
    assert_eq!(app.audit_count().await, audit);
}

/// (kind, gi, recognition, opposition, deadline, overdue) of each work item, in order.
type Item = (String, i64, Value, Value, Value, bool);

async fn work_list(app: &TestApp, token: &str) -> Vec<Item> {
    let list = get_ok(app, "/api/v1/worklist", Some(token)).await;
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                i["gi_id"].as_i64().unwrap(),
                i["recognition_id"].clone(),
                i["opposition_id"].clone(),
                i["deadline"].clone(),
                i["overdue"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn the_work_list_shows_what_awaits_the_callers_office(app: TestApp) {
    let w = partners(&app).await;
    let (cn_admin, th_admin) = office_admins(&app, &w).await;
    // Its text lets DIP refuse after the 30 days (refused late below).
    let mut fast = programme_body("CN-TH-FAST", &["CNIPA", "DIP"], 30);
    fast["refusal_after_deadline"] = json!(true);
    create_programme(&app, &w.admin, fast).await;

    // Submitted to DIP on 2026-06-01: under CN-TH-FAST its 30 days ended on
    // 2026-07-01 (overdue); under CN-TH it has until 2027-06-01.
    let g1 = gi_in(&app, &w, "registered").await;
    let overdue =
        id_of(&submit_ok(&app, &w.cn_examiner, "CN-TH-FAST", g1, "DIP", "2026-06-01").await);
    let slow = id_of(&submit_ok(&app, &w.cn_examiner, CN_TH, g1, "DIP", "2026-06-01").await);
    // Published by DIP (decision deadline 2027-05-10), with a pending opposition.
    let (g2, published) = recognition_in(&app, &w, "published").await;
    let opposition = id_of(
        &expect(
            oppose(
                &app,
                &w.th_assoc,
                published,
                json!({"grounds": "prior use", "filed_on": "2026-07-01"}),
            )
            .await,
            201,
        )
        .await,
    );
    // Decided ones await nothing.
    recognition_in(&app, &w, "protected").await;
    recognition_in(&app, &w, "refused").await;
    recognition_in(&app, &w, "withdrawn").await;
    // DIP's own application, and a DIP GI submitted to CNIPA.
    let t1 = th_gi(&app, &w, "filed").await;
    let t2 = th_gi(&app, &w, "registered").await;
    let to_cn = id_of(&submit_ok(&app, &w.th_examiner, CN_TH, t2, "CNIPA", "2026-06-10").await);
    // CNIPA's own application.
    let c1 = gi_in(&app, &w, "filed").await;

    let raw = get_ok(&app, "/api/v1/worklist", Some(&w.th_examiner)).await;
    let dip = work_list(&app, &w.th_examiner).await;
    let mut expected_sets: Vec<(String, i64, Value, Value)> = vec![
        ("decide_recognition".into(), g1, json!(overdue), Value::Null),
        (
            "decide_recognition".into(),
            g2,
            json!(published),
            Value::Null,
        ),
        (
            "decide_opposition".into(),
            g2,
            json!(published),
            json!(opposition),
        ),
        ("decide_recognition".into(), g1, json!(slow), Value::Null),
        ("examine_application".into(), t1, Value::Null, Value::Null),
    ];
    let mut got_sets: Vec<(String, i64, Value, Value)> = dip
        .iter()
        .map(|(k, g, r, o, _, _)| (k.clone(), *g, r.clone(), o.clone()))
        .collect();
    let key = |i: &(String, i64, Value, Value)| format!("{i:?}");
    expected_sets.sort_by_key(key);
    got_sets.sort_by_key(key);
    assert_eq!(got_sets, expected_sets, "{raw}");

    // The recognitions carry their decision deadlines; only the lapsed one is overdue,
    // and it comes first.
    let find = |id: i64| {
        dip.iter()
            .find(|i| i.0 == "decide_recognition" && i.2 == json!(id))
            .unwrap()
            .clone()
    };
    assert_eq!(find(overdue).4, json!("2026-07-01"));
    assert!(find(overdue).5, "{raw}");
    assert_eq!(find(slow).4, json!("2027-06-01"));
    assert!(!find(slow).5);
    assert_eq!(find(published).4, json!("2027-05-10"));
    assert!(!find(published).5);
    assert_eq!(dip[0].2, json!(overdue), "overdue first: {raw}");
    assert_eq!(dip.iter().filter(|i| i.5).count(), 1, "{raw}");
    // Then by deadline, nearest first; items without a deadline last.
    let deadlines: Vec<Option<String>> = dip[1..]
        .iter()
        .map(|i| i.4.as_str().map(str::to_string))
        .collect();
    let mut sorted = deadlines.clone();
    sorted.sort_by_key(|d| (d.is_none(), d.clone()));
    assert_eq!(deadlines, sorted, "{raw}");
    assert_eq!(dip.last().unwrap().0, "examine_application");
    let names: Vec<(&str, &str)> = raw
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].as_str().unwrap(), i["name"].as_str().unwrap()))
        .collect();
    assert_eq!(names[0], ("decide_recognition", "龙井茶"));
    assert_eq!(names[4], ("examine_application", "กาแฟดอยตุง"));
    // DIP's office admin sees the same.
    assert_eq!(work_list(&app, &th_admin).await, dip);

    // CNIPA sees its own: the DIP GI submitted to it, and its home application; nothing
    // that awaits DIP.
    let cnipa = work_list(&app, &w.cn_examiner).await;
    assert_eq!(
        cnipa,
        vec![
            (
                "decide_recognition".to_string(),
                t2,
                json!(to_cn),
                Value::Null,
                json!("2027-06-10"),
                false
            ),
            (
                "examine_application".to_string(),
                c1,
                Value::Null,
                Value::Null,
                Value::Null,
                false
            ),
        ]
    );
    assert_eq!(work_list(&app, &cn_admin).await, cnipa);

    // Once decided, an item leaves the list.
    r_act_ok(&app, &w.th_examiner, overdue, "refuse", "2026-07-02").await;
    let after = work_list(&app, &w.th_examiner).await;
    assert_eq!(after.len(), 4);
    assert!(after.iter().all(|i| i.2 != json!(overdue)));
    assert!(after.iter().all(|i| !i.5));

    // The work list is for examiners of an office.
    for token in [&w.cn_assoc, &w.th_assoc, &w.auditor, &w.admin] {
        assert_error(
            app.get("/api/v1/worklist", Some(token)).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_error(app.get("/api/v1/worklist", None).await, 401, "unauthorized").await;
}
