//! Offices: created and amended by admins.

use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::acting::Acting;
use crate::audit::AuditRecord;
use crate::db::AnyConnection;
use crate::domain::identifiers::validate;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::store::{audit, offices};

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeView {
    pub id: i64,
    pub code: String,
    pub jurisdiction: String,
    pub name: String,
    pub opposition_period_days: i32,
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
        Self {
            id: office.id,
            code: office.code,
            jurisdiction: office.jurisdiction,
            name: office.name,
            opposition_period_days: office.opposition_period_days,
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
    /// The national opposition period (Thailand 90, China 60).
    #[schema(minimum = 0, maximum = 3660)]
    #[validate(range(min = 0, max = 3660))]
    pub opposition_period_days: i32,
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
    #[schema(minimum = 0, maximum = 3660)]
    #[validate(range(min = 0, max = 3660))]
    pub opposition_period_days: Option<i32>,
    #[schema(max_items = 20)]
    #[validate(length(max = 20), custom(function = "validate::language_tags"))]
    pub languages: Option<Vec<String>>,
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
    let now = Utc::now().naive_utc();
    let office = offices::insert(
        conn,
        &offices::NewOffice {
            code: body.code,
            jurisdiction: body.jurisdiction,
            name: body.name,
            opposition_period_days: body.opposition_period_days,
            languages: languages_json(&body.languages),
            created_at: now,
            updated_at: now,
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
    let changes = offices::OfficeChanges {
        jurisdiction: body.jurisdiction,
        name: body.name,
        opposition_period_days: body.opposition_period_days,
        languages: body.languages.as_deref().map(languages_json),
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
