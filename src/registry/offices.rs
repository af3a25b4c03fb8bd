//! Offices: created and amended by admins, read by anyone.

use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use super::acting::Acting;
use super::calendars::{calendar_without_holidays, opposition_period};
use crate::audit::AuditRecord;
use crate::db::AnyConnection;
use crate::domain::calendar::{parse_time_zone, parse_weekend, weekday_name, DEFAULT_WEEKEND};
use crate::domain::identifiers::validate;
use crate::domain::period::Period;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::store::{audit, offices};

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeView {
    pub id: i64,
    pub code: String,
    pub jurisdiction: String,
    pub name: String,
    /// The national opposition period, an ISO 8601 duration in days or months
    /// (Thailand `P90D`, China `P2M`).
    #[schema(value_type = String, example = "P90D")]
    pub opposition_period: Period,
    /// The same period in days; null when it is counted in months.
    pub opposition_period_days: Option<i32>,
    /// IANA time zone: "today" for the office's examiners is the date there.
    pub time_zone: String,
    /// The office's weekly non-working days (`mon` … `sun`).
    pub weekend: Vec<String>,
    /// A deadline that ends on a weekend day or holiday moves to the next working day.
    pub deadline_rolls_forward: bool,
    pub languages: Vec<String>,
    pub version: i32,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub updated_at: NaiveDateTime,
}

impl From<offices::Office> for OfficeView {
    fn from(office: offices::Office) -> Self {
        let languages = office.language_list();
        let period = opposition_period(&office);
        let calendar = calendar_without_holidays(&office);
        Self {
            id: office.id,
            code: office.code,
            jurisdiction: office.jurisdiction,
            name: office.name,
            opposition_period: period,
            opposition_period_days: period.days(),
            time_zone: calendar.time_zone.name().to_string(),
            weekend: calendar
                .weekend
                .iter()
                .map(|day| weekday_name(*day).to_string())
                .collect(),
            deadline_rolls_forward: office.deadline_rolls_forward,
            languages,
            version: office.version,
            created_at: office.created_at,
            updated_at: office.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOffice {
    /// `CNIPA`, `DIP`: 2–16 capitals, digits, `-`, `_`.
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    #[validate(custom(function = "validate::office_code"))]
    pub code: String,
    /// ISO 3166-1 alpha-2, or a regional code such as `EU`.
    #[schema(pattern = r"^[A-Z]{2,5}$")]
    #[validate(custom(function = "validate::jurisdiction"))]
    pub jurisdiction: String,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200), custom(function = "validate::not_blank"))]
    pub name: String,
    /// The national opposition period, in days or months (`P90D`, `P2M`); this or
    /// `opposition_period_days`.
    #[schema(value_type = Option<String>, pattern = r"^P[0-9]{1,4}[DM]$", example = "P2M")]
    pub opposition_period: Option<Period>,
    /// The opposition period in days (Thailand 90), for clients that predate
    /// `opposition_period`.
    #[schema(minimum = 0, maximum = 3660)]
    #[validate(range(min = 0, max = 3660))]
    pub opposition_period_days: Option<i32>,
    /// IANA time zone, `UTC` when absent.
    #[schema(example = "Asia/Bangkok")]
    #[validate(custom(function = "valid_time_zone"))]
    pub time_zone: Option<String>,
    /// Weekly non-working days, `["sat", "sun"]` when absent.
    #[schema(max_items = 6)]
    #[validate(custom(function = "valid_weekend"))]
    pub weekend: Option<Vec<String>>,
    /// Move deadlines off non-working days (default true).
    pub deadline_rolls_forward: Option<bool>,
    /// BCP-47 tags.
    #[serde(default)]
    #[schema(max_items = 20)]
    #[validate(length(max = 20), custom(function = "validate::language_tags"))]
    pub languages: Vec<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOffice {
    #[schema(pattern = r"^[A-Z]{2,5}$")]
    #[validate(custom(function = "validate::jurisdiction"))]
    pub jurisdiction: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200), custom(function = "validate::not_blank"))]
    pub name: Option<String>,
    #[schema(value_type = Option<String>, pattern = r"^P[0-9]{1,4}[DM]$", example = "P2M")]
    pub opposition_period: Option<Period>,
    #[schema(minimum = 0, maximum = 3660)]
    #[validate(range(min = 0, max = 3660))]
    pub opposition_period_days: Option<i32>,
    #[schema(example = "Asia/Bangkok")]
    #[validate(custom(function = "valid_time_zone"))]
    pub time_zone: Option<String>,
    #[schema(max_items = 6)]
    #[validate(custom(function = "valid_weekend"))]
    pub weekend: Option<Vec<String>>,
    pub deadline_rolls_forward: Option<bool>,
    #[schema(max_items = 20)]
    #[validate(length(max = 20), custom(function = "validate::language_tags"))]
    pub languages: Option<Vec<String>>,
}

fn valid_time_zone(name: &str) -> Result<(), ValidationError> {
    parse_time_zone(name)
        .map(|_| ())
        .map_err(|why| ValidationError::new("time_zone").with_message(why.into()))
}

fn valid_weekend(days: &[String]) -> Result<(), ValidationError> {
    parse_weekend(days)
        .map(|_| ())
        .map_err(|why| ValidationError::new("weekend").with_message(why.into()))
}

/// The period given as `opposition_period` or `opposition_period_days` (None: neither);
/// both must agree.
fn period_of(period: Option<Period>, days: Option<i32>) -> Result<Option<Period>, AppError> {
    let from_days = days
        .map(Period::of_days)
        .transpose()
        .map_err(|e| AppError::invalid("opposition_period_days", e.to_string()))?;
    match (period, from_days) {
        (Some(p), Some(d)) if p != d => Err(AppError::invalid(
            "opposition_period",
            format!("{p} disagrees with opposition_period_days; give one of them"),
        )),
        (Some(p), _) | (None, Some(p)) => Ok(Some(p)),
        (None, None) => Ok(None),
    }
}

fn weekend_json(days: &[String]) -> String {
    serde_json::to_string(days).unwrap_or_else(|_| "[]".into())
}

/// Offices ordered by code after `after_code`, at most `limit`.
pub fn list(
    conn: &mut AnyConnection,
    after_code: Option<&str>,
    limit: i64,
) -> Result<Vec<offices::Office>, AppError> {
    offices::list(conn, after_code, limit)
}

pub fn read(conn: &mut AnyConnection, code: &str) -> Result<OfficeView, AppError> {
    offices::by_code(conn, code)?
        .map(OfficeView::from)
        .ok_or_else(|| AppError::not_found("office"))
}

fn languages_json(languages: &[String]) -> String {
    serde_json::to_string(languages).unwrap_or_else(|_| "[]".into())
}

pub fn create(
    conn: &mut AnyConnection,
    acting: &Acting,
    body: CreateOffice,
) -> Result<OfficeView, AppError> {
    acting.authorize(Action::ManageOffices)?;
    let period =
        period_of(body.opposition_period, body.opposition_period_days)?.ok_or_else(|| {
            AppError::invalid(
                "opposition_period",
                "is required: give `opposition_period` or `opposition_period_days`",
            )
        })?;
    let weekend = body
        .weekend
        .unwrap_or_else(|| DEFAULT_WEEKEND.map(String::from).to_vec());
    let now = Utc::now().naive_utc();
    let office = offices::insert(
        conn,
        &offices::NewOffice {
            code: body.code,
            jurisdiction: body.jurisdiction,
            name: body.name,
            opposition_period_days: period.days().unwrap_or(0),
            languages: languages_json(&body.languages),
            created_at: now,
            updated_at: now,
            time_zone: body.time_zone.unwrap_or_else(|| "UTC".into()),
            weekend: weekend_json(&weekend),
            deadline_rolls_forward: body.deadline_rolls_forward.unwrap_or(true),
            opposition_period: period.to_string(),
        },
    )?;
    let view = OfficeView::from(office);
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "office.create",
            "office",
            &view.code,
            json!(view),
        ),
    )?;
    Ok(view)
}

/// Amends an office, only at `expected_version` when one is given.
pub fn update(
    conn: &mut AnyConnection,
    acting: &Acting,
    code: &str,
    expected_version: Option<i32>,
    body: UpdateOffice,
) -> Result<OfficeView, AppError> {
    acting.authorize(Action::ManageOffices)?;
    let office = offices::by_code(conn, code)?.ok_or_else(|| AppError::not_found("office"))?;
    if expected_version.is_some_and(|v| v != office.version) {
        return Err(AppError::PreconditionFailed {
            current: office.version,
        });
    }
    let period = period_of(body.opposition_period, body.opposition_period_days)?;
    let changes = offices::OfficeChanges {
        jurisdiction: body.jurisdiction,
        name: body.name,
        opposition_period_days: period.map(|p| p.days().unwrap_or(0)),
        languages: body.languages.as_deref().map(languages_json),
        time_zone: body.time_zone,
        weekend: body.weekend.as_deref().map(weekend_json),
        deadline_rolls_forward: body.deadline_rolls_forward,
        opposition_period: period.map(|p| p.to_string()),
    };
    if !offices::update(
        conn,
        office.id,
        office.version,
        &changes,
        Utc::now().naive_utc(),
    )? {
        return Err(AppError::PreconditionFailed {
            current: office.version,
        });
    }
    let updated = offices::by_id(conn, office.id)?.ok_or_else(|| AppError::not_found("office"))?;
    let view = OfficeView::from(updated);
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "office.update",
            "office",
            &view.code,
            json!(view),
        ),
    )?;
    Ok(view)
}
