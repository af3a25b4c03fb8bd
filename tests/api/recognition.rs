//! Mutual recognition between partner offices (DESIGN §1–§4): programmes, submissions one
//! by one and as whole lists, the partner phase with the partner office's legal dates,
//! oppositions in the partner phase, and the cascade when a GI is cancelled at origin.
//! The setup and the helpers here are shared with `recognition_dates` and
//! `recognition_scope`.

use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::register::{
    act, act_ok, assert_invalid, create_gi_id, days_from_today, doi_tung, events, expect, get_ok,
    gi, gi_in, last_audit, world, World, EXAMINED_ON, FILED_ON, PUBLISHED_ON, REGISTERED_ON,
};

both_backends!(
    cn_to_th_from_submission_to_protection_with_the_partners_dates,
    th_to_cn_refused_then_refusal_withdrawn,
    every_refused_transition_names_status_and_allowed_actions,
    grounds_are_required_to_refuse_and_invalidate,
    submissions_outside_the_programme_are_refused,
    a_list_is_submitted_whole_or_not_at_all,
    oppositions_in_the_partner_phase,
    cancelling_at_origin_cancels_every_live_recognition_at_once,
    programmes_are_managed_by_admins_and_read_by_anyone,
    recognitions_are_listed_with_filters_and_pages,
    concurrent_submissions_and_decisions_have_one_winner,
);

pub const CN_TH: &str = "CN-TH";
/// Submission of a CNIPA GI (registered on 2026-05-02) to DIP.
pub const SUBMITTED_ON: &str = "2026-05-10";
/// 365 days after `SUBMITTED_ON`.
pub const DECISION_DEADLINE: &str = "2027-05-10";
pub const TH_EXAMINED_ON: &str = "2026-05-20";
pub const TH_PUBLISHED_ON: &str = "2026-06-01";
/// DIP's 90 days after `TH_PUBLISHED_ON` (CNIPA's 60 would give 2026-07-31).
pub const TH_DEADLINE: &str = "2026-08-30";
pub const TH_PROTECTED_ON: &str = "2026-08-31";
/// A DIP GI published on 2026-03-02 (deadline 2026-05-31) is registered on this date.
pub const TH_REGISTERED_ON: &str = "2026-06-01";

/// The world of `register`, a third office (EUIPO) that is party to no programme yet, and
/// the CN-TH programme (365 days, no tacit protection, origin registration required).
pub async fn partners(app: &TestApp) -> World {
    let w = world(app).await;
    app.create_office(&w.admin, "EUIPO", "EU", 90).await;
    create_programme(app, &w.admin, programme_body(CN_TH, &["CNIPA", "DIP"], 365)).await;
    w
}

pub fn programme_body(code: &str, parties: &[&str], decision_period_days: i32) -> Value {
    json!({
        "code": code,
        "title": format!("Mutual recognition programme {code}"),
        "parties": parties,
        "signed_on": "2021-03-01",
        "in_force_on": "2021-03-01",
        "legal_instrument": "Memorandum of understanding on GI mutual recognition",
        "decision_period_days": decision_period_days,
        "tacit_protection": false,
    })
}

pub async fn create_programme(app: &TestApp, admin: &str, body: Value) -> Value {
    expect(app.post("/api/v1/programmes", Some(admin), body).await, 201).await
}

pub fn id_of(value: &Value) -> i64 {
    value["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {value}"))
}

pub async fn submit(app: &TestApp, token: &str, body: Value) -> Response {
    app.post("/api/v1/recognitions", Some(token), body).await
}

pub fn submission(programme: &str, gi_id: i64, partner: &str, on: &str) -> Value {
    json!({"programme": programme, "gi_id": gi_id, "partner": partner, "effective_on": on})
}

pub async fn submit_ok(
    app: &TestApp,
    token: &str,
    programme: &str,
    gi_id: i64,
    partner: &str,
    on: &str,
) -> Value {
    let body = submission(programme, gi_id, partner, on);
    expect(submit(app, token, body).await, 201).await
}

pub async fn submit_list(app: &TestApp, token: &str, body: Value) -> Response {
    app.post("/api/v1/recognitions/lists", Some(token), body)
        .await
}

pub async fn r_act(app: &TestApp, token: &str, id: i64, body: Value) -> Response {
    app.post(
        &format!("/api/v1/recognitions/{id}/actions"),
        Some(token),
        body,
    )
    .await
}

/// Takes `action` on `on` (grounds given where they are required); expects 200.
pub async fn r_act_ok(app: &TestApp, token: &str, id: i64, action: &str, on: &str) -> Value {
    let mut body = json!({"action": action, "effective_on": on});
    if matches!(action, "refuse" | "invalidate") {
        body["grounds"] = json!(format!("the grounds to {action}"));
    }
    if action == "publish" {
        body["publication_reference"] = json!(format!("Partner gazette of {on}, p. 1"));
    }
    if action == "invalidate" {
        body["deciding_authority"] = json!("The partner office's GI Board");
    }
    let response = r_act(app, token, id, body.clone()).await;
    let (status, text) = (response.status().as_u16(), response.text().await.unwrap());
    if let Some(homonyms) = crate::register::name_conflict(status, &text) {
        // As act_ok: tests of other rules protect homonyms freely.
        let body = crate::register::acknowledging(body, homonyms);
        return expect(r_act(app, token, id, body).await, 200).await;
    }
    assert_eq!(status, 200, "{action} on {on}: {text}");
    serde_json::from_str(&text).unwrap()
}

pub async fn recognition(app: &TestApp, id: i64) -> Value {
    get_ok(app, &format!("/api/v1/recognitions/{id}"), None).await
}

pub async fn r_events(app: &TestApp, id: i64) -> Vec<Value> {
    get_ok(app, &format!("/api/v1/recognitions/{id}/events"), None)
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// `(event_type, from_status, to_status, effective_on)` of each event.
pub fn summary(events: &[Value]) -> Vec<(String, Value, String, String)> {
    events
        .iter()
        .map(|e| {
            (
                e["event_type"].as_str().unwrap().to_string(),
                e["from_status"].clone(),
                e["to_status"].as_str().unwrap().to_string(),
                e["effective_on"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

pub fn ev(kind: &str, from: Option<&str>, to: &str, on: &str) -> (String, Value, String, String) {
    (kind.into(), json!(from), to.into(), on.into())
}

pub async fn protection(app: &TestApp, gi_id: i64, as_of: Option<&str>) -> Value {
    let path = match as_of {
        Some(date) => format!("/api/v1/gis/{gi_id}/protection?as_of={date}"),
        None => format!("/api/v1/gis/{gi_id}/protection"),
    };
    get_ok(app, &path, None).await
}

pub async fn oppose(app: &TestApp, token: &str, id: i64, body: Value) -> Response {
    app.post(
        &format!("/api/v1/recognitions/{id}/oppositions"),
        Some(token),
        body,
    )
    .await
}

pub async fn decide(app: &TestApp, token: &str, opposition: i64, body: Value) -> Response {
    app.post(
        &format!("/api/v1/oppositions/{opposition}/actions"),
        Some(token),
        body,
    )
    .await
}

/// A new Doi Tung application (DIP) brought to `status` (`filed`, `published` or
/// `registered`), registered on `TH_REGISTERED_ON`.
pub async fn th_gi(app: &TestApp, w: &World, status: &str) -> i64 {
    let id = create_gi_id(app, &w.th_assoc, doi_tung(w.th_association)).await;
    act_ok(app, &w.th_assoc, id, "file", FILED_ON).await;
    let path: &[(&str, &str)] = match status {
        "filed" => &[],
        "published" => &[
            ("start_examination", EXAMINED_ON),
            ("publish", PUBLISHED_ON),
        ],
        "registered" => &[
            ("start_examination", EXAMINED_ON),
            ("publish", PUBLISHED_ON),
            ("register", TH_REGISTERED_ON),
        ],
        other => panic!("no path to {other}"),
    };
    for (action, on) in path {
        act_ok(app, &w.th_examiner, id, action, on).await;
    }
    assert_eq!(gi(app, None, id).await["status"], status);
    id
}

/// A registered Longjing GI (CNIPA) submitted to DIP under CN-TH on `SUBMITTED_ON` and
/// brought to `status`; returns (GI id, recognition id).
pub async fn recognition_in(app: &TestApp, w: &World, status: &str) -> (i64, i64) {
    let gi_id = gi_in(app, w, "registered").await;
    let id = id_of(&submit_ok(app, &w.cn_examiner, CN_TH, gi_id, "DIP", SUBMITTED_ON).await);
    let examined: &[(&str, &str)] = &[("start_examination", TH_EXAMINED_ON)];
    let published: &[(&str, &str)] = &[
        ("start_examination", TH_EXAMINED_ON),
        ("publish", TH_PUBLISHED_ON),
    ];
    let protected: &[(&str, &str)] = &[
        ("start_examination", TH_EXAMINED_ON),
        ("publish", TH_PUBLISHED_ON),
        ("protect", TH_PROTECTED_ON),
    ];
    let path: &[(&str, &str)] = match status {
        "submitted" => &[],
        "under_examination" | "cancelled_at_origin" => examined,
        "published" => published,
        "protected" => protected,
        "refused" => &[
            ("start_examination", TH_EXAMINED_ON),
            ("refuse", "2026-05-25"),
        ],
        "invalidated" => &[
            ("start_examination", TH_EXAMINED_ON),
            ("publish", TH_PUBLISHED_ON),
            ("protect", TH_PROTECTED_ON),
            ("invalidate", "2026-09-30"),
        ],
        "withdrawn" => &[
            ("start_examination", TH_EXAMINED_ON),
            ("withdraw", "2026-05-25"),
        ],
        other => panic!("no path to {other}"),
    };
    for (action, on) in path {
        let token = if *action == "withdraw" {
            &w.cn_examiner
        } else {
            &w.th_examiner
        };
        r_act_ok(app, token, id, action, on).await;
    }
    if status == "cancelled_at_origin" {
        act_ok(app, &w.cn_examiner, gi_id, "cancel", "2026-06-01").await;
    }
    assert_eq!(recognition(app, id).await["status"], status);
    (gi_id, id)
}

/// The action and entity of the latest `n` audit entries, oldest first.
pub async fn recent_audit(app: &TestApp, n: i64) -> Vec<(String, Option<String>)> {
    let db = app.database();
    let mut rows = tokio::task::spawn_blocking(move || {
        db.read_blocking(|conn| {
            use diesel::prelude::*;
            use terroir::db::schema::audit_log;
            Ok(audit_log::table
                .order(audit_log::seq.desc())
                .limit(n)
                .select((audit_log::action, audit_log::entity_id))
                .load::<(String, Option<String>)>(conn)?)
        })
        .unwrap()
    })
    .await
    .unwrap();
    rows.reverse();
    rows
}

pub async fn audit_verifies(app: &TestApp, token: &str) {
    let report = get_ok(app, "/api/v1/audit/verify", Some(token)).await;
    assert_eq!(report["status"], "ok", "{report}");
}

async fn cn_to_th_from_submission_to_protection_with_the_partners_dates(app: TestApp) {
    let w = partners(&app).await;
    let gi_id = gi_in(&app, &w, "registered").await;
    let mut audit = app.audit_count().await;

    let response = submit(
        &app,
        &w.cn_examiner,
        json!({"programme": CN_TH, "gi_id": gi_id, "partner": "DIP",
               "list_label": "Annex III, batch 1", "effective_on": SUBMITTED_ON}),
    )
    .await;
    assert_eq!(response.headers().get("etag").unwrap(), "\"1\"");
    let submitted = expect(response, 201).await;
    let id = id_of(&submitted);
    assert_eq!(submitted["programme"], CN_TH);
    assert_eq!(submitted["gi_id"], gi_id);
    assert_eq!(submitted["origin"], "CNIPA");
    assert_eq!(submitted["partner"], "DIP");
    assert_eq!(submitted["partner_jurisdiction"], "TH");
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["list_label"], "Annex III, batch 1");
    assert_eq!(submitted["submitted_on"], SUBMITTED_ON);
    assert_eq!(submitted["decision_deadline"], DECISION_DEADLINE);
    assert_eq!(submitted["version"], 1);
    for field in [
        "published_on",
        "opposition_deadline",
        "decided_on",
        "protected_from",
        "limitations",
        "phase_out_until",
        "grounds",
    ] {
        assert!(submitted[field].is_null(), "{field}: {submitted}");
    }
    audit += 1;
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(
        last_audit(&app).await,
        ("recognition.submit".to_string(), Some(id.to_string()))
    );
    // Submitted, not yet decided: the territory shows as submitted.
    let shown = protection(&app, gi_id, None).await;
    assert_eq!(shown["territories"][0]["status"], "submitted", "{shown}");

    let examined = r_act_ok(
        &app,
        &w.th_examiner,
        id,
        "start_examination",
        TH_EXAMINED_ON,
    )
    .await;
    assert_eq!(examined["status"], "under_examination");
    assert_eq!(examined["version"], 2);
    assert_eq!(examined["decision_deadline"], DECISION_DEADLINE);
    audit += 1;
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(
        last_audit(&app).await,
        ("recognition.transition".to_string(), Some(id.to_string()))
    );

    let published = r_act_ok(&app, &w.th_examiner, id, "publish", TH_PUBLISHED_ON).await;
    assert_eq!(published["status"], "published");
    assert_eq!(published["published_on"], TH_PUBLISHED_ON);
    // DIP's 90 days, not CNIPA's 60 (which would give 2026-07-31).
    assert_eq!(published["opposition_deadline"], TH_DEADLINE);
    assert_eq!(published["version"], 3);
    audit += 1;
    assert_eq!(app.audit_count().await, audit);

    let limitations = "the translation 'Dragon Well tea' is not protected";
    let protect = json!({"action": "protect", "effective_on": TH_PROTECTED_ON,
                         "limitations": limitations, "phase_out_until": "2028-08-31",
                         "phase_out_beneficiaries": ["Siam Tea Importers Co. (fictitious)"]});
    let with_tag = |tag: &'static str| {
        app.request(
            Method::POST,
            &format!("/api/v1/recognitions/{id}/actions"),
            Some(&w.th_examiner),
        )
        .header("If-Match", tag)
        .json(&protect)
    };
    // A stale If-Match changes nothing.
    let stale = with_tag("\"2\"").send().await.unwrap();
    let err = assert_error(stale, 412, "precondition_failed").await;
    assert_eq!(err["error"]["details"]["current_version"], 3, "{err}");
    assert_eq!(recognition(&app, id).await, published);
    assert_eq!(app.audit_count().await, audit);
    let response = with_tag("\"3\"").send().await.unwrap();
    assert_eq!(response.headers().get("etag").unwrap(), "\"4\"");
    let protected = expect(response, 200).await;
    assert_eq!(protected["status"], "protected");
    assert_eq!(protected["protected_from"], TH_PROTECTED_ON);
    assert_eq!(protected["decided_on"], TH_PROTECTED_ON);
    assert_eq!(protected["limitations"], limitations);
    assert_eq!(protected["phase_out_until"], "2028-08-31");
    assert_eq!(protected["published_on"], TH_PUBLISHED_ON);
    assert_eq!(protected["opposition_deadline"], TH_DEADLINE);
    assert_eq!(protected["submitted_on"], SUBMITTED_ON);
    assert_eq!(protected["list_label"], "Annex III, batch 1");
    assert_eq!(protected["version"], 4);
    audit += 1;
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(
        last_audit(&app).await,
        ("recognition.transition".to_string(), Some(id.to_string()))
    );

    // The public reads it, with its ETag.
    let response = app.get(&format!("/api/v1/recognitions/{id}"), None).await;
    assert_eq!(response.headers().get("etag").unwrap(), "\"4\"");
    assert_eq!(expect(response, 200).await, protected);

    let history = r_events(&app, id).await;
    assert_eq!(
        summary(&history),
        vec![
            ev("submit", None, "submitted", SUBMITTED_ON),
            ev(
                "start_examination",
                Some("submitted"),
                "under_examination",
                TH_EXAMINED_ON
            ),
            ev(
                "publish",
                Some("under_examination"),
                "published",
                TH_PUBLISHED_ON
            ),
            ev("protect", Some("published"), "protected", TH_PROTECTED_ON),
        ]
    );
    for e in &history {
        assert_eq!(e["entity_type"], "recognition");
        assert_eq!(e["entity_id"], id);
        assert_eq!(e["gi_id"], gi_id);
    }
    assert_eq!(history[0]["actor"], "cn-examiner");
    assert_eq!(history[0]["office"], "CNIPA");
    for e in &history[1..] {
        assert_eq!(e["actor"], "th-examiner");
        assert_eq!(e["office"], "DIP");
    }
    // The GI's own history is not touched by the partner phase.
    assert_eq!(events(&app, None, gi_id).await.len(), 5);
    assert_eq!(gi(&app, None, gi_id).await["status"], "registered");

    let shown = protection(&app, gi_id, None).await;
    let numbers = gi(&app, None, gi_id).await;
    assert_eq!(
        shown,
        json!({
            "gi_id": gi_id,
            "as_of": days_from_today(0),
            "home": {
                "office": "CNIPA",
                "status": "registered",
                "file_number": numbers["file_number"],
                "registration_number": numbers["registration_number"],
                "filed_on": FILED_ON,
                "registered_on": REGISTERED_ON,
                "protected_names": ["龙井茶", "Longjing cha"],
                "excluded_names": [],
                "coexisting_rights": [],
            },
            "territories": [{
                "programme": CN_TH,
                "partner": "DIP",
                "jurisdiction": "TH",
                "status": "protected",
                "protected_from": TH_PROTECTED_ON,
                "protected_names": ["龙井茶", "Longjing cha"],
                "excluded_names": [],
                "coexisting_rights": [],
                "limitations": limitations,
                "phase_out_until": "2028-08-31",
                "phase_out_beneficiaries": ["Siam Tea Importers Co. (fictitious)"],
                "recognition_id": id,
            }],
        })
    );
}

async fn th_to_cn_refused_then_refusal_withdrawn(app: TestApp) {
    let w = partners(&app).await;
    let gi_id = th_gi(&app, &w, "registered").await;
    let submitted = submit_ok(&app, &w.th_examiner, CN_TH, gi_id, "CNIPA", "2026-06-10").await;
    let id = id_of(&submitted);
    assert_eq!(submitted["origin"], "DIP");
    assert_eq!(submitted["partner"], "CNIPA");
    assert_eq!(submitted["partner_jurisdiction"], "CN");
    assert_eq!(submitted["decision_deadline"], "2027-06-10");
    assert!(submitted["list_label"].is_null());

    r_act_ok(&app, &w.cn_examiner, id, "start_examination", "2026-06-15").await;
    let published = r_act_ok(&app, &w.cn_examiner, id, "publish", "2026-07-01").await;
    // CNIPA's 60 days, not DIP's 90 (which would give 2026-09-29).
    assert_eq!(published["opposition_deadline"], "2026-08-30");

    let grounds = "conflicts with the prior trademark CN 12345678";
    let limitations = "the transliteration 'Kafae Doi Tung' is refused";
    let refused = expect(
        r_act(
            &app,
            &w.cn_examiner,
            id,
            json!({"action": "refuse", "effective_on": "2026-09-01",
                   "grounds": grounds, "limitations": limitations}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["decided_on"], "2026-09-01");
    assert_eq!(refused["grounds"], grounds);
    assert_eq!(refused["limitations"], limitations);
    assert!(refused["protected_from"].is_null());
    let territory = &protection(&app, gi_id, None).await["territories"][0];
    assert_eq!(territory["status"], "refused");
    assert!(territory["protected_from"].is_null());

    let protected = r_act_ok(&app, &w.cn_examiner, id, "withdraw_refusal", "2026-09-15").await;
    assert_eq!(protected["status"], "protected");
    assert_eq!(protected["protected_from"], "2026-09-15");
    assert_eq!(protected["decided_on"], "2026-09-15");

    let history = r_events(&app, id).await;
    assert_eq!(
        summary(&history),
        vec![
            ev("submit", None, "submitted", "2026-06-10"),
            ev(
                "start_examination",
                Some("submitted"),
                "under_examination",
                "2026-06-15"
            ),
            ev(
                "publish",
                Some("under_examination"),
                "published",
                "2026-07-01"
            ),
            ev("refuse", Some("published"), "refused", "2026-09-01"),
            ev(
                "withdraw_refusal",
                Some("refused"),
                "protected",
                "2026-09-15"
            ),
        ]
    );
    assert_eq!(history[0]["actor"], "th-examiner");
    assert_eq!(history[3]["grounds"], grounds);
    assert_eq!(history[3]["office"], "CNIPA");

    let shown = protection(&app, gi_id, None).await;
    assert_eq!(
        shown["territories"],
        json!([{
            "phase_out_beneficiaries": null,
            "programme": CN_TH,
            "partner": "CNIPA",
            "jurisdiction": "CN",
            "status": "protected",
            "protected_from": "2026-09-15",
            "protected_names": ["กาแฟดอยตุง", "Kafae Doi Tung"],
            "excluded_names": [],
            "coexisting_rights": [],
            "limitations": null,
            "phase_out_until": null,
            "recognition_id": id,
        }])
    );
    // While refused, the territory read as refused.
    let then = protection(&app, gi_id, Some("2026-09-10")).await;
    assert_eq!(then["as_of"], "2026-09-10");
    assert_eq!(then["territories"][0]["status"], "refused");
}

const ACTIONS: [&str; 10] = [
    "start_examination",
    "publish",
    "protect",
    "refuse",
    "withdraw_refusal",
    "invalidate",
    "withdraw",
    "appeal",
    "appeal_allowed",
    "appeal_dismissed",
];

async fn every_refused_transition_names_status_and_allowed_actions(app: TestApp) {
    let w = partners(&app).await;
    let table: [(&str, &[&str]); 8] = [
        ("submitted", &["start_examination", "refuse", "withdraw"]),
        ("under_examination", &["publish", "refuse", "withdraw"]),
        ("published", &["protect", "refuse", "withdraw"]),
        ("protected", &["invalidate", "withdraw"]),
        ("refused", &["withdraw_refusal", "appeal"]),
        ("invalidated", &[]),
        ("withdrawn", &[]),
        ("cancelled_at_origin", &[]),
    ];
    for (status, allowed) in table {
        let (_, id) = recognition_in(&app, &w, status).await;
        let before = recognition(&app, id).await;
        let history = r_events(&app, id).await.len();
        let audit = app.audit_count().await;
        for action in ACTIONS.iter().filter(|a| !allowed.contains(a)) {
            // The one who may take the action: only the status refuses it.
            let token = if matches!(*action, "withdraw" | "appeal") {
                &w.cn_examiner
            } else {
                &w.th_examiner
            };
            let body = json!({"action": action, "grounds": "some grounds",
                              "effective_on": days_from_today(0)});
            let response = r_act(&app, token, id, body).await;
            let code = response.status().as_u16();
            let err: Value = response.json().await.unwrap();
            assert_eq!(code, 409, "{status} --{action}-->: {err}");
            assert_eq!(err["error"]["code"], "invalid_transition", "{err}");
            assert_eq!(err["error"]["details"]["status"], status, "{err}");
            assert_eq!(
                err["error"]["details"]["allowed_actions"],
                json!(allowed),
                "{status} --{action}-->: {err}"
            );
        }
        assert_eq!(recognition(&app, id).await, before, "{status} changed");
        assert_eq!(r_events(&app, id).await.len(), history);
        assert_eq!(app.audit_count().await, audit, "refusals are not audited");
    }
}

async fn grounds_are_required_to_refuse_and_invalidate(app: TestApp) {
    let w = partners(&app).await;
    let (_, submitted) = recognition_in(&app, &w, "submitted").await;
    let audit = app.audit_count().await;
    for grounds in [None, Some("   ")] {
        let mut body = json!({"action": "refuse", "effective_on": "2026-05-25"});
        if let Some(g) = grounds {
            body["grounds"] = json!(g);
        }
        assert_invalid(
            r_act(&app, &w.th_examiner, submitted, body).await,
            "grounds",
        )
        .await;
    }
    assert_eq!(recognition(&app, submitted).await["status"], "submitted");
    assert_eq!(app.audit_count().await, audit);
    let refused = expect(
        r_act(
            &app,
            &w.th_examiner,
            submitted,
            json!({"action": "refuse", "effective_on": "2026-05-25",
                   "grounds": "the name is generic for green tea in Thailand"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["decided_on"], "2026-05-25");
    assert_eq!(
        refused["grounds"],
        "the name is generic for green tea in Thailand"
    );
    let last = r_events(&app, submitted).await.pop().unwrap();
    assert_eq!(last["event_type"], "refuse");
    assert_eq!(
        last["grounds"],
        "the name is generic for green tea in Thailand"
    );

    let (_, protected) = recognition_in(&app, &w, "protected").await;
    let audit = app.audit_count().await;
    for grounds in [None, Some("")] {
        let mut body = json!({"action": "invalidate", "effective_on": "2026-09-30"});
        if let Some(g) = grounds {
            body["grounds"] = json!(g);
        }
        let response = r_act(&app, &w.th_examiner, protected, body).await;
        assert_error(response, 422, "validation_failed").await;
    }
    assert_invalid(
        r_act(
            &app,
            &w.th_examiner,
            protected,
            json!({"action": "invalidate", "effective_on": "2026-09-30", "grounds": " "}),
        )
        .await,
        "grounds",
    )
    .await;
    assert_eq!(recognition(&app, protected).await["status"], "protected");
    assert_eq!(app.audit_count().await, audit);
    let invalidated = expect(
        r_act(
            &app,
            &w.th_examiner,
            protected,
            json!({"action": "invalidate", "effective_on": "2026-09-30",
                   "grounds": "the link with the area was not shown",
                   "deciding_authority": "DIP GI Board"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(invalidated["status"], "invalidated");
    assert_eq!(invalidated["decided_on"], "2026-09-30");
    assert_eq!(
        invalidated["grounds"],
        "the link with the area was not shown"
    );
    let last = r_events(&app, protected).await.pop().unwrap();
    assert_eq!(last["event_type"], "invalidate");
    assert_eq!(last["grounds"], "the link with the area was not shown");
    assert_eq!(last["effective_on"], "2026-09-30");

    // The system's own transitions, and anything else unknown, cannot be requested.
    let (_, other) = recognition_in(&app, &w, "submitted").await;
    let audit = app.audit_count().await;
    for action in [
        "tacit_protection",
        "cancel_at_origin",
        "submit",
        "Protect",
        "",
    ] {
        let response = r_act(&app, &w.th_examiner, other, json!({"action": action})).await;
        assert_invalid(response, "action").await;
    }
    // Limitations belong to a decision, not to an examination.
    assert_invalid(
        r_act(
            &app,
            &w.th_examiner,
            other,
            json!({"action": "start_examination", "effective_on": TH_EXAMINED_ON,
                   "limitations": "some"}),
        )
        .await,
        "limitations",
    )
    .await;
    // Legal dates: not in the future, not before the submission.
    for on in [days_from_today(1), "2026-05-09".to_string()] {
        assert_invalid(
            r_act(
                &app,
                &w.th_examiner,
                other,
                json!({"action": "start_examination", "effective_on": on}),
            )
            .await,
            "effective_on",
        )
        .await;
    }
    assert_eq!(recognition(&app, other).await["status"], "submitted");
    assert_eq!(app.audit_count().await, audit);
    // A transitional period cannot end before the protection starts.
    let (_, published) = recognition_in(&app, &w, "published").await;
    assert_invalid(
        r_act(
            &app,
            &w.th_examiner,
            published,
            json!({"action": "protect", "effective_on": TH_PROTECTED_ON,
                   "phase_out_until": "2026-08-01"}),
        )
        .await,
        "phase_out_until",
    )
    .await;
    assert_eq!(recognition(&app, published).await["status"], "published");
}

async fn submissions_outside_the_programme_are_refused(app: TestApp) {
    let w = partners(&app).await;
    let registered = gi_in(&app, &w, "registered").await;
    let filed = gi_in(&app, &w, "filed").await;
    let published = gi_in(&app, &w, "published").await;
    let draft = gi_in(&app, &w, "draft").await;
    create_programme(
        &app,
        &w.admin,
        programme_body("TH-EU", &["DIP", "EUIPO"], 365),
    )
    .await;
    let audit = app.audit_count().await;

    // A partner that is not a party, or no office at all.
    for partner in ["EUIPO", "NOPE"] {
        let body = submission(CN_TH, registered, partner, SUBMITTED_ON);
        assert_invalid(submit(&app, &w.cn_examiner, body).await, "partner").await;
    }
    // The origin office itself.
    let body = submission(CN_TH, registered, "CNIPA", SUBMITTED_ON);
    assert_invalid(submit(&app, &w.cn_examiner, body).await, "partner").await;
    // A programme the GI's own office is not party to.
    let body = submission("TH-EU", registered, "DIP", SUBMITTED_ON);
    assert_invalid(submit(&app, &w.cn_examiner, body).await, "gi_id").await;
    // No such programme.
    let body = submission("XX-YY", registered, "DIP", SUBMITTED_ON);
    assert_invalid(submit(&app, &w.cn_examiner, body).await, "programme").await;
    // A legal date in the future.
    let body = submission(CN_TH, registered, "DIP", &days_from_today(1));
    assert_invalid(submit(&app, &w.cn_examiner, body).await, "effective_on").await;
    // Not registered at home where the programme requires it.
    for (id, status) in [(filed, "filed"), (published, "published")] {
        let body = submission(CN_TH, id, "DIP", SUBMITTED_ON);
        let err = assert_error(
            submit(&app, &w.cn_examiner, body).await,
            409,
            "not_registered_at_origin",
        )
        .await;
        assert_eq!(err["error"]["details"]["gi_status"], status, "{err}");
    }
    let body = submission(CN_TH, draft, "DIP", SUBMITTED_ON);
    assert_error(submit(&app, &w.cn_examiner, body).await, 409, "not_filed").await;
    let body = submission(CN_TH, 999_999, "DIP", SUBMITTED_ON);
    assert_error(submit(&app, &w.cn_examiner, body).await, 404, "not_found").await;
    assert_eq!(app.audit_count().await, audit, "refusals write nothing");
    let listed = get_ok(&app, "/api/v1/recognitions", None).await;
    assert_eq!(listed["items"], json!([]));

    // The first submission is accepted; the same (programme, GI, partner) again is not,
    // whatever its date or label.
    submit_ok(&app, &w.cn_examiner, CN_TH, registered, "DIP", SUBMITTED_ON).await;
    let audit = app.audit_count().await;
    let again = json!({"programme": CN_TH, "gi_id": registered, "partner": "DIP",
                       "list_label": "batch 2", "effective_on": "2026-06-01"});
    assert_error(
        submit(&app, &w.cn_examiner, again).await,
        409,
        "already_submitted",
    )
    .await;
    assert_eq!(app.audit_count().await, audit);

    // A programme that does not require registration at home takes a filed GI, but
    // never a draft.
    let mut open = programme_body("CN-TH-OPEN", &["CNIPA", "DIP", "EUIPO"], 365);
    open["requires_origin_registration"] = json!(false);
    let created = create_programme(&app, &w.admin, open).await;
    assert_eq!(created["requires_origin_registration"], false);
    let accepted = submit_ok(
        &app,
        &w.cn_examiner,
        "CN-TH-OPEN",
        filed,
        "DIP",
        "2026-02-01",
    )
    .await;
    assert_eq!(accepted["status"], "submitted");
    assert_eq!(accepted["decision_deadline"], "2027-02-01");
    let accepted = submit_ok(
        &app,
        &w.cn_examiner,
        "CN-TH-OPEN",
        registered,
        "EUIPO",
        SUBMITTED_ON,
    )
    .await;
    assert_eq!(accepted["partner_jurisdiction"], "EU");
    let body = submission("CN-TH-OPEN", draft, "DIP", SUBMITTED_ON);
    assert_error(submit(&app, &w.cn_examiner, body).await, 409, "not_filed").await;

    // Not before the programme entered into force.
    let mut later = programme_body("CN-TH-2026", &["CNIPA", "DIP"], 365);
    later["in_force_on"] = json!("2026-06-01");
    later["signed_on"] = json!("2026-01-01");
    create_programme(&app, &w.admin, later).await;
    let body = submission("CN-TH-2026", registered, "DIP", SUBMITTED_ON);
    assert_invalid(submit(&app, &w.cn_examiner, body).await, "effective_on").await;
    submit_ok(
        &app,
        &w.cn_examiner,
        "CN-TH-2026",
        registered,
        "DIP",
        "2026-06-01",
    )
    .await;
}

async fn a_list_is_submitted_whole_or_not_at_all(app: TestApp) {
    let w = partners(&app).await;
    let mut good = Vec::new();
    for _ in 0..3 {
        good.push(gi_in(&app, &w, "registered").await);
    }
    let unregistered = gi_in(&app, &w, "filed").await;
    let label = "Annex III, batch 1";
    let item = |gi_id: i64, partner: &str| json!({"gi_id": gi_id, "partner": partner});
    let audit = app.audit_count().await;

    // One bad item (third of four) refuses the whole list.
    let items = json!([
        item(good[0], "DIP"),
        item(good[1], "DIP"),
        item(unregistered, "DIP"),
        item(good[2], "DIP"),
    ]);
    let body = json!({"programme": CN_TH, "list_label": label,
                      "effective_on": SUBMITTED_ON, "items": items});
    let err = assert_error(
        submit_list(&app, &w.cn_examiner, body).await,
        409,
        "list_refused",
    )
    .await;
    let refused = err["error"]["details"]["items"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{err}");
    assert_eq!(refused[0]["index"], 2);
    assert_eq!(refused[0]["gi_id"], unregistered);
    assert_eq!(refused[0]["partner"], "DIP");
    assert_eq!(refused[0]["status"], 409);
    assert_eq!(refused[0]["code"], "not_registered_at_origin");
    assert!(refused[0]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert_eq!(app.audit_count().await, audit, "nothing was submitted");
    assert_eq!(
        get_ok(&app, "/api/v1/recognitions", None).await["items"],
        json!([])
    );

    // Every bad item is reported, each with its reason.
    let items = json!([
        item(good[0], "EUIPO"),
        item(good[1], "DIP"),
        item(good[1], "DIP"),
        item(good[2], "CNIPA"),
        item(999_999, "DIP"),
    ]);
    let body = json!({"programme": CN_TH, "list_label": label,
                      "effective_on": SUBMITTED_ON, "items": items});
    let err = assert_error(
        submit_list(&app, &w.cn_examiner, body).await,
        409,
        "list_refused",
    )
    .await;
    let reasons: Vec<(i64, i64, String)> = err["error"]["details"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["index"].as_i64().unwrap(),
                i["status"].as_i64().unwrap(),
                i["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        vec![
            (0, 422, "validation_failed".to_string()),
            (2, 409, "duplicate_item".to_string()),
            (3, 422, "validation_failed".to_string()),
            (4, 404, "not_found".to_string()),
        ],
        "{err}"
    );
    assert_eq!(app.audit_count().await, audit, "nothing was submitted");

    // The same list without the bad item goes through, every item labelled.
    let items = json!([
        item(good[0], "DIP"),
        item(good[1], "DIP"),
        item(good[2], "DIP")
    ]);
    let body = json!({"programme": CN_TH, "list_label": label,
                      "effective_on": SUBMITTED_ON, "items": items});
    let created = expect(submit_list(&app, &w.cn_examiner, body.clone()).await, 201).await;
    let created = created.as_array().unwrap().clone();
    assert_eq!(created.len(), 3);
    for (r, gi_id) in created.iter().zip(&good) {
        assert_eq!(r["gi_id"], *gi_id);
        assert_eq!(r["partner"], "DIP");
        assert_eq!(r["status"], "submitted");
        assert_eq!(r["list_label"], label);
        assert_eq!(r["submitted_on"], SUBMITTED_ON);
        assert_eq!(r["decision_deadline"], DECISION_DEADLINE);
        let stored = recognition(&app, id_of(r)).await;
        assert_eq!(stored["list_label"], label);
        assert_eq!(
            summary(&r_events(&app, id_of(r)).await),
            vec![ev("submit", None, "submitted", SUBMITTED_ON)]
        );
    }
    assert_eq!(app.audit_count().await, audit + 3);
    let entries = recent_audit(&app, 3).await;
    let expected: Vec<(String, Option<String>)> = created
        .iter()
        .map(|r| ("recognition.submit".to_string(), Some(id_of(r).to_string())))
        .collect();
    assert_eq!(entries, expected);

    // Submitted again, every item is already there.
    let err = assert_error(
        submit_list(&app, &w.cn_examiner, body).await,
        409,
        "list_refused",
    )
    .await;
    let codes: Vec<&str> = err["error"]["details"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["already_submitted"; 3]);
    assert_eq!(app.audit_count().await, audit + 3);
    audit_verifies(&app, &w.auditor).await;
}

async fn oppositions_in_the_partner_phase(app: TestApp) {
    let w = partners(&app).await;
    let (gi_id, id) = recognition_in(&app, &w, "published").await;
    let path = format!("/api/v1/recognitions/{id}/oppositions");

    // The deadline day itself is in time; the day after is late.
    let audit = app.audit_count().await;
    assert_error(
        oppose(
            &app,
            &w.th_assoc,
            id,
            json!({"grounds": "late", "filed_on": TH_PROTECTED_ON}),
        )
        .await,
        409,
        "opposition_period_closed",
    )
    .await;
    assert_eq!(app.audit_count().await, audit);
    let filed = expect(
        oppose(
            &app,
            &w.th_assoc,
            id,
            json!({"grounds": "Longjing is sold in Thailand as a kind of tea",
                   "filed_on": TH_DEADLINE}),
        )
        .await,
        201,
    )
    .await;
    let opposition = id_of(&filed);
    assert_eq!(filed["recognition_id"], id);
    assert_eq!(filed["gi_id"], gi_id);
    assert_eq!(filed["status"], "pending");
    assert_eq!(filed["filed_on"], TH_DEADLINE);
    assert_eq!(filed["opponent_name"], crate::register::TH_ASSOCIATION);
    assert_eq!(app.audit_count().await, audit + 1);
    assert_eq!(
        last_audit(&app).await,
        (
            "recognition.opposition_filed".to_string(),
            Some(id.to_string())
        )
    );
    let listed = get_ok(&app, &path, None).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], opposition);
    // The home proceeding knows nothing of it.
    let home = get_ok(&app, &format!("/api/v1/gis/{gi_id}/oppositions"), None).await;
    assert_eq!(home, json!([]));

    // Protection waits for the pending opposition.
    let audit = app.audit_count().await;
    let err = assert_error(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "protect", "effective_on": TH_PROTECTED_ON}),
        )
        .await,
        409,
        "opposition_pending",
    )
    .await;
    assert_eq!(err["error"]["details"]["pending_oppositions"], 1);
    assert_eq!(recognition(&app, id).await["status"], "published");
    assert_eq!(app.audit_count().await, audit);

    // Upheld: the recognition is refused, with its event.
    let upheld = expect(
        decide(
            &app,
            &w.th_examiner,
            opposition,
            json!({"action": "uphold", "grounds": "generic for tea in Thailand",
                   "effective_on": "2026-09-05"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(upheld["status"], "upheld");
    assert_eq!(upheld["decided_on"], "2026-09-05");
    let refused = recognition(&app, id).await;
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["decided_on"], "2026-09-05");
    assert_eq!(refused["grounds"], "generic for tea in Thailand");
    assert_eq!(app.audit_count().await, audit + 1);
    assert_eq!(
        last_audit(&app).await,
        (
            "recognition.opposition_upheld".to_string(),
            Some(id.to_string())
        )
    );
    let history = summary(&r_events(&app, id).await);
    assert_eq!(
        history[3..],
        [
            ev(
                "opposition_filed",
                Some("published"),
                "published",
                TH_DEADLINE
            ),
            ev(
                "opposition_upheld",
                Some("published"),
                "refused",
                "2026-09-05"
            ),
        ]
    );
    let territory = &protection(&app, gi_id, None).await["territories"][0];
    assert_eq!(territory["status"], "refused");
    assert_error(
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "protect", "effective_on": "2026-09-06"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(gi(&app, None, gi_id).await["status"], "registered");

    // Rejected: the proceeding goes on to protection.
    let (_, other) = recognition_in(&app, &w, "published").await;
    let filed = expect(
        oppose(
            &app,
            &w.th_examiner,
            other,
            json!({"opponent_name": "Siam Tea Trading Co.", "grounds": "prior trademark",
                   "filed_on": "2026-07-01"}),
        )
        .await,
        201,
    )
    .await;
    expect(
        decide(
            &app,
            &w.th_examiner,
            id_of(&filed),
            json!({"action": "reject", "grounds": "no prior right in Thailand",
                   "effective_on": "2026-07-15"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(recognition(&app, other).await["status"], "published");
    let protected = r_act_ok(&app, &w.th_examiner, other, "protect", TH_PROTECTED_ON).await;
    assert_eq!(protected["status"], "protected");

    // Only a published recognition is open to opposition.
    let (_, submitted) = recognition_in(&app, &w, "submitted").await;
    let err = assert_error(
        oppose(
            &app,
            &w.th_assoc,
            submitted,
            json!({"grounds": "g", "filed_on": "2026-05-15"}),
        )
        .await,
        409,
        "not_open_to_opposition",
    )
    .await;
    assert_eq!(err["error"]["details"]["status"], "submitted");
}

async fn cancelling_at_origin_cancels_every_live_recognition_at_once(app: TestApp) {
    let w = partners(&app).await;
    create_programme(
        &app,
        &w.admin,
        programme_body("CN-EU", &["CNIPA", "DIP", "EUIPO"], 365),
    )
    .await;
    let gi_id = gi_in(&app, &w, "registered").await;
    let published =
        id_of(&submit_ok(&app, &w.cn_examiner, CN_TH, gi_id, "DIP", SUBMITTED_ON).await);
    r_act_ok(
        &app,
        &w.th_examiner,
        published,
        "start_examination",
        TH_EXAMINED_ON,
    )
    .await;
    r_act_ok(&app, &w.th_examiner, published, "publish", TH_PUBLISHED_ON).await;
    let submitted =
        id_of(&submit_ok(&app, &w.cn_examiner, "CN-EU", gi_id, "EUIPO", "2026-06-01").await);
    let refused =
        id_of(&submit_ok(&app, &w.cn_examiner, "CN-EU", gi_id, "DIP", "2026-06-01").await);
    r_act_ok(&app, &w.th_examiner, refused, "refuse", "2026-07-01").await;
    create_programme(
        &app,
        &w.admin,
        programme_body("CN-TH-B", &["CNIPA", "DIP"], 365),
    )
    .await;
    let protected =
        id_of(&submit_ok(&app, &w.cn_examiner, "CN-TH-B", gi_id, "DIP", SUBMITTED_ON).await);
    for (action, on) in [
        ("start_examination", TH_EXAMINED_ON),
        ("publish", TH_PUBLISHED_ON),
        ("protect", TH_PROTECTED_ON),
    ] {
        r_act_ok(&app, &w.th_examiner, protected, action, on).await;
    }
    // Another GI's recognition is not touched.
    let (_, bystander) = recognition_in(&app, &w, "published").await;

    let refused_before = recognition(&app, refused).await;
    let refused_events = r_events(&app, refused).await.len();
    let bystander_before = recognition(&app, bystander).await;

    // Grounds are required: nothing moves without them.
    let audit = app.audit_count().await;
    assert_invalid(
        act(
            &app,
            &w.cn_examiner,
            gi_id,
            json!({"action": "cancel", "effective_on": "2026-10-01"}),
        )
        .await,
        "grounds",
    )
    .await;
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(recognition(&app, published).await["status"], "published");

    // One transaction: when the cascade fails half-way (the second live recognition
    // carries a status the code cannot read), the GI and the first recognition are not
    // changed either.
    set_status(&app, submitted, "corrupted").await;
    let response = act(
        &app,
        &w.cn_examiner,
        gi_id,
        json!({"action": "cancel", "effective_on": "2026-10-01", "grounds": "g"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 500);
    assert_eq!(gi(&app, None, gi_id).await["status"], "registered");
    assert_eq!(recognition(&app, published).await["status"], "published");
    assert_eq!(r_events(&app, published).await.len(), 3);
    assert_eq!(app.audit_count().await, audit);
    set_status(&app, submitted, "submitted").await;

    let grounds = "the producers' group was dissolved";
    let cancelled = expect(
        act(
            &app,
            &w.cn_examiner,
            gi_id,
            json!({"action": "cancel", "effective_on": "2026-10-01", "grounds": grounds}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");

    for (id, from) in [
        (published, "published"),
        (submitted, "submitted"),
        (protected, "protected"),
    ] {
        let r = recognition(&app, id).await;
        assert_eq!(r["status"], "cancelled_at_origin", "{r}");
        assert_eq!(r["decided_on"], "2026-10-01");
        assert_eq!(r["grounds"], grounds);
        let last = r_events(&app, id).await.pop().unwrap();
        assert_eq!(
            summary(std::slice::from_ref(&last)),
            vec![ev(
                "cancelled_at_origin",
                Some(from),
                "cancelled_at_origin",
                "2026-10-01"
            )]
        );
        assert_eq!(last["grounds"], grounds);
        assert_eq!(last["actor"], "cn-examiner");
    }
    // A refusal is the partner's decision: it stays as it was.
    assert_eq!(recognition(&app, refused).await, refused_before);
    assert_eq!(r_events(&app, refused).await.len(), refused_events);
    assert_eq!(recognition(&app, bystander).await, bystander_before);

    // One audit entry for the GI and one for each live recognition, written together.
    assert_eq!(app.audit_count().await, audit + 4);
    let transition = |id: i64| ("recognition.transition".to_string(), Some(id.to_string()));
    assert_eq!(
        recent_audit(&app, 4).await,
        vec![
            ("gi.transition".to_string(), Some(gi_id.to_string())),
            transition(published),
            transition(submitted),
            transition(protected),
        ]
    );
    audit_verifies(&app, &w.auditor).await;

    let statuses: Vec<(i64, String)> = protection(&app, gi_id, None).await["territories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["recognition_id"].as_i64().unwrap(),
                t["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            (published, "cancelled_at_origin".to_string()),
            (submitted, "cancelled_at_origin".to_string()),
            (refused, "refused".to_string()),
            (protected, "cancelled_at_origin".to_string()),
        ]
    );
    // The refusal can no longer be withdrawn into protection: the GI is not protected
    // at home any more.
    let audit = app.audit_count().await;
    assert_error(
        r_act(
            &app,
            &w.th_examiner,
            refused,
            json!({"action": "withdraw_refusal", "effective_on": "2026-10-02"}),
        )
        .await,
        409,
        "not_registered_at_origin",
    )
    .await;
    // Cancelled at origin is the end.
    assert_error(
        r_act(
            &app,
            &w.cn_examiner,
            published,
            json!({"action": "withdraw", "effective_on": "2026-10-02"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(app.audit_count().await, audit);
}

/// Overwrites a recognition's status behind the application's back.
async fn set_status(app: &TestApp, id: i64, status: &'static str) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.write_blocking(|conn| {
            use diesel::prelude::*;
            use terroir::db::schema::recognitions;
            Ok(diesel::update(recognitions::table.find(id))
                .set(recognitions::status.eq(status))
                .execute(conn)?)
        })
        .unwrap()
    })
    .await
    .unwrap();
}

async fn patch_programme(
    app: &TestApp,
    token: Option<&str>,
    code: &str,
    if_match: Option<&str>,
    body: Value,
) -> Response {
    let mut request = app.request(Method::PATCH, &format!("/api/v1/programmes/{code}"), token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(&body).send().await.unwrap()
}

// Regression: removing a party that has recognitions under the programme was
// accepted and left recognitions whose partner was no longer a party.
async fn programmes_are_managed_by_admins_and_read_by_anyone(app: TestApp) {
    let w = world(&app).await;
    app.create_office(&w.admin, "EUIPO", "EU", 90).await;
    let office_admin = app
        .user_token(
            &w.admin,
            json!({"username": "dip-admin", "role": "office_admin", "office": "DIP"}),
        )
        .await;
    let audit = app.audit_count().await;

    let response = app
        .post(
            "/api/v1/programmes",
            Some(&w.admin),
            programme_body(CN_TH, &["DIP", "CNIPA"], 365),
        )
        .await;
    assert_eq!(response.headers().get("etag").unwrap(), "\"1\"");
    let created = expect(response, 201).await;
    assert_eq!(created["code"], CN_TH);
    assert_eq!(created["parties"], json!(["CNIPA", "DIP"]));
    assert_eq!(created["decision_period_days"], 365);
    assert_eq!(created["tacit_protection"], false);
    assert_eq!(created["requires_origin_registration"], true);
    assert_eq!(created["signed_on"], "2021-03-01");
    assert_eq!(created["in_force_on"], "2021-03-01");
    assert_eq!(
        created["legal_instrument"],
        "Memorandum of understanding on GI mutual recognition"
    );
    assert_eq!(created["version"], 1);
    assert_eq!(app.audit_count().await, audit + 1);
    assert_eq!(
        last_audit(&app).await,
        ("programme.create".to_string(), Some(CN_TH.to_string()))
    );

    // Anyone reads it.
    let response = app.get("/api/v1/programmes/CN-TH", None).await;
    assert_eq!(response.headers().get("etag").unwrap(), "\"1\"");
    assert_eq!(expect(response, 200).await, created);
    assert_error(
        app.get("/api/v1/programmes/NOPE", None).await,
        404,
        "not_found",
    )
    .await;

    // Nobody but an admin writes; anonymous callers must authenticate.
    let audit = app.audit_count().await;
    for token in [
        &w.cn_examiner,
        &w.th_examiner,
        &office_admin,
        &w.cn_assoc,
        &w.auditor,
    ] {
        assert_error(
            app.post(
                "/api/v1/programmes",
                Some(token),
                programme_body("CN-EU", &["CNIPA", "EUIPO"], 365),
            )
            .await,
            403,
            "forbidden",
        )
        .await;
        assert_error(
            patch_programme(
                &app,
                Some(token),
                CN_TH,
                Some("\"1\""),
                json!({"title": "x"}),
            )
            .await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_error(
        app.post(
            "/api/v1/programmes",
            None,
            programme_body("CN-EU", &["CNIPA", "EUIPO"], 365),
        )
        .await,
        401,
        "unauthorized",
    )
    .await;
    assert_error(
        patch_programme(&app, None, CN_TH, Some("\"1\""), json!({"title": "x"})).await,
        401,
        "unauthorized",
    )
    .await;

    // Parties: two or more distinct offices that exist.
    for parties in [json!([]), json!(["CNIPA"]), json!(["CNIPA", "CNIPA"])] {
        let mut body = programme_body("CN-EU", &[], 365);
        body["parties"] = parties;
        assert_invalid(
            app.post("/api/v1/programmes", Some(&w.admin), body).await,
            "parties",
        )
        .await;
    }
    let body = programme_body("CN-EU", &["CNIPA", "NOPE"], 365);
    assert_invalid(
        app.post("/api/v1/programmes", Some(&w.admin), body).await,
        "parties[1]",
    )
    .await;
    let mut body = programme_body("CN-EU", &["CNIPA", "EUIPO"], 365);
    body["decision_period_days"] = json!(0);
    assert_invalid(
        app.post("/api/v1/programmes", Some(&w.admin), body).await,
        "decision_period_days",
    )
    .await;
    let mut body = programme_body("CN-EU", &["CNIPA", "EUIPO"], 365);
    body["in_force_on"] = json!("2021-02-01");
    assert_invalid(
        app.post("/api/v1/programmes", Some(&w.admin), body).await,
        "in_force_on",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/programmes",
            Some(&w.admin),
            programme_body(CN_TH, &["CNIPA", "EUIPO"], 30),
        )
        .await,
        409,
        "already_exists",
    )
    .await;
    assert_eq!(app.audit_count().await, audit, "refusals write nothing");

    // PATCH renames with If-Match; a stale version changes nothing.
    let response = patch_programme(
        &app,
        Some(&w.admin),
        CN_TH,
        Some("\"1\""),
        json!({"title": "China–Thailand GI mutual recognition"}),
    )
    .await;
    assert_eq!(response.headers().get("etag").unwrap(), "\"2\"");
    let amended = expect(response, 200).await;
    assert_eq!(amended["version"], 2);
    assert_eq!(amended["title"], "China–Thailand GI mutual recognition");
    // What was not sent is kept.
    assert_eq!(amended["decision_period_days"], 365);
    assert_eq!(amended["parties"], json!(["CNIPA", "DIP"]));
    assert_eq!(amended["signed_on"], "2021-03-01");
    assert_eq!(amended["requires_origin_registration"], true);
    assert_eq!(app.audit_count().await, audit + 1);
    assert_eq!(
        last_audit(&app).await,
        ("programme.amend".to_string(), Some(CN_TH.to_string()))
    );
    let stale = assert_error(
        patch_programme(
            &app,
            Some(&w.admin),
            CN_TH,
            Some("\"1\""),
            json!({"title": "stale"}),
        )
        .await,
        412,
        "precondition_failed",
    )
    .await;
    assert_eq!(stale["error"]["details"]["current_version"], 2, "{stale}");
    // Parties, dates and the instrument are legal terms: they change by a dated
    // amendment, never by PATCH (422 naming the field and the route).
    for (field, value) in [
        ("parties", json!(["CNIPA", "DIP", "EUIPO"])),
        ("signed_on", json!("2021-04-01")),
        ("in_force_on", json!("2021-04-01")),
        ("legal_instrument", json!("Agreement")),
        ("tacit_protection", json!(true)),
        ("parties", Value::Null),
    ] {
        let mut body = json!({"title": "renamed again"});
        body[field] = value;
        let err = assert_invalid(
            patch_programme(&app, Some(&w.admin), CN_TH, Some("\"2\""), body).await,
            field,
        )
        .await;
        assert!(err.to_string().contains("/amendments"), "{err}");
    }
    assert_invalid(
        patch_programme(
            &app,
            Some(&w.admin),
            CN_TH,
            Some("\"2\""),
            json!({"colour": "red"}),
        )
        .await,
        "colour",
    )
    .await;
    assert_eq!(
        get_ok(&app, "/api/v1/programmes/CN-TH", None).await,
        amended
    );
    assert_eq!(app.audit_count().await, audit + 1);

    // Listed by code, in pages.
    create_programme(
        &app,
        &w.admin,
        programme_body("AA-EU", &["CNIPA", "EUIPO"], 365),
    )
    .await;
    let first = get_ok(&app, "/api/v1/programmes?limit=1", None).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    assert_eq!(first["items"][0]["code"], "AA-EU");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = get_ok(
        &app,
        &format!("/api/v1/programmes?limit=1&cursor={cursor}"),
        None,
    )
    .await;
    assert_eq!(second["items"][0], amended);
    assert!(second["next_cursor"].is_null());

    // A dated amendment of the period applies to what is submitted afterwards.
    expect(
        app.post(
            &format!("/api/v1/programmes/{CN_TH}/amendments"),
            Some(&w.admin),
            json!({"effective_on": "2026-01-01", "decision_reference": "Decision 1/2026",
                   "changes": {"decision_period_days": 180}}),
        )
        .await,
        422,
    )
    .await;
    expect(
        app.post(
            &format!("/api/v1/programmes/{CN_TH}/amendments"),
            Some(&w.admin),
            json!({"effective_on": "2026-01-01", "decision_reference": "Decision 1/2026",
                   "changes": {"decision_period": "P180D"}}),
        )
        .await,
        201,
    )
    .await;
    let gi_id = gi_in(&app, &w, "registered").await;
    let submitted = submit_ok(&app, &w.cn_examiner, CN_TH, gi_id, "DIP", SUBMITTED_ON).await;
    assert_eq!(submitted["decision_deadline"], "2026-11-06");

    // Parties change by dated amendments: EUIPO accedes on 2027-01-01.
    let amend = |body: Value| {
        let app = &app;
        let admin = w.admin.clone();
        async move {
            app.post(
                &format!("/api/v1/programmes/{CN_TH}/amendments"),
                Some(&admin),
                body,
            )
            .await
        }
    };
    let audit = app.audit_count().await;
    for (parties, field) in [
        (json!(["CNIPA"]), "changes.parties"),
        (json!(["CNIPA", "DIP", "DIP"]), "changes.parties"),
        (json!(["CNIPA", "NOPE"]), "changes.parties[1]"),
    ] {
        assert_invalid(
            amend(
                json!({"effective_on": "2027-01-01", "decision_reference": "Protocol",
                         "changes": {"parties": parties}}),
            )
            .await,
            field,
        )
        .await;
    }
    assert_invalid(
        amend(
            json!({"effective_on": "2027-01-01", "decision_reference": "Protocol",
                     "changes": {"in_force_on": "2020-01-01"}}),
        )
        .await,
        "changes.in_force_on",
    )
    .await;
    // The instrument's text: 1 to 1,000 characters, not blank.
    for text in [" \t ".to_string(), "议".repeat(1001)] {
        assert_invalid(
            amend(
                json!({"effective_on": "2027-01-01", "decision_reference": "Protocol",
                         "changes": {"legal_instrument": text}}),
            )
            .await,
            "changes.legal_instrument",
        )
        .await;
    }
    assert_eq!(app.audit_count().await, audit, "refusals write nothing");
    let acceded = expect(
        amend(
            json!({"effective_on": "2027-01-01", "decision_reference": "Protocol of accession",
                     "changes": {"parties": ["EUIPO", "CNIPA", "DIP"],
                                 "legal_instrument": "Agreement as amended by the Protocol"}}),
        )
        .await,
        201,
    )
    .await;
    // Not yet in force: today's parties are the two, and EUIPO cannot be a partner yet.
    assert_eq!(acceded["parties"], json!(["CNIPA", "DIP"]), "{acceded}");
    let on = |date: &'static str| {
        let app = &app;
        async move {
            get_ok(
                app,
                &format!("/api/v1/programmes/{CN_TH}?as_of={date}"),
                None,
            )
            .await
        }
    };
    let in_2027 = on("2027-01-01").await;
    assert_eq!(in_2027["parties"], json!(["CNIPA", "DIP", "EUIPO"]));
    assert_eq!(
        in_2027["legal_instrument"],
        "Agreement as amended by the Protocol"
    );
    assert_eq!(in_2027["signed_on"], "2021-03-01");
    assert_eq!(on("2026-12-31").await["parties"], json!(["CNIPA", "DIP"]));
    let gi_eu = gi_in(&app, &w, "registered").await;
    assert_invalid(
        app.post(
            "/api/v1/recognitions",
            Some(&w.cn_examiner),
            json!({"programme": CN_TH, "gi_id": gi_eu, "partner": "EUIPO", "effective_on": SUBMITTED_ON}),
        )
        .await,
        "partner",
    )
    .await;

    // A party that has recognitions stays a party: dropping DIP from CN-TH while a
    // recognition names DIP as partner is refused, and nothing changes.
    let audit = app.audit_count().await;
    assert_error(
        amend(
            json!({"effective_on": "2027-06-01", "decision_reference": "Withdrawal",
                     "changes": {"parties": ["CNIPA", "EUIPO"]}}),
        )
        .await,
        409,
        "party_has_recognitions",
    )
    .await;
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(
        on("2027-06-01").await["parties"],
        json!(["CNIPA", "DIP", "EUIPO"]),
        "recognition {} names DIP",
        id_of(&submitted)
    );
    // EUIPO, with no recognitions, withdraws.
    expect(
        amend(
            json!({"effective_on": "2028-01-01", "decision_reference": "Notice of withdrawal",
                     "changes": {"parties": ["CNIPA", "DIP"]}}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(on("2028-01-01").await["parties"], json!(["CNIPA", "DIP"]));
    assert_eq!(
        on("2027-12-31").await["parties"],
        json!(["CNIPA", "DIP", "EUIPO"])
    );
    // An instrument of exactly 1,000 characters (3,000 bytes) is taken.
    let longest = "议".repeat(1000);
    expect(
        amend(
            json!({"effective_on": "2029-01-01", "decision_reference": "Consolidated text",
                     "changes": {"legal_instrument": longest}}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(on("2029-01-01").await["legal_instrument"], json!(longest));
}

/// All pages of `/api/v1/recognitions?{query}` with `limit`: the ids, in order.
pub async fn all_ids(app: &TestApp, query: &str, limit: i64) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/recognitions?limit={limit}");
        if !query.is_empty() {
            path.push('&');
            path.push_str(query);
        }
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = get_ok(app, &path, None).await;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() as i64 <= limit, "{page}");
        // A cursor is given only when more follow: it never leads to an empty page.
        assert!(
            cursor.is_none() || !items.is_empty(),
            "a cursor led to an empty page: {path}"
        );
        ids.extend(items.iter().map(id_of));
        match page["next_cursor"].as_str() {
            Some(next) => {
                assert!(!items.is_empty(), "a page with a cursor has items");
                cursor = Some(next.to_string());
            }
            None => break,
        }
        assert!(ids.len() < 1000, "paging does not end");
    }
    ids
}

async fn recognitions_are_listed_with_filters_and_pages(app: TestApp) {
    let w = partners(&app).await;
    let (_, protected) = recognition_in(&app, &w, "protected").await;
    let (_, submitted) = recognition_in(&app, &w, "submitted").await;
    let (_, refused) = recognition_in(&app, &w, "refused").await;
    let th = th_gi(&app, &w, "registered").await;
    let to_cn = id_of(&submit_ok(&app, &w.th_examiner, CN_TH, th, "CNIPA", "2026-06-10").await);
    create_programme(
        &app,
        &w.admin,
        programme_body("CN-EU", &["CNIPA", "EUIPO"], 365),
    )
    .await;
    let (gi_id, _) = recognition_in(&app, &w, "submitted").await;
    let to_eu =
        id_of(&submit_ok(&app, &w.cn_examiner, "CN-EU", gi_id, "EUIPO", "2026-06-01").await);
    let everything = all_ids(&app, "", 50).await;
    assert_eq!(everything.len(), 6);
    let mut sorted = everything.clone();
    sorted.sort_unstable();
    assert_eq!(everything, sorted, "a stable order");

    for limit in [1, 2, 4] {
        assert_eq!(all_ids(&app, "", limit).await, everything, "limit {limit}");
    }
    assert_eq!(all_ids(&app, "partner=CNIPA", 2).await, vec![to_cn]);
    assert_eq!(all_ids(&app, "origin=DIP", 2).await, vec![to_cn]);
    assert_eq!(all_ids(&app, "programme=CN-EU", 2).await, vec![to_eu]);
    assert_eq!(all_ids(&app, "partner=EUIPO", 2).await, vec![to_eu]);
    assert_eq!(all_ids(&app, "status=protected", 1).await, vec![protected]);
    assert_eq!(all_ids(&app, "status=refused", 1).await, vec![refused]);
    let pending = all_ids(&app, "status=submitted&partner=DIP&origin=CNIPA", 1).await;
    assert_eq!(pending.len(), 2);
    assert_eq!(pending[0], submitted);
    assert_eq!(all_ids(&app, "programme=NOPE", 5).await, Vec::<i64>::new());
    assert_eq!(all_ids(&app, "partner=NOPE", 5).await, Vec::<i64>::new());
    // With as_of, the status filter applies to the state on that date, page by page.
    assert_eq!(
        all_ids(&app, "as_of=2026-07-01&status=published", 1).await,
        vec![protected]
    );
    assert_eq!(
        all_ids(&app, "as_of=2026-05-09", 1).await,
        Vec::<i64>::new()
    );
    let examined_then = all_ids(&app, "as_of=2026-05-20&status=under_examination", 1).await;
    assert_eq!(examined_then, vec![protected, refused]);
    assert_error(
        app.get("/api/v1/recognitions?cursor=garbage", None).await,
        422,
        "validation_failed",
    )
    .await;
}

async fn concurrent_submissions_and_decisions_have_one_winner(app: TestApp) {
    let w = partners(&app).await;
    let gi_id = gi_in(&app, &w, "registered").await;
    let audit = app.audit_count().await;
    // The same submission five times at once: one recognition.
    let attempts = (0..5).map(|_| {
        submit(
            &app,
            &w.cn_examiner,
            submission(CN_TH, gi_id, "DIP", SUBMITTED_ON),
        )
    });
    let mut outcomes = Vec::new();
    for response in futures_util::future::join_all(attempts).await {
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        outcomes.push((status, body));
    }
    let winners: Vec<&Value> = outcomes
        .iter()
        .filter(|(s, _)| *s == 201)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(winners.len(), 1, "{outcomes:?}");
    for (status, body) in outcomes.iter().filter(|(s, _)| *s != 201) {
        assert_eq!(*status, 409, "{body}");
        assert_eq!(body["error"]["code"], "already_submitted", "{body}");
    }
    let id = id_of(winners[0]);
    assert_eq!(all_ids(&app, "", 50).await, vec![id]);
    assert_eq!(app.audit_count().await, audit + 1);

    // The same decision five times at once: one event.
    let attempts = (0..5).map(|_| {
        r_act(
            &app,
            &w.th_examiner,
            id,
            json!({"action": "start_examination", "effective_on": TH_EXAMINED_ON}),
        )
    });
    let mut statuses = Vec::new();
    for response in futures_util::future::join_all(attempts).await {
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        if status != 200 {
            assert_eq!(body["error"]["code"], "invalid_transition", "{body}");
        }
        statuses.push(status);
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409, 409, 409, 409]);
    let kinds: Vec<String> = r_events(&app, id)
        .await
        .iter()
        .map(|e| e["event_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["submit", "start_examination"]);
    assert_eq!(recognition(&app, id).await["version"], 2);
    assert_eq!(app.audit_count().await, audit + 2);
}
