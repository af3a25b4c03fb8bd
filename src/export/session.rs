//! One export from start to finish: the record made before the first byte, the pieces of
//! the body, the digest of every byte sent, and the audit entry once the last is out.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::rows::{ExportRow, RowCursor};
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
pub const BATCH: i64 = 2_000;

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
    cursor: RowCursor,
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
    let cursor = db.read_blocking(|conn| RowCursor::new(conn, query, as_of, known_at))?;
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
        cursor,
        hasher: Sha256::new(),
        rows: 0,
        bytes: 0,
        phase: Phase::Opening,
        who,
        digest: None,
    })
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
    let cursor = db.read_blocking(|conn| RowCursor::new(conn, &query, as_of, known_at))?;
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
        cursor,
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
                let rows = self.next_rows()?;
                if self.cursor.finished && rows.is_empty() {
                    self.phase = Phase::Closing;
                }
                let mut text = String::with_capacity(rows.len() * 256);
                let mut scratch = String::new();
                let mut first = first;
                for row in &rows {
                    match self.format {
                        ExportFormat::Json => {
                            text.push_str(&json_format::row(row, first, self.layout))
                        }
                        _ => csv::push_row(&mut text, row, &mut scratch, self.layout),
                    }
                    first = false;
                }
                if !matches!(self.phase, Phase::Closing) {
                    self.phase = Phase::Rows { first };
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

    /// The next rows, skipping batches that matched nothing.
    pub fn next_rows(&mut self) -> Result<Vec<ExportRow>, AppError> {
        loop {
            if self.cursor.finished {
                return Ok(Vec::new());
            }
            let cursor = &mut self.cursor;
            let rows = self
                .db
                .read_blocking(|conn| cursor.next_batch(conn, BATCH))?;
            if !rows.is_empty() {
                self.rows += rows.len() as i64;
                return Ok(rows);
            }
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
