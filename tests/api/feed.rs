//! The public change feed (DESIGN §1 "the public change feed is the public subset of
//! this log", §4 `GET /api/v1/feed`): public changes only, in commit order, with a cursor
//! that never skips nor repeats a change — also while many writers commit at once, on one
//! server or on two server processes sharing one PostgreSQL database.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::Client;
use serde_json::{json, Value};
use terroir::config::StorageArgs;
use terroir::startup::Application;
use terroir::store::audit::AuditEntry;

use crate::both_backends;
use crate::helpers::{server_args, Backend, TestApp};
use crate::recognition::{
    create_programme, id_of, partners, programme_body, r_act_ok, submit_ok, CN_TH, SUBMITTED_ON,
    TH_EXAMINED_ON,
};
use crate::register::{
    act_ok, application, assert_invalid, create_gi_id, expect, get_ok, gi_in, longjing,
    specification, FILED_ON,
};

both_backends!(
    the_feed_is_the_public_changes_in_commit_order,
    paging_visits_every_change_once_and_an_empty_page_keeps_its_place,
    limits_and_cursors_are_checked,
    a_draft_withdrawn_before_filing_stays_out_of_the_feed,
    every_change_once_while_many_writers_commit_on_one_server,
);

/// Actions the feed may carry: GI status changes (and their oppositions), recognition
/// events, approved amendments, programme changes.
fn is_public_action(action: &str) -> bool {
    matches!(
        action,
        "gi.transition" | "gi.amendment_approved" | "gi.import"
    ) || action.starts_with("gi.opposition_")
        || action.starts_with("recognition.")
        || action.starts_with("programme.")
}

async fn feed(app: &TestApp, query: &str) -> Value {
    get_ok(app, &format!("/api/v1/feed?{query}"), None).await
}

fn items(page: &Value) -> Vec<Value> {
    page["items"].as_array().expect("items").clone()
}

fn seqs(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["seq"].as_i64().unwrap()).collect()
}

fn cursor(page: &Value) -> String {
    page["next_cursor"]
        .as_str()
        .unwrap_or_else(|| panic!("next_cursor is always given: {page}"))
        .to_string()
}

/// Every audit entry, or only the public ones, from the database.
async fn audit_entries(app: &TestApp, public_only: bool) -> Vec<AuditEntry> {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.read_blocking(|conn| terroir::store::audit::list(conn, 0, i64::MAX, public_only))
            .unwrap()
    })
    .await
    .unwrap()
}

fn strictly_increasing(seqs: &[i64]) -> bool {
    seqs.windows(2).all(|w| w[0] < w[1])
}

/// The feed's items are exactly the public audit entries, in seq order, with their
/// hashes.
fn assert_matches_public_log(items: &[Value], public: &[AuditEntry]) {
    let got: Vec<(i64, String, String)> = items
        .iter()
        .map(|i| {
            (
                i["seq"].as_i64().unwrap(),
                i["action"].as_str().unwrap().to_string(),
                i["hash"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(i64, String, String)> = public
        .iter()
        .map(|e| (e.seq, e.action.clone(), e.hash.clone()))
        .collect();
    assert_eq!(got, expected, "the feed is the public subset of the log");
}

/// A history with public and private changes alike; returns the ids it made.
struct History {
    draft: i64,
    gi: i64,
    recognition: i64,
}

async fn history(app: &TestApp) -> History {
    let w = partners(app).await;
    let draft = create_gi_id(app, &w.cn_assoc, longjing(w.cn_association)).await;
    let gi = gi_in(app, &w, "registered").await;
    // An amendment approved (public) and one rejected (private).
    let specs = format!("/api/v1/gis/{gi}/specifications");
    let proposal = |d: &str| json!({"specification": specification(d), "reason": "why not"});
    expect(
        app.post(&specs, Some(&w.cn_assoc), proposal("Rolled by machine"))
            .await,
        201,
    )
    .await;
    expect(
        app.post(
            &format!("{specs}/2/actions"),
            Some(&w.cn_examiner),
            json!({"action": "approve"}),
        )
        .await,
        200,
    )
    .await;
    expect(
        app.post(&specs, Some(&w.cn_assoc), proposal("Dried in the sun"))
            .await,
        201,
    )
    .await;
    expect(
        app.post(
            &format!("{specs}/3/actions"),
            Some(&w.cn_examiner),
            json!({"action": "reject", "grounds": "changes the link with the area"}),
        )
        .await,
        200,
    )
    .await;
    let recognition = id_of(&submit_ok(app, &w.cn_examiner, CN_TH, gi, "DIP", SUBMITTED_ON).await);
    r_act_ok(
        app,
        &w.th_examiner,
        recognition,
        "start_examination",
        TH_EXAMINED_ON,
    )
    .await;
    expect(
        app.patch(
            &format!("/api/v1/programmes/{CN_TH}"),
            Some(&w.admin),
            json!({"title": "China–Thailand GI mutual recognition, second phase"}),
        )
        .await,
        200,
    )
    .await;
    // Private: a failed login, an export.
    assert_eq!(app.login("auditor", "wrong-password").await.status(), 401);
    let export = app
        .get("/api/v1/exports/recognitions?format=csv", Some(&w.auditor))
        .await;
    assert_eq!(export.status(), 200);
    export.bytes().await.unwrap();
    History {
        draft,
        gi,
        recognition,
    }
}

async fn the_feed_is_the_public_changes_in_commit_order(app: TestApp) {
    let h = history(&app).await;
    // Anonymous: the feed is public.
    let page = feed(&app, "limit=500").await;
    let all = items(&page);
    assert!(strictly_increasing(&seqs(&all)), "commit order: {all:?}");
    assert_matches_public_log(&all, &audit_entries(&app, true).await);

    let every = audit_entries(&app, false).await;
    assert!(
        every.len() > all.len(),
        "the history has private entries the feed leaves out"
    );
    let draft_id = h.draft.to_string();
    for item in &all {
        let action = item["action"].as_str().unwrap();
        assert!(is_public_action(action), "not a public change: {item}");
        assert!(item["recorded_at"].is_string(), "{item}");
        assert!(item["entity_type"].is_string(), "{item}");
        assert!(item["change"].is_object(), "{item}");
        assert_eq!(item["hash"].as_str().unwrap().len(), 64, "{item}");
        assert!(
            !(item["entity_type"] == "gi" && item["entity_id"] == draft_id.as_str()),
            "a draft never appears: {item}"
        );
    }
    let actions: BTreeSet<&str> = all.iter().map(|i| i["action"].as_str().unwrap()).collect();
    for private in [
        "gi.create",
        "gi.amendment_proposed",
        "gi.amendment_rejected",
        "auth.login",
        "auth.login_failed",
        "user.create",
        "export.recognitions",
    ] {
        assert!(
            every.iter().any(|e| e.action == private),
            "the history holds {private}"
        );
        assert!(!actions.contains(private), "{private} is not public");
    }

    let of = |entity_type: &str, id: &str| -> Vec<Value> {
        all.iter()
            .filter(|i| i["entity_type"] == entity_type && i["entity_id"] == id)
            .cloned()
            .collect()
    };
    let gi_id = h.gi.to_string();
    let gi_changes = of("gi", &gi_id);
    let steps: Vec<(&str, &str)> = gi_changes
        .iter()
        .map(|i| {
            (
                i["action"].as_str().unwrap(),
                i["change"]["to_status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("gi.transition", "filed"),
            ("gi.transition", "under_examination"),
            ("gi.transition", "published"),
            ("gi.transition", "registered"),
            ("gi.amendment_approved", "registered"),
        ],
        "filing, examination, publication, registration and the approved amendment only"
    );
    assert_eq!(gi_changes[0]["change"]["effective_on"], FILED_ON);
    assert_eq!(gi_changes[0]["office"], "CNIPA");
    assert_eq!(
        gi_changes[4]["change"]["details"]["specification_version"],
        2
    );

    let recognition_changes = of("recognition", &h.recognition.to_string());
    let steps: Vec<(&str, &str)> = recognition_changes
        .iter()
        .map(|i| {
            (
                i["action"].as_str().unwrap(),
                i["change"]["to_status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("recognition.submit", "submitted"),
            ("recognition.transition", "under_examination")
        ]
    );
    assert_eq!(recognition_changes[1]["office"], "DIP");

    let programme: Vec<String> = of("programme", CN_TH)
        .iter()
        .map(|i| i["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(programme, ["programme.create", "programme.amend"]);

    // Reading the feed writes nothing.
    assert_eq!(audit_entries(&app, false).await.len(), every.len());
}

async fn paging_visits_every_change_once_and_an_empty_page_keeps_its_place(app: TestApp) {
    history(&app).await;
    let whole = items(&feed(&app, "limit=500").await);
    assert_eq!(whole.len(), 9, "{whole:?}");

    let mut seen: Vec<Value> = Vec::new();
    let mut page = feed(&app, "limit=2").await;
    loop {
        let got = items(&page);
        assert!(got.len() <= 2);
        if got.is_empty() {
            break;
        }
        seen.extend(got);
        page = feed(&app, &format!("after={}&limit=2", cursor(&page))).await;
    }
    assert_eq!(
        seqs(&seen),
        seqs(&whole),
        "pages of two visit every change once"
    );
    assert_eq!(seen, whole);

    // At the end: an empty page, and its cursor keeps the consumer's place.
    let end = cursor(&page);
    let again = feed(&app, &format!("after={end}&limit=2")).await;
    assert_eq!(items(&again), Vec::<Value>::new());
    let kept = cursor(&again);
    // A private change moves nothing.
    assert_eq!(app.login("auditor", "wrong-password").await.status(), 401);
    let still = feed(&app, &format!("after={kept}&limit=2")).await;
    assert_eq!(items(&still), Vec::<Value>::new());
    // A public change after it is the one item the next poll gets.
    let admin = app.admin_token().await;
    create_programme(
        &app,
        &admin,
        programme_body("CN-EU", &["CNIPA", "EUIPO"], 365),
    )
    .await;
    let next = feed(&app, &format!("after={}&limit=2", cursor(&still))).await;
    let new = items(&next);
    assert_eq!(new.len(), 1, "{next}");
    assert_eq!(new[0]["action"], "programme.create");
    assert_eq!(new[0]["entity_id"], "CN-EU");
    assert!(new[0]["seq"].as_i64().unwrap() > seqs(&whole).last().copied().unwrap());
    let after_new = feed(&app, &format!("after={}&limit=2", cursor(&next))).await;
    assert_eq!(items(&after_new), Vec::<Value>::new());
    // From a cursor in the middle, the rest follows.
    let middle = feed(&app, "limit=3").await;
    let rest = items(&feed(&app, &format!("after={}&limit=500", cursor(&middle))).await);
    let mut joined = items(&middle);
    joined.extend(rest);
    assert_eq!(seqs(&joined), seqs(&items(&feed(&app, "limit=500").await)));
}

async fn limits_and_cursors_are_checked(app: TestApp) {
    history(&app).await;
    for limit in ["0", "501", "-1"] {
        assert_invalid(
            app.get(&format!("/api/v1/feed?limit={limit}"), None).await,
            "limit",
        )
        .await;
    }
    for garbage in ["not-a-cursor", "%25%25%25", "InRleHQi", "e30"] {
        assert_invalid(
            app.get(&format!("/api/v1/feed?after={garbage}"), None)
                .await,
            "after",
        )
        .await;
    }
    assert_eq!(items(&feed(&app, "limit=1").await).len(), 1);
    assert!(!items(&feed(&app, "limit=500").await).is_empty());
    let default = feed(&app, "").await;
    assert!(default["next_cursor"].is_string());
}

// Regression: withdrawing a never-filed draft wrote a public feed entry for a GI the
// public cannot see.
async fn a_draft_withdrawn_before_filing_stays_out_of_the_feed(app: TestApp) {
    let w = partners(&app).await;
    let draft = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, draft, "withdraw", FILED_ON).await;
    let status = app
        .get(&format!("/api/v1/gis/{draft}"), None)
        .await
        .status();
    assert_eq!(status, 404, "a GI withdrawn as a draft stays private");
    let all = items(&feed(&app, "limit=500").await);
    let draft_id = draft.to_string();
    let leaked: Vec<&Value> = all
        .iter()
        .filter(|i| i["entity_type"] == "gi" && i["entity_id"] == draft_id.as_str())
        .collect();
    assert!(
        leaked.is_empty(),
        "the feed shows a GI that was never filed: {leaked:?}"
    );
}

/// The accounts and reference data the writers need.
struct Writers {
    admin: String,
    examiner: String,
    association: i64,
}

async fn writers_setup(app: &TestApp) -> Writers {
    let admin = app.admin_token().await;
    app.create_office(&admin, "CNIPA", "CN", 60).await;
    app.create_office(&admin, "DIP", "TH", 90).await;
    let association = id_of(
        &app.create_association(
            &admin,
            "Hangzhou West Lake Longjing Tea Association",
            "CNIPA",
        )
        .await,
    );
    let examiner = app
        .user_token(
            &admin,
            json!({"username": "cn-examiner", "role": "examiner", "office": "CNIPA"}),
        )
        .await;
    Writers {
        admin,
        examiner,
        association,
    }
}

const WRITERS: usize = 12;
const ROUNDS: usize = 4;
/// Each round makes two public changes (a programme, a filing) and two private ones (an
/// association, a draft).
const PUBLIC_PER_ROUND: usize = 2;
const POLL_LIMIT: i64 = 3;

async fn post(client: &Client, url: String, token: &str, body: Value) -> (u16, Value) {
    let response = client
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// One writer: `ROUNDS` rounds, each on the next server in turn.
async fn write(client: Client, bases: Vec<String>, who: Arc<Writers>, i: usize) {
    for j in 0..ROUNDS {
        let base = &bases[(i + j) % bases.len()];
        let (status, body) = post(
            &client,
            format!("{base}/api/v1/programmes"),
            &who.admin,
            programme_body(&format!("W{i}-{j}"), &["CNIPA", "DIP"], 365),
        )
        .await;
        assert_eq!(status, 201, "programme W{i}-{j}: {body}");
        let (status, body) = post(
            &client,
            format!("{base}/api/v1/associations"),
            &who.admin,
            json!({"name": format!("Tea growers {i}-{j}"), "office": "CNIPA"}),
        )
        .await;
        assert_eq!(status, 201, "association {i}-{j}: {body}");
        let names = json!([{"text": format!("Tea {i}-{j}"), "lang": "en", "script": "Latn",
                            "kind": "original"}]);
        let (status, body) = post(
            &client,
            format!("{base}/api/v1/gis"),
            &who.examiner,
            application("CNIPA", Some(who.association), names),
        )
        .await;
        assert_eq!(status, 201, "draft {i}-{j}: {body}");
        let id = body["id"].as_i64().unwrap();
        let (status, body) = post(
            &client,
            format!("{base}/api/v1/gis/{id}/actions"),
            &who.examiner,
            json!({"action": "file", "effective_on": FILED_ON}),
        )
        .await;
        assert_eq!(status, 200, "filing {i}-{j}: {body}");
    }
}

/// Polls the feed with a small limit, alternating servers, until the writers are done
/// and a page comes back empty; returns every item seen, in the order seen.
async fn consume(client: Client, bases: Vec<String>, done: Arc<AtomicBool>) -> (Vec<Value>, usize) {
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut polls = 0;
    loop {
        // Read before polling: an empty page after the writers finished is the end.
        let finished = done.load(Ordering::SeqCst);
        let base = &bases[polls % bases.len()];
        polls += 1;
        let url = match &after {
            Some(cursor) => format!("{base}/api/v1/feed?after={cursor}&limit={POLL_LIMIT}"),
            None => format!("{base}/api/v1/feed?limit={POLL_LIMIT}"),
        };
        let response = client.get(url).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        let got = items(&page);
        assert!(got.len() as i64 <= POLL_LIMIT);
        after = Some(cursor(&page));
        if got.is_empty() {
            if finished {
                return (seen, polls);
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        seen.extend(got);
    }
}

/// Many writers on `bases` (servers on one database), one consumer polling all along:
/// the consumer ends with every public change exactly once, in commit order.
async fn race(app: &TestApp, bases: Vec<String>) {
    let who = Arc::new(writers_setup(app).await);
    let client = Client::new();
    let done = Arc::new(AtomicBool::new(false));
    let consumer = tokio::spawn(consume(client.clone(), bases.clone(), done.clone()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|i| tokio::spawn(write(client.clone(), bases.clone(), who.clone(), i)))
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let (seen, polls) = tokio::time::timeout(Duration::from_secs(120), consumer)
        .await
        .expect("the consumer drains the feed")
        .unwrap();

    let seen_seqs = seqs(&seen);
    let distinct: BTreeSet<i64> = seen_seqs.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        seen_seqs.len(),
        "no change is seen twice: {seen_seqs:?}"
    );
    assert!(
        strictly_increasing(&seen_seqs),
        "commit order: {seen_seqs:?}"
    );
    let public = audit_entries(app, true).await;
    assert_eq!(
        public.len(),
        WRITERS * ROUNDS * PUBLIC_PER_ROUND,
        "every writer's public changes are in the log"
    );
    let missed: Vec<i64> = public
        .iter()
        .map(|e| e.seq)
        .filter(|s| !distinct.contains(s))
        .collect();
    assert!(
        missed.is_empty(),
        "the consumer missed {missed:?} ({polls} polls)"
    );
    assert_matches_public_log(&seen, &public);
    let programmes = seen
        .iter()
        .filter(|i| i["action"] == "programme.create")
        .count();
    let filings = seen
        .iter()
        .filter(|i| i["action"] == "gi.transition" && i["change"]["to_status"] == "filed")
        .count();
    assert_eq!((programmes, filings), (WRITERS * ROUNDS, WRITERS * ROUNDS));

    let report = get_ok(app, "/api/v1/audit/verify", Some(&who.admin)).await;
    assert_eq!(report["status"], "ok", "{report}");
}

async fn every_change_once_while_many_writers_commit_on_one_server(app: TestApp) {
    let base = app.address.clone();
    race(&app, vec![base]).await;
}

/// Two server processes on one PostgreSQL database, writers alternating between them and
/// the consumer polling both.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_change_once_while_two_servers_on_one_postgres_commit_at_once() {
    let Some(first) = TestApp::spawn(Backend::Postgres).await else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    let storage = StorageArgs {
        database_url: Some(first.database_url.clone()),
        data_dir: first.data_dir.clone(),
        db_pool_size: 4,
        db_timeout_secs: 3,
    };
    let second = Application::build(storage, server_args()).await.unwrap();
    let second_address = format!("http://127.0.0.1:{}", second.port());
    tokio::spawn(second.into_server());
    race(&first, vec![first.address.clone(), second_address]).await;
}
