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

both_backends!(a_replay_gives_the_recorded_bytes_whatever_was_recorded_since);

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
