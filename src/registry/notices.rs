//! What an association hears about its own GIs: every change at home and abroad (a
//! decision with its grounds, an opposition filed, a protection), newest first, each
//! marked read or not for the reading user, and the deadlines ahead.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::acting::Acting;
use super::calendars::basis_of;
use crate::db::AnyConnection;
use crate::domain::calendar::Deadline;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::events::Event;
use crate::store::notices;

/// One change to one of the association's GIs.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notice {
    /// The event's id: `POST /api/v1/notices/{id}/read` marks it read.
    pub id: i64,
    pub read: bool,
    #[schema(value_type = crate::store::events::EventJson)]
    pub event: Event,
}

/// A deadline ahead in a proceeding of one of the association's GIs.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineAhead {
    pub gi_id: i64,
    /// Absent for a deadline at home.
    pub recognition_id: Option<i64>,
    /// `opposition`, `decision`, or `remedy` (the last day to seek a remedy against a
    /// partner's refusal or invalidation).
    pub deadline: &'static str,
    pub date: NaiveDate,
    /// How the deadline was computed (`{date, from, period, rolled_from}`).
    pub basis: Option<Deadline>,
    /// The proceeding's status.
    pub status: String,
}

fn association_of(acting: &Acting) -> Result<i64, AppError> {
    match (acting.actor.role, acting.actor.association_id) {
        (Role::Association, Some(id)) => Ok(id),
        _ => Err(AppError::forbidden(
            "notices are for the users of a producers' association",
        )),
    }
}

/// The caller's notices with event ids below `before`, newest first (`fetch` rows).
pub fn page(
    conn: &mut AnyConnection,
    acting: &Acting,
    before: i64,
    fetch: i64,
) -> Result<Vec<Notice>, AppError> {
    let association_id = association_of(acting)?;
    let events = notices::events_of_association(conn, association_id, before, fetch)?;
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    let read: HashSet<i64> = notices::read_among(conn, acting.actor.user_id, &ids)?
        .into_iter()
        .collect();
    Ok(events
        .into_iter()
        .map(|event| Notice {
            id: event.id,
            read: read.contains(&event.id),
            event,
        })
        .collect())
}

/// The deadlines from `today` on, soonest first.
pub fn deadlines_ahead(
    conn: &mut AnyConnection,
    acting: &Acting,
    today: NaiveDate,
) -> Result<Vec<DeadlineAhead>, AppError> {
    let association_id = association_of(acting)?;
    let mut ahead = Vec::new();
    for row in notices::pending_of_association(conn, association_id)? {
        for (deadline, date, basis) in [
            (
                "opposition",
                row.opposition_deadline,
                row.opposition_deadline_basis.as_deref(),
            ),
            (
                "decision",
                row.decision_deadline,
                row.decision_deadline_basis.as_deref(),
            ),
        ] {
            if let Some(date) = date.filter(|d| *d >= today) {
                ahead.push(DeadlineAhead {
                    gi_id: row.gi_id,
                    recognition_id: row.recognition_id,
                    deadline,
                    date,
                    basis: basis_of(basis),
                    status: row.status.clone(),
                });
            }
        }
    }
    for (recognition_id, gi_id, status, date) in
        notices::remedies_open(conn, association_id, today)?
    {
        ahead.push(DeadlineAhead {
            gi_id,
            recognition_id: Some(recognition_id),
            deadline: "remedy",
            date,
            basis: None,
            status,
        });
    }
    ahead.sort_by_key(|d| (d.date, d.gi_id, d.recognition_id));
    Ok(ahead)
}

/// Marks notice `id` read for the caller; 404 unless it is one of the caller's.
pub fn mark_read(conn: &mut AnyConnection, acting: &Acting, id: i64) -> Result<(), AppError> {
    let association_id = association_of(acting)?;
    let not_found = || AppError::not_found("notice");
    let gi_id = notices::gi_of_event(conn, id)?.ok_or_else(not_found)?;
    let (gi, _) = crate::store::gis::by_id(conn, gi_id)?.ok_or_else(not_found)?;
    if gi.association_id != Some(association_id) {
        return Err(not_found());
    }
    notices::mark_read(conn, acting.actor.user_id, id, Utc::now().naive_utc())
}
