//! The register at the origin office (DESIGN §1–§2): applications, the home lifecycle
//! with its legal dates, oppositions, amendments, `If-Match` on drafts and the audit
//! trail of every change. The world and the helpers here are shared with
//! `register_scope` and `register_search`.

use chrono::{Days, NaiveDate, Utc};
use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};

both_backends!(
    full_lifecycle_with_numbers_dates_and_events,
    filing_may_carry_a_legal_date_before_the_day_of_entry,
    every_refused_transition_names_status_and_allowed_actions,
    effective_on_is_never_in_the_future_nor_before_the_previous_event,
    grounds_are_required_to_refuse_and_cancel,
    unknown_actions_and_fields_are_refused,
    registration_waits_for_the_day_after_the_deadline,
    registration_waits_for_pending_oppositions,
    oppositions_filed_by_associations_and_recorded_by_examiners,
    an_association_opposes_in_its_own_name_only,
    upheld_opposition_refuses_the_gi,
    oppositions_are_withdrawn_by_their_filer,
    late_and_misplaced_oppositions_are_refused,
    amendments_are_proposed_decided_and_versioned,
    an_amendment_is_decided_on_or_after_its_proposal_and_never_in_the_future,
    drafts_are_edited_with_if_match,
    audit_entries_for_changes_and_none_for_refusals,
    concurrent_actions_give_unique_numbers_and_one_winner,
);

pub const FILED_ON: &str = "2026-01-05";
pub const EXAMINED_ON: &str = "2026-01-10";
pub const PUBLISHED_ON: &str = "2026-03-02";
/// CNIPA: 60 days after 2026-03-02.
pub const CN_DEADLINE: &str = "2026-05-01";
pub const REGISTERED_ON: &str = "2026-05-02";

pub const CN_ASSOCIATION: &str = "Hangzhou West Lake Longjing Tea Association";
pub const CN_OTHER_ASSOCIATION: &str = "Pinggu Peach Association";
pub const TH_ASSOCIATION: &str = "Doi Tung Coffee Association";

/// Two offices (CNIPA, 60 days; DIP, 90 days), two associations at CNIPA and one at
/// DIP, and an account of every role that acts in the register.
pub struct World {
    pub admin: String,
    pub cn_examiner: String,
    pub th_examiner: String,
    /// A user of the Longjing association (CNIPA): the applicant of the test GIs.
    pub cn_assoc: String,
    /// A user of another association of the same office.
    pub cn_other_assoc: String,
    /// A user of the Doi Tung association (DIP).
    pub th_assoc: String,
    pub auditor: String,
    pub cn_association: i64,
    pub cn_other_association: i64,
    pub th_association: i64,
}

pub async fn world(app: &TestApp) -> World {
    let admin = app.admin_token().await;
    app.create_office(&admin, "CNIPA", "CN", 60).await;
    app.create_office(&admin, "DIP", "TH", 90).await;
    let id = |v: Value| v["id"].as_i64().unwrap();
    let cn_association = id(app
        .create_association(&admin, CN_ASSOCIATION, "CNIPA")
        .await);
    let cn_other_association = id(app
        .create_association(&admin, CN_OTHER_ASSOCIATION, "CNIPA")
        .await);
    let th_association = id(app.create_association(&admin, TH_ASSOCIATION, "DIP").await);
    let user = |body: Value| {
        let admin = admin.clone();
        async move { app.user_token(&admin, body).await }
    };
    World {
        cn_examiner: user(json!({"username": "cn-examiner", "role": "examiner", "office": "CNIPA"}))
            .await,
        th_examiner: user(json!({"username": "th-examiner", "role": "examiner", "office": "DIP"}))
            .await,
        cn_assoc: user(
            json!({"username": "longjing", "role": "association", "association_id": cn_association}),
        )
        .await,
        cn_other_assoc: user(
            json!({"username": "pinggu", "role": "association", "association_id": cn_other_association}),
        )
        .await,
        th_assoc: user(
            json!({"username": "doitung", "role": "association", "association_id": th_association}),
        )
        .await,
        auditor: user(json!({"username": "auditor", "role": "auditor"})).await,
        admin,
        cn_association,
        cn_other_association,
        th_association,
    }
}

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub fn days_from_today(days: i64) -> String {
    let today = today();
    let date = if days >= 0 {
        today.checked_add_days(Days::new(days as u64))
    } else {
        today.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    date.unwrap().to_string()
}

pub fn specification(description: &str) -> Value {
    json!({
        "product_description": description,
        "raw_materials": "Fresh leaves of the Longjing #43 cultivar",
        "production_method": "Pan-fired by hand",
        "link_with_area": "The hills around West Lake",
    })
}

/// A GI application of `origin`'s association `association_id` with these names.
pub fn application(origin: &str, association_id: Option<i64>, names: Value) -> Value {
    let mut body = json!({
        "origin_office": origin,
        "gi_type": "pdo",
        "product_type": "food",
        "product_class": "1.8",
        "names": names,
        "area_description": "West Lake district, Hangzhou, Zhejiang",
        "specification": specification("Flat, jade-green tea leaves"),
    });
    if let Some(id) = association_id {
        body["association_id"] = json!(id);
    }
    body
}

/// 龙井茶 with its pinyin transliteration, applied for at CNIPA.
pub fn longjing(association_id: i64) -> Value {
    application(
        "CNIPA",
        Some(association_id),
        json!([
            {"text": "龙井茶", "lang": "zh", "script": "Hans", "kind": "original"},
            {"text": "Longjing cha", "lang": "zh-Latn", "script": "Latn",
             "kind": "transliteration", "romanization": "pinyin"},
        ]),
    )
}

/// กาแฟดอยตุง, applied for at DIP.
pub fn doi_tung(association_id: i64) -> Value {
    let mut body = application(
        "DIP",
        Some(association_id),
        json!([
            {"text": "กาแฟดอยตุง", "lang": "th", "script": "Thai", "kind": "original"},
            {"text": "Kafae Doi Tung", "lang": "th-Latn", "script": "Latn",
             "kind": "transliteration", "romanization": "rtgs"},
        ]),
    );
    body["area_description"] = json!("Doi Tung, Mae Fa Luang district, Chiang Rai");
    body
}

/// The body of a response with the expected status, with the body in the message.
pub async fn expect(response: Response, status: u16) -> Value {
    let got = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// A 422 whose details name `field`.
pub async fn assert_invalid(response: Response, field: &str) -> Value {
    let body = assert_error(response, 422, "validation_failed").await;
    let named = body["error"]["details"]
        .as_array()
        .is_some_and(|details| details.iter().any(|d| d["field"] == field));
    assert!(named, "expected the field `{field}` to be named: {body}");
    body
}

pub async fn get_ok(app: &TestApp, path: &str, token: Option<&str>) -> Value {
    expect(app.get(path, token).await, 200).await
}

pub async fn create_gi(app: &TestApp, token: &str, body: Value) -> Value {
    expect(app.post("/api/v1/gis", Some(token), body).await, 201).await
}

pub async fn create_gi_id(app: &TestApp, token: &str, body: Value) -> i64 {
    create_gi(app, token, body).await["id"].as_i64().unwrap()
}

pub async fn gi(app: &TestApp, token: Option<&str>, id: i64) -> Value {
    get_ok(app, &format!("/api/v1/gis/{id}"), token).await
}

pub async fn events(app: &TestApp, token: Option<&str>, id: i64) -> Vec<Value> {
    get_ok(app, &format!("/api/v1/gis/{id}/events"), token)
        .await
        .as_array()
        .unwrap()
        .clone()
}

pub async fn act(app: &TestApp, token: &str, id: i64, body: Value) -> Response {
    app.post(&format!("/api/v1/gis/{id}/actions"), Some(token), body)
        .await
}

/// Takes `action` on `on` (grounds given where they are required); expects 200.
pub async fn act_ok(app: &TestApp, token: &str, id: i64, action: &str, on: &str) -> Value {
    let mut body = json!({"action": action, "effective_on": on});
    if matches!(action, "refuse" | "cancel") {
        body["grounds"] = json!(format!("the grounds to {action}"));
    }
    if action == "publish" {
        body["publication_reference"] = json!(format!("GI Gazette of {on}, p. 1"));
    }
    let response = act(app, token, id, body.clone()).await;
    let (mut got, mut text) = (response.status().as_u16(), response.text().await.unwrap());
    if let Some(homonyms) = name_conflict(got, &text) {
        // Tests of other rules register homonyms (many Longjing GIs) freely; the gate
        // itself is tested in name_conflict_gate.rs.
        let again = act(app, token, id, acknowledging(body, homonyms)).await;
        (got, text) = (again.status().as_u16(), again.text().await.unwrap());
    }
    assert_eq!(got, 200, "{action} on {on}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// The GIs a 409 `name_conflict` names, if that is what the answer is.
pub fn name_conflict(status: u16, text: &str) -> Option<Vec<Value>> {
    let body: Value = serde_json::from_str(text).ok()?;
    if status != 409 || body["error"]["code"] != "name_conflict" {
        return None;
    }
    Some(
        body["error"]["details"]["conflicts"]
            .as_array()?
            .iter()
            .map(|c| c["gi_id"].clone())
            .collect(),
    )
}

/// `body` acknowledging `homonyms`, with grounds.
pub fn acknowledging(mut body: Value, homonyms: Vec<Value>) -> Value {
    body["acknowledge_conflicts"] = Value::Array(homonyms);
    if body.get("grounds").is_none() {
        body["grounds"] = json!("a homonym, distinguished by its label");
    }
    body
}

/// The action and entity of the latest audit entry.
pub async fn last_audit(app: &TestApp) -> (String, Option<String>) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.read_blocking(|conn| {
            use diesel::prelude::*;
            use terroir::db::schema::audit_log;
            Ok(audit_log::table
                .order(audit_log::seq.desc())
                .select((audit_log::action, audit_log::entity_id))
                .first::<(String, Option<String>)>(conn)?)
        })
        .unwrap()
    })
    .await
    .unwrap()
}

/// A new Longjing application (CNIPA), brought to `status` on the standard legal dates
/// (all before the day it is entered: creating a draft is not a legal event).
pub async fn gi_in(app: &TestApp, w: &World, status: &str) -> i64 {
    let id = create_gi_id(app, &w.cn_assoc, longjing(w.cn_association)).await;
    let path: &[(&str, &str)] = match status {
        "draft" => &[],
        "filed" => &[("file", FILED_ON)],
        "under_examination" => &[("file", FILED_ON), ("start_examination", EXAMINED_ON)],
        "published" => &[
            ("file", FILED_ON),
            ("start_examination", EXAMINED_ON),
            ("publish", PUBLISHED_ON),
        ],
        "registered" => &[
            ("file", FILED_ON),
            ("start_examination", EXAMINED_ON),
            ("publish", PUBLISHED_ON),
            ("register", REGISTERED_ON),
        ],
        "refused" => &[
            ("file", FILED_ON),
            ("start_examination", EXAMINED_ON),
            ("refuse", "2026-02-01"),
        ],
        "withdrawn" => &[("file", FILED_ON), ("withdraw", "2026-01-20")],
        "cancelled" => &[
            ("file", FILED_ON),
            ("start_examination", EXAMINED_ON),
            ("publish", PUBLISHED_ON),
            ("register", REGISTERED_ON),
            ("cancel", "2026-06-01"),
        ],
        other => panic!("no path to {other}"),
    };
    for (action, on) in path {
        let token = if matches!(*action, "file" | "withdraw") {
            &w.cn_assoc
        } else {
            &w.cn_examiner
        };
        act_ok(app, token, id, action, on).await;
    }
    assert_eq!(gi(app, Some(&w.cn_examiner), id).await["status"], status);
    id
}

pub async fn oppose(app: &TestApp, token: &str, id: i64, body: Value) -> Response {
    app.post(&format!("/api/v1/gis/{id}/oppositions"), Some(token), body)
        .await
}

async fn decide(app: &TestApp, token: &str, opposition: i64, body: Value) -> Response {
    app.post(
        &format!("/api/v1/oppositions/{opposition}/actions"),
        Some(token),
        body,
    )
    .await
}

fn event_summary(events: &[Value]) -> Vec<(String, Value, String, String)> {
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

fn ev(kind: &str, from: Option<&str>, to: &str, on: &str) -> (String, Value, String, String) {
    (kind.into(), json!(from), to.into(), on.into())
}

async fn full_lifecycle_with_numbers_dates_and_events(app: TestApp) {
    let w = world(&app).await;
    let created = create_gi(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["status"], "draft");
    assert_eq!(created["version"], 1);
    assert_eq!(created["origin_office"], "CNIPA");
    assert_eq!(created["association_id"], w.cn_association);
    assert_eq!(created["gi_type"], "pdo");
    assert_eq!(created["product_type"], "food");
    assert_eq!(created["product_class"], "1.8");
    assert_eq!(created["countries"], json!(["CN"]));
    for field in [
        "file_number",
        "registration_number",
        "filed_on",
        "published_on",
        "opposition_deadline",
        "registered_on",
        "decided_on",
    ] {
        assert!(created[field].is_null(), "{field} of a draft: {created}");
    }
    // Every name has its id, by which decisions name it.
    let mut names = created["names"].clone();
    for name in names.as_array_mut().unwrap() {
        assert!(name["id"].as_i64().is_some(), "{name}");
        name.as_object_mut().unwrap().remove("id");
    }
    assert_eq!(
        names,
        json!([
            {"text": "龙井茶", "lang": "zh", "script": "Hans", "kind": "original", "romanization": null},
            {"text": "Longjing cha", "lang": "zh-Latn", "script": "Latn",
             "kind": "transliteration", "romanization": "pinyin"},
        ])
    );
    assert_eq!(created["specification"]["version"], 1);
    assert_eq!(created["specification"]["status"], "current");
    assert_eq!(
        created["specification"]["product_description"],
        "Flat, jade-green tea leaves"
    );

    let filed = act_ok(&app, &w.cn_assoc, id, "file", FILED_ON).await;
    assert_eq!(filed["status"], "filed");
    assert_eq!(filed["file_number"], "CN-GI-2026-000001");
    assert_eq!(filed["filed_on"], FILED_ON);
    assert_eq!(filed["version"], 2);
    assert!(filed["registration_number"].is_null());

    let examined = act_ok(&app, &w.cn_examiner, id, "start_examination", EXAMINED_ON).await;
    assert_eq!(examined["status"], "under_examination");
    assert_eq!(examined["file_number"], "CN-GI-2026-000001");
    assert_eq!(examined["filed_on"], FILED_ON);
    assert_eq!(examined["version"], 3);

    let published = act_ok(&app, &w.cn_examiner, id, "publish", PUBLISHED_ON).await;
    assert_eq!(published["status"], "published");
    assert_eq!(published["published_on"], PUBLISHED_ON);
    assert_eq!(published["opposition_deadline"], CN_DEADLINE);
    assert!(published["registration_number"].is_null());
    assert_eq!(published["version"], 4);

    for on in ["2026-04-30", CN_DEADLINE] {
        let body = json!({"action": "register", "effective_on": on});
        assert_error(
            act(&app, &w.cn_examiner, id, body).await,
            409,
            "deadline_not_passed",
        )
        .await;
    }
    let registered = act_ok(&app, &w.cn_examiner, id, "register", REGISTERED_ON).await;
    assert_eq!(registered["status"], "registered");
    assert_eq!(registered["registered_on"], REGISTERED_ON);
    assert_eq!(registered["file_number"], "CN-GI-2026-000001");
    assert_eq!(registered["filed_on"], FILED_ON);
    assert_eq!(registered["published_on"], PUBLISHED_ON);
    assert_eq!(registered["opposition_deadline"], CN_DEADLINE);
    assert!(registered["decided_on"].is_null());
    assert_eq!(registered["version"], 5);
    let number = registered["registration_number"].as_str().unwrap();
    assert!(!number.is_empty());
    assert_ne!(number, "CN-GI-2026-000001");

    // The public reads it as registered, with its ETag.
    let response = app.get(&format!("/api/v1/gis/{id}"), None).await;
    assert_eq!(response.headers().get("etag").unwrap(), "\"5\"");
    let read = expect(response, 200).await;
    assert_eq!(read["registration_number"], number);
    assert_eq!(read["status"], "registered");
    assert_eq!(read["specification"]["version"], 1);

    let history = events(&app, None, id).await;
    assert_eq!(
        event_summary(&history),
        vec![
            // Creation is dated the day of entry; the legal dates that follow are not
            // bound by it.
            ev("create", None, "draft", &days_from_today(0)),
            ev("file", Some("draft"), "filed", FILED_ON),
            ev(
                "start_examination",
                Some("filed"),
                "under_examination",
                EXAMINED_ON
            ),
            ev(
                "publish",
                Some("under_examination"),
                "published",
                PUBLISHED_ON
            ),
            ev("register", Some("published"), "registered", REGISTERED_ON),
        ]
    );
    assert!(history.iter().all(|e| e["gi_id"] == id));
    assert_eq!(history[1]["actor"], "longjing");
    assert_eq!(history[4]["actor"], "cn-examiner");
    assert_eq!(history[4]["office"], "CNIPA");
    // Remedies belong to a refusal's event only; a registration names its exclusions.
    for event in &history[1..] {
        assert!(event["details"].get("remedies").is_none(), "{event}");
        assert!(event["details"].get("remedy_deadline").is_none(), "{event}");
    }
    assert_eq!(
        history[4]["details"]["excluded_names"],
        json!([]),
        "{}",
        history[4]
    );

    // Numbers are per office and year, and unique.
    let second = gi_in(&app, &w, "registered").await;
    let second = gi(&app, None, second).await;
    assert_eq!(second["file_number"], "CN-GI-2026-000002");
    assert_ne!(second["registration_number"], number);
    assert!(second["registration_number"].is_string());

    // DIP's own period (90 days) makes its deadline, and its own numbers.
    let thai = create_gi_id(&app, &w.th_assoc, doi_tung(w.th_association)).await;
    let filed = act_ok(&app, &w.th_assoc, thai, "file", FILED_ON).await;
    assert_eq!(filed["file_number"], "TH-GI-2026-000001");
    act_ok(&app, &w.th_examiner, thai, "start_examination", EXAMINED_ON).await;
    let published = act_ok(&app, &w.th_examiner, thai, "publish", PUBLISHED_ON).await;
    assert_eq!(published["opposition_deadline"], "2026-05-31");
}

/// An application keyed in today may carry the legal date on which it was received:
/// creating the draft is not a legal event, so it bounds no legal date. Later events
/// still do.
async fn filing_may_carry_a_legal_date_before_the_day_of_entry(app: TestApp) {
    let w = world(&app).await;
    let id = create_gi_id(&app, &w.cn_examiner, longjing(w.cn_association)).await;
    let response = act(
        &app,
        &w.cn_examiner,
        id,
        json!({"action": "file", "effective_on": FILED_ON}),
    )
    .await;
    let filed = expect(response, 200).await;
    assert_eq!(filed["filed_on"], FILED_ON);
    assert_eq!(filed["file_number"], "CN-GI-2026-000001");
    let before_filing = act(
        &app,
        &w.cn_examiner,
        id,
        json!({"action": "withdraw", "effective_on": "2026-01-04"}),
    )
    .await;
    assert_invalid(before_filing, "effective_on").await;
    let history = events(&app, Some(&w.cn_examiner), id).await;
    assert_eq!(
        event_summary(&history),
        vec![
            ev("create", None, "draft", &days_from_today(0)),
            ev("file", Some("draft"), "filed", FILED_ON),
        ]
    );
}

const ALL_ACTIONS: [&str; 10] = [
    "file",
    "start_examination",
    "publish",
    "register",
    "refuse",
    "withdraw",
    "cancel",
    "appeal",
    "appeal_allowed",
    "appeal_dismissed",
];

async fn every_refused_transition_names_status_and_allowed_actions(app: TestApp) {
    let w = world(&app).await;
    let table: [(&str, &[&str]); 8] = [
        ("draft", &["file", "withdraw"]),
        ("filed", &["start_examination", "withdraw"]),
        ("under_examination", &["publish", "refuse", "withdraw"]),
        ("published", &["register", "refuse", "withdraw"]),
        ("registered", &["cancel"]),
        ("refused", &["appeal"]),
        ("withdrawn", &[]),
        ("cancelled", &[]),
    ];
    for (status, allowed) in table {
        let id = gi_in(&app, &w, status).await;
        let before = gi(&app, Some(&w.cn_examiner), id).await;
        let history = events(&app, Some(&w.cn_examiner), id).await.len();
        let audit = app.audit_count().await;
        for action in ALL_ACTIONS.iter().filter(|a| !allowed.contains(a)) {
            // The origin examiner may take every action: only the status refuses it.
            let body = json!({"action": action, "grounds": "some grounds",
                              "effective_on": days_from_today(0)});
            let response = act(&app, &w.cn_examiner, id, body).await;
            let status_code = response.status().as_u16();
            let err: Value = response.json().await.unwrap();
            assert_eq!(status_code, 409, "{status} --{action}-->: {err}");
            assert_eq!(err["error"]["code"], "invalid_transition", "{err}");
            assert_eq!(err["error"]["details"]["status"], status, "{err}");
            assert_eq!(
                err["error"]["details"]["allowed_actions"],
                json!(allowed),
                "{status} --{action}-->: {err}"
            );
        }
        let after = gi(&app, Some(&w.cn_examiner), id).await;
        assert_eq!(after, before, "a refused transition changed the GI");
        assert_eq!(events(&app, Some(&w.cn_examiner), id).await.len(), history);
        assert_eq!(app.audit_count().await, audit, "refusals are not audited");
    }
}

async fn effective_on_is_never_in_the_future_nor_before_the_previous_event(app: TestApp) {
    let w = world(&app).await;
    let id = gi_in(&app, &w, "draft").await;

    let tomorrow = days_from_today(1);
    let future = act(
        &app,
        &w.cn_assoc,
        id,
        json!({"action": "file", "effective_on": tomorrow}),
    )
    .await;
    assert_invalid(future, "effective_on").await;
    let malformed = act(
        &app,
        &w.cn_assoc,
        id,
        json!({"action": "file", "effective_on": "2026-13-01"}),
    )
    .await;
    assert_invalid(malformed, "effective_on").await;
    let unchanged = gi(&app, Some(&w.cn_assoc), id).await;
    assert_eq!(unchanged["status"], "draft");
    assert_eq!(unchanged["version"], 1);
    assert!(unchanged["file_number"].is_null());

    act_ok(&app, &w.cn_assoc, id, "file", FILED_ON).await;
    let earlier = act(
        &app,
        &w.cn_examiner,
        id,
        json!({"action": "start_examination", "effective_on": "2026-01-04"}),
    )
    .await;
    assert_invalid(earlier, "effective_on").await;
    assert_eq!(gi(&app, Some(&w.cn_assoc), id).await["status"], "filed");
    // The same day as the previous event is allowed.
    act_ok(&app, &w.cn_examiner, id, "start_examination", FILED_ON).await;

    // Without effective_on the legal date is today.
    let published = expect(
        act(&app, &w.cn_examiner, id, json!({"action": "publish"})).await,
        200,
    )
    .await;
    assert_eq!(published["published_on"], days_from_today(0));
    assert_eq!(published["opposition_deadline"], days_from_today(60));
    let last = events(&app, None, id).await.pop().unwrap();
    assert_eq!(last["effective_on"], days_from_today(0));

    // The day after the deadline is in the future: refused as such, not registered.
    let future = act(
        &app,
        &w.cn_examiner,
        id,
        json!({"action": "register", "effective_on": days_from_today(61)}),
    )
    .await;
    assert_invalid(future, "effective_on").await;
    assert_error(
        act(&app, &w.cn_examiner, id, json!({"action": "register"})).await,
        409,
        "deadline_not_passed",
    )
    .await;
    assert_eq!(gi(&app, None, id).await["status"], "published");
}

async fn grounds_are_required_to_refuse_and_cancel(app: TestApp) {
    let w = world(&app).await;
    let examined = gi_in(&app, &w, "under_examination").await;
    for grounds in [None, Some("   ")] {
        let mut body = json!({"action": "refuse", "effective_on": "2026-02-01"});
        if let Some(g) = grounds {
            body["grounds"] = json!(g);
        }
        assert_invalid(act(&app, &w.cn_examiner, examined, body).await, "grounds").await;
    }
    assert_eq!(
        gi(&app, None, examined).await["status"],
        "under_examination"
    );
    let refused = expect(
        act(
            &app,
            &w.cn_examiner,
            examined,
            json!({"action": "refuse", "effective_on": "2026-02-01",
                   "grounds": "generic name for a kind of tea"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["decided_on"], "2026-02-01");
    let last = events(&app, None, examined).await.pop().unwrap();
    assert_eq!(last["event_type"], "refuse");
    assert_eq!(last["grounds"], "generic name for a kind of tea");
    // Refused without remedies: the event names none (not even as null).
    assert!(last["details"].get("remedies").is_none(), "{last}");
    assert!(last["details"].get("remedy_deadline").is_none(), "{last}");

    let registered = gi_in(&app, &w, "registered").await;
    let cancel = act(
        &app,
        &w.cn_examiner,
        registered,
        json!({"action": "cancel", "effective_on": "2026-06-01"}),
    )
    .await;
    assert_invalid(cancel, "grounds").await;
    assert_eq!(gi(&app, None, registered).await["status"], "registered");
    let cancelled = act_ok(&app, &w.cn_examiner, registered, "cancel", "2026-06-01").await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["decided_on"], "2026-06-01");

    // Withdrawal needs no grounds.
    let filed = gi_in(&app, &w, "filed").await;
    let withdrawn = expect(
        act(&app, &w.cn_assoc, filed, json!({"action": "withdraw"})).await,
        200,
    )
    .await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["decided_on"], days_from_today(0));
}

async fn unknown_actions_and_fields_are_refused(app: TestApp) {
    let w = world(&app).await;
    let id = gi_in(&app, &w, "filed").await;
    let audit = app.audit_count().await;
    for action in ["approve", "File", "create", ""] {
        let response = act(&app, &w.cn_examiner, id, json!({"action": action})).await;
        assert_invalid(response, "action").await;
    }
    let response = act(
        &app,
        &w.cn_examiner,
        id,
        json!({"action": "start_examination", "effective_date": "2026-01-10"}),
    )
    .await;
    assert_invalid(response, "effective_date").await;
    let response = act(&app, &w.cn_examiner, id, json!({})).await;
    assert_error(response, 422, "validation_failed").await;
    let unknown_gi = act(&app, &w.cn_examiner, 999_999, json!({"action": "file"})).await;
    assert_error(unknown_gi, 404, "not_found").await;
    assert_eq!(gi(&app, None, id).await["status"], "filed");
    assert_eq!(app.audit_count().await, audit);
}

async fn registration_waits_for_the_day_after_the_deadline(app: TestApp) {
    let w = world(&app).await;
    let cn = gi_in(&app, &w, "published").await;
    let audit = app.audit_count().await;
    for on in ["2026-04-30", CN_DEADLINE] {
        let body = assert_error(
            act(
                &app,
                &w.cn_examiner,
                cn,
                json!({"action": "register", "effective_on": on}),
            )
            .await,
            409,
            "deadline_not_passed",
        )
        .await;
        assert!(
            body.to_string().contains("2026-05-02"),
            "the earliest allowed date is named: {body}"
        );
    }
    assert_eq!(app.audit_count().await, audit);
    let view = gi(&app, None, cn).await;
    assert_eq!(view["status"], "published");
    assert!(view["registration_number"].is_null());
    let registered = act_ok(&app, &w.cn_examiner, cn, "register", REGISTERED_ON).await;
    assert_eq!(registered["registered_on"], REGISTERED_ON);

    // DIP: 90 days from 2026-03-02 is 2026-05-31.
    let th = create_gi_id(&app, &w.th_assoc, doi_tung(w.th_association)).await;
    act_ok(&app, &w.th_assoc, th, "file", FILED_ON).await;
    act_ok(&app, &w.th_examiner, th, "start_examination", EXAMINED_ON).await;
    act_ok(&app, &w.th_examiner, th, "publish", PUBLISHED_ON).await;
    for on in [REGISTERED_ON, "2026-05-31"] {
        assert_error(
            act(
                &app,
                &w.th_examiner,
                th,
                json!({"action": "register", "effective_on": on}),
            )
            .await,
            409,
            "deadline_not_passed",
        )
        .await;
    }
    let registered = act_ok(&app, &w.th_examiner, th, "register", "2026-06-01").await;
    assert_eq!(registered["status"], "registered");
    assert_eq!(registered["opposition_deadline"], "2026-05-31");
}

async fn registration_waits_for_pending_oppositions(app: TestApp) {
    let w = world(&app).await;
    let id = gi_in(&app, &w, "published").await;
    let opposition = expect(
        oppose(
            &app,
            &w.th_assoc,
            id,
            json!({"grounds": "Longjing is a tea variety grown elsewhere too",
                   "filed_on": CN_DEADLINE}),
        )
        .await,
        201,
    )
    .await;
    let opposition_id = opposition["id"].as_i64().unwrap();
    let audit = app.audit_count().await;
    let body = assert_error(
        act(
            &app,
            &w.cn_examiner,
            id,
            json!({"action": "register", "effective_on": REGISTERED_ON}),
        )
        .await,
        409,
        "opposition_pending",
    )
    .await;
    assert_eq!(body["error"]["details"]["pending_oppositions"], 1);
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(gi(&app, None, id).await["status"], "published");

    let rejected = expect(
        decide(
            &app,
            &w.cn_examiner,
            opposition_id,
            json!({"action": "reject", "grounds": "the name designates the West Lake area",
                   "effective_on": "2026-05-03"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["decided_on"], "2026-05-03");
    assert_eq!(
        rejected["decision_grounds"],
        "the name designates the West Lake area"
    );
    assert_eq!(gi(&app, None, id).await["status"], "published");
    let registered = act_ok(&app, &w.cn_examiner, id, "register", "2026-05-03").await;
    assert_eq!(registered["status"], "registered");
    assert_eq!(registered["registered_on"], "2026-05-03");
    let history = event_summary(&events(&app, None, id).await);
    assert_eq!(
        history[4..],
        [
            ev(
                "opposition_filed",
                Some("published"),
                "published",
                CN_DEADLINE
            ),
            ev(
                "opposition_rejected",
                Some("published"),
                "published",
                "2026-05-03"
            ),
            ev("register", Some("published"), "registered", "2026-05-03"),
        ]
    );
}

async fn oppositions_filed_by_associations_and_recorded_by_examiners(app: TestApp) {
    let w = world(&app).await;
    let id = gi_in(&app, &w, "published").await;
    let path = format!("/api/v1/gis/{id}/oppositions");

    // An association files in its own name.
    let own = expect(
        oppose(
            &app,
            &w.th_assoc,
            id,
            json!({"grounds": "prior use in Thailand", "filed_on": "2026-04-15"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(own["opponent_name"], TH_ASSOCIATION);
    assert_eq!(own["filed_by_association_id"], w.th_association);
    assert_eq!(own["status"], "pending");
    assert_eq!(own["filed_on"], "2026-04-15");
    assert_eq!(own["gi_id"], id);
    assert!(own["recognition_id"].is_null());
    assert!(own["decided_on"].is_null());
    // It may name itself (on another GI here), and no other opponent.
    let audit = app.audit_count().await;
    let other = json!({"grounds": "g", "opponent_name": "Another Co.", "filed_on": "2026-04-15"});
    assert_invalid(oppose(&app, &w.th_assoc, id, other).await, "opponent_name").await;
    assert_eq!(app.audit_count().await, audit);
    let second = gi_in(&app, &w, "published").await;
    let itself = json!({"grounds": "prior use", "opponent_name": TH_ASSOCIATION,
                        "filed_on": "2026-04-15"});
    let named = expect(oppose(&app, &w.th_assoc, second, itself).await, 201).await;
    assert_eq!(named["opponent_name"], TH_ASSOCIATION);
    assert_eq!(named["filed_by_association_id"], w.th_association);

    // An examiner of the origin office records one for a named opponent...
    let audit = app.audit_count().await;
    let unnamed = oppose(
        &app,
        &w.cn_examiner,
        id,
        json!({"grounds": "prior trademark", "filed_on": "2026-04-20"}),
    )
    .await;
    assert_invalid(unnamed, "opponent_name").await;
    assert_eq!(app.audit_count().await, audit);
    let recorded = expect(
        oppose(
            &app,
            &w.cn_examiner,
            id,
            json!({"opponent_name": "Some Tea Trading Co.", "grounds": "prior trademark",
                   "filed_on": "2026-04-20"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(recorded["opponent_name"], "Some Tea Trading Co.");
    assert!(recorded["filed_by_association_id"].is_null());
    assert_eq!(app.audit_count().await, audit + 1);

    // ...but not another office's examiner, nor admins, auditors or anonymous callers.
    let body = json!({"opponent_name": "X Co.", "grounds": "g", "filed_on": "2026-04-20"});
    for token in [&w.th_examiner, &w.admin, &w.auditor] {
        assert_error(
            oppose(&app, token, id, body.clone()).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_error(app.post(&path, None, body).await, 401, "unauthorized").await;
    // Grounds are required, and filed_on is a legal date like any other.
    assert_error(
        oppose(&app, &w.th_assoc, id, json!({"filed_on": "2026-04-20"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_invalid(
        oppose(
            &app,
            &w.th_assoc,
            id,
            json!({"grounds": " ", "filed_on": "2026-04-20"}),
        )
        .await,
        "grounds",
    )
    .await;
    assert_invalid(
        oppose(
            &app,
            &w.th_assoc,
            id,
            json!({"grounds": "g", "filed_on": days_from_today(1)}),
        )
        .await,
        "filed_on",
    )
    .await;
    assert_invalid(
        oppose(
            &app,
            &w.th_assoc,
            id,
            json!({"grounds": "g", "filed_on": "2026-03-01"}),
        )
        .await,
        "filed_on",
    )
    .await;
    assert_eq!(app.audit_count().await, audit + 1);

    let listed = get_ok(&app, &path, None).await;
    let ids: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["id"])
        .collect();
    assert_eq!(ids, [&own["id"], &recorded["id"]]);

    // Deciding: only the origin examiner, with grounds, and only once.
    let own_id = own["id"].as_i64().unwrap();
    let reject = json!({"action": "reject", "grounds": "no prior right shown",
                        "effective_on": "2026-04-25"});
    for token in [&w.th_assoc, &w.th_examiner, &w.cn_assoc, &w.auditor] {
        assert_error(
            decide(&app, token, own_id, reject.clone()).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_invalid(
        decide(
            &app,
            &w.cn_examiner,
            own_id,
            json!({"action": "reject", "effective_on": "2026-04-25"}),
        )
        .await,
        "grounds",
    )
    .await;
    assert_invalid(
        decide(
            &app,
            &w.cn_examiner,
            own_id,
            json!({"action": "dismiss", "grounds": "g"}),
        )
        .await,
        "action",
    )
    .await;
    // Not before the opposition was filed.
    assert_invalid(
        decide(
            &app,
            &w.cn_examiner,
            own_id,
            json!({"action": "reject", "grounds": "g", "effective_on": "2026-04-14"}),
        )
        .await,
        "effective_on",
    )
    .await;
    let rejected = expect(
        decide(&app, &w.cn_examiner, own_id, reject.clone()).await,
        200,
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["decided_on"], "2026-04-25");
    let again = assert_error(
        decide(&app, &w.cn_examiner, own_id, reject).await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(again["error"]["details"]["status"], "rejected");
    assert_error(
        decide(&app, &w.cn_examiner, 999_999, json!({"action": "withdraw"})).await,
        404,
        "not_found",
    )
    .await;
    // A rejected opposition lets the proceeding go on.
    let view = gi(&app, None, id).await;
    assert_eq!(view["status"], "published");
}

/// An association files in its own name only: a third party's name is refused (or
/// replaced by the association's), so no association puts an opposition on the record
/// in someone else's name. Only an origin examiner records one for a named opponent.
async fn an_association_opposes_in_its_own_name_only(app: TestApp) {
    let w = world(&app).await;
    let id = gi_in(&app, &w, "published").await;
    let response = oppose(
        &app,
        &w.th_assoc,
        id,
        json!({"opponent_name": "Some Tea Trading Co.", "grounds": "prior trademark",
               "filed_on": "2026-04-15"}),
    )
    .await;
    match response.status().as_u16() {
        422 => {
            assert_invalid(response, "opponent_name").await;
        }
        _ => {
            let filed = expect(response, 201).await;
            assert_eq!(filed["filed_by_association_id"], w.th_association);
            assert_eq!(filed["opponent_name"], TH_ASSOCIATION, "{filed}");
        }
    }
    // Its own name, spelled out, is fine.
    let filed = expect(
        oppose(
            &app,
            &w.th_assoc,
            id,
            json!({"opponent_name": TH_ASSOCIATION, "grounds": "prior use",
                   "filed_on": "2026-04-15"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(filed["opponent_name"], TH_ASSOCIATION);
    assert_eq!(filed["filed_by_association_id"], w.th_association);
}

async fn upheld_opposition_refuses_the_gi(app: TestApp) {
    let w = world(&app).await;
    let id = gi_in(&app, &w, "published").await;
    let before = gi(&app, None, id).await;
    let opposition = expect(
        oppose(
            &app,
            &w.cn_other_assoc,
            id,
            json!({"grounds": "the name is generic", "filed_on": CN_DEADLINE}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(opposition["opponent_name"], CN_OTHER_ASSOCIATION);
    let opposition_id = opposition["id"].as_i64().unwrap();
    let audit = app.audit_count().await;
    let upheld = expect(
        decide(
            &app,
            &w.cn_examiner,
            opposition_id,
            json!({"action": "uphold", "grounds": "generic in Zhejiang",
                   "effective_on": "2026-05-05"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(upheld["status"], "upheld");
    assert_eq!(upheld["decided_on"], "2026-05-05");
    assert_eq!(upheld["decision_grounds"], "generic in Zhejiang");
    assert_eq!(app.audit_count().await, audit + 1);

    let refused = gi(&app, None, id).await;
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["decided_on"], "2026-05-05");
    assert!(refused["registration_number"].is_null());
    assert!(refused["version"].as_i64().unwrap() > before["version"].as_i64().unwrap());
    let last = events(&app, None, id).await.pop().unwrap();
    assert_eq!(last["event_type"], "opposition_upheld");
    assert_eq!(last["from_status"], "published");
    assert_eq!(last["to_status"], "refused");
    assert_eq!(last["effective_on"], "2026-05-05");
    assert_eq!(last["grounds"], "generic in Zhejiang");

    let body = assert_error(
        act(
            &app,
            &w.cn_examiner,
            id,
            json!({"action": "register", "effective_on": "2026-05-06"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(body["error"]["details"]["status"], "refused");
    assert_eq!(
        body["error"]["details"]["allowed_actions"],
        json!(["appeal"])
    );
    assert_error(
        oppose(
            &app,
            &w.th_assoc,
            id,
            json!({"grounds": "g", "filed_on": "2026-05-01"}),
        )
        .await,
        409,
        "not_open_to_opposition",
    )
    .await;
}

async fn oppositions_are_withdrawn_by_their_filer(app: TestApp) {
    let w = world(&app).await;
    let id = gi_in(&app, &w, "published").await;
    let filed = |token: String, body: Value| {
        let app = &app;
        async move {
            expect(oppose(app, &token, id, body).await, 201).await["id"]
                .as_i64()
                .unwrap()
        }
    };
    let by_th = filed(
        w.th_assoc.clone(),
        json!({"grounds": "prior use", "filed_on": "2026-04-01"}),
    )
    .await;
    let by_examiner = filed(
        w.cn_examiner.clone(),
        json!({"opponent_name": "Some Tea Trading Co.", "grounds": "prior trademark",
               "filed_on": "2026-04-02"}),
    )
    .await;
    let by_cn_other = filed(
        w.cn_other_assoc.clone(),
        json!({"grounds": "the area is drawn too wide", "filed_on": "2026-04-03"}),
    )
    .await;
    let audit = app.audit_count().await;
    let withdraw = json!({"action": "withdraw", "effective_on": "2026-04-10"});
    for token in [&w.cn_other_assoc, &w.cn_assoc, &w.th_examiner, &w.auditor] {
        assert_error(
            decide(&app, token, by_th, withdraw.clone()).await,
            403,
            "forbidden",
        )
        .await;
    }
    // Nobody's association filed the examiner's one: no association withdraws it.
    assert_error(
        decide(&app, &w.th_assoc, by_examiner, withdraw.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(app.audit_count().await, audit);

    let withdrawn = expect(
        decide(&app, &w.th_assoc, by_th, withdraw.clone()).await,
        200,
    )
    .await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["decided_on"], "2026-04-10");
    assert_eq!(app.audit_count().await, audit + 1);
    assert_error(
        decide(&app, &w.th_assoc, by_th, withdraw.clone()).await,
        409,
        "invalid_transition",
    )
    .await;
    // Only the opponent withdraws: the origin examiner cannot withdraw an association's
    // opposition for it…
    assert_error(
        decide(&app, &w.cn_examiner, by_cn_other, withdraw.clone()).await,
        403,
        "forbidden",
    )
    .await;
    // …and records the withdrawal of the one it recorded only with the opponent's letter.
    let error = assert_error(
        decide(&app, &w.cn_examiner, by_examiner, withdraw).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error["error"]["details"][0]["field"], "grounds");
    let withdrawn = expect(
        decide(
            &app,
            &w.cn_examiner,
            by_examiner,
            json!({"action": "withdraw", "effective_on": "2026-04-10",
                   "grounds": "Letter of Some Tea Trading Co. of 8 April 2026 withdrawing its opposition"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(withdrawn["status"], "withdrawn");
    expect(
        decide(
            &app,
            &w.cn_other_assoc,
            by_cn_other,
            json!({"action": "withdraw", "effective_on": "2026-04-10"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(gi(&app, None, id).await["status"], "published");
    let kinds: Vec<String> = events(&app, None, id)
        .await
        .iter()
        .map(|e| e["event_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds[4..],
        [
            "opposition_filed",
            "opposition_filed",
            "opposition_filed",
            "opposition_withdrawn",
            "opposition_withdrawn",
            "opposition_withdrawn"
        ]
    );
    // Withdrawn oppositions are not pending.
    act_ok(&app, &w.cn_examiner, id, "register", REGISTERED_ON).await;
}

async fn late_and_misplaced_oppositions_are_refused(app: TestApp) {
    let w = world(&app).await;
    let published = gi_in(&app, &w, "published").await;
    let audit = app.audit_count().await;
    for late in [json!("2026-05-02"), Value::Null] {
        let mut body = json!({"grounds": "late grounds"});
        if !late.is_null() {
            body["filed_on"] = late;
        }
        assert_error(
            oppose(&app, &w.th_assoc, published, body).await,
            409,
            "opposition_period_closed",
        )
        .await;
    }
    assert_eq!(app.audit_count().await, audit);
    // The deadline day itself is still in time.
    expect(
        oppose(
            &app,
            &w.th_assoc,
            published,
            json!({"grounds": "in time", "filed_on": CN_DEADLINE}),
        )
        .await,
        201,
    )
    .await;

    for status in ["filed", "under_examination", "registered"] {
        let id = gi_in(&app, &w, status).await;
        let body = assert_error(
            oppose(
                &app,
                &w.th_assoc,
                id,
                json!({"grounds": "g", "filed_on": "2026-04-01"}),
            )
            .await,
            409,
            "not_open_to_opposition",
        )
        .await;
        assert_eq!(body["error"]["details"]["status"], status);
    }
    // Someone else's draft does not exist for the opponent.
    let draft = gi_in(&app, &w, "draft").await;
    assert_error(
        oppose(&app, &w.th_assoc, draft, json!({"grounds": "g"})).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        oppose(&app, &w.th_assoc, 999_999, json!({"grounds": "g"})).await,
        404,
        "not_found",
    )
    .await;
}

async fn amendments_are_proposed_decided_and_versioned(app: TestApp) {
    let w = world(&app).await;
    let specs = |id: i64| format!("/api/v1/gis/{id}/specifications");
    let proposal = |description: &str| {
        json!({"specification": specification(description),
               "reason": "machine rolling is now allowed"})
    };

    let published = gi_in(&app, &w, "published").await;
    let body = assert_error(
        app.post(&specs(published), Some(&w.cn_assoc), proposal("x"))
            .await,
        409,
        "not_registered",
    )
    .await;
    assert_eq!(body["error"]["details"]["status"], "published");

    let id = gi_in(&app, &w, "registered").await;
    for token in [
        &w.cn_other_assoc,
        &w.th_assoc,
        &w.th_examiner,
        &w.auditor,
        &w.admin,
    ] {
        assert_error(
            app.post(&specs(id), Some(token), proposal("x")).await,
            403,
            "forbidden",
        )
        .await;
    }
    let v2 = expect(
        app.post(&specs(id), Some(&w.cn_assoc), proposal("Rolled by machine"))
            .await,
        201,
    )
    .await;
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["status"], "pending");
    assert_eq!(v2["product_description"], "Rolled by machine");
    assert_eq!(v2["reason"], "machine rolling is now allowed");
    assert_eq!(v2["proposed_by"], "longjing");
    assert!(v2["decided_on"].is_null());

    let listed = get_ok(&app, &specs(id), None).await;
    let summary: Vec<(i64, &str)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["version"].as_i64().unwrap(),
                s["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(summary, [(1, "current"), (2, "pending")]);
    assert_eq!(gi(&app, None, id).await["specification"]["version"], 1);

    let body = assert_error(
        app.post(&specs(id), Some(&w.cn_examiner), proposal("another"))
            .await,
        409,
        "amendment_pending",
    )
    .await;
    assert_eq!(body["error"]["details"]["pending_version"], 2);

    let decide_v = |v: i32| format!("{}/{v}/actions", specs(id));
    let audit = app.audit_count().await;
    for token in [&w.cn_assoc, &w.th_examiner, &w.auditor] {
        assert_error(
            app.post(&decide_v(2), Some(token), json!({"action": "approve"}))
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_invalid(
        app.post(
            &decide_v(2),
            Some(&w.cn_examiner),
            json!({"action": "reject"}),
        )
        .await,
        "grounds",
    )
    .await;
    assert_invalid(
        app.post(
            &decide_v(2),
            Some(&w.cn_examiner),
            json!({"action": "accept"}),
        )
        .await,
        "action",
    )
    .await;
    assert_error(
        app.post(
            &decide_v(7),
            Some(&w.cn_examiner),
            json!({"action": "approve"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.audit_count().await, audit);

    let approved = expect(
        app.post(
            &decide_v(2),
            Some(&w.cn_examiner),
            json!({"action": "approve"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(approved["version"], 2);
    assert_eq!(approved["status"], "current");
    assert_eq!(approved["decided_on"], days_from_today(0));
    assert_eq!(app.audit_count().await, audit + 1);
    assert_error(
        app.post(
            &decide_v(2),
            Some(&w.cn_examiner),
            json!({"action": "approve"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;

    let v1 = get_ok(&app, &format!("{}/1", specs(id)), None).await;
    assert_eq!(v1["status"], "superseded");
    assert_eq!(v1["product_description"], "Flat, jade-green tea leaves");
    let v2 = get_ok(&app, &format!("{}/2", specs(id)), None).await;
    assert_eq!(v2["status"], "current");
    assert_eq!(v2["product_description"], "Rolled by machine");
    let current = gi(&app, None, id).await;
    assert_eq!(current["specification"]["version"], 2);
    assert_eq!(
        current["specification"]["product_description"],
        "Rolled by machine"
    );
    assert_eq!(current["status"], "registered");

    // A third version, proposed by the origin examiner and rejected with grounds.
    let v3 = expect(
        app.post(&specs(id), Some(&w.cn_examiner), proposal("Smoked"))
            .await,
        201,
    )
    .await;
    assert_eq!(v3["version"], 3);
    let rejected = expect(
        app.post(
            &decide_v(3),
            Some(&w.cn_examiner),
            json!({"action": "reject", "grounds": "smoking breaks the link with the area"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(
        rejected["decision_grounds"],
        "smoking breaks the link with the area"
    );
    let listed = get_ok(&app, &specs(id), None).await;
    let summary: Vec<(i64, &str)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["version"].as_i64().unwrap(),
                s["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [(1, "superseded"), (2, "current"), (3, "rejected")]
    );
    assert_eq!(gi(&app, None, id).await["specification"]["version"], 2);
    assert_error(
        app.get(&format!("{}/4", specs(id)), None).await,
        404,
        "not_found",
    )
    .await;
    let kinds: Vec<String> = events(&app, None, id)
        .await
        .iter()
        .map(|e| e["event_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds[5..],
        [
            "amendment_proposed",
            "amendment_approved",
            "amendment_proposed",
            "amendment_rejected"
        ]
    );
}

async fn patch(
    app: &TestApp,
    token: &str,
    id: i64,
    if_match: Option<&str>,
    body: Value,
) -> Response {
    let mut request = app.request(Method::PATCH, &format!("/api/v1/gis/{id}"), Some(token));
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(&body).send().await.unwrap()
}

async fn drafts_are_edited_with_if_match(app: TestApp) {
    let w = world(&app).await;
    let id = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    let response = app
        .get(&format!("/api/v1/gis/{id}"), Some(&w.cn_assoc))
        .await;
    assert_eq!(response.headers().get("etag").unwrap(), "\"1\"");
    let original = expect(response, 200).await;
    let edit = json!({
        "area_description": "West Lake scenic area, Hangzhou",
        "names": [
            {"text": "西湖龙井", "lang": "zh", "script": "Hans", "kind": "original"},
            {"text": "Xihu Longjing", "lang": "zh-Latn", "script": "Latn",
             "kind": "transliteration", "romanization": "pinyin"},
        ],
    });
    let audit = app.audit_count().await;

    assert_error(
        patch(&app, &w.cn_assoc, id, None, edit.clone()).await,
        400,
        "bad_request",
    )
    .await;
    let stale = assert_error(
        patch(&app, &w.cn_assoc, id, Some("\"7\""), edit.clone()).await,
        412,
        "precondition_failed",
    )
    .await;
    assert_eq!(stale["error"]["details"]["current_version"], 1);
    assert_eq!(gi(&app, Some(&w.cn_assoc), id).await, original);
    assert_eq!(app.audit_count().await, audit);

    let response = patch(&app, &w.cn_assoc, id, Some("\"1\""), edit.clone()).await;
    assert_eq!(response.headers().get("etag").unwrap(), "\"2\"");
    let edited = expect(response, 200).await;
    assert_eq!(edited["version"], 2);
    assert_eq!(
        edited["area_description"],
        "West Lake scenic area, Hangzhou"
    );
    assert_eq!(edited["names"][0]["text"], "西湖龙井");
    assert_eq!(edited["names"].as_array().unwrap().len(), 2);
    // Fields not given are kept.
    assert_eq!(edited["product_class"], "1.8");
    assert_eq!(app.audit_count().await, audit + 1);
    assert_eq!(last_audit(&app).await.0, "gi.edit_draft");

    // The ETag read before the edit is now stale: nothing changes.
    let again = json!({"area_description": "somewhere else"});
    assert_error(
        patch(&app, &w.cn_assoc, id, Some("\"1\""), again.clone()).await,
        412,
        "precondition_failed",
    )
    .await;
    assert_eq!(
        gi(&app, Some(&w.cn_assoc), id).await["area_description"],
        "West Lake scenic area, Hangzhou"
    );

    // The specification of a draft is edited in place (still version 1); the weak form
    // of the ETag is accepted.
    let spec = json!({"specification": specification("Hand-rolled leaves")});
    let edited = expect(
        patch(&app, &w.cn_examiner, id, Some("W/\"2\""), spec).await,
        200,
    )
    .await;
    assert_eq!(edited["version"], 3);
    assert_eq!(edited["specification"]["version"], 1);
    assert_eq!(
        edited["specification"]["product_description"],
        "Hand-rolled leaves"
    );

    // Validation and scope.
    assert_invalid(
        patch(
            &app,
            &w.cn_assoc,
            id,
            Some("\"3\""),
            json!({"colour": "green"}),
        )
        .await,
        "colour",
    )
    .await;
    assert_invalid(
        patch(
            &app,
            &w.cn_assoc,
            id,
            Some("\"3\""),
            json!({"product_class": "9.99"}),
        )
        .await,
        "product_class",
    )
    .await;
    for token in [&w.cn_other_assoc, &w.th_assoc, &w.th_examiner] {
        assert_error(
            patch(&app, token, id, Some("\"3\""), again.clone()).await,
            404,
            "not_found",
        )
        .await;
    }
    for token in [&w.admin, &w.auditor] {
        assert_error(
            patch(&app, token, id, Some("\"3\""), again.clone()).await,
            403,
            "forbidden",
        )
        .await;
    }
    // A stale If-Match on an action is refused too.
    let audit = app.audit_count().await;
    let stale_action = app
        .request(
            Method::POST,
            &format!("/api/v1/gis/{id}/actions"),
            Some(&w.cn_assoc),
        )
        .header("If-Match", "\"2\"")
        .json(&json!({"action": "file"}))
        .send()
        .await
        .unwrap();
    assert_error(stale_action, 412, "precondition_failed").await;
    assert_eq!(gi(&app, Some(&w.cn_assoc), id).await["status"], "draft");
    assert_eq!(app.audit_count().await, audit);

    let filed = expect(
        app.request(
            Method::POST,
            &format!("/api/v1/gis/{id}/actions"),
            Some(&w.cn_assoc),
        )
        .header("If-Match", "\"3\"")
        .json(&json!({"action": "file"}))
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert_eq!(filed["version"], 4);
    let body = assert_error(
        patch(&app, &w.cn_assoc, id, Some("\"4\""), again).await,
        409,
        "not_a_draft",
    )
    .await;
    assert_eq!(body["error"]["details"]["status"], "filed");
    assert_eq!(gi(&app, None, id).await["version"], 4);
}

/// One more audit entry than `count`, of `action`.
async fn audited(app: &TestApp, count: &mut i64, action: &str) {
    *count += 1;
    assert_eq!(app.audit_count().await, *count, "after {action}");
    assert_eq!(last_audit(app).await.0, action);
}

async fn audit_entries_for_changes_and_none_for_refusals(app: TestApp) {
    let w = world(&app).await;
    let mut count = app.audit_count().await;

    let id = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    audited(&app, &mut count, "gi.create").await;
    assert_eq!(last_audit(&app).await.1, Some(id.to_string()));
    act_ok(&app, &w.cn_assoc, id, "file", FILED_ON).await;
    audited(&app, &mut count, "gi.transition").await;
    act_ok(&app, &w.cn_examiner, id, "start_examination", EXAMINED_ON).await;
    audited(&app, &mut count, "gi.transition").await;
    act_ok(&app, &w.cn_examiner, id, "publish", PUBLISHED_ON).await;
    audited(&app, &mut count, "gi.transition").await;
    let opposition = expect(
        oppose(
            &app,
            &w.th_assoc,
            id,
            json!({"grounds": "g", "filed_on": "2026-04-01"}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    audited(&app, &mut count, "gi.opposition_filed").await;

    // Refusals of every kind write nothing.
    let before = app.audit_count().await;
    let refusals: Vec<(Response, u16)> = vec![
        (
            act(&app, &w.cn_examiner, id, json!({"action": "file"})).await,
            409,
        ),
        (
            act(
                &app,
                &w.cn_examiner,
                id,
                json!({"action": "register", "effective_on": REGISTERED_ON}),
            )
            .await,
            409,
        ),
        (
            act(
                &app,
                &w.cn_examiner,
                id,
                json!({"action": "register", "effective_on": days_from_today(1)}),
            )
            .await,
            422,
        ),
        (
            act(
                &app,
                &w.th_examiner,
                id,
                json!({"action": "refuse", "grounds": "g"}),
            )
            .await,
            403,
        ),
        (
            act(&app, &w.cn_examiner, id, json!({"action": "refuse"})).await,
            422,
        ),
        (
            oppose(
                &app,
                &w.th_assoc,
                id,
                json!({"grounds": "g", "filed_on": "2026-05-02"}),
            )
            .await,
            409,
        ),
        (
            app.post("/api/v1/gis", Some(&w.auditor), longjing(w.cn_association))
                .await,
            403,
        ),
        (
            app.post(
                &format!("/api/v1/gis/{id}/specifications"),
                Some(&w.cn_assoc),
                json!({"specification": specification("x")}),
            )
            .await,
            409,
        ),
    ];
    for (i, (response, status)) in refusals.into_iter().enumerate() {
        assert_eq!(response.status().as_u16(), status, "refusal {i}");
    }
    assert_eq!(app.audit_count().await, before);

    expect(
        decide(
            &app,
            &w.cn_examiner,
            opposition,
            json!({"action": "reject", "grounds": "g", "effective_on": "2026-04-02"}),
        )
        .await,
        200,
    )
    .await;
    audited(&app, &mut count, "gi.opposition_rejected").await;
    act_ok(&app, &w.cn_examiner, id, "register", REGISTERED_ON).await;
    audited(&app, &mut count, "gi.transition").await;
    expect(
        app.post(
            &format!("/api/v1/gis/{id}/specifications"),
            Some(&w.cn_assoc),
            json!({"specification": specification("amended")}),
        )
        .await,
        201,
    )
    .await;
    audited(&app, &mut count, "gi.amendment_proposed").await;
    expect(
        app.post(
            &format!("/api/v1/gis/{id}/specifications/2/actions"),
            Some(&w.cn_examiner),
            json!({"action": "approve"}),
        )
        .await,
        200,
    )
    .await;
    audited(&app, &mut count, "gi.amendment_approved").await;

    // Every event has its audit entry, and the chain still verifies.
    assert_eq!(events(&app, None, id).await.len(), 9);
    let report = get_ok(&app, "/api/v1/audit/verify", Some(&w.auditor)).await;
    assert_eq!(report["status"], "ok", "{report}");
}

async fn concurrent_actions_give_unique_numbers_and_one_winner(app: TestApp) {
    let w = world(&app).await;
    let mut ids = Vec::new();
    for _ in 0..10 {
        ids.push(create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await);
    }
    // Ten filings at once: ten distinct, consecutive file numbers.
    let filings = ids.iter().map(|id| {
        act(
            &app,
            &w.cn_assoc,
            *id,
            json!({"action": "file", "effective_on": FILED_ON}),
        )
    });
    let mut numbers = Vec::new();
    for response in futures_util::future::join_all(filings).await {
        let filed = expect(response, 200).await;
        numbers.push(filed["file_number"].as_str().unwrap().to_string());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=10).map(|n| format!("CN-GI-2026-{n:06}")).collect();
    assert_eq!(numbers, expected);

    // The same action on one GI five times at once: one wins, the others are refused.
    let id = ids[0];
    let audit = app.audit_count().await;
    let attempts = (0..5).map(|_| {
        act(
            &app,
            &w.cn_examiner,
            id,
            json!({"action": "start_examination", "effective_on": EXAMINED_ON}),
        )
    });
    let mut statuses = Vec::new();
    for response in futures_util::future::join_all(attempts).await {
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        if status == 409 {
            assert_eq!(body["error"]["code"], "invalid_transition", "{body}");
        }
        statuses.push(status);
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409, 409, 409, 409]);
    assert_eq!(app.audit_count().await, audit + 1);
    let kinds: Vec<String> = events(&app, None, id)
        .await
        .iter()
        .map(|e| e["event_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["create", "file", "start_examination"]);
    assert_eq!(gi(&app, None, id).await["version"], 3);
}

async fn an_amendment_is_decided_on_or_after_its_proposal_and_never_in_the_future(app: TestApp) {
    let w = world(&app).await;
    let id = gi_in(&app, &w, "registered").await;
    let specs = format!("/api/v1/gis/{id}/specifications");
    let proposed = expect(
        app.post(
            &specs,
            Some(&w.cn_assoc),
            json!({"specification": specification("Rolled by machine"),
                   "reason": "machine rolling is now allowed"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(proposed["version"], 2);
    let decide = format!("{specs}/2/actions");
    let audit = app.audit_count().await;

    // Registered on REGISTERED_ON, proposed today: a decision dated in between would
    // precede the proposal it decides.
    let body = assert_invalid(
        app.post(
            &decide,
            Some(&w.cn_examiner),
            json!({"action": "approve", "effective_on": days_from_today(-1)}),
        )
        .await,
        "effective_on",
    )
    .await;
    assert!(
        body.to_string().contains("before the previous event"),
        "{body}"
    );
    assert_invalid(
        app.post(
            &decide,
            Some(&w.cn_examiner),
            json!({"action": "approve", "effective_on": days_from_today(1)}),
        )
        .await,
        "effective_on",
    )
    .await;
    assert_eq!(
        app.audit_count().await,
        audit,
        "a refused decision writes nothing"
    );
    assert_eq!(
        get_ok(&app, &format!("{specs}/2"), None).await["status"],
        "pending"
    );

    let approved = expect(
        app.post(
            &decide,
            Some(&w.cn_examiner),
            json!({"action": "approve", "effective_on": days_from_today(0)}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(approved["status"], "current");
    assert_eq!(approved["decided_on"], days_from_today(0));
}
