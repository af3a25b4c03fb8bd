//! The events of a GI's home phase and of a recognition, for whoever may see them.

use super::gi_application::load_visible;
use super::recognitions::load_visible_recognition;
use chrono::{DateTime, NaiveDate, Utc};

use super::calendars::reader_today;
use super::protection::{as_of_or_today, known_at_or_now};
use crate::db::AnyConnection;
use crate::domain::known_at::known_by;
use crate::domain::role::Actor;
use crate::error::AppError;
use crate::store::events::{self, Event};

/// Every event of the GI's home phase, oldest first.
pub fn of_gi(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    id: i64,
    as_of: Option<NaiveDate>,
    known_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, AppError> {
    // Bad input is answered before a GI that cannot be read is a 404.
    let gi = load_visible(conn, reader, id);
    let origin = gi.as_ref().ok().map(|(gi, _)| gi.origin_office_id);
    let as_of = match as_of {
        Some(_) => Some(as_of_or_today(
            as_of,
            reader_today(conn, reader, origin, now)?,
        )?),
        None => None,
    };
    let known_at = known_at_or_now(known_at)?;
    gi?;
    Ok(events::of_entity(conn, "gi", id)?
        .into_iter()
        .filter(|e| as_of.is_none_or(|d| e.effective_on <= d) && known_by(e.recorded_at, known_at))
        .collect())
}

/// Every event of the recognition, oldest first.
pub fn of_recognition(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    id: i64,
) -> Result<Vec<Event>, AppError> {
    load_visible_recognition(conn, reader, id)?;
    events::of_entity(conn, "recognition", id)
}
