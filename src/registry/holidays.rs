//! An office's holidays: read by anyone, set by its own office administrator or an
//! administrator, imported from iCalendar files by the operator.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::acting::Acting;
use crate::audit::{AuditActor, AuditRecord};
use crate::db::AnyConnection;
use crate::domain::icalendar::IcsHoliday;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::store::audit;
use crate::store::holidays::{self, HolidayRow};
use crate::store::offices::{self, Office};

#[derive(Debug, Serialize, ToSchema)]
pub struct HolidayView {
    pub date: NaiveDate,
    pub label: Option<String>,
    /// On this month and day every year from this date's year on.
    pub yearly: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Holidays {
    /// The office's code.
    pub office: String,
    pub items: Vec<HolidayView>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddHolidays {
    /// The non-working days; a date already listed is relabelled.
    #[schema(min_items = 1, max_items = 366)]
    #[validate(length(min = 1, max = 366))]
    pub dates: Vec<NaiveDate>,
    /// e.g. `Labour Day`.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub label: Option<String>,
    /// The same month and day every year from then on (default false).
    #[serde(default)]
    pub yearly: bool,
}

fn office(conn: &mut AnyConnection, code: &str) -> Result<Office, AppError> {
    offices::by_code(conn, code)?.ok_or_else(|| AppError::not_found("office"))
}

/// The office, once the caller is known to manage its calendar (so that a caller who
/// may not learns nothing of the body's rules).
pub fn authorize(conn: &mut AnyConnection, acting: &Acting, code: &str) -> Result<(), AppError> {
    let office = office(conn, code)?;
    acting.authorize(Action::ManageCalendar {
        office_id: office.id,
    })
}

pub fn list(conn: &mut AnyConnection, code: &str) -> Result<Holidays, AppError> {
    let office = office(conn, code)?;
    let items = holidays::of_office(conn, office.id)?
        .into_iter()
        .map(|row| HolidayView {
            date: row.holiday_on,
            label: row.label,
            yearly: row.yearly,
        })
        .collect();
    Ok(Holidays {
        office: office.code,
        items,
    })
}

fn put_all(
    conn: &mut AnyConnection,
    who: &AuditActor,
    office: &Office,
    list: &[IcsHoliday],
    how: &str,
) -> Result<(), AppError> {
    for holiday in list {
        holidays::put(
            conn,
            &HolidayRow {
                office_id: office.id,
                holiday_on: holiday.on,
                label: holiday.label.clone(),
                yearly: holiday.yearly,
            },
        )?;
    }
    let dates: Vec<String> = list.iter().map(|h| h.on.to_string()).collect();
    audit::append(
        conn,
        AuditRecord::new(
            who,
            "office.holidays.add",
            "office",
            &office.code,
            json!({ "dates": dates, "how": how }),
        ),
    )?;
    Ok(())
}

pub fn add(
    conn: &mut AnyConnection,
    acting: &Acting,
    code: &str,
    body: AddHolidays,
) -> Result<Holidays, AppError> {
    authorize(conn, acting, code)?;
    let office = office(conn, code)?;
    let label = body.label.filter(|l| !l.trim().is_empty());
    let added: Vec<IcsHoliday> = body
        .dates
        .iter()
        .map(|&on| IcsHoliday {
            on,
            label: label.clone(),
            yearly: body.yearly,
        })
        .collect();
    put_all(conn, &acting.audit, &office, &added, "api")?;
    list(conn, code)
}

pub fn remove(
    conn: &mut AnyConnection,
    acting: &Acting,
    code: &str,
    on: NaiveDate,
) -> Result<(), AppError> {
    authorize(conn, acting, code)?;
    let office = office(conn, code)?;
    if !holidays::remove(conn, office.id, on)? {
        return Err(AppError::not_found("holiday"));
    }
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "office.holidays.remove",
            "office",
            &office.code,
            json!({ "date": on }),
        ),
    )?;
    Ok(())
}

/// `terroir holidays import`: the operator's, so no caller to authorize.
pub fn import(
    conn: &mut AnyConnection,
    code: &str,
    list: &[IcsHoliday],
) -> Result<usize, AppError> {
    let office = office(conn, code)?;
    put_all(conn, &AuditActor::system(), &office, list, "ics")?;
    Ok(list.len())
}
