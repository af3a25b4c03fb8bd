//! The conflict index (issue 13; migrations `…_conflict_index`): for every GI, the
//! forms its names are compared in and their phonetic codes (`conflicts::index_entries`)
//! in `conflict_forms`, and the trigrams of each form in `conflict_trigrams`, a posting
//! table. Kept on every write of names (store/gis.rs `insert_names`, `replace_names`)
//! and made again at start-up when its making is older than
//! [`CONFLICT_INDEX_VERSION`]. It holds every GI whatever its status; the check keeps
//! the live ones.
//!
//! [`candidates`] gives a superset of the GIs with a name that `conflicts::compare`
//! gives a reason for against a query, by lookups only:
//! - `identical`, `same_after_folding`, `transliteration`: a form of the query equal to
//!   a form of the GI (identical names have the same folded key; a transliteration is
//!   a romanisation of one equal to the key or a romanisation of the other);
//! - `phonetic`: an equal phonetic code;
//! - `similar_spelling` (trigram similarity ≥ 0.5 between a form of each): prefix
//!   filtering. A form of the query with `n` trigrams can only be that similar to a
//!   form that holds one of any `conflicts::trigrams_to_probe(n)` of its trigrams, so
//!   the posting lists of its rarest that many are read, and the forms they list are
//!   kept when their similarity, computed here, is at least 0.5.
//!
//! Both backends use the same posting table rather than PostgreSQL's pg_trgm, so that
//! both find exactly what `trigram_similarity` (pg_trgm's formula on the compact
//! forms) finds: pg_trgm reads only the letters its locale knows as such into
//! trigrams, which would leave out Thai or Han characters under some locales.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::prelude::*;

use crate::db::schema::{conflict_forms, conflict_index_version, conflict_trigrams, gi_names, gis};
use crate::db::{write_transaction, AnyConnection};
use crate::domain::conflicts::{
    index_entries, trigram_strings, trigrams_to_probe, NameForms, Trigrams, CONFLICT_INDEX_VERSION,
    SIMILAR_SPELLING,
};
use crate::error::AppError;
use crate::store::bulk::{copy_or_insert, insert_chunked};

/// GIs indexed by one transaction when the index is made again.
const BATCH: i64 = 500;
/// A posting list is first read up to this many entries, to rank the query's trigrams
/// by rarity; only a trigram that is probed and has more is read whole.
const PROBE: i64 = 400;
/// Ids in one `IN` list.
const IDS_PER_QUERY: usize = 2_000;

// Owned, so that statements of a fixed number of rows are kept (store/bulk.rs); plain
// values, as `COPY` needs.
#[derive(Insertable)]
#[diesel(table_name = conflict_forms)]
#[diesel(treat_none_as_default_value = false)]
struct NewForm {
    gi_id: i64,
    form: String,
    phonetic: bool,
}

#[derive(Insertable)]
#[diesel(table_name = conflict_trigrams)]
#[diesel(treat_none_as_default_value = false)]
struct NewTrigram {
    gram: String,
    form_id: i64,
    /// How many trigrams the form has.
    trigrams: i32,
}

/// What the index holds for one GI, made from its names alone (no database), so that
/// it can be made before the write (the import makes it on another thread): its forms,
/// each with its trigrams, and its phonetic codes.
#[derive(Debug, Clone, PartialEq)]
pub struct GiEntries {
    forms: Vec<(String, Vec<String>)>,
    codes: Vec<String>,
}

impl GiEntries {
    pub fn of<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let (forms, codes) = index_entries(names);
        let forms = forms
            .into_iter()
            .map(|form| {
                let grams = trigram_strings(&form);
                (form, grams)
            })
            .collect();
        Self { forms, codes }
    }
}

/// Indexes the names of GIs that have none indexed yet: `(gi_id, name text)`, in any
/// order. A few statements for any number of GIs.
pub fn add(conn: &mut AnyConnection, names: &[(i64, &str)]) -> Result<(), AppError> {
    let mut by_gi: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
    for (gi_id, text) in names {
        by_gi.entry(*gi_id).or_default().push(text);
    }
    let entries: Vec<(i64, GiEntries)> = by_gi
        .into_iter()
        .map(|(gi_id, texts)| (gi_id, GiEntries::of(texts)))
        .collect();
    let entries: Vec<(i64, &GiEntries)> = entries.iter().map(|(id, e)| (*id, e)).collect();
    add_entries(conn, &entries)
}

/// Indexes GIs that have none indexed yet, from their entries made beforehand, in
/// increasing order of `gi_id` (as [`add`] orders them, so that the forms get the same
/// ids either way).
pub fn add_entries(
    conn: &mut AnyConnection,
    entries: &[(i64, &GiEntries)],
) -> Result<(), AppError> {
    let rows: Vec<NewForm> = entries
        .iter()
        .flat_map(|(gi_id, entries)| {
            let forms = entries.forms.iter().map(move |(f, _)| NewForm {
                gi_id: *gi_id,
                form: f.clone(),
                phonetic: false,
            });
            let codes = entries.codes.iter().map(move |c| NewForm {
                gi_id: *gi_id,
                form: c.clone(),
                phonetic: true,
            });
            forms.chain(codes)
        })
        .collect();
    // Each form's trigrams, by the form (they are a function of it alone).
    let grams_of: HashMap<&str, &[String]> = entries
        .iter()
        .flat_map(|(_, entries)| entries.forms.iter())
        .map(|(form, grams)| (form.as_str(), grams.as_slice()))
        .collect();
    let inserted = insert_chunked!(
        conn,
        conflict_forms::table,
        &rows,
        500,
        returning (conflict_forms::id, conflict_forms::form, conflict_forms::phonetic)
            => (i64, String, bool)
    )?;
    drop(rows);
    let mut trigrams: Vec<NewTrigram> = Vec::new();
    for (form_id, form, phonetic) in &inserted {
        if *phonetic {
            continue;
        }
        let grams = grams_of
            .get(form.as_str())
            .ok_or_else(|| AppError::internal("an indexed form was not among those inserted"))?;
        let count = grams.len() as i32;
        trigrams.extend(grams.iter().map(|gram| NewTrigram {
            gram: gram.clone(),
            form_id: *form_id,
            trigrams: count,
        }));
    }
    // In the order of the posting table's key: each of its pages is written once.
    trigrams.sort_unstable_by(|a, b| (&a.gram, a.form_id).cmp(&(&b.gram, b.form_id)));
    copy_or_insert!(conn, conflict_trigrams::table, &trigrams[..], 1000)
}

/// Removes a GI's entries (before its names are indexed again).
pub fn remove(conn: &mut AnyConnection, gi_id: i64) -> Result<(), AppError> {
    let forms: Vec<(i64, String)> = conflict_forms::table
        .filter(conflict_forms::gi_id.eq(gi_id))
        .filter(conflict_forms::phonetic.eq(false))
        .select((conflict_forms::id, conflict_forms::form))
        .load(conn)?;
    // By the primary key (gram, form_id): the form's own trigrams name its rows.
    for (form_id, form) in forms {
        diesel::delete(
            conflict_trigrams::table
                .filter(conflict_trigrams::form_id.eq(form_id))
                .filter(conflict_trigrams::gram.eq_any(trigram_strings(&form))),
        )
        .execute(conn)?;
    }
    diesel::delete(conflict_forms::table.filter(conflict_forms::gi_id.eq(gi_id))).execute(conn)?;
    Ok(())
}

/// The making of the index the database holds.
pub fn stored_version(conn: &mut AnyConnection) -> Result<i32, AppError> {
    Ok(conflict_index_version::table
        .select(conflict_index_version::version)
        .filter(conflict_index_version::id.eq(1))
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// Makes the whole index again when the stored making is older than this binary's
/// (a database from before the index, or a change of the forms): emptied, then filled
/// `BATCH` GIs to a transaction, then the version raised. A run that stops half-way
/// leaves the old version, so the next start begins again. Returns how many GIs were
/// indexed (0 when the index was current).
pub fn rebuild_if_stale(conn: &mut AnyConnection) -> Result<usize, AppError> {
    if stored_version(conn)? >= CONFLICT_INDEX_VERSION {
        return Ok(0);
    }
    write_transaction(conn, |conn| {
        diesel::delete(conflict_trigrams::table).execute(conn)?;
        diesel::delete(conflict_forms::table).execute(conn)?;
        Ok(())
    })?;
    let mut after = 0i64;
    let mut indexed = 0usize;
    loop {
        let ids: Vec<i64> = gis::table
            .select(gis::id)
            .filter(gis::id.gt(after))
            .order(gis::id)
            .limit(BATCH)
            .load(conn)?;
        let Some(&last) = ids.last() else {
            break;
        };
        write_transaction(conn, |conn| {
            let rows: Vec<(i64, String)> = gi_names::table
                .select((gi_names::gi_id, gi_names::text))
                .filter(gi_names::gi_id.eq_any(&ids))
                .load(conn)?;
            let names: Vec<(i64, &str)> = rows.iter().map(|(id, t)| (*id, t.as_str())).collect();
            add(conn, &names)
        })?;
        indexed += ids.len();
        after = last;
    }
    write_transaction(conn, |conn| {
        diesel::update(conflict_index_version::table.filter(conflict_index_version::id.eq(1)))
            .set(conflict_index_version::version.eq(CONFLICT_INDEX_VERSION))
            .execute(conn)?;
        Ok(())
    })?;
    Ok(indexed)
}

/// Every GI (whatever its status) with a name that may collide with `query`: those
/// sharing a form or a phonetic code with it, and those with a form at least
/// `SIMILAR_SPELLING`-similar to one of its forms. In id order.
pub fn candidates(conn: &mut AnyConnection, query: &NameForms) -> Result<Vec<i64>, AppError> {
    let forms: Vec<&String> = query.forms().iter().filter(|f| !f.is_empty()).collect();
    let mut found: BTreeSet<i64> = BTreeSet::new();
    if !forms.is_empty() {
        found.extend(
            conflict_forms::table
                .filter(conflict_forms::form.eq_any(&forms))
                .filter(conflict_forms::phonetic.eq(false))
                .select(conflict_forms::gi_id)
                .load::<i64>(conn)?,
        );
    }
    if !query.phonetic().is_empty() {
        found.extend(
            conflict_forms::table
                .filter(conflict_forms::form.eq_any(query.phonetic()))
                .filter(conflict_forms::phonetic.eq(true))
                .select(conflict_forms::gi_id)
                .load::<i64>(conn)?,
        );
    }
    found.extend(similar_spellings(conn, query)?);
    Ok(found.into_iter().collect())
}

/// The GIs with a form at least `SIMILAR_SPELLING`-similar to one of the query's.
///
/// For a query form of `n` trigrams, the posting lists of its
/// `trigrams_to_probe(n)` rarest trigrams are read whole (first every list up to
/// `PROBE` entries, to rank them). A form of `m` trigrams sharing `c` with it is
/// similar enough only if `3c ≥ n + m` (`c/(n+m−c) ≥ ½`), and `c` is at most the number
/// of lists read whole that hold it plus one for each list not read; so only the forms
/// of the rarest lists that pass that bound are read and compared.
fn similar_spellings(conn: &mut AnyConnection, query: &NameForms) -> Result<Vec<i64>, AppError> {
    // Posting lists read so far, (form id, its trigrams), whole (true) or up to PROBE + 1
    // entries (false).
    type Postings = (Vec<(i64, i32)>, bool);
    let mut postings: BTreeMap<String, Postings> = BTreeMap::new();
    let mut form_ids: BTreeSet<i64> = BTreeSet::new();
    let forms: Vec<(&String, &Trigrams)> = query
        .forms()
        .iter()
        .zip(query.trigrams())
        .filter(|(f, _)| !f.is_empty())
        .collect();
    for (form, _) in &forms {
        let grams = trigram_strings(form);
        for gram in &grams {
            if !postings.contains_key(gram) {
                let ids: Vec<(i64, i32)> = conflict_trigrams::table
                    .filter(conflict_trigrams::gram.eq(gram))
                    .select((conflict_trigrams::form_id, conflict_trigrams::trigrams))
                    .limit(PROBE + 1)
                    .load(conn)?;
                let whole = ids.len() as i64 <= PROBE;
                postings.insert(gram.clone(), (ids, whole));
            }
        }
        let mut ranked: Vec<&String> = grams.iter().collect();
        ranked.sort_by_key(|g| (postings[*g].0.len(), *g));
        let probed = trigrams_to_probe(grams.len());
        for gram in ranked.iter().take(probed) {
            if !postings[*gram].1 {
                let ids: Vec<(i64, i32)> = conflict_trigrams::table
                    .filter(conflict_trigrams::gram.eq(*gram))
                    .select((conflict_trigrams::form_id, conflict_trigrams::trigrams))
                    .load(conn)?;
                postings.insert((*gram).clone(), (ids, true));
            }
        }
        let n = grams.len();
        let whole: Vec<&Vec<(i64, i32)>> = grams
            .iter()
            .map(|g| &postings[g])
            .filter(|(_, whole)| *whole)
            .map(|(ids, _)| ids)
            .collect();
        let unread = n - whole.len();
        let mut held: HashMap<i64, usize> = HashMap::new();
        for ids in &whole {
            for (id, _) in *ids {
                *held.entry(*id).or_default() += 1;
            }
        }
        for gram in ranked.iter().take(probed) {
            form_ids.extend(
                postings[*gram]
                    .0
                    .iter()
                    .filter(|(id, m)| {
                        let m = *m as usize;
                        may_be_similar((held[id] + unread).min(m), n, m)
                    })
                    .map(|(id, _)| *id),
            );
        }
    }
    let ids: Vec<i64> = form_ids.into_iter().collect();
    let mut found = Vec::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows: Vec<(i64, String)> = conflict_forms::table
            .filter(conflict_forms::id.eq_any(chunk))
            .select((conflict_forms::gi_id, conflict_forms::form))
            .load(conn)?;
        found.extend(rows.into_iter().filter_map(|(gi_id, form)| {
            let theirs = Trigrams::of(&form);
            forms
                .iter()
                .any(|(_, ours)| ours.similarity(&theirs) >= SIMILAR_SPELLING)
                .then_some(gi_id)
        }));
    }
    Ok(found)
}

/// Whether a form of `m` trigrams sharing at most `most` with a query form of `n` can
/// be `SIMILAR_SPELLING`-similar to it: `c/(n+m−c) ≥ t` needs `c ≥ t(n+m)/(1+t)` (with a
/// margin for rounding, so that it never drops a form that is).
fn may_be_similar(most: usize, n: usize, m: usize) -> bool {
    let t = SIMILAR_SPELLING;
    most as f64 * (1.0 + t) + 1e-9 >= t * (n + m) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_length_bound_keeps_every_similar_form() {
        for n in 1..60usize {
            for m in 1..60usize {
                for c in 0..=n.min(m) {
                    let s = c as f64 / (n + m - c) as f64;
                    if s >= SIMILAR_SPELLING {
                        assert!(may_be_similar(c, n, m), "{c} of {n} and {m}");
                    }
                }
                // Too long to share enough: 3 of 11 with a form of 20.
                assert!(!may_be_similar(3, 11, 20));
            }
        }
    }
}
