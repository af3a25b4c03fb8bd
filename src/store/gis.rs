//! GIs and their names.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{sql, AsExprOf};
use diesel::expression::{SqlLiteral, UncheckedBind};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::db::schema::{gi_names, gi_read_views, gis, offices};
use crate::db::{native, AnyConnection};
use crate::domain::names::escape_like;
use crate::domain::permissions::DraftScope;
use crate::error::AppError;
use crate::store::bulk::insert_chunked;
use crate::store::conflict_index;
use crate::store::name_index::{self, Candidates};
use crate::store::read_views::StoredView;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = gis)]
pub struct Gi {
    pub id: i64,
    pub file_number: Option<String>,
    pub registration_number: Option<String>,
    pub origin_office_id: i64,
    pub association_id: Option<i64>,
    pub gi_type: String,
    pub product_type: String,
    pub product_class: String,
    pub nice_class: Option<i32>,
    pub area_description: String,
    pub area_geojson: Option<String>,
    pub countries: String,
    pub legal_instrument: Option<String>,
    pub status: String,
    pub filed_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub opposition_deadline: Option<NaiveDate>,
    pub registered_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub search_blob: String,
    pub source: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// JSON of the opposition deadline's `calendar::Deadline`.
    pub opposition_deadline_basis: Option<String>,
    /// Where the publication can be read (gazette, number, page or URL).
    pub publication_reference: Option<String>,
    /// A JSON array of `ExcludedName`s: the names a registration leaves out.
    pub excluded_names: Option<String>,
}

/// A GI with its origin office's code.
pub type GiWithOffice = (Gi, String);

#[derive(Debug, Insertable)]
#[diesel(table_name = gis)]
// NULL for None (no nullable column has another default), so that many rows go in one
// statement on SQLite as well (Diesel writes one INSERT per row when a value may be DEFAULT).
#[diesel(treat_none_as_default_value = false)]
pub struct NewGi {
    pub file_number: Option<String>,
    pub registration_number: Option<String>,
    pub origin_office_id: i64,
    pub association_id: Option<i64>,
    pub gi_type: String,
    pub product_type: String,
    pub product_class: String,
    pub nice_class: Option<i32>,
    pub area_description: String,
    pub area_geojson: Option<String>,
    pub countries: String,
    pub legal_instrument: Option<String>,
    pub status: String,
    pub filed_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub opposition_deadline: Option<NaiveDate>,
    pub registered_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub search_blob: String,
    pub source: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Fields a draft edit or a lifecycle action may change.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = gis)]
pub struct GiChanges {
    pub file_number: Option<String>,
    pub registration_number: Option<String>,
    pub gi_type: Option<String>,
    pub product_type: Option<String>,
    pub product_class: Option<String>,
    pub nice_class: Option<Option<i32>>,
    pub area_description: Option<String>,
    pub area_geojson: Option<Option<String>>,
    pub status: Option<String>,
    pub filed_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub opposition_deadline: Option<NaiveDate>,
    pub opposition_deadline_basis: Option<String>,
    pub registered_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub search_blob: Option<String>,
    pub publication_reference: Option<Option<String>>,
    pub excluded_names: Option<Option<String>>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = gi_names)]
pub struct NameRow {
    pub id: i64,
    pub gi_id: i64,
    pub position: i32,
    pub text: String,
    pub lang: String,
    pub script: String,
    pub kind: String,
    pub romanization: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = gi_names)]
// NULL for None (no nullable column has another default), so that many rows go in one
// statement on SQLite as well (Diesel writes one INSERT per row when a value may be DEFAULT).
#[diesel(treat_none_as_default_value = false)]
pub struct NewName<'a> {
    pub gi_id: i64,
    pub position: i32,
    pub text: &'a str,
    pub lang: &'a str,
    pub script: &'a str,
    pub kind: &'a str,
    pub romanization: Option<&'a str>,
}

pub fn insert(conn: &mut AnyConnection, new: &NewGi) -> Result<i64, AppError> {
    diesel::insert_into(gis::table)
        .values(new)
        .returning(gis::id)
        .get_result(conn)
        .map_err(|err| match AppError::from(err) {
            AppError::Conflict {
                code: "already_exists",
                ..
            } => AppError::conflict(
                "already_exists",
                "a GI with this file number already exists",
            ),
            other => other,
        })
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<GiWithOffice>, AppError> {
    Ok(gis::table
        .inner_join(offices::table)
        .filter(gis::id.eq(id))
        .select((Gi::as_select(), offices::code))
        .first(conn)
        .optional()?)
}

/// The GIs of `ids` that exist, in the order of their ids.
pub fn by_ids(conn: &mut AnyConnection, ids: &[i64]) -> Result<Vec<GiWithOffice>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(gis::table
        .inner_join(offices::table)
        .filter(gis::id.eq_any(ids))
        .select((Gi::as_select(), offices::code))
        .order(gis::id.asc())
        .load(conn)?)
}

/// What a cached read needs of a GI before its view: the stamp of its last change and
/// who may see it.
#[derive(Clone, Debug, Queryable)]
pub struct GiHead {
    pub read_stamp: i64,
    pub filed: bool,
    pub origin_office_id: i64,
    pub association_id: Option<i64>,
    /// The origin office's time zone (its "today").
    pub origin_time_zone: String,
}

type HeadColumns = (
    gis::read_stamp,
    diesel::dsl::IsNotNull<gis::file_number>,
    gis::origin_office_id,
    gis::association_id,
    offices::time_zone,
);

fn head_columns() -> HeadColumns {
    (
        gis::read_stamp,
        gis::file_number.is_not_null(),
        gis::origin_office_id,
        gis::association_id,
        offices::time_zone,
    )
}

pub fn head(conn: &mut AnyConnection, id: i64) -> Result<Option<GiHead>, AppError> {
    let query = gis::table
        .inner_join(offices::table)
        .filter(gis::id.eq(id))
        .select(head_columns());
    Ok(native!(conn, c => query.first(c).optional())?)
}

/// [`head`], with the GI's stored view of `kind` (store/read_views.rs) when there is one:
/// one query where reading them one after the other takes two.
pub fn head_with_view(
    conn: &mut AnyConnection,
    id: i64,
    kind: &str,
) -> Result<Option<(GiHead, Option<StoredView>)>, AppError> {
    let query = gis::table
        .inner_join(offices::table)
        .left_join(
            gi_read_views::table.on(gi_read_views::gi_id
                .eq(gis::id)
                .and(gi_read_views::kind.eq(kind))),
        )
        .filter(gis::id.eq(id))
        .select((
            head_columns(),
            (
                gi_read_views::stamp.nullable(),
                gi_read_views::as_of.nullable(),
                gi_read_views::version.nullable(),
                gi_read_views::body.nullable(),
            ),
        ));
    let row = native!(conn, c => query.first::<(GiHead, ViewColumns)>(c).optional())?;
    Ok(row.map(|(head, view)| {
        let stored = match view {
            (Some(stamp), as_of, Some(version), Some(body)) => Some(StoredView {
                gi_id: id,
                kind: kind.to_string(),
                stamp,
                as_of,
                version,
                body,
            }),
            _ => None,
        };
        (head, stored)
    }))
}

/// A stored view's columns, each absent when the GI has no view of the kind.
type ViewColumns = (Option<i64>, Option<NaiveDate>, Option<i32>, Option<String>);

pub fn id_by_file_number(
    conn: &mut AnyConnection,
    file_number: &str,
) -> Result<Option<i64>, AppError> {
    Ok(gis::table
        .filter(gis::file_number.eq(file_number))
        .select(gis::id)
        .first(conn)
        .optional()?)
}

/// Applies `changes` and bumps the version, only if the GI is still at `version`.
pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    version: i32,
    changes: &GiChanges,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let updated = diesel::update(
        gis::table
            .filter(gis::id.eq(id))
            .filter(gis::version.eq(version)),
    )
    .set((
        changes,
        gis::version.eq(version + 1),
        gis::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn names_of(conn: &mut AnyConnection, gi_ids: &[i64]) -> Result<Vec<NameRow>, AppError> {
    match gi_ids {
        [] => return Ok(Vec::new()),
        // One GI (a read by id): `= ?` is a statement Diesel prepares once per
        // connection and reuses; an IN list is prepared anew every time.
        [one] => {
            return Ok(gi_names::table
                .filter(gi_names::gi_id.eq(*one))
                .select(NameRow::as_select())
                .order(gi_names::position.asc())
                .load(conn)?)
        }
        _ => {}
    }
    // A page of a list holds nearby ids: reading the names of the whole run of ids is
    // one statement prepared once per connection, where an IN list is prepared anew.
    let (first, last) = gi_ids.iter().fold((i64::MAX, i64::MIN), |(lo, hi), &id| {
        (lo.min(id), hi.max(id))
    });
    // SQLite only: PostgreSQL would plan the reused statement once for any range (a
    // generic plan), which measured far slower than planning each IN list.
    let sqlite = matches!(conn, AnyConnection::Sqlite(_));
    if sqlite && last.saturating_sub(first) < 2 * gi_ids.len() as i64 + 16 {
        let wanted: std::collections::HashSet<i64> = gi_ids.iter().copied().collect();
        let mut rows: Vec<NameRow> = gi_names::table
            .filter(gi_names::gi_id.between(first, last))
            .select(NameRow::as_select())
            .order((gi_names::gi_id.asc(), gi_names::position.asc()))
            .load(conn)?;
        rows.retain(|row| wanted.contains(&row.gi_id));
        return Ok(rows);
    }
    Ok(gi_names::table
        .filter(gi_names::gi_id.eq_any(gi_ids))
        .select(NameRow::as_select())
        .order((gi_names::gi_id.asc(), gi_names::position.asc()))
        .load(conn)?)
}

pub fn replace_names(
    conn: &mut AnyConnection,
    gi_id: i64,
    names: &[NewName<'_>],
) -> Result<(), AppError> {
    diesel::delete(gi_names::table.filter(gi_names::gi_id.eq(gi_id))).execute(conn)?;
    // One by one: batch inserts are not available through the two-backend connection,
    // and a GI has a handful of names.
    for name in names {
        diesel::insert_into(gi_names::table)
            .values(name)
            .execute(conn)?;
    }
    conflict_index::remove(conn, gi_id)?;
    let texts: Vec<(i64, &str)> = names.iter().map(|n| (gi_id, n.text)).collect();
    conflict_index::add(conn, &texts)
}

#[derive(Clone, Debug, Default)]
pub struct GiFilter {
    pub origin_office_id: Option<i64>,
    pub status: Option<String>,
    pub gi_type: Option<String>,
    pub product_type: Option<String>,
    pub product_class: Option<String>,
    /// An ISO 3166-1 alpha-2 code: the GIs whose countries of origin include it.
    pub country: Option<String>,
    /// A search key (`domain::names::query_key`): the GIs whose search blob holds it.
    pub name_key: Option<String>,
    /// The GIs applied for by this association (an association's own desk).
    pub association_id: Option<i64>,
}

/// GIs in id order after `after_id`, filtered, with the unfiled GIs `scope` allows.
pub fn list(
    conn: &mut AnyConnection,
    filter: &GiFilter,
    scope: DraftScope,
    after_id: i64,
    limit: i64,
) -> Result<Vec<GiWithOffice>, AppError> {
    let found = list_stamps(conn, filter, scope, after_id, limit)?;
    by_ids(conn, &found.iter().map(|s| s.id).collect::<Vec<_>>())
}

/// A GI listed, with the stamp of its last change (what a cached read needs).
#[derive(Clone, Copy, Debug, Queryable)]
pub struct ListedStamp {
    pub id: i64,
    pub read_stamp: i64,
}

/// The ids and stamps of the GIs `list` gives, in its order.
pub fn list_stamps(
    conn: &mut AnyConnection,
    filter: &GiFilter,
    scope: DraftScope,
    after_id: i64,
    limit: i64,
) -> Result<Vec<ListedStamp>, AppError> {
    let Some(key) = filter.name_key.as_deref().filter(|k| !k.is_empty()) else {
        return load_filtered(conn, filter, scope, after_id, limit, &Narrowing::None);
    };
    let like = format!("%{}%", escape_like(key));
    let mut rows = Vec::new();
    let mut after = after_id;
    if matches!(conn, AnyConnection::Sqlite(_)) && key.chars().count() < 3 {
        // Listing the index terms a short key starts costs as much as the GIs they hold
        // (FTS5 counts every term's documents): 2-3 ms at 100,000 GIs for one Latin
        // letter, whose page the next few dozen GIs in id order hold. So the GIs just
        // after the cursor are read first; a key common enough fills the page there,
        // and a rarer one goes on through the index after them.
        let last = after_id.saturating_add(limit.saturating_mul(SHORT_KEY_WINDOW_PER_ITEM));
        let window = Narrowing::LikeUpTo(&like, last);
        rows = load_filtered(conn, filter, scope, after_id, limit, &window)?;
        if rows.len() as i64 >= limit {
            return Ok(rows);
        }
        after = last;
    }
    let wanted = limit - rows.len() as i64;
    let rest = match name_index::candidates(conn, key)? {
        Candidates::Nothing => Vec::new(),
        Candidates::Scan | Candidates::TrigramLike => {
            load_filtered(conn, filter, scope, after, wanted, &Narrowing::Like(&like))?
        }
        Candidates::Characters(chars) => {
            let narrowing = Narrowing::Characters(&like, &chars);
            load_filtered(conn, filter, scope, after, wanted, &narrowing)?
        }
        Candidates::Trigrams(query) => {
            list_by_trigrams(conn, filter, scope, after, wanted, &like, &query)?
        }
    };
    rows.extend(rest);
    Ok(rows)
}

/// SQLite, a key of one or two characters: the ids read by LIKE before the index is
/// asked, per item of the page (a key in one GI of eight or more fills its page there).
const SHORT_KEY_WINDOW_PER_ITEM: i64 = 8;

/// SQLite: the page read through the trigram index, a growing run of candidates at a
/// time, so that a common key reads no more of the index than a page needs.
fn list_by_trigrams(
    conn: &mut AnyConnection,
    filter: &GiFilter,
    scope: DraftScope,
    after_id: i64,
    limit: i64,
    like: &str,
    query: &str,
) -> Result<Vec<ListedStamp>, AppError> {
    let mut rows = Vec::new();
    let mut after = after_id;
    let mut run = (limit * 2).max(64);
    loop {
        let ids = name_index::trigram_candidates(conn, query, after, run)?;
        let Some(&last) = ids.last() else {
            return Ok(rows);
        };
        // Every candidate that follows is above every one of these, so the rows
        // found among them come first.
        let narrowing = Narrowing::Among {
            like,
            ids: serde_json::to_string(&ids).unwrap_or_default(),
        };
        let wanted = limit - rows.len() as i64;
        rows.extend(load_filtered(
            conn, filter, scope, after, wanted, &narrowing,
        )?);
        if rows.len() as i64 >= limit || (ids.len() as i64) < run {
            return Ok(rows);
        }
        after = last;
        run = run.saturating_mul(4);
    }
}

/// What a name search adds to the query; the LIKE decides, anything else narrows.
enum Narrowing<'a> {
    None,
    Like(&'a str),
    /// The LIKE, among the GIs up to this id.
    LikeUpTo(&'a str, i64),
    /// PostgreSQL: blobs holding every one of these characters.
    Characters(&'a str, &'a [String]),
    /// SQLite: the GIs of these ids, a JSON array (one statement whatever their number).
    Among {
        like: &'a str,
        ids: String,
    },
}

fn load_filtered(
    conn: &mut AnyConnection,
    filter: &GiFilter,
    scope: DraftScope,
    after_id: i64,
    limit: i64,
    narrowing: &Narrowing<'_>,
) -> Result<Vec<ListedStamp>, AppError> {
    let unfiltered = matches!(narrowing, Narrowing::None)
        && filter.origin_office_id.is_none()
        && filter.status.is_none()
        && filter.gi_type.is_none()
        && filter.product_type.is_none()
        && filter.product_class.is_none()
        && filter.country.is_none()
        && filter.association_id.is_none();
    // The plain list, the most read page, as statements prepared once per connection (a
    // boxed query is prepared anew each time); the same rows the boxed query gives.
    // SQLite only, for the same reason as in `names_of`.
    let sqlite = matches!(conn, AnyConnection::Sqlite(_));
    if sqlite && unfiltered && matches!(scope, DraftScope::None | DraftScope::All) {
        let query = gis::table
            .filter(gis::id.gt(after_id))
            .select((gis::id, gis::read_stamp))
            .order(gis::id.asc())
            .limit(limit);
        return Ok(match scope {
            DraftScope::None => query.filter(gis::file_number.is_not_null()).load(conn)?,
            _ => query.load(conn)?,
        });
    }
    let mut query = gis::table
        .filter(gis::id.gt(after_id))
        .select((gis::id, gis::read_stamp))
        .order(gis::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(office) = filter.origin_office_id {
        query = query.filter(gis::origin_office_id.eq(office));
    }
    if let Some(association) = filter.association_id {
        query = query.filter(gis::association_id.eq(association));
    }
    if let Some(status) = &filter.status {
        query = query.filter(gis::status.eq(status.clone()));
    }
    if let Some(gi_type) = &filter.gi_type {
        query = query.filter(gis::gi_type.eq(gi_type.clone()));
    }
    if let Some(product_type) = &filter.product_type {
        query = query.filter(gis::product_type.eq(product_type.clone()));
    }
    if let Some(product_class) = &filter.product_class {
        query = query.filter(gis::product_class.eq(product_class.clone()));
    }
    if let Some(country) = &filter.country {
        // `countries` is a JSON array of upper-case codes: `["CN","TH"]`.
        query = query.filter(gis::countries.like(format!("%\"{country}\"%")));
    }
    match narrowing {
        Narrowing::None => {}
        Narrowing::Like(like) => {
            query = query.filter(search_blob_like(like));
        }
        Narrowing::LikeUpTo(like, last) => {
            query = query
                .filter(gis::id.le(*last))
                .filter(search_blob_like(like));
        }
        Narrowing::Characters(like, chars) => {
            query = query.filter(search_blob_like(like));
            for c in chars.iter() {
                // The expression of the index gis_search_characters, word for word.
                query = query.filter(
                    sql::<Bool>("string_to_array(gis.search_blob, NULL) @> ARRAY[")
                        .bind::<Text, _>(c.clone())
                        .sql("]::text[]"),
                );
            }
        }
        Narrowing::Among { like, ids } => {
            query = query.filter(search_blob_like(like)).filter(
                sql::<Bool>("gis.id IN (SELECT value FROM json_each(")
                    .bind::<Text, _>(ids.clone())
                    .sql("))"),
            );
        }
    }
    // A GI is public once it has been filed (it has a file number); before that, and
    // if withdrawn before filing, only the scope's readers see it.
    query = match scope {
        DraftScope::All => query,
        DraftScope::None => query.filter(gis::file_number.is_not_null()),
        DraftScope::OfOffice(office) => query.filter(
            gis::file_number
                .is_not_null()
                .or(gis::origin_office_id.eq(office)),
        ),
        DraftScope::OfAssociation(association) => query.filter(
            gis::file_number
                .is_not_null()
                .or(gis::association_id.eq(association)),
        ),
    };
    Ok(query.load(conn)?)
}

type SearchBlobLike = SqlLiteral<Bool, UncheckedBind<SqlLiteral<Bool>, AsExprOf<String, Text>>>;

/// `gis.search_blob LIKE like` (backslash escapes), written as SQL of its own: a statement
/// holding such SQL is prepared anew on each run, so PostgreSQL plans it for this
/// pattern. Kept prepared, it switched after five runs to a generic plan that walks every
/// GI in id order and tests each blob (55–60 ms at 100,000 GIs for a key no GI holds)
/// instead of asking the trigram index.
fn search_blob_like(like: &str) -> SearchBlobLike {
    sql::<Bool>("gis.search_blob LIKE ")
        .bind::<Text, _>(like.to_string())
        .sql(" ESCAPE '\\'")
}

/// A GI's file number and registration number, with the dates they took effect.
#[derive(Clone, Debug, Default, Queryable)]
pub struct Numbers {
    pub file_number: Option<String>,
    pub filed_on: Option<NaiveDate>,
    pub registration_number: Option<String>,
    pub registered_on: Option<NaiveDate>,
}

/// File and registration numbers of many GIs.
pub fn numbers_of(
    conn: &mut AnyConnection,
    gi_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Numbers>, AppError> {
    if gi_ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(gis::table
        .filter(gis::id.eq_any(gi_ids))
        .select((
            gis::id,
            (
                gis::file_number,
                gis::filed_on,
                gis::registration_number,
                gis::registered_on,
            ),
        ))
        .load::<(i64, Numbers)>(conn)?
        .into_iter()
        .collect())
}

/// Which of `file_numbers` are already registered.
pub fn existing_file_numbers(
    conn: &mut AnyConnection,
    file_numbers: &[&str],
) -> Result<Vec<String>, AppError> {
    if file_numbers.is_empty() {
        return Ok(Vec::new());
    }
    Ok(gis::table
        .filter(gis::file_number.eq_any(file_numbers))
        .select(gis::file_number.assume_not_null())
        .load(conn)?)
}

/// Whether the register holds any GI at all.
pub fn any(conn: &mut AnyConnection) -> Result<bool, AppError> {
    Ok(diesel::select(diesel::dsl::exists(gis::table.select(gis::id))).get_result(conn)?)
}

/// Inserts many GIs, a hundred to a statement (store/bulk.rs): their ids, in the order
/// given. A file number already taken fails the whole batch.
pub fn insert_all(conn: &mut AnyConnection, new: &[NewGi]) -> Result<Vec<i64>, AppError> {
    insert_chunked!(conn, gis::table, new, 100, returning gis::id => i64)
}

/// Inserts the names of new GIs (no names to replace).
pub fn insert_names(conn: &mut AnyConnection, names: &[NewName<'_>]) -> Result<(), AppError> {
    insert_name_rows(conn, names)?;
    let texts: Vec<(i64, &str)> = names.iter().map(|n| (n.gi_id, n.text)).collect();
    conflict_index::add(conn, &texts)
}

/// [`insert_names`] with the GIs' conflict index entries made beforehand
/// ([`conflict_index::GiEntries::of`] their names' texts), in increasing order of id.
pub fn insert_names_with_entries(
    conn: &mut AnyConnection,
    names: &[NewName<'_>],
    entries: &[(i64, &conflict_index::GiEntries)],
) -> Result<(), AppError> {
    insert_name_rows(conn, names)?;
    conflict_index::add_entries(conn, entries)
}

fn insert_name_rows(conn: &mut AnyConnection, names: &[NewName<'_>]) -> Result<(), AppError> {
    if let AnyConnection::Postgres(c) = conn {
        if !names.is_empty() {
            diesel::copy_from(gi_names::table)
                .from_insertable(names)
                .execute(c)?;
        }
        return Ok(());
    }
    // Owned, so that statements of a fixed number of rows are kept (store/bulk.rs).
    let owned: Vec<NameValues> = names.iter().map(NameValues::of).collect();
    insert_chunked!(conn, gi_names::table, &owned[..], 250)
}

/// A [`NewName`] that owns its text.
#[derive(Insertable)]
#[diesel(table_name = gi_names)]
#[diesel(treat_none_as_default_value = false)]
struct NameValues {
    gi_id: i64,
    position: i32,
    text: String,
    lang: String,
    script: String,
    kind: String,
    romanization: Option<String>,
}

impl NameValues {
    fn of(name: &NewName<'_>) -> Self {
        Self {
            gi_id: name.gi_id,
            position: name.position,
            text: name.text.to_owned(),
            lang: name.lang.to_owned(),
            script: name.script.to_owned(),
            kind: name.kind.to_owned(),
            romanization: name.romanization.map(str::to_owned),
        }
    }
}

/// A GI's origin office and applicant association.
pub fn owners(conn: &mut AnyConnection, id: i64) -> Result<Option<(i64, Option<i64>)>, AppError> {
    Ok(gis::table
        .find(id)
        .select((gis::origin_office_id, gis::association_id))
        .first(conn)
        .optional()?)
}
