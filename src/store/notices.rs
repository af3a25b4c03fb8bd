//! An association's notices: the events of its GIs (at home and abroad), which of them
//! each user has read, and the deadlines ahead.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::events::Event;
use crate::db::schema::{events, gis, notice_reads, recognitions};
use crate::db::AnyConnection;
use crate::error::AppError;

/// The events of association `association_id`'s GIs with ids below `before`, newest
/// first, at most `fetch`.
pub fn events_of_association(
    conn: &mut AnyConnection,
    association_id: i64,
    before: i64,
    fetch: i64,
) -> Result<Vec<Event>, AppError> {
    let own = gis::table
        .filter(gis::association_id.eq(association_id))
        .select(gis::id);
    Ok(events::table
        .filter(events::gi_id.eq_any(own))
        .filter(events::id.lt(before))
        .select(Event::as_select())
        .order(events::id.desc())
        .limit(fetch)
        .load(conn)?)
}

/// Which of `event_ids` user `user_id` has read.
pub fn read_among(
    conn: &mut AnyConnection,
    user_id: i64,
    event_ids: &[i64],
) -> Result<Vec<i64>, AppError> {
    if event_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(notice_reads::table
        .filter(notice_reads::user_id.eq(user_id))
        .filter(notice_reads::event_id.eq_any(event_ids))
        .select(notice_reads::event_id)
        .load(conn)?)
}

/// Records that user `user_id` read event `event_id` (once).
pub fn mark_read(
    conn: &mut AnyConnection,
    user_id: i64,
    event_id: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if read_among(conn, user_id, &[event_id])?.is_empty() {
        diesel::insert_into(notice_reads::table)
            .values((
                notice_reads::user_id.eq(user_id),
                notice_reads::event_id.eq(event_id),
                notice_reads::read_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The GI an event is about.
pub fn gi_of_event(conn: &mut AnyConnection, event_id: i64) -> Result<Option<i64>, AppError> {
    Ok(events::table
        .find(event_id)
        .select(events::gi_id)
        .first(conn)
        .optional()?)
}

/// One deadline ahead: what it closes, for which GI or recognition, and when.
#[derive(Debug)]
pub struct DeadlineRow {
    pub gi_id: i64,
    pub recognition_id: Option<i64>,
    pub status: String,
    pub opposition_deadline: Option<NaiveDate>,
    pub decision_deadline: Option<NaiveDate>,
    /// The deadlines' bases as stored (JSON of `calendar::Deadline`).
    pub opposition_deadline_basis: Option<String>,
    pub decision_deadline_basis: Option<String>,
}

/// The association's published GIs and live recognitions, with their deadlines.
pub fn pending_of_association(
    conn: &mut AnyConnection,
    association_id: i64,
) -> Result<Vec<DeadlineRow>, AppError> {
    type AtHome = (i64, String, Option<NaiveDate>, Option<String>);
    let at_home: Vec<AtHome> = gis::table
        .filter(gis::association_id.eq(association_id))
        .filter(gis::status.eq("published"))
        .select((
            gis::id,
            gis::status,
            gis::opposition_deadline,
            gis::opposition_deadline_basis,
        ))
        .load(conn)?;
    let own = gis::table
        .filter(gis::association_id.eq(association_id))
        .select(gis::id);
    type Abroad = (
        i64,
        i64,
        String,
        Option<NaiveDate>,
        NaiveDate,
        Option<String>,
        Option<String>,
    );
    let abroad: Vec<Abroad> = recognitions::table
        .filter(recognitions::gi_id.eq_any(own))
        .filter(recognitions::status.eq_any(["submitted", "under_examination", "published"]))
        .select((
            recognitions::id,
            recognitions::gi_id,
            recognitions::status,
            recognitions::opposition_deadline,
            recognitions::decision_deadline,
            recognitions::opposition_deadline_basis,
            recognitions::decision_deadline_basis,
        ))
        .load(conn)?;
    let mut rows: Vec<DeadlineRow> = at_home
        .into_iter()
        .map(
            |(gi_id, status, opposition_deadline, opposition_deadline_basis)| DeadlineRow {
                gi_id,
                recognition_id: None,
                status,
                opposition_deadline,
                decision_deadline: None,
                opposition_deadline_basis,
                decision_deadline_basis: None,
            },
        )
        .collect();
    rows.extend(abroad.into_iter().map(
        |(id, gi_id, status, opposition_deadline, decision_deadline, o_basis, d_basis)| {
            DeadlineRow {
                gi_id,
                recognition_id: Some(id),
                status,
                opposition_deadline,
                decision_deadline: Some(decision_deadline),
                opposition_deadline_basis: o_basis,
                decision_deadline_basis: d_basis,
            }
        },
    ));
    Ok(rows)
}

/// The association's refused or invalidated recognitions whose remedy deadline is from
/// `today` on: (recognition, GI, status, remedy deadline).
pub fn remedies_open(
    conn: &mut AnyConnection,
    association_id: i64,
    today: NaiveDate,
) -> Result<Vec<(i64, i64, String, NaiveDate)>, AppError> {
    let own = gis::table
        .filter(gis::association_id.eq(association_id))
        .select(gis::id);
    let rows: Vec<(i64, i64, String, Option<NaiveDate>)> = recognitions::table
        .filter(recognitions::gi_id.eq_any(own))
        .filter(recognitions::status.eq_any(["refused", "invalidated"]))
        .filter(recognitions::remedy_deadline.ge(today))
        .select((
            recognitions::id,
            recognitions::gi_id,
            recognitions::status,
            recognitions::remedy_deadline,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, gi_id, status, deadline)| Some((id, gi_id, status, deadline?)))
        .collect())
}
