//! Verifying the audit chain: every entry recomputed from the first, stopping at the
//! first that does not verify (an altered entry, a gap, a broken link).
//!
//! Two threads: the caller's reads the entries a batch at a time while another hashes
//! the batch before, so that reading (and on PostgreSQL the server's work) overlaps
//! with hashing. The hasher checks entries strictly in order; when it stops at a broken
//! entry the reader stops at its next batch.

use std::sync::mpsc;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::audit::{AuditEntry, BrokenEntry, VerifyReport};
use crate::audit::chain::GENESIS_HASH;
use crate::db::schema::audit_log;
use crate::db::AnyConnection;
use crate::error::AppError;

/// Entries read per query.
const READ_BATCH: i64 = 5_000;
/// Batches read ahead of the hasher (bounds memory: about 3 × 5,000 entries).
const BATCHES_AHEAD: usize = 2;

/// Recomputes the chain from the first entry (see the module's note).
pub fn verify(conn: &mut AnyConnection) -> Result<VerifyReport, AppError> {
    verify_in_batches(conn, READ_BATCH)
}

/// [`verify`] reading `batch` entries per query.
pub fn verify_in_batches(conn: &mut AnyConnection, batch: i64) -> Result<VerifyReport, AppError> {
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<Vec<AuditEntry>>(BATCHES_AHEAD);
        // Checked batches go back to be freed where they were allocated: freed on the
        // hasher's thread (another malloc arena), they cost more than the hashing saves.
        let (checked_sender, checked) = mpsc::channel::<Vec<AuditEntry>>();
        let hasher = scope.spawn(move || {
            let mut walk = ChainWalk::default();
            for entries in receiver {
                let broken = walk.check(&entries);
                let _ = checked_sender.send(entries);
                if let Some(broken) = broken {
                    return walk.broken(broken);
                }
            }
            walk.finished()
        });
        let mut after_seq = 0;
        let read = loop {
            checked.try_iter().for_each(drop);
            let entries = match read_batch(conn, after_seq, batch) {
                Ok(entries) => entries,
                Err(err) => break Err(err),
            };
            let Some(last) = entries.last() else {
                break Ok(());
            };
            after_seq = last.seq;
            // A closed channel: the hasher stopped at a broken entry.
            if sender.send(entries).is_err() {
                break Ok(());
            }
        };
        drop(sender);
        let report = hasher
            .join()
            .map_err(|_| AppError::internal("the audit chain's hasher panicked"))?;
        checked.try_iter().for_each(drop);
        // A broken entry found before a failed read is the answer, as it would be
        // reading and hashing in turn.
        if report.first_broken.is_none() {
            read?;
        }
        Ok(report)
    })
}

/// Where the walk along the chain stands: the next sequence number and the hash it
/// must link to.
struct ChainWalk {
    expected_seq: i64,
    prev_hash: String,
    checked: i64,
    scratch: Vec<u8>,
}

impl Default for ChainWalk {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
            checked: 0,
            scratch: Vec::new(),
        }
    }
}

impl ChainWalk {
    /// Checks `entries` (the next ones, in order): the first that does not verify.
    fn check(&mut self, entries: &[AuditEntry]) -> Option<BrokenEntry> {
        for entry in entries {
            if let Some(reason) =
                check_entry(entry, self.expected_seq, &self.prev_hash, &mut self.scratch)
            {
                return Some(BrokenEntry {
                    seq: entry.seq.min(self.expected_seq),
                    reason,
                });
            }
            self.checked += 1;
            self.expected_seq += 1;
            self.prev_hash.clone_from(&entry.hash);
        }
        None
    }

    fn broken(self, broken: BrokenEntry) -> VerifyReport {
        VerifyReport {
            status: "broken",
            entries: self.checked,
            head_hash: None,
            first_broken: Some(broken),
        }
    }

    fn finished(self) -> VerifyReport {
        VerifyReport {
            status: "ok",
            entries: self.checked,
            head_hash: (self.checked > 0).then_some(self.prev_hash),
            first_broken: None,
        }
    }
}

fn check_entry(
    entry: &AuditEntry,
    expected_seq: i64,
    prev_hash: &str,
    scratch: &mut Vec<u8>,
) -> Option<String> {
    if entry.seq != expected_seq {
        return Some(format!(
            "entry {expected_seq} is missing (the next entry is {})",
            entry.seq
        ));
    }
    if entry.prev_hash != prev_hash {
        return Some(format!(
            "entry {} does not link to the hash of entry {}",
            entry.seq,
            entry.seq - 1
        ));
    }
    let mut recomputed = [0u8; 64];
    let digest = entry.fields().digest(&entry.prev_hash, scratch);
    // Hex of 32 bytes always fits 64.
    let _ = hex::encode_to_slice(digest, &mut recomputed);
    if recomputed[..] != *entry.hash.as_bytes() {
        return Some(format!(
            "entry {} was altered: its content does not match its hash",
            entry.seq
        ));
    }
    None
}

/// The entries after `after_seq`, oldest first, at most `limit`.
fn read_batch(
    conn: &mut AnyConnection,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    let AnyConnection::Sqlite(sqlite) = conn else {
        return super::audit::list(conn, after_seq, limit, false);
    };
    // SQLite stores timestamps as text, which Diesel parses by trying format strings
    // (a fifth of verify's time); read the text and parse the form Diesel writes here.
    type Row = (
        i64,
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
        String,
        String,
        Option<String>,
        String,
        bool,
        String,
        String,
    );
    let rows: Vec<Row> = audit_log::table
        .select((
            audit_log::seq,
            audit_log::recorded_at,
            audit_log::actor_id,
            audit_log::actor,
            audit_log::office,
            audit_log::action,
            audit_log::entity_type,
            audit_log::entity_id,
            audit_log::payload,
            audit_log::public,
            audit_log::prev_hash,
            audit_log::hash,
        ))
        .filter(audit_log::seq.gt(after_seq))
        .order(audit_log::seq.asc())
        .limit(limit)
        .load(sqlite)?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let (seq, stored_at, actor_id, actor, office, action, entity_type, entity_id) =
            (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7);
        let recorded_at = match parse_sqlite_timestamp(&stored_at) {
            Some(at) => at,
            // Any other form (written by hand, or by another tool): as Diesel reads it.
            None => audit_log::table
                .find(seq)
                .select(audit_log::recorded_at)
                .first(sqlite)?,
        };
        entries.push(AuditEntry {
            seq,
            recorded_at,
            actor_id,
            actor,
            office,
            action,
            entity_type,
            entity_id,
            payload: row.8,
            public: row.9,
            prev_hash: row.10,
            hash: row.11,
        });
    }
    Ok(entries)
}

/// A timestamp in the form Diesel writes on SQLite (`%F %T%.f`, e.g.
/// `2026-11-29 07:36:56.735671`, the fraction of 0, 3, 6 or 9 digits), read without a
/// format string; `None` for any other text, and for a date or time that does not exist
/// (a leap second among them), which Diesel's own parsing then decides.
pub fn parse_sqlite_timestamp(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let nanos = match b.len() {
        19 => 0,
        23 | 26 | 29 if b[19] == b'.' => number(&b[20..])? * 10u32.pow(29 - b.len() as u32),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(
        i32::try_from(number(&b[0..4])?).ok()?,
        number(&b[5..7])?,
        number(&b[8..10])?,
    )?
    .and_hms_nano_opt(
        number(&b[11..13])?,
        number(&b[14..16])?,
        number(&b[17..19])?,
        nanos,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Diesel's first (and writing) format on SQLite.
    fn diesel_parse(text: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(text, "%F %T%.f").ok()
    }

    #[test]
    fn the_stored_form_reads_as_diesel_reads_it() {
        for text in [
            "2026-11-29 07:36:56.735671",
            "2026-11-29 07:36:56",
            "2026-11-29 07:36:56.735",
            "2026-11-29 07:36:56.735671123",
            "2026-11-29 07:36:56.000001",
            "0000-01-01 00:00:00.000000",
            "9999-12-31 23:59:59.999999",
            "2024-02-29 12:00:00.5000000",
        ] {
            let fast = parse_sqlite_timestamp(text);
            if text.len() == 27 {
                // A fraction of 7 digits is left to Diesel.
                assert_eq!(fast, None, "{text}");
                assert!(diesel_parse(text).is_some());
            } else {
                assert!(fast.is_some(), "{text}");
                assert_eq!(fast, diesel_parse(text), "{text}");
            }
        }
    }

    #[test]
    fn any_other_text_is_left_to_diesel() {
        for text in [
            "2026-11-29T07:36:56.735671",
            "2026-11-29 07:36:56.735671Z",
            "2026-11-29 07:36:56.7356",
            "2026-11-29 07:36",
            "2025-02-29 07:36:56",
            "2026-13-01 07:36:56",
            "2026-11-29 24:00:00",
            "2026-11-29 23:59:60.500000",
            "2026-11-29 07:3a:56",
            "+2026-11-29 07:36:56",
            "2461008.5",
            "",
        ] {
            assert_eq!(parse_sqlite_timestamp(text), None, "{text}");
        }
    }
}
