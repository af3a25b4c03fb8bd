//! Provable lists (issue 10): every export is as of a legal date *and* as known at a
//! moment, so that a replay gives the same bytes whatever was recorded since — backdated
//! events and registrations included — and a backdated row says so (`recorded_late`).

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::both_backends;
use crate::exports::{csv_records, export_bytes};
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{create_programme, id_of, partners, programme_body, submit_ok, th_gi};
use crate::register::{
    act_ok, create_gi_id, days_from_today, get_ok, longjing, EXAMINED_ON, FILED_ON, PUBLISHED_ON,
    REGISTERED_ON,
};

both_backends!(
    a_replay_gives_the_recorded_bytes_whatever_was_recorded_since,
    known_at_hides_what_was_recorded_later_on_every_read,
);

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

async fn export_with_id(app: &TestApp, token: &str, query: &str) -> (i64, Vec<u8>) {
    let response = app
        .get(
            &format!("/api/v1/exports/recognitions?{query}"),
            Some(token),
        )
        .await;
    assert_eq!(response.status(), 200, "{query}");
    let id = response.headers()["x-export-id"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    (id, response.bytes().await.unwrap().to_vec())
}

async fn replay(app: &TestApp, token: &str, id: i64) -> (String, Vec<u8>) {
    let response = app
        .get(&format!("/api/v1/exports/{id}/replay"), Some(token))
        .await;
    assert_eq!(response.status(), 200, "replay of {id}");
    let digest = response.headers()["x-content-sha256"]
        .to_str()
        .unwrap()
        .to_string();
    (digest, response.bytes().await.unwrap().to_vec())
}

/// The row of recognition `id` in a CSV export, if any.
fn row_of(body: &[u8], id: i64) -> Option<Vec<String>> {
    csv_records(body)
        .into_iter()
        .skip(1)
        .find(|r| r[0] == id.to_string())
}

async fn a_replay_gives_the_recorded_bytes_whatever_was_recorded_since(app: TestApp) {
    let w = partners(&app).await;
    let today = days_from_today(0);
    let auditor = w.auditor.as_str();
    create_programme(
        &app,
        &w.admin,
        programme_body("TH-EU", &["DIP", "EUIPO"], 365),
    )
    .await;
    let mut open = programme_body("CN-TH-OPEN", &["CNIPA", "DIP"], 365);
    open["requires_origin_registration"] = json!(false);
    create_programme(&app, &w.admin, open).await;

    // A DIP GI submitted to CNIPA today: recorded on its date.
    let doi_tung = th_gi(&app, &w, "registered").await;
    let r1 = id_of(&submit_ok(&app, &w.th_examiner, "CN-TH", doi_tung, "CNIPA", &today).await);
    // A CNIPA GI published, not yet registered, submitted to DIP today.
    let lj = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, lj, "file", FILED_ON).await;
    act_ok(&app, &w.cn_examiner, lj, "start_examination", EXAMINED_ON).await;
    act_ok(&app, &w.cn_examiner, lj, "publish", PUBLISHED_ON).await;
    let r3 = id_of(&submit_ok(&app, &w.cn_examiner, "CN-TH-OPEN", lj, "DIP", &today).await);

    let mut first = Vec::new();
    for format in ["csv", "json", "xlsx"] {
        first.push(export_with_id(&app, auditor, &format!("format={format}&as_of={today}")).await);
    }
    let (csv_id, csv) = &first[0];
    let r1_row = row_of(csv, r1).expect("r1 is listed");
    assert_eq!(r1_row[10], "submitted");
    assert_eq!(r1_row[20], "false", "dated on the day it was recorded");
    let r3_row = row_of(csv, r3).expect("r3 is listed");
    assert_eq!(r3_row[4], "", "not registered at origin yet");
    let record = get_ok(&app, &format!("/api/v1/exports/{csv_id}"), Some(auditor)).await;
    let known_at = record["query"]["known_at"]
        .as_str()
        .unwrap_or_else(|| panic!("the record keeps the moment it was known at: {record}"))
        .to_string();
    assert_eq!(record["query"]["as_of"], today);

    // Recorded since, dated before `as_of`: a whole recognition submitted ten days back,
    // and the CNIPA GI's registration dated in May.
    let backdated = days_from_today(-10);
    let r2 = id_of(&submit_ok(&app, &w.th_examiner, "TH-EU", doi_tung, "EUIPO", &backdated).await);
    act_ok(&app, &w.cn_examiner, lj, "register", REGISTERED_ON).await;

    // Each replay gives the bytes first sent, and their recorded digest.
    for (id, bytes) in &first {
        let (digest, replayed) = replay(&app, auditor, *id).await;
        let record = get_ok(&app, &format!("/api/v1/exports/{id}"), Some(auditor)).await;
        assert_eq!(digest, record["sha256"].as_str().unwrap());
        assert_eq!(digest, sha256_hex(bytes));
        assert!(
            replayed == *bytes,
            "export {id} replayed differently:\nfirst:  {}\nreplay: {}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&replayed)
        );
    }

    // A new export (known now) shows them, the backdated row marked.
    let now = export_bytes(&app, auditor, &format!("format=csv&as_of={today}")).await;
    assert_ne!(now, *csv);
    assert_eq!(row_of(&now, r1).unwrap()[20], "false");
    let r2_row = row_of(&now, r2).expect("the backdated recognition is listed now");
    assert_eq!(r2_row[10], "submitted");
    assert_eq!(r2_row[11], backdated);
    assert_eq!(r2_row[20], "true", "recorded ten days after its date");
    assert!(r2_row[19] > known_at, "recorded after the first export");
    assert!(
        !row_of(&now, r3).unwrap()[4].is_empty(),
        "registered (dated in May) and known now"
    );
    let json_now: Value = serde_json::from_slice(
        &export_bytes(&app, auditor, &format!("format=json&as_of={today}")).await,
    )
    .unwrap();
    let late: Vec<(i64, bool)> = json_now["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["recognition_id"].as_i64().unwrap(),
                r["recorded_late"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        late.contains(&(r2, true)) && late.contains(&(r1, false)),
        "{late:?}"
    );

    // Known at the first export's moment: the later recording is hidden, the numbers
    // registered since are not shown, and the bytes are those of the first export.
    let then = export_bytes(
        &app,
        auditor,
        &format!("format=csv&as_of={today}&known_at={known_at}"),
    )
    .await;
    assert!(row_of(&then, r2).is_none(), "not yet recorded then");
    assert_eq!(then, *csv);
    let before_all = export_bytes(
        &app,
        auditor,
        &format!("format=csv&as_of={today}&known_at=2020-01-01T00:00:00Z"),
    )
    .await;
    assert_eq!(
        csv_records(&before_all).len(),
        1,
        "nothing was recorded in 2020"
    );

    // An xlsx with the same as_of and known_at: the same bytes, twice, and those of the
    // first export (whose known_at was resolved to that moment).
    let record = get_ok(
        &app,
        &format!("/api/v1/exports/{}", first[2].0),
        Some(auditor),
    )
    .await;
    let xlsx_known_at = record["query"]["known_at"].as_str().unwrap();
    assert_ne!(xlsx_known_at, known_at, "each export's own moment");
    let query = format!("format=xlsx&as_of={today}&known_at={xlsx_known_at}");
    let xlsx = export_bytes(&app, auditor, &query).await;
    assert!(
        xlsx == export_bytes(&app, auditor, &query).await,
        "xlsx twice"
    );
    assert!(xlsx == first[2].1, "the xlsx of the first export");

    // The command line replays too.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("replay.json");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args(["export", "--replay", &first[1].0.to_string(), "-o"])
        .arg(&out)
        .env("TERROIR_DATABASE_URL", &app.database_url)
        .env("TERROIR_DATA_DIR", &app.data_dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(std::fs::read(&out).unwrap() == first[1].1);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("sha256 {}", sha256_hex(&first[1].1))),
        "{stdout}"
    );

    // For auditors and admins; a replay records no export.
    let (json_id, _) = &first[1];
    let path = format!("/api/v1/exports/{json_id}/replay");
    assert_error(app.get(&path, Some(&w.cn_examiner)).await, 403, "forbidden").await;
    assert_error(app.get(&path, None).await, 401, "unauthorized").await;
    replay(&app, &w.admin, *json_id).await;
    assert_error(
        app.get("/api/v1/exports/999999/replay", Some(auditor))
            .await,
        404,
        "not_found",
    )
    .await;
    let audit = app.audit_count().await;
    replay(&app, auditor, *json_id).await;
    assert_eq!(
        app.audit_count().await,
        audit,
        "a replay is not a new export"
    );
}

/// Each item of the public feed, oldest first.
async fn feed_items(app: &TestApp) -> Vec<Value> {
    get_ok(app, "/api/v1/feed?limit=500", None).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn ids_of(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

async fn known_at_hides_what_was_recorded_later_on_every_read(app: TestApp) {
    let w = partners(&app).await;
    let today = days_from_today(0);
    create_programme(
        &app,
        &w.admin,
        programme_body("TH-EU", &["DIP", "EUIPO"], 365),
    )
    .await;
    let doi_tung = th_gi(&app, &w, "registered").await;
    let lj = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, lj, "file", FILED_ON).await;
    act_ok(&app, &w.cn_examiner, lj, "start_examination", EXAMINED_ON).await;
    act_ok(&app, &w.cn_examiner, lj, "publish", PUBLISHED_ON).await;
    let r1 = id_of(&submit_ok(&app, &w.th_examiner, "CN-TH", doi_tung, "CNIPA", &today).await);
    let events = get_ok(&app, &format!("/api/v1/recognitions/{r1}/events"), None).await;
    let submitted = &events.as_array().unwrap()[0];
    assert_eq!(submitted["recorded_late"], false, "{submitted}");
    // The moment r1 was recorded: all that follows was recorded after it.
    let t1 = submitted["recorded_at"].as_str().unwrap().to_string();

    let backdated = days_from_today(-10);
    let r2 = id_of(&submit_ok(&app, &w.th_examiner, "TH-EU", doi_tung, "EUIPO", &backdated).await);
    act_ok(&app, &w.cn_examiner, lj, "register", REGISTERED_ON).await;

    // Events and the feed show when each was recorded, and which were backdated.
    let events = get_ok(&app, &format!("/api/v1/recognitions/{r2}/events"), None).await;
    assert_eq!(events[0]["recorded_late"], true, "{events}");
    assert!(events[0]["recorded_at"].as_str().unwrap() > t1.as_str());
    let items = feed_items(&app).await;
    let late_of = |action: &str, id: i64| {
        items
            .iter()
            .find(|i| i["action"] == action && i["entity_id"] == json!(id.to_string()))
            .unwrap_or_else(|| panic!("no {action} of {id} in the feed"))["recorded_late"]
            .clone()
    };
    assert_eq!(late_of("recognition.submit", r2), true);
    assert_eq!(late_of("recognition.submit", r1), false);
    assert_eq!(
        late_of("gi.transition", lj),
        true,
        "the GI's transitions, dated in 2026-01..05"
    );

    // The list: known at t1, r2 is not there; as of today too.
    let list = |q: String| {
        let app = &app;
        async move { ids_of(&get_ok(app, &format!("/api/v1/recognitions?{q}"), None).await) }
    };
    assert_eq!(list(String::new()).await, [r1, r2]);
    assert_eq!(list(format!("known_at={t1}")).await, [r1]);
    assert_eq!(list(format!("as_of={today}&known_at={t1}")).await, [r1]);
    assert_eq!(list(format!("as_of={today}")).await, [r1, r2]);

    // One recognition: unknown at t1, known now; an as-of view carries no ETag.
    let r2_path = format!("/api/v1/recognitions/{r2}");
    assert_error(
        app.get(&format!("{r2_path}?known_at={t1}"), None).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get(&format!("{r2_path}?as_of=2026-01-01"), None).await,
        404,
        "not_found",
    )
    .await;
    let current = app.get(&r2_path, None).await;
    assert!(current.headers().contains_key("etag"));
    let as_of = app.get(&format!("{r2_path}?as_of={backdated}"), None).await;
    assert_eq!(as_of.status(), 200);
    assert!(!as_of.headers().contains_key("etag"));
    let view: Value = as_of.json().await.unwrap();
    assert_eq!(view["status"], "submitted");
    assert_eq!(view["submitted_on"], backdated);

    // Protection: the territory and the registration at home recorded after t1 are not
    // known at t1.
    let protection = |q: String| {
        let app = &app;
        async move { get_ok(app, &format!("/api/v1/gis/{q}"), None).await }
    };
    let then = protection(format!("{doi_tung}/protection?known_at={t1}")).await;
    let partners_then: Vec<&str> = then["territories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["partner"].as_str().unwrap())
        .collect();
    assert_eq!(partners_then, ["CNIPA"], "{then}");
    let now = protection(format!("{doi_tung}/protection")).await;
    assert_eq!(now["territories"].as_array().unwrap().len(), 2, "{now}");
    let home_then = protection(format!("{lj}/protection?known_at={t1}")).await["home"].clone();
    assert_eq!(home_then["status"], "published", "{home_then}");
    assert!(home_then["registration_number"].is_null(), "{home_then}");
    assert!(home_then["registered_on"].is_null(), "{home_then}");
    assert!(
        home_then["file_number"].is_string(),
        "filed before t1: {home_then}"
    );
    let home_now = protection(format!("{lj}/protection")).await["home"].clone();
    assert_eq!(home_now["status"], "registered");
    assert_eq!(home_now["registered_on"], REGISTERED_ON);

    // The GI's events: as known at t1, and as of a date.
    let kinds = |events: Value| -> Vec<String> {
        events
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event_type"].as_str().unwrap().to_string())
            .collect()
    };
    let all = kinds(protection(format!("{lj}/events")).await);
    assert_eq!(all.last().map(String::as_str), Some("register"), "{all:?}");
    let then = kinds(protection(format!("{lj}/events?known_at={t1}")).await);
    assert_eq!(
        then,
        all[..all.len() - 1],
        "the registration was recorded after t1"
    );
    let by_date = kinds(protection(format!("{lj}/events?as_of={EXAMINED_ON}")).await);
    assert_eq!(
        by_date.last().map(String::as_str),
        Some("start_examination")
    );

    // A moment to come, or no moment at all, is refused on every read.
    let later = (chrono::Utc::now() + chrono::Duration::minutes(5))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for path in [
        format!("/api/v1/recognitions?known_at={later}"),
        format!("/api/v1/recognitions/{r1}?known_at={later}"),
        format!("/api/v1/gis/{lj}/protection?known_at={later}"),
        format!("/api/v1/gis/{lj}/events?known_at={later}"),
        "/api/v1/recognitions?known_at=yesterday".to_string(),
        format!("/api/v1/gis/{lj}/protection?known_at=2026-11-01"),
    ] {
        crate::register::assert_invalid(app.get(&path, None).await, "known_at").await;
    }
}
