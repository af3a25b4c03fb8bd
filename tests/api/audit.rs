use diesel::prelude::*;
use serde_json::Value;
use terroir::audit::chain::EntryFields;
use terroir::db::schema::audit_log;

use crate::both_backends;
use crate::helpers::TestApp;

both_backends!(
    chain_verifies_and_names_an_altered_entry,
    chain_names_a_deleted_entry,
    chain_names_a_rewrite_that_relinks_the_next_entry,
    audit_list_pages_with_hashes,
    command_line_verify_agrees,
);

/// Writes a few audited changes: two offices and an association.
async fn some_history(app: &TestApp) -> String {
    let admin = app.admin_token().await;
    app.create_office(&admin, "CNIPA", "CN", 60).await;
    app.create_office(&admin, "DIP", "TH", 90).await;
    app.create_association(
        &admin,
        "Hangzhou West Lake Longjing Tea Association",
        "CNIPA",
    )
    .await;
    admin
}

async fn verify(app: &TestApp, token: &str) -> Value {
    let response = app.get("/api/v1/audit/verify", Some(token)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn tamper(app: &TestApp, sql: &'static str) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.write_blocking(|conn| Ok(diesel::sql_query(sql).execute(conn)?))
            .unwrap()
    })
    .await
    .unwrap();
}

async fn chain_verifies_and_names_an_altered_entry(app: TestApp) {
    let admin = some_history(&app).await;
    let report = verify(&app, &admin).await;
    assert_eq!(report["status"], "ok", "{report}");
    // bootstrap admin, login, two offices, one association
    assert_eq!(report["entries"], 5);
    assert_eq!(report["head_hash"].as_str().unwrap().len(), 64);

    tamper(
        &app,
        "UPDATE audit_log SET payload = '{\"code\":\"FAKE\"}' WHERE seq = 3",
    )
    .await;
    let report = verify(&app, &admin).await;
    assert_eq!(report["status"], "broken");
    assert_eq!(report["first_broken"]["seq"], 3, "{report}");
    assert!(report["first_broken"]["reason"]
        .as_str()
        .unwrap()
        .contains("altered"));
}

async fn chain_names_a_deleted_entry(app: TestApp) {
    let admin = some_history(&app).await;
    tamper(&app, "DELETE FROM audit_log WHERE seq = 2").await;
    let report = verify(&app, &admin).await;
    assert_eq!(report["status"], "broken");
    assert_eq!(report["first_broken"]["seq"], 2, "{report}");
    assert!(report["first_broken"]["reason"]
        .as_str()
        .unwrap()
        .contains("missing"));
}

async fn audit_list_pages_with_hashes(app: TestApp) {
    let admin = some_history(&app).await;
    let first: Value = app
        .get("/api/v1/audit?limit=2", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let items = first["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["seq"], 1);
    assert_eq!(items[1]["prev_hash"], items[0]["hash"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get(
            &format!("/api/v1/audit?limit=50&cursor={cursor}"),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let seqs: Vec<i64> = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, vec![3, 4, 5], "reading the log writes nothing to it");
    assert!(second["next_cursor"].is_null());
    let office = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "office.create")
        .unwrap();
    // The payload is a JSON object, not a string holding one.
    assert!(office["payload"].is_object(), "{office}");
    assert_eq!(office["payload"]["code"], "CNIPA");
}

async fn command_line_verify_agrees(app: TestApp) {
    some_history(&app).await;
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_terroir"))
            .args(["audit", "verify"])
            .env("TERROIR_DATABASE_URL", &app.database_url)
            .env("TERROIR_DATA_DIR", &app.data_dir)
            .output()
            .unwrap()
    };
    let ok = run();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("ok: 5 entries verify"));

    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.write_blocking(|conn| {
            Ok(
                diesel::update(audit_log::table.filter(audit_log::seq.eq(4)))
                    .set(audit_log::actor.eq("mallory"))
                    .execute(conn)?,
            )
        })
        .unwrap()
    })
    .await
    .unwrap();
    let broken = run();
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("at entry 4"));
}

/// A forger who rewrites entry 3, recomputes its hash and re-points entry 4's
/// `prev_hash` at it: entry 4's own hash was computed over the old link, so the chain
/// breaks there.
async fn chain_names_a_rewrite_that_relinks_the_next_entry(app: TestApp) {
    let admin = some_history(&app).await;
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.write_blocking(|conn| {
            type Row = (
                i64,
                chrono::NaiveDateTime,
                Option<i64>,
                Option<String>,
                Option<String>,
                String,
                String,
                Option<String>,
                bool,
                String,
            );
            let row: Row = audit_log::table
                .filter(audit_log::seq.eq(3))
                .select((
                    audit_log::seq,
                    audit_log::recorded_at,
                    audit_log::actor_id,
                    audit_log::actor,
                    audit_log::office,
                    audit_log::action,
                    audit_log::entity_type,
                    audit_log::entity_id,
                    audit_log::public,
                    audit_log::prev_hash,
                ))
                .first(conn)?;
            let forged_payload = r#"{"code":"FAKE"}"#;
            let forged = EntryFields {
                seq: row.0,
                recorded_at: row.1,
                actor_id: row.2,
                actor: row.3.as_deref(),
                office: row.4.as_deref(),
                action: &row.5,
                entity_type: &row.6,
                entity_id: row.7.as_deref(),
                payload: forged_payload,
                public: row.8,
            }
            .hash(&row.9);
            diesel::update(audit_log::table.filter(audit_log::seq.eq(3)))
                .set((
                    audit_log::payload.eq(forged_payload),
                    audit_log::hash.eq(&forged),
                ))
                .execute(conn)?;
            diesel::update(audit_log::table.filter(audit_log::seq.eq(4)))
                .set(audit_log::prev_hash.eq(&forged))
                .execute(conn)?;
            Ok(())
        })
        .unwrap()
    })
    .await
    .unwrap();
    let report = verify(&app, &admin).await;
    assert_eq!(report["status"], "broken", "{report}");
    assert_eq!(report["first_broken"]["seq"], 4, "{report}");
}
