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
//!   filtering by bands of lengths. A form of the query with `n` trigrams can only be
//!   that similar to a form of `⌈n/2⌉` to `2n` trigrams that holds one of any
//!   `conflicts::trigrams_to_probe(n)` of its trigrams, so the posting lists of its
//!   rarest that many are read (the list of rank `i` only for the forms of up to
//!   `2n − 3i` trigrams, [`Bands`]; store/conflict_postings.rs), and the forms they list
//!   are kept when their similarity, computed here, is at least 0.5.
//!
//! Both backends use the same posting table rather than PostgreSQL's pg_trgm, so that
//! both find exactly what `trigram_similarity` (pg_trgm's formula on the compact
//! forms) finds: pg_trgm reads only the letters its locale knows as such into
//! trigrams, which would leave out Thai or Han characters under some locales.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::prelude::*;

use crate::db::schema::{
    conflict_forms, conflict_gram_postings, conflict_index_version, conflict_postings_pending,
    conflict_trigrams, gi_names, gis,
};
use crate::db::{sort_with_every_core, write_transaction, AnyConnection};
use crate::domain::conflicts::{
    index_entries, trigram_strings, NameForms, Trigrams, CONFLICT_INDEX_VERSION, SIMILAR_SPELLING,
};
use crate::error::AppError;
use crate::store::bulk::{copy_or_insert, insert_chunked};
use crate::store::conflict_postings::{self, Posting, Read};

/// GIs indexed by one transaction when the index is made again.
const BATCH: i64 = 500;
/// How the posting lists are read for the similar spellings (the candidates are the
/// same whichever way; only the work differs).
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// A list outside the prefix is read too (for the length bound) when it holds at
    /// most this many postings.
    pub short: i64,
    /// The prefix lists are read on past their bands (for the length bound) when that
    /// reads fewer than this many postings per candidate left: reading a posting costs
    /// less than fetching and comparing a candidate form.
    pub per_candidate: i64,
}

/// How [`candidates`] reads the posting lists.
pub const READING: Reading = Reading {
    short: 400,
    per_candidate: 4,
};

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

#[derive(Insertable)]
#[diesel(table_name = conflict_postings_pending)]
#[diesel(treat_none_as_default_value = false)]
struct PendingPosting {
    gram: String,
    form_id: i64,
    trigrams: i32,
}

/// Where [`add_postings`] writes the postings of the forms it adds.
#[derive(Clone, Copy, PartialEq)]
enum Postings {
    /// Into the posting lists, their lengths changed with them.
    Listed,
    /// Set aside for [`merge_pending`].
    Pending,
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
    add_postings(conn, &entries, Postings::Listed)
}

/// Indexes GIs that have none indexed yet, from their entries made beforehand, in
/// increasing order of `gi_id` (as [`add`] orders them, so that the forms get the same
/// ids either way). For a bulk load, which calls [`merge_pending`] when it ends: the
/// forms and phonetic codes are written, the postings set aside in the order they come.
/// Inserted into the lists batch by batch, a batch's 20,000 postings rewrote most of the
/// lists' pages each time (20 s of a 100,000-GI SQLite import's 35 s). Until the merge,
/// the similar spellings of these GIs are not found; their forms and codes are.
pub fn add_entries(
    conn: &mut AnyConnection,
    entries: &[(i64, &GiEntries)],
) -> Result<(), AppError> {
    add_postings(conn, entries, Postings::Pending)
}

/// Moves the postings set aside by bulk loads into the posting lists, in the order of
/// their key (each page of the lists written once), and adds them to the lists'
/// lengths; call it in a write transaction. Called when a load ends, and at start-up
/// for a load that stopped before it could (each of its batches committed its postings
/// with its GIs). Returns how many postings were moved.
pub fn merge_pending(conn: &mut AnyConnection) -> Result<usize, AppError> {
    {
        sort_with_every_core(conn)?;
        let key = EmptyListsKey::set_aside(conn)?;
        // In the key's order, so that each page of the key is written once; without the
        // key, the order is the key's own making.
        let order = match key {
            Some(_) => "",
            None => " ORDER BY gram, trigrams, form_id",
        };
        let moved = diesel::sql_query(format!(
            "INSERT INTO conflict_trigrams (gram, trigrams, form_id) \
             SELECT gram, trigrams, form_id FROM conflict_postings_pending{order}"
        ))
        .execute(conn)?;
        if let Some(key) = key {
            key.restore(conn)?;
        }
        if moved == 0 {
            return Ok(0);
        }
        // `WHERE true`: SQLite would read `ON` as the start of a join's condition.
        diesel::sql_query(
            "INSERT INTO conflict_gram_postings (gram, postings) \
             SELECT gram, count(*) FROM conflict_postings_pending WHERE true GROUP BY gram \
             ON CONFLICT (gram) DO UPDATE \
             SET postings = conflict_gram_postings.postings + excluded.postings",
        )
        .execute(conn)?;
        empty_pending(conn)?;
        Ok(moved)
    }
}

/// PostgreSQL: the posting lists' primary key, dropped while a merge fills the lists
/// from empty (a first import; a merge with nothing to move leaves it) and made again
/// from the rows once they are in. For the 4.2 M postings of 100,000 GIs, the insert in
/// the key's order with the key kept took 7.0 s; the insert in no order without it,
/// 2.7 s, and the key made after it, 1.3 s. Conflict checks wait for the merge's commit
/// meanwhile, on a register that had no posting before it. Lists that hold postings
/// keep their key (their readers would wait), and so does SQLite (its posting table is
/// keyed by its primary key).
struct EmptyListsKey {
    name: String,
    definition: String,
}

impl EmptyListsKey {
    fn set_aside(conn: &mut AnyConnection) -> Result<Option<Self>, AppError> {
        use diesel::sql_types::Text;
        #[derive(QueryableByName)]
        struct Key {
            #[diesel(sql_type = Text)]
            name: String,
            #[diesel(sql_type = Text)]
            definition: String,
        }
        let AnyConnection::Postgres(pg) = conn else {
            return Ok(None);
        };
        let (pending, listed): (bool, bool) = diesel::select((
            diesel::dsl::exists(
                conflict_postings_pending::table.select(conflict_postings_pending::form_id),
            ),
            diesel::dsl::exists(conflict_trigrams::table.select(conflict_trigrams::form_id)),
        ))
        .get_result(pg)?;
        if !pending || listed {
            return Ok(None);
        }
        let key: Option<Key> = diesel::sql_query(
            "SELECT conname::text AS name, pg_get_constraintdef(oid) AS definition \
             FROM pg_constraint \
             WHERE conrelid = 'conflict_trigrams'::regclass AND contype = 'p'",
        )
        .get_result(pg)
        .optional()?;
        let Some(key) = key else {
            return Ok(None);
        };
        diesel::sql_query(format!(
            "ALTER TABLE conflict_trigrams DROP CONSTRAINT \"{}\"",
            key.name
        ))
        .execute(pg)?;
        Ok(Some(Self {
            name: key.name,
            definition: key.definition,
        }))
    }

    fn restore(self, conn: &mut AnyConnection) -> Result<(), AppError> {
        diesel::sql_query(format!(
            "ALTER TABLE conflict_trigrams ADD CONSTRAINT \"{}\" {}",
            self.name, self.definition
        ))
        .execute(conn)?;
        Ok(())
    }
}

fn empty_pending(conn: &mut AnyConnection) -> Result<(), AppError> {
    // SQLite empties a table deleted from without a condition at once; PostgreSQL would
    // mark each row.
    let statement = match conn {
        AnyConnection::Postgres(_) => "TRUNCATE conflict_postings_pending",
        AnyConnection::Sqlite(_) => "DELETE FROM conflict_postings_pending",
    };
    diesel::sql_query(statement).execute(conn)?;
    Ok(())
}

fn add_postings(
    conn: &mut AnyConnection,
    entries: &[(i64, &GiEntries)],
    postings: Postings,
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
    if postings == Postings::Pending {
        let pending: Vec<PendingPosting> = trigrams
            .into_iter()
            .map(|t| PendingPosting {
                gram: t.gram,
                form_id: t.form_id,
                trigrams: t.trigrams,
            })
            .collect();
        return copy_or_insert!(conn, conflict_postings_pending::table, &pending[..], 1000);
    }
    {
        let mut lengths: BTreeMap<&str, i64> = BTreeMap::new();
        for t in &trigrams {
            *lengths.entry(t.gram.as_str()).or_default() += 1;
        }
        conflict_postings::change_lengths(conn, &lengths)?;
    }
    // In the order of the posting table's key: each of its pages is written once.
    trigrams.sort_unstable_by(|a, b| {
        (&a.gram, a.trigrams, a.form_id).cmp(&(&b.gram, b.trigrams, b.form_id))
    });
    copy_or_insert!(conn, conflict_trigrams::table, &trigrams[..], 1000)
}

/// Removes a GI's entries (before its names are indexed again).
pub fn remove(conn: &mut AnyConnection, gi_id: i64) -> Result<(), AppError> {
    let forms: Vec<(i64, String)> = conflict_forms::table
        .filter(conflict_forms::gi_id.eq(gi_id))
        .filter(conflict_forms::phonetic.eq(false))
        .select((conflict_forms::id, conflict_forms::form))
        .load(conn)?;
    // By the primary key (gram, trigrams, form_id): the form's own trigrams name its
    // rows.
    for (form_id, form) in forms {
        let grams = trigram_strings(&form);
        let listed = diesel::delete(
            conflict_trigrams::table
                .filter(conflict_trigrams::gram.eq_any(&grams))
                .filter(conflict_trigrams::trigrams.eq(grams.len() as i32))
                .filter(conflict_trigrams::form_id.eq(form_id)),
        )
        .execute(conn)?;
        if listed > 0 {
            let gone: BTreeMap<&str, i64> = grams.iter().map(|g| (g.as_str(), -1)).collect();
            conflict_postings::change_lengths(conn, &gone)?;
        } else {
            // Set aside by a load not merged yet (a scan: the table is empty otherwise).
            diesel::delete(
                conflict_postings_pending::table
                    .filter(conflict_postings_pending::form_id.eq(form_id)),
            )
            .execute(conn)?;
        }
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
        diesel::delete(conflict_gram_postings::table).execute(conn)?;
        empty_pending(conn)?;
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
    candidates_reading(conn, query, READING)
}

/// [`candidates`], with the posting lists read another way than [`READING`]: the same
/// GIs whichever (a test reads them in each way).
pub fn candidates_reading(
    conn: &mut AnyConnection,
    query: &NameForms,
    reading: Reading,
) -> Result<Vec<i64>, AppError> {
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
    found.extend(similar_spellings(conn, query, reading)?);
    Ok(found.into_iter().collect())
}

/// The GIs with a form at least `SIMILAR_SPELLING`-similar to one of the query's: the
/// forms [`may_be_similar_forms`] names, compared.
fn similar_spellings(
    conn: &mut AnyConnection,
    query: &NameForms,
    reading: Reading,
) -> Result<Vec<i64>, AppError> {
    let forms: Vec<(&String, &Trigrams)> = query
        .forms()
        .iter()
        .zip(query.trigrams())
        .filter(|(f, _)| !f.is_empty())
        .collect();
    let mut form_ids: BTreeSet<i64> = BTreeSet::new();
    for (form, _) in &forms {
        form_ids.extend(may_be_similar_forms(conn, &trigram_strings(form), reading)?);
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

/// The ids of the forms that may be `SIMILAR_SPELLING`-similar to a form of these `n`
/// trigrams (a superset): prefix filtering by bands of lengths ([`Bands`]).
///
/// The posting lists are ranked by how many postings they hold (as kept, not
/// counted), rarest first; the list of rank `i` is read for the forms of
/// `shortest..=longest[i]` trigrams, and so is every short list (for the bound below).
/// Its forms are kept unless the length bound rules them out: a form of `m` trigrams
/// shares at most the lists known to hold it, plus one for each list not known for
/// forms of `m` trigrams. When many are left and reading the prefix lists on to the
/// widest band costs less than comparing them, those lists are read on and the bound
/// applied again.
fn may_be_similar_forms(
    conn: &mut AnyConnection,
    grams: &[String],
    reading: Reading,
) -> Result<Vec<i64>, AppError> {
    let n = grams.len();
    let bands = Bands::of(n);
    let Some(&widest) = bands.longest.first() else {
        return Ok(Vec::new());
    };
    let (shortest, widest) = (bands.shortest as i32, widest as i32);
    let grams: Vec<&str> = grams.iter().map(String::as_str).collect();
    let counts = conflict_postings::lengths(conn, &grams)?;
    let mut ranked: Vec<usize> = (0..n).collect();
    ranked.sort_by_key(|&g| (counts[g], grams[g]));
    // By list, the longest forms it is read for (none yet: `shortest − 1`).
    let mut known: Vec<i32> = vec![shortest - 1; n];
    let mut longest: Vec<i32> = vec![shortest - 1; n];
    for (rank, &g) in ranked.iter().enumerate() {
        longest[g] = match bands.longest.get(rank) {
            Some(&l) => l as i32,
            None if counts[g] <= reading.short => widest,
            None => continue,
        };
    }
    let band = |g: usize, longest: i32, after: Option<(i32, i64)>| Read {
        gram: grams[g],
        shortest,
        longest,
        after,
    };
    let wanted: Vec<usize> = (0..n).filter(|&g| longest[g] >= shortest).collect();
    let reads: Vec<Read<'_>> = wanted.iter().map(|&g| band(g, longest[g], None)).collect();
    let mut lists: Vec<Vec<Posting>> = vec![Vec::new(); n];
    for (&g, postings) in wanted.iter().zip(conflict_postings::read(conn, &reads)?) {
        lists[g] = postings;
        known[g] = longest[g];
    }
    let prefix: Vec<(usize, i32)> = ranked
        .iter()
        .zip(&bands.longest)
        .map(|(&g, &l)| (g, l as i32))
        .collect();
    let mut ids = kept(&lists, &known, &prefix, n);
    // Reading the prefix lists on: about what their lengths say is left.
    let rest: i64 = prefix
        .iter()
        .filter(|&&(g, _)| known[g] < widest)
        .map(|&(g, _)| counts[g] - lists[g].len() as i64)
        .sum();
    if rest < (ids.len() as i64).saturating_mul(reading.per_candidate) {
        let on: Vec<usize> = prefix
            .iter()
            .map(|&(g, _)| g)
            .filter(|&g| known[g] < widest)
            .collect();
        let reads: Vec<Read<'_>> = on
            .iter()
            .map(|&g| band(g, widest, lists[g].iter().map(|&(id, m)| (m, id)).max()))
            .collect();
        for (&g, more) in on.iter().zip(conflict_postings::read(conn, &reads)?) {
            lists[g].extend(more);
            known[g] = widest;
        }
        ids = kept(&lists, &known, &prefix, n);
    }
    Ok(ids)
}

/// The forms of the prefix lists (`(list, longest form it is looked for in)`) that the
/// length bound keeps, given each list read for the forms of up to `known[g]` trigrams.
fn kept(lists: &[Vec<Posting>], known: &[i32], prefix: &[(usize, i32)], n: usize) -> Vec<i64> {
    let mut held: HashMap<i64, usize> = HashMap::new();
    for (list, &known) in lists.iter().zip(known) {
        for (id, _) in list.iter().filter(|(_, m)| *m <= known) {
            *held.entry(*id).or_default() += 1;
        }
    }
    // Of the lists, how many are not known for forms of `m` trigrams.
    let unread = |m: i32| known.iter().filter(|&&k| k < m).count();
    let mut ids = BTreeSet::new();
    for &(g, longest) in prefix {
        ids.extend(
            lists[g]
                .iter()
                .filter(|&&(id, m)| {
                    m <= longest && {
                        let at_most = (held[&id] + unread(m)).min(m as usize);
                        may_be_similar(at_most, n, m as usize)
                    }
                })
                .map(|(id, _)| *id),
        );
    }
    ids.into_iter().collect()
}

/// For a query form of `n` trigrams, the lengths (in trigrams) of the forms that can be
/// `SIMILAR_SPELLING`-similar to it, by the rank of the posting list they must be found
/// in. A form of `m` trigrams sharing `c` with the query form is similar enough only if
/// `c` is at least `least_shared(n, m)`, so it holds one of any `n − c + 1` of the
/// query's trigrams: one of its rarest `n − least_shared(n, m) + 1`. So the posting list
/// of rank `i` (0 the rarest) needs reading only for the forms with `least_shared(n, m)
/// ≤ n − i`; at the threshold ½ (`3c ≥ n + m`), those of `⌈n/2⌉` to `2n − 3i`
/// trigrams.
#[derive(Debug, Clone, PartialEq)]
struct Bands {
    /// The fewest trigrams of a form that can be similar.
    shortest: usize,
    /// By rank, the most trigrams of a form the list of that rank must be read for; as
    /// many ranks as lists to read (`trigrams_to_probe(n)`).
    longest: Vec<usize>,
}

impl Bands {
    fn of(n: usize) -> Self {
        // c ≤ n gives m ≤ n / t.
        let most = (n as f64 / SIMILAR_SPELLING).ceil() as usize + 1;
        let least: Vec<(usize, usize)> = (1..=most)
            .filter_map(|m| least_shared(n, m).map(|c| (m, c)))
            .collect();
        let shortest = least.first().map_or(1, |(m, _)| *m);
        let longest = (0..n)
            .map_while(|i| {
                least
                    .iter()
                    .filter(|(_, c)| c + i <= n)
                    .map(|(m, _)| *m)
                    .max()
            })
            .collect();
        Self { shortest, longest }
    }
}

/// The fewest trigrams a form of `m` must share with a query form of `n` to be
/// `SIMILAR_SPELLING`-similar to it; None when sharing all of either is not enough.
fn least_shared(n: usize, m: usize) -> Option<usize> {
    (1..=n.min(m)).find(|&c| may_be_similar(c, n, m))
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
    use crate::domain::conflicts::trigrams_to_probe;

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

    #[test]
    fn the_bands_keep_every_similar_form() {
        for n in 1..60usize {
            let bands = Bands::of(n);
            assert_eq!(bands.longest.len(), trigrams_to_probe(n), "{n}");
            for m in 1..4 * n + 4 {
                for c in 1..=n.min(m) {
                    let s = c as f64 / (n + m - c) as f64;
                    if s < SIMILAR_SPELLING {
                        continue;
                    }
                    assert!(m >= bands.shortest, "{c} of {n} and {m}");
                    // At worst the form holds the query's c commonest trigrams, the
                    // rarest of which has rank n − c.
                    assert!(
                        bands.longest.get(n - c).is_some_and(|&l| l >= m),
                        "{c} of {n} and {m}: {bands:?}"
                    );
                }
            }
            // At ½: from ⌈n/2⌉ trigrams, and up to 2n − 3i in the list of rank i.
            assert_eq!(bands.shortest, n.div_ceil(2), "{n}");
            for (i, &longest) in bands.longest.iter().enumerate() {
                assert_eq!(longest, 2 * n - 3 * i, "{n}, rank {i}");
            }
        }
    }

    #[test]
    fn a_similar_form_is_in_the_band_of_its_rarest_list() {
        // Every set of ranks a form of every length can hold: the rarest of them (the
        // lowest rank) is read for its length.
        for n in 1..=12usize {
            let bands = Bands::of(n);
            for held in 1u32..(1 << n) {
                let c = held.count_ones() as usize;
                let rarest = held.trailing_zeros() as usize;
                for m in c..3 * n {
                    if c as f64 / (n + m - c) as f64 >= SIMILAR_SPELLING {
                        assert!(
                            bands.longest.get(rarest).is_some_and(|&l| l >= m),
                            "{n}, ranks {held:b}, {m} trigrams"
                        );
                    }
                }
            }
        }
    }
}
