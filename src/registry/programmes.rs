//! Programmes: mutual-recognition agreements between two or more offices.

use chrono::{NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use super::acting::Acting;
use crate::audit::AuditRecord;
use crate::db::AnyConnection;
use crate::domain::identifiers::validate;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::store::programmes::{self, NewProgramme, Programme, ProgrammeChanges};
use crate::store::{audit, offices};

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeView {
    pub id: i64,
    pub code: String,
    pub title: String,
    /// Office codes of the parties.
    pub parties: Vec<String>,
    pub signed_on: Option<NaiveDate>,
    pub in_force_on: Option<NaiveDate>,
    pub legal_instrument: Option<String>,
    /// How long a partner office has to decide a recognition.
    pub decision_period_days: i32,
    /// A GI not refused within the decision period is protected.
    pub tacit_protection: bool,
    /// Only GIs registered at home may be submitted.
    pub requires_origin_registration: bool,
    pub version: i32,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProgramme {
    /// e.g. `CN-TH`.
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    #[validate(custom(function = "validate::office_code"))]
    pub code: String,
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300), custom(function = "validate::not_blank"))]
    pub title: String,
    /// Office codes, two or more.
    #[schema(min_items = 2, max_items = 50)]
    #[validate(length(min = 2, max = 50), custom(function = "distinct_parties"))]
    pub parties: Vec<String>,
    pub signed_on: Option<NaiveDate>,
    pub in_force_on: Option<NaiveDate>,
    #[schema(min_length = 1, max_length = 1000)]
    #[validate(length(min = 1, max = 1000))]
    pub legal_instrument: Option<String>,
    #[schema(minimum = 1, maximum = 3660)]
    #[validate(range(min = 1, max = 3660))]
    pub decision_period_days: i32,
    #[serde(default)]
    pub tacit_protection: bool,
    #[serde(default = "default_true")]
    pub requires_origin_registration: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendProgramme {
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300), custom(function = "validate::not_blank"))]
    pub title: Option<String>,
    /// The full new list of parties (two or more); a party with recognitions stays.
    #[schema(min_items = 2, max_items = 50)]
    #[validate(length(min = 2, max = 50), custom(function = "distinct_parties"))]
    pub parties: Option<Vec<String>>,
    pub signed_on: Option<NaiveDate>,
    pub in_force_on: Option<NaiveDate>,
    #[schema(min_length = 1, max_length = 1000)]
    #[validate(length(min = 1, max = 1000))]
    pub legal_instrument: Option<String>,
    #[schema(minimum = 1, maximum = 3660)]
    #[validate(range(min = 1, max = 3660))]
    pub decision_period_days: Option<i32>,
    pub tacit_protection: Option<bool>,
    pub requires_origin_registration: Option<bool>,
}

fn distinct_parties(parties: &[String]) -> Result<(), ValidationError> {
    let mut sorted: Vec<&String> = parties.iter().collect();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != parties.len() {
        return Err(ValidationError::new("parties").with_message("lists an office twice".into()));
    }
    Ok(())
}

pub fn view(conn: &mut AnyConnection, programme: Programme) -> Result<ProgrammeView, AppError> {
    let parties = programmes::parties(conn, programme.id)?
        .into_iter()
        .map(|(_, code)| code)
        .collect();
    Ok(ProgrammeView {
        id: programme.id,
        code: programme.code,
        title: programme.title,
        parties,
        signed_on: programme.signed_on,
        in_force_on: programme.in_force_on,
        legal_instrument: programme.legal_instrument,
        decision_period_days: programme.decision_period_days,
        tacit_protection: programme.tacit_protection,
        requires_origin_registration: programme.requires_origin_registration,
        version: programme.version,
        created_at: programme.created_at,
        updated_at: programme.updated_at,
    })
}

fn office_ids(conn: &mut AnyConnection, codes: &[String]) -> Result<Vec<i64>, AppError> {
    codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            offices::by_code(conn, code)?.map(|o| o.id).ok_or_else(|| {
                AppError::invalid(
                    format!("parties[{i}]"),
                    format!("no office has code {code}"),
                )
            })
        })
        .collect()
}

fn check_dates(
    signed_on: Option<NaiveDate>,
    in_force_on: Option<NaiveDate>,
) -> Result<(), AppError> {
    match (signed_on, in_force_on) {
        (Some(signed), Some(in_force)) if in_force < signed => {
            Err(AppError::invalid("in_force_on", "is before signed_on"))
        }
        _ => Ok(()),
    }
}

pub fn create(
    conn: &mut AnyConnection,
    acting: &Acting,
    body: CreateProgramme,
) -> Result<ProgrammeView, AppError> {
    acting.authorize(Action::ManageProgrammes)?;
    check_dates(body.signed_on, body.in_force_on)?;
    let parties = office_ids(conn, &body.parties)?;
    let now = Utc::now().naive_utc();
    let id = programmes::insert(
        conn,
        &NewProgramme {
            code: body.code,
            title: body.title,
            signed_on: body.signed_on,
            in_force_on: body.in_force_on,
            legal_instrument: body.legal_instrument,
            decision_period_days: body.decision_period_days,
            tacit_protection: body.tacit_protection,
            requires_origin_registration: body.requires_origin_registration,
            created_at: now,
            updated_at: now,
        },
    )?;
    programmes::set_parties(conn, id, &parties)?;
    let programme = programmes::by_id(conn, id)?.ok_or_else(|| AppError::not_found("programme"))?;
    let view = view(conn, programme)?;
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "programme.create",
            "programme",
            &view.code,
            json!(view),
        )
        .public(),
    )?;
    Ok(view)
}

pub fn amend(
    conn: &mut AnyConnection,
    acting: &Acting,
    code: &str,
    expected_version: Option<i32>,
    body: AmendProgramme,
) -> Result<ProgrammeView, AppError> {
    acting.authorize(Action::ManageProgrammes)?;
    let programme =
        programmes::by_code(conn, code)?.ok_or_else(|| AppError::not_found("programme"))?;
    if expected_version.is_some_and(|v| v != programme.version) {
        return Err(AppError::PreconditionFailed {
            current: programme.version,
        });
    }
    check_dates(
        body.signed_on.or(programme.signed_on),
        body.in_force_on.or(programme.in_force_on),
    )?;
    if let Some(parties) = &body.parties {
        let ids = office_ids(conn, parties)?;
        let removed: Vec<i64> = programmes::parties(conn, programme.id)?
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| !ids.contains(id))
            .collect();
        if crate::store::recognitions::count_involving(conn, programme.id, &removed)? > 0 {
            return Err(AppError::conflict(
                "party_has_recognitions",
                "a party with recognitions under this programme cannot be removed",
            ));
        }
        programmes::set_parties(conn, programme.id, &ids)?;
    }
    let changes = ProgrammeChanges {
        title: body.title,
        signed_on: body.signed_on.map(Some),
        in_force_on: body.in_force_on.map(Some),
        legal_instrument: body.legal_instrument.map(Some),
        decision_period_days: body.decision_period_days,
        tacit_protection: body.tacit_protection,
        requires_origin_registration: body.requires_origin_registration,
    };
    if !programmes::update(
        conn,
        programme.id,
        programme.version,
        &changes,
        Utc::now().naive_utc(),
    )? {
        return Err(AppError::PreconditionFailed {
            current: programme.version,
        });
    }
    let programme =
        programmes::by_id(conn, programme.id)?.ok_or_else(|| AppError::not_found("programme"))?;
    let view = view(conn, programme)?;
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "programme.amend",
            "programme",
            &view.code,
            json!(view),
        )
        .public(),
    )?;
    Ok(view)
}
