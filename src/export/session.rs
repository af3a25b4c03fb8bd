//! One export from start to finish: the record made before the first byte, the pieces of
//! the body, the digest of every byte sent, and the audit entry once the last is out.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::read_ahead::{Batch, ReadAhead, Rendering};
use super::rows::{ExportRow, ListSpec};
use super::{csv, json as json_format, ExportFormat, ExportQuery, Layout};
use crate::audit::chain::canonical_json;
use crate::audit::{AuditActor, AuditRecord};
use crate::db::Database;
use crate::domain::known_at;
use crate::error::AppError;
use crate::registry::protection::as_of_or_today;
use crate::store::audit;
use crate::store::exports::{self, ExportRecord, NewExport, Signed};

/// Rows read per batch.
pub const BATCH: i64 = 1_000;

enum Phase {
    Opening,
    Rows { first: bool },
    Closing,
    Done,
}

pub struct ExportSession {
    db: Database,
    pub id: i64,
    format: ExportFormat,
    bom: bool,
    recorded_query: Value,
    pub as_of: NaiveDate,
    pub known_at: NaiveDateTime,
    /// The columns written: the current ones, or for a replay its export's.
    pub layout: Layout,
    /// False for a replay: it is checked against its record, not recorded again.
    recording: bool,
    /// What the list is and how its rows are made, until its reading starts.
    list: Option<(ListSpec, Rendering)>,
    /// Recognitions per batch.
    batch: i64,
    rows_ahead: ReadAhead,
    hasher: Sha256,
    pub rows: i64,
    bytes: i64,
    phase: Phase,
    who: AuditActor,
    /// The SHA-256 of the body, once it is complete.
    pub digest: Option<String>,
}

/// The query's date (today when it names none) and moment (now when it names none),
/// once its options agree.
pub fn check(
    query: &ExportQuery,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(NaiveDate, NaiveDateTime), AppError> {
    let as_of = as_of_or_today(query.as_of, today)?;
    let known_at = known_at::resolve(query.known_at, now)
        .map_err(|e| AppError::invalid("known_at", e.to_string()))?;
    // bom=false asks for nothing, so any format takes it; a byte-order mark is CSV's.
    if query.bom == Some(true) && query.format != ExportFormat::Csv {
        return Err(AppError::invalid("bom", "applies to csv only"));
    }
    Ok((as_of, known_at))
}

/// Starts an export: checks the query, records it. Blocking.
pub fn start(
    db: &Database,
    query: &ExportQuery,
    who: AuditActor,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ExportSession, AppError> {
    check(query, today, now)?;
    // The moment an export is as known at, when it names none, is taken under the
    // writers' lock: every event recorded before it has then committed, and every later
    // one is recorded after it, so that the export reads exactly what a replay will.
    let (id, as_of, known_at, recorded_query) = db.write_blocking(|conn| {
        let (as_of, known_at) = check(query, today, Utc::now().max(now))?;
        let recorded_query = query.recorded(as_of, known_at, Layout::CURRENT);
        let id = exports::insert(
            conn,
            &NewExport {
                format: query.format.as_str().into(),
                query: canonical_json(&recorded_query),
                as_of,
                status: "started".into(),
                requested_by: who.name.clone(),
                created_at: Utc::now().naive_utc(),
            },
        )?;
        Ok((id, as_of, known_at, recorded_query))
    })?;
    let list = list_of(db, query, as_of, known_at, Layout::CURRENT)?;
    Ok(ExportSession {
        db: db.clone(),
        id,
        format: query.format,
        bom: query.bom.unwrap_or(false),
        recorded_query,
        layout: Layout::CURRENT,
        as_of,
        known_at,
        recording: true,
        list,
        batch: BATCH,
        rows_ahead: ReadAhead::empty(),
        hasher: Sha256::new(),
        rows: 0,
        bytes: 0,
        phase: Phase::Opening,
        who,
        digest: None,
    })
}

/// The list the query asks for (None when it names nothing that exists) and how its
/// rows are made for the format. Blocking.
fn list_of(
    db: &Database,
    query: &ExportQuery,
    as_of: NaiveDate,
    known_at: NaiveDateTime,
    layout: Layout,
) -> Result<Option<(ListSpec, Rendering)>, AppError> {
    let rendering = match query.format {
        ExportFormat::Csv => Rendering::Csv(layout),
        ExportFormat::Json => Rendering::Json(layout),
        ExportFormat::Xlsx => Rendering::Rows,
    };
    let spec = db.read_blocking(|conn| ListSpec::new(conn, query, as_of, known_at))?;
    Ok(spec.map(|spec| (spec, rendering)))
}

/// Starts the replay of a complete export: its recorded query read again, `as_of` and
/// `known_at` included, and nothing recorded. Blocking.
pub fn replay(db: &Database, record: &ExportRecord) -> Result<ExportSession, AppError> {
    if record.status != "complete" {
        return Err(AppError::conflict(
            "export_incomplete",
            format!(
                "export {} was never completed: there is nothing to replay",
                record.id
            ),
        ));
    }
    let recorded: Value = serde_json::from_str(&record.query).map_err(AppError::internal)?;
    let layout = Layout::of_recorded(&recorded);
    let query: ExportQuery = serde_json::from_value(recorded).map_err(AppError::internal)?;
    let (Some(as_of), Some(known_at)) = (query.as_of, query.known_at) else {
        return Err(AppError::conflict(
            "export_not_replayable",
            format!(
                "export {} was recorded before exports kept their known_at: it cannot be replayed",
                record.id
            ),
        ));
    };
    let known_at = known_at.naive_utc();
    let recorded_query = query.recorded(as_of, known_at, layout);
    let list = list_of(db, &query, as_of, known_at, layout)?;
    Ok(ExportSession {
        db: db.clone(),
        id: record.id,
        format: query.format,
        bom: query.bom.unwrap_or(false),
        recorded_query,
        layout,
        as_of,
        known_at,
        recording: false,
        list,
        batch: BATCH,
        rows_ahead: ReadAhead::empty(),
        hasher: Sha256::new(),
        rows: 0,
        bytes: 0,
        phase: Phase::Opening,
        who: AuditActor {
            id: None,
            name: String::new(),
            office: None,
        },
        digest: None,
    })
}

impl ExportSession {
    /// Reads the list `batch` recognitions at a time rather than [`BATCH`] (the bytes
    /// are the same): before the first piece only.
    pub fn set_batch(&mut self, batch: i64) {
        self.batch = batch.max(1);
    }
    /// The next piece of a CSV or JSON body, or None once the body is complete (the
    /// export is then recorded with its digest). Blocking.
    pub fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        let chunk = match self.phase {
            Phase::Opening => {
                self.phase = Phase::Rows { first: true };
                match self.format {
                    ExportFormat::Json => {
                        json_format::opening(&self.recorded_query, self.as_of, self.known_at)
                    }
                    _ => csv::header(self.bom, self.layout),
                }
            }
            Phase::Rows { first } => {
                let (mut text, rows) = self.next_text()?;
                if self.rows_ahead.finished && rows == 0 {
                    self.phase = Phase::Closing;
                } else {
                    self.phase = Phase::Rows {
                        first: first && rows == 0,
                    };
                }
                // Each JSON row comes with a comma before it, but the first.
                if first && rows > 0 && self.format == ExportFormat::Json {
                    text.remove(0);
                }
                text
            }
            Phase::Closing => {
                self.phase = Phase::Done;
                match self.format {
                    ExportFormat::Json => json_format::closing().to_string(),
                    _ => String::new(),
                }
            }
            Phase::Done => {
                let digest = std::mem::take(&mut self.hasher).finalize();
                self.digest = Some(hex::encode(digest));
                return Ok(None);
            }
        };
        let bytes = chunk.into_bytes();
        self.hasher.update(&bytes);
        self.bytes += bytes.len() as i64;
        Ok(Some(bytes))
    }

    /// The next batch that holds rows (an empty one once the list is through).
    fn next_batch(&mut self) -> Result<Batch, AppError> {
        // The reading starts with the first rows asked for.
        if let Some((spec, rendering)) = self.list.take() {
            self.rows_ahead = ReadAhead::start(&self.db, spec, self.batch, rendering);
        }
        loop {
            let batch = self.rows_ahead.next_batch()?;
            if !batch.is_empty() || self.rows_ahead.finished {
                return Ok(batch);
            }
        }
    }

    /// The next rows (none once the list is through), for a workbook.
    pub fn next_rows(&mut self) -> Result<Vec<ExportRow>, AppError> {
        match self.next_batch()? {
            Batch::Rows(rows) => {
                self.rows += rows.len() as i64;
                Ok(rows)
            }
            Batch::Text { .. } => Err(AppError::internal("an export's rows were made as text")),
        }
    }

    /// The text of the next rows and how many there are, for CSV and JSON.
    fn next_text(&mut self) -> Result<(String, usize), AppError> {
        match self.next_batch()? {
            Batch::Text { text, rows } => {
                self.rows += rows as i64;
                Ok((text, rows))
            }
            Batch::Rows(rows) if rows.is_empty() => Ok((String::new(), 0)),
            Batch::Rows(_) => Err(AppError::internal("an export's text was made as rows")),
        }
    }

    /// The digest of a body that was built whole (xlsx).
    pub fn digest_of(&mut self, body: &[u8]) -> String {
        let digest = hex::encode(Sha256::digest(body));
        self.bytes = body.len() as i64;
        self.digest = Some(digest.clone());
        digest
    }

    pub fn format(&self) -> ExportFormat {
        self.format
    }

    pub fn recorded_query(&self) -> &Value {
        &self.recorded_query
    }

    /// Records the complete export with its digest and signature, and audits it (a
    /// replay records nothing). Blocking.
    pub fn record(&self, signed: &Signed) -> Result<(), AppError> {
        if !self.recording {
            return Ok(());
        }
        let digest = self
            .digest
            .clone()
            .ok_or_else(|| AppError::internal("an export recorded before its last byte"))?;
        let (id, rows, bytes) = (self.id, self.rows, self.bytes);
        let who = self.who.clone();
        let query = self.recorded_query.clone();
        self.db.write_blocking(move |conn| {
            exports::complete(
                conn,
                id,
                rows,
                bytes,
                &digest,
                signed,
                Utc::now().naive_utc(),
            )?;
            let entry = audit::append(
                conn,
                AuditRecord::new(
                    &who,
                    "export.recognitions",
                    "export",
                    id,
                    json!({
                        "query": query, "rows": rows, "bytes": bytes, "sha256": digest,
                        "signature": signed.signature, "signature_key_id": signed.kid,
                    }),
                ),
            )?;
            exports::anchor(conn, id, entry.seq, &entry.hash)?;
            Ok(())
        })
    }
}
