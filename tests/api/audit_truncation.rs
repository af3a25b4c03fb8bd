//! Audit truncation (issue 8, item 14): removing the newest entries leaves a chain that
//! links, but the head recorded outside `audit_log`, the checkpoints and the export
//! records still name the removed entries, so `verify` (API and command line) reports
//! the truncation. The chain format is unchanged: a log without anchors still verifies.

use diesel::prelude::*;
use serde_json::{json, Value};
use terroir::audit::{AuditActor, AuditRecord};
use terroir::db::schema::audit_log;

use crate::both_backends;
use crate::helpers::TestApp;

both_backends!(
    a_truncation_is_named_and_stays_visible_after_the_next_write,
    checkpoints_and_exports_catch_a_truncation_that_also_moves_the_head,
    the_feed_and_every_export_record_carry_the_head,
    a_log_without_anchors_still_verifies_and_is_anchored_from_the_next_write,
);

async fn verify(app: &TestApp, token: &str) -> Value {
    let response = app.get("/api/v1/audit/verify", Some(token)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn sql(app: &TestApp, statement: String) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.write_blocking(move |conn| Ok(diesel::sql_query(&statement).execute(conn)?))
            .unwrap()
    })
    .await
    .unwrap();
}

/// The last entry's sequence number and hash, read from `audit_log`.
async fn last_entry(app: &TestApp) -> (i64, String) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.read_blocking(|conn| {
            Ok(audit_log::table
                .select((audit_log::seq, audit_log::hash))
                .order(audit_log::seq.desc())
                .first::<(i64, String)>(conn)?)
        })
        .unwrap()
    })
    .await
    .unwrap()
}

/// Appends `n` entries the way every write does.
async fn append(app: &TestApp, n: usize) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        for i in 0..n {
            db.write_blocking(|conn| {
                terroir::store::audit::append(
                    conn,
                    AuditRecord::new(&AuditActor::system(), "test.entry", "test", i, json!({})),
                )
            })
            .unwrap();
        }
    })
    .await
    .unwrap();
}

fn command_line_verify(app: &TestApp) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args(["audit", "verify"])
        .env("TERROIR_DATABASE_URL", &app.database_url)
        .env("TERROIR_DATA_DIR", &app.data_dir)
        .output()
        .unwrap()
}

async fn a_truncation_is_named_and_stays_visible_after_the_next_write(app: TestApp) {
    let admin = app.admin_token().await;
    app.create_office(&admin, "CNIPA", "CN", 60).await;
    app.create_office(&admin, "DIP", "TH", 90).await;
    // bootstrap admin, login, two offices
    assert_eq!(verify(&app, &admin).await["entries"], 4);

    sql(&app, "DELETE FROM audit_log WHERE seq > 2".into()).await;
    let report = verify(&app, &admin).await;
    assert_eq!(report["status"], "broken", "{report}");
    assert_eq!(report["first_broken"]["seq"], 3, "{report}");
    let reason = report["first_broken"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("truncated") && reason.contains("entry 4"),
        "{reason}"
    );
    let cli = command_line_verify(&app);
    assert_eq!(cli.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert!(
        stderr.contains("at entry 3") && stderr.contains("truncated"),
        "{stderr}"
    );

    // The next write follows the recorded head: the removed entries stay a gap.
    app.create_office(&admin, "EUIPO", "EU", 90).await;
    assert_eq!(last_entry(&app).await.0, 5);
    let report = verify(&app, &admin).await;
    assert_eq!(report["status"], "broken", "{report}");
    assert_eq!(report["first_broken"]["seq"], 3, "{report}");
    assert!(report["first_broken"]["reason"]
        .as_str()
        .unwrap()
        .contains("missing"));
}

async fn checkpoints_and_exports_catch_a_truncation_that_also_moves_the_head(app: TestApp) {
    let admin = app.admin_token().await;
    append(&app, 230).await; // 232 entries in all: checkpoints 100 and 200
    let export = app
        .get("/api/v1/exports/recognitions?format=csv", Some(&admin))
        .await;
    assert_eq!(export.status(), 200);
    export.bytes().await.unwrap();
    assert_eq!(verify(&app, &admin).await["status"], "ok");

    // Cut the log back to 150 and move the head there too.
    sql(&app, "DELETE FROM audit_log WHERE seq > 150".into()).await;
    sql(
        &app,
        "UPDATE audit_head SET seq = 150, hash = (SELECT hash FROM audit_log WHERE seq = 150)"
            .into(),
    )
    .await;
    let report = verify(&app, &admin).await;
    assert_eq!(report["status"], "broken", "{report}");
    assert_eq!(report["first_broken"]["seq"], 151, "{report}");
    let reason = report["first_broken"]["reason"].as_str().unwrap();
    assert!(reason.contains("truncated"), "{reason}");

    // Remove the later checkpoints as well: the export record still names its entry.
    sql(&app, "DELETE FROM audit_checkpoints WHERE seq > 150".into()).await;
    let report = verify(&app, &admin).await;
    assert_eq!(report["status"], "broken", "{report}");
    let reason = report["first_broken"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("export 1") && reason.contains("truncated"),
        "{reason}"
    );

    // An attacker who also rewrites every export record is not stopped by the database
    // alone: only a head kept outside it (the feed's, an export record's) shows the cut.
    sql(
        &app,
        "UPDATE exports SET audit_seq = NULL, audit_hash = NULL".into(),
    )
    .await;
    assert_eq!(verify(&app, &admin).await["status"], "ok");
}

async fn the_feed_and_every_export_record_carry_the_head(app: TestApp) {
    let admin = app.admin_token().await;
    app.create_office(&admin, "CNIPA", "CN", 60).await;
    let feed: Value = app.get("/api/v1/feed", None).await.json().await.unwrap();
    let (seq, hash) = last_entry(&app).await;
    assert_eq!(
        feed["audit_head"],
        json!({"seq": seq, "hash": hash}),
        "{feed}"
    );

    let export = app
        .get("/api/v1/exports/recognitions?format=json", Some(&admin))
        .await;
    let id = export.headers()["x-export-id"]
        .to_str()
        .unwrap()
        .to_string();
    export.bytes().await.unwrap();
    let record: Value = app
        .get(&format!("/api/v1/exports/{id}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let (seq, hash) = last_entry(&app).await;
    assert_eq!(record["audit_seq"], seq, "the export's own entry: {record}");
    assert_eq!(record["audit_hash"], hash, "{record}");
    let db = app.database();
    let action = tokio::task::spawn_blocking(move || {
        db.read_blocking(move |conn| {
            Ok(audit_log::table
                .find(seq)
                .select(audit_log::action)
                .first::<String>(conn)?)
        })
        .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(action, "export.recognitions");
}

async fn a_log_without_anchors_still_verifies_and_is_anchored_from_the_next_write(app: TestApp) {
    let admin = app.admin_token().await;
    append(&app, 120).await;
    // As a registry written before the anchors existed (the migration anchors it, but
    // the chain must verify without them too).
    sql(&app, "DELETE FROM audit_head".into()).await;
    sql(&app, "DELETE FROM audit_checkpoints".into()).await;
    let report = verify(&app, &admin).await;
    assert_eq!(report["status"], "ok", "{report}");
    assert_eq!(report["entries"], 122);

    app.create_office(&admin, "CNIPA", "CN", 60).await;
    assert_eq!(
        last_entry(&app).await.0,
        123,
        "the chain continues from its last entry"
    );
    assert_eq!(verify(&app, &admin).await["status"], "ok");
    sql(&app, "DELETE FROM audit_log WHERE seq > 122".into()).await;
    let report = verify(&app, &admin).await;
    assert_eq!(report["status"], "broken", "anchored again: {report}");
}
