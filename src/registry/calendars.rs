//! Offices' legal calendars and periods, as stored: which date it is for an office,
//! and how its deadlines are computed.

use chrono::{DateTime, NaiveDate, Utc};

use crate::db::AnyConnection;
use crate::domain::calendar::{parse_time_zone, parse_weekend, Calendar, Deadline, Holiday};
use crate::domain::period::Period;
use crate::domain::role::Actor;
use crate::error::AppError;
use crate::store::holidays;
use crate::store::offices::{self, Office};
use crate::store::programmes::Programme;

/// The office's calendar with its holidays.
pub fn calendar_of(conn: &mut AnyConnection, office: &Office) -> Result<Calendar, AppError> {
    let holidays = holidays::of_office(conn, office.id)?
        .into_iter()
        .map(|row| Holiday {
            on: row.holiday_on,
            yearly: row.yearly,
        })
        .collect();
    Ok(Calendar {
        holidays,
        ..calendar_without_holidays(office)
    })
}

/// Time zone, weekend and rolling of an office (what its row holds).
pub fn calendar_without_holidays(office: &Office) -> Calendar {
    let weekend_names: Vec<String> = serde_json::from_str(&office.weekend).unwrap_or_default();
    Calendar {
        time_zone: parse_time_zone(&office.time_zone).unwrap_or(chrono_tz::Tz::UTC),
        weekend: parse_weekend(&weekend_names).unwrap_or_default(),
        holidays: Vec::new(),
        rolls_forward: office.deadline_rolls_forward,
    }
}

/// The date it is at `now` for the office `office_id` (its local date).
pub fn today_at(
    conn: &mut AnyConnection,
    office_id: i64,
    now: DateTime<Utc>,
) -> Result<NaiveDate, AppError> {
    let office = offices::by_id(conn, office_id)?.ok_or_else(|| AppError::not_found("office"))?;
    Ok(calendar_without_holidays(&office).today(now))
}

pub fn opposition_period(office: &Office) -> Period {
    office
        .opposition_period
        .parse()
        .or_else(|_| Period::of_days(office.opposition_period_days))
        .unwrap_or(Period::Days(0))
}

pub fn decision_period(programme: &Programme) -> Period {
    programme
        .decision_period
        .parse()
        .or_else(|_| Period::of_days(programme.decision_period_days))
        .unwrap_or(Period::Days(0))
}

/// A deadline's basis as stored beside it.
pub fn basis_json(deadline: &Deadline) -> String {
    serde_json::to_string(deadline).unwrap_or_default()
}

/// A stored basis, or (for deadlines set before bases were kept) the bare date.
pub fn basis_of(stored: Option<&str>) -> Option<Deadline> {
    stored.and_then(|text| serde_json::from_str(text).ok())
}

/// "Today" for a question asked at `now`: the local date of the asker's own office (an
/// examiner's or office administrator's; for an association user, `Actor::office_id` is
/// the association's office); otherwise of the office the question is about (`about`: a
/// GI's origin office, a list's partner or origin office); otherwise the UTC date.
pub fn reader_today(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    about: Option<i64>,
    now: DateTime<Utc>,
) -> Result<NaiveDate, AppError> {
    match reader.and_then(|actor| actor.office_id).or(about) {
        Some(office_id) => today_at(conn, office_id, now),
        None => Ok(now.date_naive()),
    }
}

/// `reader_today` about a GI whose origin office's time zone is at hand: no query for a
/// reader of no office (the public).
pub fn reader_today_at_origin(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    origin_office_id: i64,
    origin_time_zone: &str,
    now: DateTime<Utc>,
) -> Result<NaiveDate, AppError> {
    match reader {
        Some(Actor {
            office_id: Some(_), ..
        }) => reader_today(conn, reader, Some(origin_office_id), now),
        _ => Ok(now
            .with_timezone(&parse_time_zone(origin_time_zone).unwrap_or(chrono_tz::Tz::UTC))
            .date_naive()),
    }
}

/// The office a list's filters are about: its partner, else its origin (None when it
/// names neither, or names no office).
pub fn office_of_filters(
    conn: &mut AnyConnection,
    partner: Option<&str>,
    origin: Option<&str>,
) -> Result<Option<i64>, AppError> {
    match partner.or(origin) {
        Some(code) => Ok(offices::by_code(conn, code)?.map(|o| o.id)),
        None => Ok(None),
    }
}
