//! Anchors of the audit chain outside `audit_log`, so that a truncation (removing the
//! newest entries, which leaves a shorter chain that still links) is detected without an
//! outside copy:
//!
//! - the **head** (`audit_head`): the sequence number and hash of the last entry,
//!   updated in the transaction of every entry; the next entry is chained to it, so
//!   after a truncation the next write leaves a gap rather than hiding it;
//! - a **checkpoint** (`audit_checkpoints`) every [`CHECKPOINT_EVERY`] entries, only
//!   ever inserted;
//! - the head as it stood when each **export** completed (`exports.audit_seq`,
//!   `audit_hash`, also in the export's record an auditor may keep).
//!
//! [`verify`] checks the chain and then every anchor: one that names an entry beyond
//! the end of the chain is a truncation, one whose hash differs is a rewrite. The chain
//! format itself is unchanged.

use diesel::prelude::*;

use super::audit::{BrokenEntry, VerifyReport};
use super::audit_verify;
use crate::db::schema::{audit_checkpoints, audit_head, audit_log, exports};
use crate::db::AnyConnection;
use crate::error::AppError;

/// A checkpoint row is written for every entry whose sequence number is a multiple.
pub const CHECKPOINT_EVERY: i64 = 100;

/// The recorded head: the sequence number and hash of the last entry written.
pub fn head(conn: &mut AnyConnection) -> Result<Option<(i64, String)>, AppError> {
    Ok(audit_head::table
        .select((audit_head::seq, audit_head::hash))
        .first(conn)
        .optional()?)
}

/// Records `seq`/`hash` as the new head (and as a checkpoint when due). Called in the
/// transaction that appends the entry.
pub fn advance(conn: &mut AnyConnection, seq: i64, hash: &str) -> Result<(), AppError> {
    advance_all(conn, &[(seq, hash)])
}

/// [`advance`] over entries appended together (`seq`, `hash`, in order): the head moves
/// to the last, and every checkpoint due among them is written.
pub fn advance_all(conn: &mut AnyConnection, appended: &[(i64, &str)]) -> Result<(), AppError> {
    let Some(&(last_seq, last_hash)) = appended.last() else {
        return Ok(());
    };
    let updated = diesel::update(audit_head::table)
        .set((audit_head::seq.eq(last_seq), audit_head::hash.eq(last_hash)))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(audit_head::table)
            .values((
                audit_head::id.eq(1),
                audit_head::seq.eq(last_seq),
                audit_head::hash.eq(last_hash),
            ))
            .execute(conn)?;
    }
    for &(seq, hash) in appended
        .iter()
        .filter(|(seq, _)| seq % CHECKPOINT_EVERY == 0)
    {
        diesel::insert_into(audit_checkpoints::table)
            .values((
                audit_checkpoints::seq.eq(seq),
                audit_checkpoints::hash.eq(hash),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// One place that recorded an entry's hash.
#[derive(Clone, Debug)]
struct Anchor {
    what: String,
    seq: i64,
    hash: String,
}

/// Every anchor, read before the chain: entries are only ever appended, so an anchor
/// read first never names an entry the chain read afterwards cannot have.
fn anchors(conn: &mut AnyConnection) -> Result<Vec<Anchor>, AppError> {
    let mut all = Vec::new();
    if let Some((seq, hash)) = head(conn)? {
        all.push(Anchor {
            what: "the recorded head".into(),
            seq,
            hash,
        });
    }
    let checkpoints: Vec<(i64, String)> = audit_checkpoints::table
        .select((audit_checkpoints::seq, audit_checkpoints::hash))
        .order(audit_checkpoints::seq.asc())
        .load(conn)?;
    all.extend(checkpoints.into_iter().map(|(seq, hash)| Anchor {
        what: format!("checkpoint {seq}"),
        seq,
        hash,
    }));
    let recorded: Vec<(i64, Option<i64>, Option<String>)> = exports::table
        .select((exports::id, exports::audit_seq, exports::audit_hash))
        .filter(exports::audit_seq.is_not_null())
        .order(exports::id.asc())
        .load(conn)?;
    all.extend(recorded.into_iter().filter_map(|(id, seq, hash)| {
        Some(Anchor {
            what: format!("export {id}"),
            seq: seq?,
            hash: hash?,
        })
    }));
    Ok(all)
}

/// The chain verified from its first entry ([`audit_verify::verify`]), then held against every
/// anchor: `broken`, naming the truncation or rewrite, when one does not match.
pub fn verify(conn: &mut AnyConnection) -> Result<VerifyReport, AppError> {
    let anchors = anchors(conn)?;
    let mut report = audit_verify::verify(conn)?;
    if report.first_broken.is_some() {
        return Ok(report);
    }
    if let Some(broken) = check(conn, &anchors, report.entries)? {
        report.status = "broken";
        report.head_hash = None;
        report.first_broken = Some(broken);
    }
    Ok(report)
}

/// The first anchor the chain of `chain_end` entries does not match.
fn check(
    conn: &mut AnyConnection,
    anchors: &[Anchor],
    chain_end: i64,
) -> Result<Option<BrokenEntry>, AppError> {
    if let Some(beyond) = anchors
        .iter()
        .filter(|a| a.seq > chain_end)
        .max_by_key(|a| a.seq)
    {
        return Ok(Some(BrokenEntry {
            seq: chain_end + 1,
            reason: format!(
                "the chain was truncated: it ends at entry {chain_end}, but {} names entry {} \
                 (hash {}), so entries {} to {} at least were removed",
                beyond.what,
                beyond.seq,
                beyond.hash,
                chain_end + 1,
                beyond.seq
            ),
        }));
    }
    let mut within: Vec<&Anchor> = anchors.iter().collect();
    within.sort_by_key(|a| a.seq);
    for batch in within.chunks(500) {
        let seqs: Vec<i64> = batch.iter().map(|a| a.seq).collect();
        let hashes: Vec<(i64, String)> = audit_log::table
            .select((audit_log::seq, audit_log::hash))
            .filter(audit_log::seq.eq_any(&seqs))
            .load(conn)?;
        for anchor in batch {
            let found = hashes.iter().find(|(seq, _)| *seq == anchor.seq);
            if found.is_none_or(|(_, hash)| *hash != anchor.hash) {
                return Ok(Some(BrokenEntry {
                    seq: anchor.seq,
                    reason: format!(
                        "entry {} does not have the hash {} recorded ({}): the chain was \
                         rewritten from there",
                        anchor.seq, anchor.what, anchor.hash
                    ),
                }));
            }
        }
    }
    Ok(None)
}
