//! Reading the posting lists of the conflict index (`conflict_trigrams`, keyed by
//! `(gram, trigrams, form_id)`) by bands of form lengths: what store/conflict_index.rs
//! asks of the database for the similar spellings. Each list is read in key order, so a
//! band is one range of the key, and a read can go on where an earlier one stopped.
//!
//! PostgreSQL gets every list of one call in one statement (a round trip per list cost
//! more than reading a short list); SQLite, in the same process, one statement per list.
//!
//! The length of each list is kept in `conflict_gram_postings` with the postings, so
//! that the rarest lists are known without counting them (counting up to 20,000 per
//! list took PostgreSQL 4–14 ms per query form, more than reading the lists).

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Text};
use diesel::upsert::excluded;

use crate::db::schema::{conflict_gram_postings, conflict_trigrams};
use crate::db::AnyConnection;
use crate::error::AppError;

/// List lengths written by one statement.
const LENGTHS_PER_STATEMENT: usize = 1_000;

/// A posting: the form's id and its number of trigrams.
pub type Posting = (i64, i32);

/// A read of one list: the postings of `gram` with a form of `shortest..=longest`
/// trigrams after `after` (`(trigrams, form_id)`, excluded).
#[derive(Debug, Clone)]
pub struct Read<'a> {
    pub gram: &'a str,
    pub shortest: i32,
    pub longest: i32,
    pub after: Option<(i32, i64)>,
}

/// The postings of each read (in no promised order), in the order of `reads`.
pub fn read(conn: &mut AnyConnection, reads: &[Read<'_>]) -> Result<Vec<Vec<Posting>>, AppError> {
    if reads.is_empty() {
        return Ok(Vec::new());
    }
    match conn {
        AnyConnection::Postgres(pg) => read_together(pg, reads),
        AnyConnection::Sqlite(_) => reads.iter().map(|r| read_one(conn, r)).collect(),
    }
}

impl Read<'_> {
    /// The key the read starts after, within the band.
    fn start(&self) -> (i32, i64) {
        match self.after {
            Some((m, id)) if m >= self.shortest => (m, id),
            _ => (self.shortest, i64::MIN),
        }
    }
}

/// How many postings each list holds (as `conflict_gram_postings` keeps it: 0 for a
/// gram it does not know), in the order of `grams`.
pub fn lengths(conn: &mut AnyConnection, grams: &[&str]) -> Result<Vec<i64>, AppError> {
    let known: HashMap<String, i64> = conflict_gram_postings::table
        .filter(conflict_gram_postings::gram.eq_any(grams))
        .select((
            conflict_gram_postings::gram,
            conflict_gram_postings::postings,
        ))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(grams
        .iter()
        .map(|g| known.get(*g).copied().unwrap_or(0))
        .collect())
}

/// Adds `change` to the length of each list (postings written, or removed when
/// negative). In gram order, so that two writers lock the same rows in the same order.
pub fn change_lengths(
    conn: &mut AnyConnection,
    changes: &BTreeMap<&str, i64>,
) -> Result<(), AppError> {
    #[derive(Insertable)]
    #[diesel(table_name = conflict_gram_postings)]
    #[diesel(treat_none_as_default_value = false)]
    struct Change<'a> {
        gram: &'a str,
        postings: i64,
    }
    let rows: Vec<Change<'_>> = changes
        .iter()
        .map(|(gram, postings)| Change {
            gram,
            postings: *postings,
        })
        .collect();
    for chunk in rows.chunks(LENGTHS_PER_STATEMENT) {
        macro_rules! upsert {
            ($c:expr) => {
                diesel::insert_into(conflict_gram_postings::table)
                    .values(chunk)
                    .on_conflict(conflict_gram_postings::gram)
                    .do_update()
                    .set(
                        conflict_gram_postings::postings.eq(conflict_gram_postings::postings
                            + excluded(conflict_gram_postings::postings)),
                    )
                    .execute($c)
            };
        }
        match conn {
            AnyConnection::Postgres(c) => upsert!(c),
            AnyConnection::Sqlite(c) => upsert!(c),
        }?;
    }
    Ok(())
}

fn read_one(conn: &mut AnyConnection, read: &Read<'_>) -> Result<Vec<Posting>, AppError> {
    let (from_m, from_id) = read.start();
    let query = conflict_trigrams::table
        .filter(conflict_trigrams::gram.eq(read.gram))
        .filter(conflict_trigrams::trigrams.ge(from_m))
        .filter(conflict_trigrams::trigrams.le(read.longest))
        .filter(
            conflict_trigrams::trigrams
                .gt(from_m)
                .or(conflict_trigrams::form_id.gt(from_id)),
        )
        .order((conflict_trigrams::trigrams, conflict_trigrams::form_id))
        .select((conflict_trigrams::form_id, conflict_trigrams::trigrams));
    Ok(query.load(conn)?)
}

/// One statement for every read: the reads as arrays, each a lateral range scan of the
/// key. `ord` numbers the reads from 1.
fn read_together(
    pg: &mut diesel::PgConnection,
    reads: &[Read<'_>],
) -> Result<Vec<Vec<Posting>>, AppError> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        ord: i64,
        #[diesel(sql_type = BigInt)]
        form_id: i64,
        #[diesel(sql_type = Integer)]
        trigrams: i32,
    }
    let grams: Vec<&str> = reads.iter().map(|r| r.gram).collect();
    let (from_m, from_id): (Vec<i32>, Vec<i64>) = reads.iter().map(|r| r.start()).unzip();
    let longest: Vec<i32> = reads.iter().map(|r| r.longest).collect();
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT r.ord, p.form_id, p.trigrams \
         FROM unnest($1::text[], $2::int[], $3::bigint[], $4::int[]) \
              WITH ORDINALITY AS r(gram, from_m, from_id, longest, ord) \
         CROSS JOIN LATERAL ( \
             SELECT t.form_id, t.trigrams FROM conflict_trigrams t \
             WHERE t.gram = r.gram AND (t.trigrams, t.form_id) > (r.from_m, r.from_id) \
               AND t.trigrams <= r.longest \
             ORDER BY t.trigrams, t.form_id) p",
    )
    .bind::<Array<Text>, _>(&grams)
    .bind::<Array<Integer>, _>(&from_m)
    .bind::<Array<BigInt>, _>(&from_id)
    .bind::<Array<Integer>, _>(&longest)
    .load(pg)?;
    let mut out: Vec<Vec<Posting>> = vec![Vec::new(); reads.len()];
    for row in rows {
        out[row.ord as usize - 1].push((row.form_id, row.trigrams));
    }
    Ok(out)
}
