//! The append-only events of GIs and recognitions.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::events;
use crate::db::AnyConnection;
use crate::domain::known_at::last_instant;
use crate::error::AppError;
use crate::store::bulk::insert_chunked;

/// An event as stored. Shown as [`EventJson`]: the same fields and `recorded_late`.
#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = events)]
#[serde(into = "EventJson")]
pub struct Event {
    pub id: i64,
    pub entity_type: String,
    pub entity_id: i64,
    pub gi_id: i64,
    pub event_type: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub effective_on: NaiveDate,
    pub recorded_at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub office: Option<String>,
    pub grounds: Option<String>,
    pub details: String,
}

/// An event as the API shows it.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Event)]
pub struct EventJson {
    pub id: i64,
    /// `gi` or `recognition`.
    pub entity_type: String,
    pub entity_id: i64,
    pub gi_id: i64,
    /// The action or happening, e.g. `publish`, `opposition_filed`, `tacit_protection`.
    pub event_type: String,
    pub from_status: Option<String>,
    pub to_status: String,
    /// The legal date.
    pub effective_on: NaiveDate,
    /// When it was committed (UTC, by the server).
    #[serde(serialize_with = "crate::utc::serialize")]
    pub recorded_at: NaiveDateTime,
    /// Whether the legal date lies more than one day before the (UTC) date it was
    /// recorded on: a backdated entry.
    pub recorded_late: bool,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub office: Option<String>,
    pub grounds: Option<String>,
    /// A JSON object with what else the event carries.
    #[serde(serialize_with = "crate::json_text::serialize")]
    #[schema(value_type = Object)]
    pub details: String,
}

impl From<Event> for EventJson {
    fn from(e: Event) -> Self {
        Self {
            recorded_late: crate::domain::known_at::recorded_late(e.effective_on, e.recorded_at),
            id: e.id,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            gi_id: e.gi_id,
            event_type: e.event_type,
            from_status: e.from_status,
            to_status: e.to_status,
            effective_on: e.effective_on,
            recorded_at: e.recorded_at,
            actor_id: e.actor_id,
            actor: e.actor,
            office: e.office,
            grounds: e.grounds,
            details: e.details,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = events)]
// NULL for None (no nullable column has another default), so that many rows go in one
// statement on SQLite as well (Diesel writes one INSERT per row when a value may be DEFAULT).
#[diesel(treat_none_as_default_value = false)]
pub struct NewEvent {
    pub entity_type: &'static str,
    pub entity_id: i64,
    pub gi_id: i64,
    pub event_type: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub effective_on: NaiveDate,
    pub recorded_at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub office: Option<String>,
    pub grounds: Option<String>,
    pub details: String,
}

pub fn insert(conn: &mut AnyConnection, new: &NewEvent) -> Result<i64, AppError> {
    Ok(diesel::insert_into(events::table)
        .values(new)
        .returning(events::id)
        .get_result(conn)?)
}

/// The events of one GI or recognition, oldest first.
pub fn of_entity(
    conn: &mut AnyConnection,
    entity_type: &str,
    entity_id: i64,
) -> Result<Vec<Event>, AppError> {
    Ok(events::table
        .filter(events::entity_type.eq(entity_type))
        .filter(events::entity_id.eq(entity_id))
        .select(Event::as_select())
        .order(events::id.asc())
        .load(conn)?)
}

/// The latest legal date among an entity's events: no new event may be dated before it.
/// A draft's creation is not a legal event (an application may be entered after the date
/// it was filed), so it does not count.
pub fn latest_effective_on(
    conn: &mut AnyConnection,
    entity_type: &str,
    entity_id: i64,
) -> Result<Option<NaiveDate>, AppError> {
    Ok(events::table
        .filter(events::entity_type.eq(entity_type))
        .filter(events::entity_id.eq(entity_id))
        .filter(events::event_type.ne("create"))
        .select(diesel::dsl::max(events::effective_on))
        .first(conn)?)
}

/// The events of many entities of one type, oldest first.
pub fn of_entities(
    conn: &mut AnyConnection,
    entity_type: &str,
    entity_ids: &[i64],
) -> Result<Vec<Event>, AppError> {
    if entity_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(events::table
        .filter(events::entity_type.eq(entity_type))
        .filter(events::entity_id.eq_any(entity_ids))
        .select(Event::as_select())
        .order(events::id.asc())
        .load(conn)?)
}

/// Which recognitions: these ids, or every id from the first to the second (inclusive).
pub enum RecognitionIds<'a> {
    Listed(&'a [i64]),
    Between(i64, i64),
}

/// One recognition event as an export reads it.
pub type DetailsRow = (i64, String, NaiveDate, NaiveDateTime);

/// The recognition id, details, legal date and recording time of the recognition events
/// dated on or before `as_of` and recorded at or before `known_at`, by recognition then
/// oldest first: what an export reads to know each state on a date.
pub fn recognition_details_until(
    conn: &mut AnyConnection,
    ids: RecognitionIds<'_>,
    as_of: NaiveDate,
    known_at: NaiveDateTime,
) -> Result<Vec<DetailsRow>, AppError> {
    let query = events::table
        .filter(events::entity_type.eq("recognition"))
        .filter(events::effective_on.le(as_of))
        .filter(events::recorded_at.le(last_instant(known_at)))
        .select((
            events::entity_id,
            events::details,
            events::effective_on,
            events::recorded_at,
        ))
        .order((events::entity_id.asc(), events::id.asc()))
        .into_boxed();
    let query = match ids {
        RecognitionIds::Listed([]) => return Ok(Vec::new()),
        RecognitionIds::Listed(ids) => query.filter(events::entity_id.eq_any(ids)),
        RecognitionIds::Between(first, last) => query
            .filter(events::entity_id.ge(first))
            .filter(events::entity_id.le(last)),
    };
    Ok(query.load(conn)?)
}

/// Inserts many events, a hundred to a statement (store/bulk.rs): their ids, in the
/// order given.
pub fn insert_all(conn: &mut AnyConnection, new: &[NewEvent]) -> Result<Vec<i64>, AppError> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    insert_chunked!(conn, events::table, new, 100, returning events::id => i64)
}

/// The details of a GI's recognition events dated on or before `as_of` and recorded at
/// or before `known_at`, newest first, with the recognition each is about.
pub fn recognition_details_of_gi(
    conn: &mut AnyConnection,
    gi_id: i64,
    as_of: NaiveDate,
    known_at: NaiveDateTime,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(events::table
        .filter(events::gi_id.eq(gi_id))
        .filter(events::entity_type.eq("recognition"))
        .filter(events::effective_on.le(as_of))
        .filter(events::recorded_at.le(last_instant(known_at)))
        .select((events::entity_id, events::details))
        .order(events::id.desc())
        .load(conn)?)
}

/// A GI's status at home on `as_of`, as known at `known_at`: the status after its latest
/// event dated on or before the one and recorded by the other (None when it has none).
pub fn gi_status_on(
    conn: &mut AnyConnection,
    gi_id: i64,
    as_of: NaiveDate,
    known_at: NaiveDateTime,
) -> Result<Option<String>, AppError> {
    Ok(events::table
        .filter(events::entity_type.eq("gi"))
        .filter(events::entity_id.eq(gi_id))
        .filter(events::effective_on.le(as_of))
        .filter(events::recorded_at.le(last_instant(known_at)))
        .select(events::to_status)
        .order(events::id.desc())
        .first(conn)
        .optional()?)
}

/// The details of the GI's latest event of one of `event_types` (its registration, an
/// allowed appeal) dated by `as_of` and recorded by `known_at`.
pub fn gi_latest_details_of(
    conn: &mut AnyConnection,
    gi_id: i64,
    event_types: &[&str],
    as_of: NaiveDate,
    known_at: NaiveDateTime,
) -> Result<Option<String>, AppError> {
    Ok(events::table
        .filter(events::entity_type.eq("gi"))
        .filter(events::entity_id.eq(gi_id))
        .filter(events::event_type.eq_any(event_types))
        .filter(events::effective_on.le(as_of))
        .filter(events::recorded_at.le(last_instant(known_at)))
        .select(events::details)
        .order(events::id.desc())
        .first(conn)
        .optional()?)
}

/// The details of every GI event of type `event_type` (of the home phase) dated by
/// `as_of` and recorded by `known_at`, oldest first.
pub fn gi_details_of_type(
    conn: &mut AnyConnection,
    gi_id: i64,
    event_type: &str,
    as_of: NaiveDate,
    known_at: NaiveDateTime,
) -> Result<Vec<String>, AppError> {
    Ok(events::table
        .filter(events::entity_type.eq("gi"))
        .filter(events::entity_id.eq(gi_id))
        .filter(events::event_type.eq(event_type))
        .filter(events::effective_on.le(as_of))
        .filter(events::recorded_at.le(last_instant(known_at)))
        .select(events::details)
        .order(events::id.asc())
        .load(conn)?)
}

/// When the latest publication of a GI or a recognition was recorded.
pub fn publication_recorded_at(
    conn: &mut AnyConnection,
    entity_type: &str,
    entity_id: i64,
) -> Result<Option<NaiveDateTime>, AppError> {
    Ok(events::table
        .filter(events::entity_type.eq(entity_type))
        .filter(events::entity_id.eq(entity_id))
        .filter(events::event_type.eq("publish"))
        .select(events::recorded_at)
        .order(events::id.desc())
        .first(conn)
        .optional()?)
}

/// Of `gi_ids`, which had their file number and which their registration number known
/// at `known_at`: a GI's numbers come with its `file` and `register` events (or an
/// `import`, which brings both), so a number whose event was recorded later was not
/// known then.
pub fn gi_numbers_known(
    conn: &mut AnyConnection,
    gi_ids: &[i64],
    known_at: NaiveDateTime,
) -> Result<std::collections::HashMap<i64, (bool, bool)>, AppError> {
    let mut known: std::collections::HashMap<i64, (bool, bool)> = Default::default();
    if gi_ids.is_empty() {
        return Ok(known);
    }
    let rows: Vec<(i64, String)> = events::table
        .filter(events::entity_type.eq("gi"))
        .filter(events::entity_id.eq_any(gi_ids))
        .filter(events::event_type.eq_any(["file", "register", "import"]))
        .filter(events::recorded_at.le(last_instant(known_at)))
        .select((events::entity_id, events::event_type))
        .load(conn)?;
    for (id, event_type) in rows {
        let entry = known.entry(id).or_default();
        match event_type.as_str() {
            "file" => entry.0 = true,
            "register" => entry.1 = true,
            _ => *entry = (true, true),
        }
    }
    Ok(known)
}
