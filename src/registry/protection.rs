//! Protection status, territory by territory, now or as it stood on a date — always
//! answered from the events, so a later change never rewrites an earlier day.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::calendars::{office_of_filters, reader_today};
use super::gi_application::load_visible;
use super::name_decisions::names_of_gi;
use super::recognition_views::{Names, RecognitionView, Snapshot};
use crate::db::AnyConnection;
use crate::domain::coexistence::CoexistingRight;
use crate::domain::excluded_names::{protected_names, ExcludedName};
use crate::domain::gi_status::GiStatus;
use crate::domain::recognition_status::RecognitionStatus;
use crate::domain::role::Actor;
use crate::error::AppError;
use crate::store::events::{self, Event};
use crate::store::gis::GiWithOffice;
use crate::store::recognitions::{self, Recognition, RecognitionFilter};
use crate::store::{offices, programmes};

/// The date an "as of" question is answered for: today when none is given. A future
/// date is refused, here as on exports: what a registry will say then is not known yet
/// (a decision, an opposition or a tacit protection may come first).
pub fn as_of_or_today(as_of: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate, AppError> {
    match as_of {
        Some(date) if date > today => Err(AppError::invalid(
            "as_of",
            format!("is in the future (today is {today})"),
        )),
        Some(date) => Ok(date),
        None => Ok(today),
    }
}

/// The moment an answer is known at: `known_at` when given, else now — on the clock
/// events are recorded by (the server's, not the settable legal one). A moment after
/// now is refused: what the register will know then is not known yet.
pub fn known_at_or_now(known_at: Option<DateTime<Utc>>) -> Result<NaiveDateTime, AppError> {
    crate::domain::known_at::resolve(known_at, Utc::now())
        .map_err(|e| AppError::invalid("known_at", e.to_string()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Territory {
    pub programme: String,
    pub partner: String,
    pub jurisdiction: String,
    #[schema(value_type = crate::domain::recognition_status::RecognitionStatus)]
    pub status: String,
    pub protected_from: Option<NaiveDate>,
    /// The GI's names protected in the territory (none unless `protected`).
    pub protected_names: Vec<String>,
    /// The names the protection leaves out, each with its reason.
    pub excluded_names: Vec<ExcludedName>,
    pub limitations: Option<String>,
    /// Earlier rights the protection coexists with (oppositions settled by coexistence).
    pub coexisting_rights: Vec<CoexistingRight>,
    pub phase_out_until: Option<NaiveDate>,
    /// Who may go on using the name until `phase_out_until`.
    pub phase_out_beneficiaries: Option<Vec<String>>,
    pub recognition_id: i64,
}

impl Territory {
    fn new(
        programme: String,
        (partner, jurisdiction): (String, String),
        recognition_id: i64,
        state: Snapshot,
        names: &[(i64, String)],
    ) -> Self {
        let protected_names = if state.status == RecognitionStatus::Protected.as_str() {
            protected_names(names, &state.excluded_names)
        } else {
            Vec::new()
        };
        Self {
            programme,
            partner,
            jurisdiction,
            status: state.status,
            protected_from: state.protected_from,
            protected_names,
            excluded_names: state.excluded_names,
            limitations: state.limitations,
            coexisting_rights: state.coexisting_rights,
            phase_out_until: state.phase_out_until,
            phase_out_beneficiaries: state.phase_out_beneficiaries,
            recognition_id,
        }
    }
}

/// The GI at home, as it stood on the date: the first thing an association reads.
#[derive(Debug, Serialize, ToSchema)]
pub struct Home {
    /// The origin office's code.
    pub office: String,
    /// The status at home on the date; null before the GI's first legal event.
    #[schema(value_type = Option<crate::domain::gi_status::GiStatus>)]
    pub status: Option<String>,
    /// The numbers as they stood on the date (null before filing, registration).
    pub file_number: Option<String>,
    pub registration_number: Option<String>,
    pub filed_on: Option<NaiveDate>,
    pub registered_on: Option<NaiveDate>,
    /// The names protected at home on the date (none unless `registered`).
    pub protected_names: Vec<String>,
    /// The names the registration left out, each with its reason.
    pub excluded_names: Vec<ExcludedName>,
    /// Earlier rights the registration coexists with (oppositions settled at home).
    pub coexisting_rights: Vec<CoexistingRight>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Protection {
    pub gi_id: i64,
    pub as_of: NaiveDate,
    pub home: Home,
    pub territories: Vec<Territory>,
}

/// The GI at home on `as_of`, as known at `known_at`: a filing or registration recorded
/// later is not shown.
fn home_on(
    conn: &mut AnyConnection,
    (gi, office): GiWithOffice,
    names: &[(i64, String)],
    as_of: NaiveDate,
    known_at: NaiveDateTime,
) -> Result<Home, AppError> {
    let status = events::gi_status_on(conn, gi.id, as_of, known_at)?;
    let (filing_known, registration_known) = events::gi_numbers_known(conn, &[gi.id], known_at)?
        .get(&gi.id)
        .copied()
        .unwrap_or_default();
    let registered = status.as_deref() == Some(GiStatus::Registered.as_str());
    let excluded_names = if registered {
        events::gi_latest_details_of(conn, gi.id, REGISTERING, as_of, known_at)?
            .and_then(|details| {
                let details: serde_json::Value = serde_json::from_str(&details).ok()?;
                serde_json::from_value(details.get("excluded_names")?.clone()).ok()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let protected_names = if registered {
        protected_names(names, &excluded_names)
    } else {
        Vec::new()
    };
    let mut coexisting_rights = Vec::new();
    for details in events::gi_details_of_type(conn, gi.id, "opposition_settled", as_of, known_at)? {
        let rights = serde_json::from_str::<serde_json::Value>(&details)
            .ok()
            .and_then(|d| {
                serde_json::from_value::<Vec<CoexistingRight>>(d.get("coexisting_rights")?.clone())
                    .ok()
            });
        coexisting_rights.extend(rights.unwrap_or_default());
    }
    let by = |date: Option<NaiveDate>| date.filter(|d| *d <= as_of);
    let filed_on = by(gi.filed_on).filter(|_| filing_known);
    let registered_on = by(gi.registered_on).filter(|_| registration_known);
    Ok(Home {
        office,
        status,
        file_number: gi.file_number.filter(|_| filed_on.is_some()),
        registration_number: gi.registration_number.filter(|_| registered_on.is_some()),
        filed_on,
        registered_on,
        protected_names,
        excluded_names,
        coexisting_rights,
    })
}

/// The GI events that register it at home, with the names they leave out.
const REGISTERING: &[&str] = &["register", "appeal_allowed"];

/// Each recognition's state on `as_of`, from its events recorded by `known_at` (None:
/// not yet submitted then, or not yet recorded).
pub fn states_as_of(
    conn: &mut AnyConnection,
    list: &[Recognition],
    as_of: NaiveDate,
    known_at: NaiveDateTime,
) -> Result<Vec<Option<Snapshot>>, AppError> {
    let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
    let mut by_recognition: HashMap<i64, Vec<Event>> = HashMap::new();
    for event in events::of_entities(conn, "recognition", &ids)?
        .into_iter()
        .filter(|e| crate::domain::known_at::known_by(e.recorded_at, known_at))
    {
        by_recognition
            .entry(event.entity_id)
            .or_default()
            .push(event);
    }
    Ok(list
        .iter()
        .map(|r| {
            by_recognition
                .get(&r.id)
                .and_then(|evs| Snapshot::as_of(evs, as_of))
        })
        .collect())
}

/// On SQLite, two queries besides the GI's: its recognitions with the codes shown, and
/// the details of their events up to `as_of`, newest first, of which only the first
/// that carries a state is parsed for each recognition (what `Snapshot::as_of` picks).
///
/// Without `as_of`, "today" is the reader's own office's local date, or else the GI's
/// origin office's (`calendars::reader_today`); a later `as_of` is refused.
pub fn protection(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    gi_id: i64,
    as_of: Option<NaiveDate>,
    known_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Protection, AppError> {
    // A date in the future is refused before a GI that cannot be read is a 404 (as
    // bad input is answered first everywhere), on the UTC date when there is none.
    let gi = load_visible(conn, reader, gi_id);
    let origin = gi.as_ref().ok().map(|(gi, _)| gi.origin_office_id);
    let today = reader_today(conn, reader, origin, now)?;
    let as_of = as_of_or_today(as_of, today)?;
    let known_at = known_at_or_now(known_at)?;
    let gi = gi?;
    let names = names_of_gi(conn, gi_id)?;
    let home = home_on(conn, gi, &names, as_of, known_at)?;
    if let AnyConnection::Postgres(_) = conn {
        // PostgreSQL plans a reused statement once for any GI and date (a generic plan),
        // which measured far slower than the per-request IN lists of this path.
        return protection_by_lists(conn, gi_id, as_of, known_at, home, &names);
    }
    let list = recognitions::of_gi_with_codes(conn, gi_id)?;
    let mut states: HashMap<i64, Snapshot> = HashMap::with_capacity(list.len());
    if !list.is_empty() {
        for (recognition_id, details) in
            events::recognition_details_of_gi(conn, gi_id, as_of, known_at)?
        {
            if states.contains_key(&recognition_id) {
                continue;
            }
            if let Some(state) = Snapshot::from_details(&details) {
                states.insert(recognition_id, state);
            }
        }
    }
    let territories = list
        .into_iter()
        .filter_map(|(recognition_id, programme, partner, jurisdiction)| {
            let state = states.remove(&recognition_id)?;
            Some(Territory::new(
                programme,
                (partner, jurisdiction),
                recognition_id,
                state,
                &names,
            ))
        })
        .collect();
    Ok(Protection {
        gi_id,
        as_of,
        home,
        territories,
    })
}

/// The GI's recognitions, their events and the offices and programmes they name, each
/// read by an IN list.
fn protection_by_lists(
    conn: &mut AnyConnection,
    gi_id: i64,
    as_of: NaiveDate,
    known_at: NaiveDateTime,
    home: Home,
    gi_names: &[(i64, String)],
) -> Result<Protection, AppError> {
    let list = recognitions::of_gi(conn, gi_id)?;
    let states = states_as_of(conn, &list, as_of, known_at)?;
    let names = Names::load_for(conn, &list)?;
    let territories = list
        .iter()
        .zip(states)
        .filter_map(|(r, state)| {
            Some(Territory::new(
                names.programme(r.programme_id),
                names.office(r.partner_office_id),
                r.id,
                state?,
                gi_names,
            ))
        })
        .collect();
    Ok(Protection {
        gi_id,
        as_of,
        home,
        territories,
    })
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecognitionQuery {
    /// The programme's code.
    pub programme: Option<String>,
    /// The partner office's code.
    pub partner: Option<String>,
    /// The origin office's code.
    pub origin: Option<String>,
    pub status: Option<RecognitionStatus>,
    /// Answer as the recognitions stood on this date (status and dates from events); not
    /// a future date (for the reader's office, else the partner or origin office named).
    pub as_of: Option<NaiveDate>,
    /// Answer as the register knew it at this moment (RFC 3339; default now, not later):
    /// only events recorded by then count.
    #[param(value_type = Option<String>, format = DateTime)]
    pub known_at: Option<DateTime<Utc>>,
}

/// Refuses an `as_of` after today, where today is the reader's office's local date, or
/// else that of the partner (or origin) office the query names, and a `known_at` after
/// now. A `known_at` without `as_of` asks for today as known then: `as_of` is set to
/// today; a `known_at` is resolved to the microsecond.
pub fn check_list_as_of(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    query: &mut RecognitionQuery,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if query.known_at.is_some() {
        query.known_at = Some(known_at_or_now(query.known_at)?.and_utc());
    }
    if query.as_of.is_none() && query.known_at.is_none() {
        return Ok(());
    }
    let about = office_of_filters(conn, query.partner.as_deref(), query.origin.as_deref())?;
    let today = reader_today(conn, reader, about, now)?;
    query.as_of = Some(as_of_or_today(query.as_of, today)?);
    Ok(())
}

/// One recognition, now or (with `as_of` or `known_at`) as it stood on a date as known
/// at a moment: None when it was not yet submitted on that date, or not yet recorded.
pub fn recognition_as_of(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    id: i64,
    as_of: Option<NaiveDate>,
    known_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(RecognitionView, bool), AppError> {
    let r = super::recognitions::load_visible_recognition(conn, reader, id);
    let partner = r.as_ref().ok().map(|r| r.partner_office_id);
    if as_of.is_none() && known_at.is_none() {
        return Ok((Names::load(conn)?.current(&r?), true));
    }
    let today = reader_today(conn, reader, partner, now)?;
    let as_of = as_of_or_today(as_of, today)?;
    let known_at = known_at_or_now(known_at)?;
    let r = r?;
    let state = states_as_of(conn, std::slice::from_ref(&r), as_of, known_at)?
        .pop()
        .flatten()
        .ok_or_else(|| {
            AppError::not_found(format!(
                "recognition {id} as of {as_of} as known at {}",
                crate::utc::format(known_at)
            ))
        })?;
    Ok((Names::load(conn)?.view(&r, state), false))
}

/// The SQL filter of a query, or None when a named programme or office does not exist
/// (nothing can match).
pub fn filter_of(
    conn: &mut AnyConnection,
    query: &RecognitionQuery,
) -> Result<Option<RecognitionFilter>, AppError> {
    let mut filter = RecognitionFilter::default();
    if let Some(code) = &query.programme {
        match programmes::by_code(conn, code)? {
            Some(p) => filter.programme_id = Some(p.id),
            None => return Ok(None),
        }
    }
    for (code, slot) in [
        (&query.partner, &mut filter.partner_office_id),
        (&query.origin, &mut filter.origin_office_id),
    ] {
        if let Some(code) = code {
            match offices::by_code(conn, code)? {
                Some(o) => *slot = Some(o.id),
                None => return Ok(None),
            }
        }
    }
    if query.as_of.is_none() {
        filter.status = query.status.map(|s| s.as_str().to_string());
    }
    Ok(Some(filter))
}

/// One page of recognitions in id order after `after_id`: the views and, when more
/// follow, the id to continue after. With `as_of`, states come from the events and the
/// status filter applies to the state on that date; recognitions not yet submitted then
/// are left out.
pub fn page(
    conn: &mut AnyConnection,
    query: &RecognitionQuery,
    after_id: i64,
    limit: i64,
) -> Result<(Vec<RecognitionView>, Option<i64>), AppError> {
    let Some(filter) = filter_of(conn, query)? else {
        return Ok((Vec::new(), None));
    };
    let names = Names::load(conn)?;
    let Some(as_of) = query.as_of else {
        let mut rows = recognitions::list(conn, &filter, after_id, limit + 1)?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next = if more {
            rows.last().map(|r| r.id)
        } else {
            None
        };
        return Ok((rows.iter().map(|r| names.current(r)).collect(), next));
    };
    let known_at = match query.known_at {
        Some(at) => at.naive_utc(),
        None => Utc::now().naive_utc(),
    };
    let wanted = query.status.map(|s| s.as_str());
    let mut out = Vec::new();
    let mut cursor = after_id;
    let batch = (limit * 2).clamp(50, 1000);
    loop {
        let rows = recognitions::list(conn, &filter, cursor, batch)?;
        let exhausted = (rows.len() as i64) < batch;
        let states = states_as_of(conn, &rows, as_of, known_at)?;
        for (r, state) in rows.iter().zip(states) {
            cursor = r.id;
            let Some(state) = state else { continue };
            if wanted.is_some_and(|w| w != state.status) {
                continue;
            }
            if out.len() as i64 == limit {
                // One more match exists: the page ends at the previous one.
                let next = out.last().map(|v: &RecognitionView| v.id);
                return Ok((out, next));
            }
            out.push(names.view(r, state));
        }
        if exhausted {
            return Ok((out, None));
        }
    }
}

#[cfg(test)]
mod as_of_tests {
    use super::*;

    #[test]
    fn as_of_is_today_or_earlier() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let yesterday = today.pred_opt().unwrap();
        assert_eq!(as_of_or_today(None, today).unwrap(), today);
        assert_eq!(as_of_or_today(Some(today), today).unwrap(), today);
        assert_eq!(as_of_or_today(Some(yesterday), today).unwrap(), yesterday);
        assert!(as_of_or_today(today.succ_opt(), today).is_err());
    }
}
