//! `verify` over a chain longer than one read (issue 9): entries are read a batch at a
//! time while another thread hashes them, so a broken entry must still be the first
//! one, wherever it falls among the batches; and on SQLite a timestamp stored in any
//! form Diesel reads must verify as before (only the form Diesel writes is read without
//! it).

use diesel::prelude::*;
use serde_json::json;
use terroir::audit::{AuditActor, AuditRecord};
use terroir::db::schema::audit_log;
use terroir::store::audit::VerifyReport;

use crate::both_backends;
use crate::helpers::{Backend, TestApp};

both_backends!(
    a_chain_of_many_batches_verifies_and_names_its_first_broken_entry,
    every_timestamp_form_diesel_reads_still_verifies,
);

/// Entries appended here, after the bootstrap's.
const APPENDED: usize = 2_600;
/// Entries per read in these tests (the server reads 5,000).
const BATCH: i64 = 1_000;

async fn append_many(app: &TestApp) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        let records = (0..APPENDED)
            .map(|i| {
                AuditRecord::new(
                    &AuditActor::system(),
                    "test.entry",
                    "test",
                    i,
                    json!({ "i": i, "text": format!("龙井 \"{i}\"\n") }),
                )
            })
            .collect();
        db.write_blocking(|conn| terroir::store::audit::append_all(conn, records))
            .unwrap();
    })
    .await
    .unwrap();
}

async fn verify(app: &TestApp) -> VerifyReport {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.read_blocking(|conn| terroir::store::audit_verify::verify_in_batches(conn, BATCH))
            .unwrap()
    })
    .await
    .unwrap()
}

async fn sql(app: &TestApp, statement: &'static str) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.write_blocking(|conn| Ok(diesel::sql_query(statement).execute(conn)?))
            .unwrap()
    })
    .await
    .unwrap();
}

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

async fn a_chain_of_many_batches_verifies_and_names_its_first_broken_entry(app: TestApp) {
    append_many(&app).await;
    let (last_seq, last_hash) = last_entry(&app).await;
    assert!(last_seq > 2 * BATCH + 500, "{last_seq}");
    let report = verify(&app).await;
    assert_eq!(report.status, "ok", "{report:?}");
    assert_eq!(report.entries, last_seq);
    assert_eq!(report.head_hash.as_deref(), Some(last_hash.as_str()));
    // The reader's default batch gives the same answer.
    let db = app.database();
    let whole = tokio::task::spawn_blocking(move || {
        db.read_blocking(terroir::store::audit_anchors::verify)
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(whole, report);

    // A gap where the second batch starts, and then an altered entry inside the first:
    // the first in the chain is named, whichever batch the hasher is on.
    sql(&app, "DELETE FROM audit_log WHERE seq = 1001").await;
    let report = verify(&app).await;
    assert_eq!(report.status, "broken");
    assert_eq!(report.entries, 1000);
    let broken = report.first_broken.unwrap();
    assert_eq!(broken.seq, 1001);
    assert!(broken.reason.contains("missing"), "{}", broken.reason);

    sql(
        &app,
        "UPDATE audit_log SET payload = '{\"i\":1}' WHERE seq = 700",
    )
    .await;
    let report = verify(&app).await;
    assert_eq!(report.entries, 699);
    let broken = report.first_broken.unwrap();
    assert_eq!(broken.seq, 700);
    assert!(broken.reason.contains("altered"), "{}", broken.reason);
}

async fn every_timestamp_form_diesel_reads_still_verifies(app: TestApp) {
    append_many(&app).await;
    let before = verify(&app).await;
    assert_eq!(before.status, "ok", "{before:?}");
    if app.backend == Backend::Sqlite {
        // The same instants, written as other tools may write them (`T`, a `Z`): read
        // through Diesel's own parsing, they hash as before.
        sql(
            &app,
            "UPDATE audit_log SET recorded_at = replace(recorded_at, ' ', 'T') WHERE seq % 7 = 0",
        )
        .await;
        sql(
            &app,
            "UPDATE audit_log SET recorded_at = recorded_at || 'Z' WHERE seq % 11 = 0",
        )
        .await;
        let report = verify(&app).await;
        assert_eq!(report, before);
        // A changed instant in another form is still caught.
        sql(
            &app,
            "UPDATE audit_log SET recorded_at = '2001-01-01T00:00:00Z' WHERE seq = 1400",
        )
        .await;
        let report = verify(&app).await;
        assert_eq!(report.first_broken.unwrap().seq, 1400);
        assert_eq!(report.entries, 1399);
    }
}
