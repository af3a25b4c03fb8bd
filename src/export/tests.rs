//! Exports of the demonstration register made, issued and replayed through the library,
//! without the HTTP layer: the unit tests' view of the rows, the read-ahead, the session,
//! the spool, the workbook and the replay (the HTTP suite checks the same and more, but
//! costs a build of the service's test binaries per mutant).

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::read_ahead::{Batch, ReadAhead, Rendering};
use super::rows::{ExportRow, ListSpec, RowBuilder, RowCursor};
use super::session::{self, ExportSession};
use super::shown_gis::ShownGis;
use super::spool::spool;
use super::{csv, json, ExportFormat, ExportQuery, Layout};
use crate::audit::AuditActor;
use crate::db::{migrations, Database, DatabaseUrl, PoolSettings};
use crate::domain::recognition_status::RecognitionStatus;
use crate::error::AppError;

struct Demo {
    db: Database,
    dir: tempfile::TempDir,
    today: NaiveDate,
    now: DateTime<Utc>,
}

/// A fresh SQLite register with the demonstration loaded (six recognitions in every
/// state), and the moment just after.
fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::parse(&dir.path().join("export.db").display().to_string()).unwrap();
    let db = Database::open(&url, &PoolSettings::default()).unwrap();
    migrations::run_pending(&mut db.connection().unwrap()).unwrap();
    let today = Utc::now().date_naive();
    crate::demo::load_demo(&db, today, None).unwrap();
    Demo {
        db,
        dir,
        today,
        now: Utc::now(),
    }
}

impl Demo {
    fn query(&self, format: ExportFormat) -> ExportQuery {
        ExportQuery {
            format,
            programme: None,
            partner: None,
            origin: None,
            status: None,
            as_of: Some(self.today),
            known_at: Some(self.now),
            bom: None,
        }
    }

    /// A session of `query` reading `batch` recognitions at a time, spooled: the
    /// session and the bytes.
    fn spooled(&self, query: &ExportQuery, batch: i64) -> (ExportSession, Vec<u8>) {
        let who = AuditActor {
            id: None,
            name: "test".into(),
            office: None,
        };
        let mut session = session::start(&self.db, query, who, self.today, self.now).unwrap();
        session.set_batch(batch);
        let progress = std::cell::RefCell::new(Vec::new());
        let mut spooled = spool(&mut session, tempfile::tempfile().unwrap(), &|rows| {
            progress.borrow_mut().push(rows)
        })
        .unwrap();
        if query.format != ExportFormat::Xlsx {
            // The rows written so far, after every piece: one batch at a time.
            let progress = progress.into_inner();
            assert_eq!(progress.last(), Some(&session.rows), "{progress:?}");
            let step = progress.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
            assert!((0..=batch).contains(&step), "{batch}: {progress:?}");
        }
        let mut bytes = Vec::new();
        spooled.file.read_to_end(&mut bytes).unwrap();
        assert_eq!(spooled.len, bytes.len() as u64);
        assert_eq!(spooled.sha256, sha256_hex(&bytes));
        assert_eq!(session.digest.as_deref(), Some(spooled.sha256.as_str()));
        assert_eq!(spooled.rows, session.rows);
        (session, bytes)
    }

    /// The rows of `query` read ahead `batch` at a time.
    fn rows(&self, query: &ExportQuery, batch: i64) -> Vec<ExportRow> {
        let spec = self.spec(query);
        let mut ahead = ReadAhead::start(&self.db, spec, batch, Rendering::Rows);
        let mut rows = Vec::new();
        while !ahead.finished {
            match ahead.next_batch().unwrap() {
                Batch::Rows(batch) => rows.extend(batch),
                Batch::Text { .. } => panic!("rows were asked for"),
            }
        }
        assert!(ahead.next_batch().unwrap().is_empty());
        rows
    }

    fn spec(&self, query: &ExportQuery) -> ListSpec {
        self.db
            .read_blocking(|conn| ListSpec::new(conn, query, self.today, self.now.naive_utc()))
            .unwrap()
            .unwrap()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

/// The recognition ids of a CSV body (the first field of every line but the header).
fn csv_ids(body: &str) -> Vec<i64> {
    body.split("\r\n")
        .filter(|line| line.starts_with(|c: char| c.is_ascii_digit()))
        .map(|line| line.split(',').next().unwrap().parse().unwrap())
        .collect()
}

fn json_rows(body: &[u8]) -> Vec<Value> {
    let document: Value = serde_json::from_slice(body).unwrap();
    document["rows"].as_array().unwrap().clone()
}

#[test]
fn the_demo_list_is_the_same_bytes_whatever_the_batch_size() {
    let demo = demo();
    let all = demo.query(ExportFormat::Csv);
    let (session, whole) = demo.spooled(&all, session::BATCH);
    assert_eq!(session.rows, 6, "{}", text(&whole));
    let body = text(&whole);
    assert!(body.starts_with(&csv::header(false, Layout::CURRENT)));
    assert_eq!(body.matches("\r\n").count(), 7, "{body}");
    let ids = csv_ids(body);
    assert_eq!(ids.len(), 6);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    for batch in [1, 2, 3, 5] {
        assert_eq!(demo.spooled(&all, batch).1, whole, "{batch} at a time");
    }

    let json_query = demo.query(ExportFormat::Json);
    let (session, json_whole) = demo.spooled(&json_query, session::BATCH);
    let document: Value = serde_json::from_slice(&json_whole).unwrap();
    assert_eq!(&document["query"], session.recorded_query());
    assert_eq!(document["as_of"], demo.today.to_string());
    assert_eq!(
        document["known_at"],
        crate::utc::format(demo.now.naive_utc())
    );
    let rows = json_rows(&json_whole);
    let json_ids: Vec<i64> = rows
        .iter()
        .map(|r| r["recognition_id"].as_i64().unwrap())
        .collect();
    assert_eq!(json_ids, ids);
    assert_eq!(session.rows, 6);
    for batch in [1, 2, 4] {
        assert_eq!(
            demo.spooled(&json_query, batch).1,
            json_whole,
            "{batch} at a time"
        );
    }

    // A status and a partner: the first batches may hold no row of the list, and the
    // rows are read by their ids rather than a range.
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    let mut distinct = statuses.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(distinct.len() >= 3, "{statuses:?}");
    for status in distinct {
        let status: RecognitionStatus = status.parse().unwrap();
        let mut query = demo.query(ExportFormat::Json);
        query.status = Some(status);
        let (session, bytes) = demo.spooled(&query, 1000);
        let expected: Vec<i64> = ids
            .iter()
            .zip(&statuses)
            .filter(|(_, s)| **s == status.as_str())
            .map(|(id, _)| *id)
            .collect();
        assert!(!expected.is_empty(), "no {status:?} row in {statuses:?}");
        let got: Vec<i64> = json_rows(&bytes)
            .iter()
            .map(|r| r["recognition_id"].as_i64().unwrap())
            .collect();
        assert_eq!(got, expected, "{status:?}");
        assert_eq!(session.rows, expected.len() as i64);
        for batch in [1, 2] {
            assert_eq!(demo.spooled(&query, batch).1, bytes, "{status:?}, {batch}");
        }
    }
    let partners: Vec<&str> = rows
        .iter()
        .map(|r| r["partner_office"].as_str().unwrap())
        .collect();
    for partner in ["DIP", "CNIPA"] {
        let mut query = demo.query(ExportFormat::Json);
        query.partner = Some(partner.into());
        let (_, bytes) = demo.spooled(&query, 2);
        let got = json_rows(&bytes);
        let expected: Vec<&Value> = rows
            .iter()
            .zip(&partners)
            .filter(|(_, p)| **p == partner)
            .map(|(r, _)| r)
            .collect();
        assert!(
            !expected.is_empty() && expected.len() < rows.len(),
            "{partners:?}"
        );
        assert_eq!(got.iter().collect::<Vec<_>>(), expected, "{partner}");
    }
    // A filter that names nothing gives the header alone.
    let mut nothing = demo.query(ExportFormat::Csv);
    nothing.partner = Some("NOSUCH".into());
    let (session, bytes) = demo.spooled(&nothing, 1000);
    assert_eq!(text(&bytes), csv::header(false, Layout::CURRENT));
    assert_eq!(session.rows, 0);
    let mut nothing = demo.query(ExportFormat::Json);
    nothing.partner = Some("NOSUCH".into());
    assert!(json_rows(&demo.spooled(&nothing, 1000).1).is_empty());
}

#[test]
fn rows_read_ahead_are_the_rows_made_in_one_go_and_their_text() {
    let demo = demo();
    let query = demo.query(ExportFormat::Csv);
    // One batch of the whole list, by hand.
    let spec = demo.spec(&query);
    let mut cursor = RowCursor::new(spec.clone());
    let listed = demo
        .db
        .read_blocking(|conn| cursor.next_list(conn, 100))
        .unwrap();
    assert!(cursor.finished);
    assert_eq!(listed.len(), 6);
    let mut builder = RowBuilder::new(spec, Default::default());
    let whole = demo
        .db
        .read_blocking(|conn| builder.rows_of(conn, &listed))
        .unwrap();
    assert_eq!(whole.len(), 6);
    // Every row shows its GI's numbers, each filed (or registered) before today and
    // recorded before the list's moment; a GI not registered shows none.
    let gi_ids: Vec<i64> = listed.iter().map(|r| r.gi_id).collect();
    let numbers = demo
        .db
        .read_blocking(|conn| crate::store::gis::numbers_of(conn, &gi_ids))
        .unwrap();
    for (r, row) in listed.iter().zip(&whole) {
        let n = &numbers[&r.gi_id];
        assert_eq!(row.file_number, n.file_number, "{row:?}");
        assert_eq!(row.registration_number, n.registration_number, "{row:?}");
    }
    assert!(whole.iter().any(|r| r.file_number.is_some()));
    assert!(demo
        .db
        .read_blocking(|conn| builder.rows_of(conn, &[]))
        .unwrap()
        .is_empty());
    // A cursor that reads exactly the list's length is not finished until an empty read.
    let mut exact = RowCursor::new(demo.spec(&query));
    let first = demo
        .db
        .read_blocking(|conn| exact.next_list(conn, 6))
        .unwrap();
    assert_eq!(first.len(), 6);
    assert!(!exact.finished);
    let rest = demo
        .db
        .read_blocking(|conn| exact.next_list(conn, 6))
        .unwrap();
    assert!(rest.is_empty() && exact.finished);
    // Batch by batch, the cursor moves on.
    let mut two = RowCursor::new(demo.spec(&query));
    let mut ids = Vec::new();
    while !two.finished {
        let list = demo
            .db
            .read_blocking(|conn| two.next_list(conn, 2))
            .unwrap();
        assert!(list.len() <= 2);
        ids.extend(list.iter().map(|r| r.id));
    }
    assert_eq!(ids, listed.iter().map(|r| r.id).collect::<Vec<_>>());

    for batch in [1, 2, 3, 4, 100] {
        assert_eq!(demo.rows(&query, batch), whole, "{batch} at a time");
    }
    // The text the workers write is that of the rows.
    for (rendering, expected) in [
        (
            Rendering::Csv(Layout::CURRENT),
            csv::lines(&whole, Layout::CURRENT),
        ),
        (
            Rendering::Csv(Layout::FIRST),
            csv::lines(&whole, Layout::FIRST),
        ),
        (
            Rendering::Json(Layout::CURRENT),
            json::members(&whole, Layout::CURRENT),
        ),
    ] {
        for batch in [1, 4] {
            let mut ahead = ReadAhead::start(&demo.db, demo.spec(&query), batch, rendering);
            let (mut made, mut count) = (String::new(), 0);
            while !ahead.finished {
                match ahead.next_batch().unwrap() {
                    Batch::Text { text, rows } => {
                        made.push_str(&text);
                        count += rows;
                    }
                    Batch::Rows(rows) => assert!(rows.is_empty()),
                }
            }
            assert_eq!(made, expected);
            assert_eq!(count, 6);
        }
    }
    // Codes and names read for one batch serve the next.
    let shared = std::sync::Arc::new(ShownGis::default());
    let mut reused = RowBuilder::new(demo.spec(&query), shared);
    for pair in listed.chunks(2) {
        let rows = demo
            .db
            .read_blocking(|conn| reused.rows_of(conn, pair))
            .unwrap();
        let ids: Vec<i64> = rows.iter().map(|r| r.recognition_id).collect();
        assert_eq!(ids, pair.iter().map(|r| r.id).collect::<Vec<_>>());
    }
    let empty = ReadAhead::empty();
    assert!(empty.finished);
}

#[test]
fn the_demo_rows_show_their_codes_names_and_states() {
    let demo = demo();
    let rows = demo.rows(&demo.query(ExportFormat::Xlsx), 1000);
    for row in &rows {
        assert_eq!(&*row.programme, "CN-TH", "{row:?}");
        assert!(!row.names.is_empty(), "{row:?}");
        assert!(row.recorded_at <= demo.now.naive_utc());
        assert!(row.submitted_on.is_some(), "{row:?}");
        let (origin, partner) = (&*row.origin_office, &*row.partner_office);
        assert!(
            [("CNIPA", "DIP"), ("DIP", "CNIPA")].contains(&(origin, partner)),
            "{row:?}"
        );
        let jurisdiction = |office: &str| if office == "CNIPA" { "CN" } else { "TH" };
        assert_eq!(&*row.origin_jurisdiction, jurisdiction(origin));
        assert_eq!(&*row.partner_jurisdiction, jurisdiction(partner));
        if row.status == "protected" {
            assert!(!row.protected_names.is_empty(), "{row:?}");
            assert!(row.protected_from.is_some());
        } else {
            assert!(row.protected_names.is_empty(), "{row:?}");
        }
    }
    let excluding = rows
        .iter()
        .find(|r| !r.excluded_names.is_empty())
        .expect("the demonstration protects Longjing without its translation");
    assert_eq!(excluding.status, "protected");
    let all: Vec<&str> = excluding.names.iter().map(|n| n.text).collect();
    assert_eq!(
        excluding.protected_names.len() + excluding.excluded_names.len(),
        all.len(),
        "{excluding:?}"
    );
    for excluded in &excluding.excluded_names {
        assert!(!excluding.protected_names.contains(&excluded.name));
    }
    assert!(excluding.limitations.is_some() && excluding.phase_out_until.is_some());
    assert!(rows.iter().any(|r| r.grounds.is_some()));
    assert!(rows.iter().any(|r| r.file_number.is_some()));
    assert!(rows.iter().any(|r| r.recorded_late));
    // Before the demonstration's first recognition there is nothing to list.
    let mut early = demo.query(ExportFormat::Xlsx);
    early.as_of = demo.today.checked_sub_days(chrono::Days::new(3_000));
    let spec = demo
        .db
        .read_blocking(|conn| {
            ListSpec::new(conn, &early, early.as_of.unwrap(), demo.now.naive_utc())
        })
        .unwrap()
        .unwrap();
    let mut ahead = ReadAhead::start(&demo.db, spec, 2, Rendering::Rows);
    while !ahead.finished {
        assert!(ahead.next_batch().unwrap().is_empty());
    }
}

/// The text of a workbook cell, dates as `yyyy-mm-dd`.
fn cell(data: &Data) -> String {
    let date = |serial: f64| {
        (NaiveDate::from_ymd_opt(1899, 12, 30).unwrap() + chrono::Days::new(serial as u64))
            .to_string()
    };
    match data {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        Data::Bool(b) => b.to_string(),
        Data::Float(f) => (*f as i64).to_string(),
        Data::Int(i) => i.to_string(),
        Data::DateTime(d) => date(d.as_f64()),
        Data::DateTimeIso(s) => s[..10].to_string(),
        other => panic!("{other:?}"),
    }
}

/// A row as the workbook shows it, column by column.
fn workbook_cells(row: &ExportRow) -> Vec<String> {
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        row.recognition_id.to_string(),
        row.programme.to_string(),
        text(&row.list_label),
        text(&row.file_number),
        text(&row.registration_number),
        row.names
            .iter()
            .map(|n| format!("{} [{}, {}, {}]", n.text, n.script, n.lang, n.kind))
            .collect::<Vec<_>>()
            .join(" | "),
        row.origin_office.to_string(),
        row.origin_jurisdiction.to_string(),
        row.partner_office.to_string(),
        row.partner_jurisdiction.to_string(),
        row.status.clone(),
        date(row.submitted_on),
        date(row.published_on),
        date(row.decided_on),
        date(row.protected_from),
        text(&row.limitations),
        text(&row.grounds),
        date(row.phase_out_until),
        row.decision_documents.join(" "),
        crate::utc::format(row.recorded_at),
        row.recorded_late.to_string(),
        row.protected_names.join(" | "),
        row.excluded_names
            .iter()
            .map(|e| format!("{} ({})", e.name, e.reason))
            .collect::<Vec<_>>()
            .join(" | "),
    ]
}

#[test]
fn the_workbook_holds_every_row_cell_by_cell_and_the_query() {
    let demo = demo();
    let query = demo.query(ExportFormat::Xlsx);
    let rows = demo.rows(&query, 1000);
    let (session, bytes) = demo.spooled(&query, 2);
    assert_eq!(session.rows, 6);
    // The same list known at the same moment is the same file.
    assert_eq!(demo.spooled(&query, 1000).1, bytes);
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheets = workbook.sheet_names().to_vec();
    assert_eq!(sheets, ["recognitions", "query"]);
    let list = workbook.worksheet_range(&sheets[0]).unwrap();
    let cells: Vec<Vec<String>> = list.rows().map(|r| r.iter().map(cell).collect()).collect();
    assert_eq!(cells[0], Layout::CURRENT.columns());
    let expected: Vec<Vec<String>> = rows.iter().map(workbook_cells).collect();
    assert_eq!(cells[1..], expected);
    // Dates are dates, not text.
    let dated = list
        .rows()
        .skip(1)
        .flat_map(|r| r[11..=17].to_vec())
        .filter(|c| matches!(c, Data::DateTime(_) | Data::DateTimeIso(_)))
        .count();
    assert!(dated >= 6, "{dated}");
    let query_sheet = workbook.worksheet_range(&sheets[1]).unwrap();
    let pairs: Vec<(String, String)> = query_sheet
        .rows()
        .map(|r| (cell(&r[0]), cell(&r[1])))
        .collect();
    let recorded = session.recorded_query().as_object().unwrap();
    let mut expected: Vec<(String, String)> = vec![("parameter".into(), "value".into())];
    let mut keys: Vec<&String> = recorded.keys().collect();
    keys.sort();
    for key in keys {
        let value = match &recorded[key] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        expected.push((key.clone(), value));
    }
    expected.push(("rows".into(), "6".into()));
    assert_eq!(pairs, expected);
    assert!(pairs.contains(&("format".into(), "xlsx".into())));
    assert!(pairs.contains(&("as_of".into(), demo.today.to_string())));
}

#[test]
fn an_issued_export_is_recorded_signed_and_replays_to_its_bytes() {
    use crate::signing::keyring::Signer;
    use crate::signing::signature::{parse_signature, verify_file};

    let demo = demo();
    let signer = Signer::open(&demo.db, None, demo.dir.path()).unwrap();
    let key = signer.key(&demo.db).unwrap();
    for format in [ExportFormat::Csv, ExportFormat::Json, ExportFormat::Xlsx] {
        let who = AuditActor {
            id: None,
            name: "auditor".into(),
            office: None,
        };
        let mut query = demo.query(format);
        query.known_at = None;
        query.as_of = None;
        let mut session = session::start(&demo.db, &query, who, demo.today, demo.now).unwrap();
        let progress = std::cell::RefCell::new(Vec::new());
        let mut issued = super::issue::issue(
            &demo.db,
            &signer,
            &mut session,
            tempfile::tempfile().unwrap(),
            &|rows| progress.borrow_mut().push(rows),
        )
        .unwrap();
        if format != ExportFormat::Xlsx {
            let progress = progress.borrow();
            assert_eq!(progress.last(), Some(&6), "{progress:?}");
        }
        let mut bytes = Vec::new();
        issued.body.file.read_to_end(&mut bytes).unwrap();
        assert_eq!(issued.body.sha256, sha256_hex(&bytes));
        assert_eq!(issued.signed.kid, key.kid);
        let signature = parse_signature(issued.signed.signature.as_bytes()).unwrap();
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, &bytes).unwrap();
        assert!(verify_file(&key.signing.verifying_key(), &mut file, &signature).unwrap());

        let record = demo
            .db
            .read_blocking(|conn| crate::store::exports::by_id(conn, session.id))
            .unwrap()
            .unwrap();
        assert_eq!(record.status, "complete");
        assert_eq!(record.format, format.as_str());
        assert_eq!(record.row_count, Some(6));
        assert_eq!(record.byte_count, Some(bytes.len() as i64));
        assert_eq!(record.sha256.as_deref(), Some(sha256_hex(&bytes).as_str()));
        assert_eq!(
            record.signature.as_deref(),
            Some(issued.signed.signature.as_str())
        );
        assert_eq!(record.requested_by, "auditor");
        let entries = demo
            .db
            .read_blocking(|conn| crate::store::audit::list(conn, 0, 100_000, false))
            .unwrap();
        let entry = entries
            .iter()
            .find(|e| {
                e.action == "export.recognitions"
                    && e.entity_id.as_deref() == Some(&session.id.to_string())
            })
            .expect("the export is audited");
        assert_eq!(record.audit_seq, Some(entry.seq));
        let payload: Value = serde_json::from_str(&entry.payload).unwrap();
        assert_eq!(payload["rows"], 6);
        assert_eq!(payload["bytes"], bytes.len());
        assert_eq!(payload["sha256"], sha256_hex(&bytes));
        assert_eq!(&payload["query"], session.recorded_query());

        // The replay gives the same bytes, and records nothing.
        let mut replayed = super::replay::replay_to_file(&demo.db, &record).unwrap();
        let mut again = Vec::new();
        replayed.file.read_to_end(&mut again).unwrap();
        assert_eq!(again, bytes, "{format:?}");
        assert_eq!(replayed.rows, 6);
        let mut replay = session::replay(&demo.db, &record).unwrap();
        assert_eq!(replay.id, record.id);
        assert_eq!(replay.recorded_query(), session.recorded_query());
        spool(&mut replay, tempfile::tempfile().unwrap(), &|_| {}).unwrap();
        replay.record(&issued.signed).unwrap();
        let count = demo
            .db
            .read_blocking(|conn| crate::store::audit::list(conn, 0, 100_000, false))
            .unwrap()
            .len();
        assert_eq!(count, entries.len(), "a replay is not audited");

        // A record whose digest is not that of the replayed bytes is refused.
        let mut forged = record.clone();
        forged.sha256 = Some("00".repeat(32));
        match super::replay::replay_to_file(&demo.db, &forged) {
            Err(AppError::ReplayMismatch {
                export_id,
                recorded,
                replayed,
            }) => {
                assert_eq!(export_id, record.id);
                assert_eq!(recorded, "00".repeat(32));
                assert_eq!(replayed, sha256_hex(&bytes));
            }
            other => panic!("{:?}", other.map(|s| s.sha256)),
        }
        let mut started = record.clone();
        started.status = "started".into();
        assert!(matches!(
            session::replay(&demo.db, &started),
            Err(AppError::Conflict {
                code: "export_incomplete",
                ..
            })
        ));
    }
    // A session that has not written its last byte cannot be recorded.
    let mut unfinished = session::start(
        &demo.db,
        &demo.query(ExportFormat::Csv),
        AuditActor {
            id: None,
            name: "auditor".into(),
            office: None,
        },
        demo.today,
        demo.now,
    )
    .unwrap();
    unfinished.next_chunk().unwrap();
    let signed = crate::store::exports::Signed {
        kid: key.kid.clone(),
        signature: String::new(),
    };
    assert!(unfinished.record(&signed).is_err());
}

#[test]
fn a_first_layout_record_replays_with_its_columns() {
    let demo = demo();
    let query = demo.query(ExportFormat::Csv);
    let (session, bytes) = demo.spooled(&query, 1000);
    let mut recorded = session.recorded_query().clone();
    assert_eq!(recorded["layout"], 2);
    recorded.as_object_mut().unwrap().remove("layout");
    let record = crate::store::exports::ExportRecord {
        id: session.id,
        format: "csv".into(),
        query: recorded.to_string(),
        as_of: demo.today,
        status: "complete".into(),
        row_count: Some(6),
        sha256: None,
        byte_count: None,
        requested_by: "test".into(),
        created_at: demo.now.naive_utc(),
        completed_at: None,
        audit_seq: None,
        audit_hash: None,
        signature: None,
        signature_key_id: None,
    };
    let mut replay = session::replay(&demo.db, &record).unwrap();
    assert_eq!(replay.layout, Layout::FIRST);
    assert_eq!(replay.recorded_query(), &recorded);
    let mut spooled = spool(&mut replay, tempfile::tempfile().unwrap(), &|_| {}).unwrap();
    let mut first = String::new();
    spooled.file.read_to_string(&mut first).unwrap();
    assert!(first.starts_with(&csv::header(false, Layout::FIRST)));
    let current: Vec<&str> = text(&bytes).split("\r\n").collect();
    let old: Vec<&str> = first.split("\r\n").collect();
    assert_eq!(old.len(), current.len());
    for (old, current) in old.iter().zip(&current).skip(1) {
        assert!(current.starts_with(old), "{old} / {current}");
    }
    // A record from before exports kept their known_at cannot be replayed.
    let mut without = recorded.clone();
    without.as_object_mut().unwrap().remove("known_at");
    let old_record = crate::store::exports::ExportRecord {
        query: without.to_string(),
        ..record
    };
    assert!(matches!(
        session::replay(&demo.db, &old_record),
        Err(AppError::Conflict {
            code: "export_not_replayable",
            ..
        })
    ));
}

#[test]
fn codes_are_read_again_for_an_office_made_since() {
    use crate::store::offices::{self, NewOffice};

    let demo = demo();
    let query = demo.query(ExportFormat::Xlsx);
    let spec = demo.spec(&query);
    let mut cursor = RowCursor::new(spec.clone());
    let listed = demo
        .db
        .read_blocking(|conn| cursor.next_list(conn, 100))
        .unwrap();
    let mut builder = RowBuilder::new(spec, Default::default());
    let first = demo
        .db
        .read_blocking(|conn| builder.rows_of(conn, &listed[..1]))
        .unwrap();
    assert_eq!(first.len(), 1);
    let made = demo
        .db
        .write_blocking(|conn| {
            let dip = offices::by_code(conn, "DIP")?.unwrap();
            offices::insert(
                conn,
                &NewOffice {
                    code: "NEWO".into(),
                    jurisdiction: "NW".into(),
                    name: "An office made since".into(),
                    opposition_period_days: dip.opposition_period_days,
                    languages: dip.languages,
                    created_at: dip.created_at,
                    updated_at: dip.updated_at,
                    time_zone: dip.time_zone,
                    weekend: dip.weekend,
                    deadline_rolls_forward: dip.deadline_rolls_forward,
                    opposition_period: dip.opposition_period,
                },
            )
        })
        .unwrap();
    // The second recognition, as if it named the new office as its origin.
    let mut moved = listed[1].clone();
    moved.origin_office_id = made.id;
    let rows = demo
        .db
        .read_blocking(|conn| builder.rows_of(conn, std::slice::from_ref(&moved)))
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (&*rows[0].origin_office, &*rows[0].origin_jurisdiction),
        ("NEWO", "NW")
    );
    assert!(!rows[0].partner_office.is_empty());
}

#[test]
fn a_byte_order_mark_is_for_csv_only() {
    let today: NaiveDate = "2026-11-29".parse().unwrap();
    let now: DateTime<Utc> = "2026-11-29T12:00:00Z".parse().unwrap();
    let query = |format, bom| ExportQuery {
        format,
        programme: None,
        partner: None,
        origin: None,
        status: None,
        as_of: None,
        known_at: None,
        bom,
    };
    for (format, bom, allowed) in [
        (ExportFormat::Csv, Some(true), true),
        (ExportFormat::Csv, Some(false), true),
        (ExportFormat::Csv, None, true),
        (ExportFormat::Json, Some(true), false),
        (ExportFormat::Xlsx, Some(true), false),
        (ExportFormat::Json, Some(false), true),
        (ExportFormat::Xlsx, None, true),
    ] {
        let checked = session::check(&query(format, bom), today, now);
        assert_eq!(checked.is_ok(), allowed, "{format:?} {bom:?}");
        if let Ok((as_of, known_at)) = checked {
            assert_eq!((as_of, known_at), (today, now.naive_utc()));
        }
    }
    let mut later = query(ExportFormat::Csv, None);
    later.as_of = today.succ_opt();
    assert!(session::check(&later, today, now).is_err());
}

#[test]
fn formats_name_their_media_types() {
    for (format, name, media) in [
        (ExportFormat::Csv, "csv", "text/csv; charset=utf-8"),
        (ExportFormat::Json, "json", "application/json"),
        (
            ExportFormat::Xlsx,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ] {
        assert_eq!(format.as_str(), name);
        assert_eq!(format.content_type(), media);
        assert_eq!(name.parse::<ExportFormat>(), Ok(format));
    }
    assert!("pdf"
        .parse::<ExportFormat>()
        .unwrap_err()
        .contains("\"pdf\""));
    assert!(Layout::CURRENT.has_name_columns() && !Layout::FIRST.has_name_columns());
    assert_eq!(Layout::FIRST.columns().len(), 21);
    assert_eq!(Layout::CURRENT.columns(), csv::COLUMNS);
}
