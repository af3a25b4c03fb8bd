//! The indexes that find GIs by name (migrations `…_name_search_index`): for a search
//! key, which GIs may hold it. They only narrow the candidates: the LIKE over each
//! candidate's search blob (store/gis.rs) decides, so a search finds exactly what a scan
//! of every blob would.
//!
//! - PostgreSQL: pg_trgm serves the LIKE itself for a key of three characters or more;
//!   a shorter key is looked up among the blob's characters (a GI holding a
//!   two-character key holds both of them).
//! - SQLite: an FTS5 trigram table of the blobs. A key of three characters or more is a
//!   query for all of its trigrams; a shorter one for any trigram that starts with it
//!   (every character of a blob starts one, see the migration), listed from the table's
//!   vocabulary.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::AnyConnection;
use crate::error::AppError;

/// More trigrams than this start with a one- or two-character key: it is common, and a
/// scan in id order finds a page of it sooner than the index would list its GIs.
const MOST_TERMS: usize = 128;

/// How to find the GIs that may hold a key.
#[derive(Debug, PartialEq)]
pub enum Candidates {
    /// No GI holds it.
    Nothing,
    /// Every GI, in id order (no index helps).
    Scan,
    /// PostgreSQL: the GIs whose blob holds every one of these characters.
    Characters(Vec<String>),
    /// PostgreSQL: the trigram index serves the LIKE.
    TrigramLike,
    /// SQLite: the GIs an FTS5 query over `gi_search_trigrams` returns.
    Trigrams(String),
}

pub fn candidates(conn: &mut AnyConnection, key: &str) -> Result<Candidates, AppError> {
    let chars: Vec<char> = key.chars().collect();
    if chars.is_empty() {
        return Ok(Candidates::Scan);
    }
    if let AnyConnection::Postgres(_) = conn {
        return Ok(if chars.len() >= 3 {
            Candidates::TrigramLike
        } else {
            Candidates::Characters(chars.iter().map(char::to_string).collect())
        });
    }
    if chars.len() >= 3 {
        let mut trigrams: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
        trigrams.sort_unstable();
        trigrams.dedup();
        return Ok(Candidates::Trigrams(fts_query(&trigrams, " AND ")));
    }
    let Some(upper) = successor(key) else {
        return Ok(Candidates::Scan);
    };
    let terms = terms_starting_with(conn, key, &upper)?;
    Ok(match terms.len() {
        0 => Candidates::Nothing,
        n if n > MOST_TERMS => Candidates::Scan,
        _ => Candidates::Trigrams(fts_query(&terms, " OR ")),
    })
}

/// SQLite: merges the trigram index into one segment. Each transaction that writes
/// blobs adds a segment, which every query then reads: after a 100,000-GI import (50
/// transactions) a two-character search took 1.9 ms at p95, 0.6 ms once merged, and the
/// merge took 0.2 s. A bulk load ends with it; PostgreSQL's counterpart is the vacuum of
/// `gis` (store/planner_statistics.rs).
pub fn merge_segments(conn: &mut AnyConnection) -> Result<(), AppError> {
    if let AnyConnection::Sqlite(sqlite) = conn {
        diesel::sql_query(
            "INSERT INTO gi_search_trigrams (gi_search_trigrams) VALUES ('optimize')",
        )
        .execute(sqlite)?;
    }
    Ok(())
}

/// SQLite: the ids of the first `n` GIs after `after` that `query` returns, in order.
pub fn trigram_candidates(
    conn: &mut AnyConnection,
    query: &str,
    after: i64,
    n: i64,
) -> Result<Vec<i64>, AppError> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        rowid: i64,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT rowid FROM gi_search_trigrams WHERE gi_search_trigrams MATCH ? AND rowid > ? \
         ORDER BY rowid LIMIT ?",
    )
    .bind::<Text, _>(query)
    .bind::<BigInt, _>(after)
    .bind::<BigInt, _>(n)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| r.rowid).collect())
}

/// SQLite: the indexed trigrams that start with `prefix` (those from it up to, not
/// including, `upper`), at most `MOST_TERMS + 1`.
fn terms_starting_with(
    conn: &mut AnyConnection,
    prefix: &str,
    upper: &str,
) -> Result<Vec<String>, AppError> {
    #[derive(QueryableByName)]
    struct Term {
        #[diesel(sql_type = Text)]
        term: String,
    }
    let terms: Vec<Term> = diesel::sql_query(
        "SELECT term FROM gi_search_trigram_terms WHERE term >= ? AND term < ? \
         ORDER BY term LIMIT ?",
    )
    .bind::<Text, _>(prefix)
    .bind::<Text, _>(upper)
    .bind::<BigInt, _>(MOST_TERMS as i64 + 1)
    .load(conn)?;
    Ok(terms
        .into_iter()
        .map(|t| t.term)
        .filter(|t| t.starts_with(prefix))
        .collect())
}

/// The least string above every string that starts with `prefix` (terms compare as
/// UTF-8 bytes, i.e. in code point order): its last character raised by one (past the
/// surrogates), or, for U+10FFFF, dropped and the one before raised instead. None when
/// no such string exists.
fn successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match u32::from(last) {
            0xD7FF => Some('\u{E000}'),
            n => char::from_u32(n + 1),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// An FTS5 query for `tokens` joined by `operator`, each a quoted string (quotes
/// inside doubled), which the trigram tokenizer reads as the trigram it is.
fn fts_query(tokens: &[String], operator: &str) -> String {
    tokens
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(operator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successor_bounds_every_string_with_the_prefix() {
        assert_eq!(successor("ab").as_deref(), Some("ac"));
        assert_eq!(successor("龙").as_deref(), Some("龚"));
        assert_eq!(successor("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(successor("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(successor("\u{10FFFF}"), None);
    }

    #[test]
    fn fts_query_quotes_each_token() {
        let tokens = ["lon".to_string(), "a\"b".to_string()];
        assert_eq!(fts_query(&tokens, " AND "), "\"lon\" AND \"a\"\"b\"");
    }
}
