//! Programmes: mutual-recognition agreements between two or more offices.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use super::acting::Acting;
use super::calendars::{basis_json, calendar_of};
use super::programme_law::{changes_of, ProgrammeLaw};
use super::recognitions::record_recognition;
use crate::audit::AuditRecord;
use crate::db::AnyConnection;
use crate::domain::identifiers::validate;
use crate::domain::period::Period;
use crate::domain::permissions::Action;
use crate::domain::programme_terms::TermChanges;
use crate::error::AppError;
use crate::store::programmes::{self, NewProgramme, Programme, ProgrammeChanges};
use crate::store::recognitions::RecognitionChanges;
use crate::store::{audit, offices};

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeView {
    pub id: i64,
    pub code: String,
    pub title: String,
    /// Office codes of the parties in force on `as_of`.
    pub parties: Vec<String>,
    pub signed_on: Option<NaiveDate>,
    pub in_force_on: Option<NaiveDate>,
    pub legal_instrument: Option<String>,
    /// The date the terms below are in force on (today unless `?as_of=` says).
    pub as_of: NaiveDate,
    /// How long a partner office has to decide a recognition, an ISO 8601 duration in
    /// days or months (`P12M`, `P365D`).
    #[schema(value_type = String, example = "P12M")]
    pub decision_period: Period,
    /// The same period in days; null when it is counted in months.
    pub decision_period_days: Option<i32>,
    /// A GI not refused within the decision period is protected.
    pub tacit_protection: bool,
    /// A partner may refuse after the decision deadline (where the programme's text
    /// allows it); otherwise a late refusal is a 409 `decision_period_expired`.
    pub refusal_after_deadline: bool,
    /// A partner's refusal must state its remedies and their time limit (Lisbon Rule 9).
    pub lisbon_style_refusals: bool,
    /// The longest phase-out a protection may grant, from its date (e.g. `P24M`).
    #[schema(value_type = Option<String>, example = "P24M")]
    pub max_phase_out: Option<Period>,
    /// Only GIs registered at home may be submitted.
    pub requires_origin_registration: bool,
    /// Every dated amendment of the terms, by effective date.
    pub history: Vec<AmendmentView>,
    pub version: i32,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AmendmentView {
    pub effective_on: NaiveDate,
    /// e.g. `Joint Committee Decision No 1/2026`.
    pub decision_reference: String,
    pub changes: TermChanges,
    pub applies_to_pending: bool,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub recorded_at: NaiveDateTime,
}

/// A dated decision changing the programme's legal terms.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeAmendment {
    /// When the new terms take effect; may be in the future (decisions are often adopted
    /// before they take effect).
    pub effective_on: NaiveDate,
    /// e.g. `Joint Committee Decision No 1/2026`.
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300), custom(function = "validate::not_blank"))]
    pub decision_reference: String,
    /// What it sets: the terms (`decision_period`, `tacit_protection`,
    /// `requires_origin_registration`, `refusal_after_deadline`) and the particulars
    /// (`parties`, the full list from then on; `signed_on`, `in_force_on`,
    /// `legal_instrument`).
    pub changes: TermChanges,
    /// Whether pending recognitions are governed by it too, for their deadlines falling
    /// on or after `effective_on` (default false: a recognition keeps the terms of its
    /// submission date).
    #[serde(default)]
    pub applies_to_pending: bool,
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
    /// In days or months (`P12M`); this or `decision_period_days`.
    #[schema(value_type = Option<String>, pattern = r"^P[0-9]{1,4}[DM]$", example = "P12M")]
    pub decision_period: Option<Period>,
    /// The decision period in days, for clients that predate `decision_period`.
    #[schema(minimum = 1, maximum = 3660)]
    #[validate(range(min = 1, max = 3660))]
    pub decision_period_days: Option<i32>,
    #[serde(default)]
    pub tacit_protection: bool,
    #[serde(default)]
    pub refusal_after_deadline: bool,
    /// Refusals must state their remedies and remedy deadline (Lisbon Rule 9).
    #[serde(default)]
    pub lisbon_style_refusals: bool,
    /// The longest phase-out a protection may grant, e.g. `P2Y` (Lisbon Art. 5(6)).
    #[schema(value_type = Option<String>, pattern = r"^P[0-9]{1,4}[DMY]$", example = "P2Y")]
    #[serde(
        default,
        deserialize_with = "crate::domain::period::optional_with_years"
    )]
    pub max_phase_out: Option<Period>,
    #[serde(default = "default_true")]
    pub requires_origin_registration: bool,
}

fn default_true() -> bool {
    true
}

/// What PATCH changes: the title only. Everything legal (terms, parties, dates, the
/// instrument) changes by a dated amendment.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendProgramme {
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300), custom(function = "validate::not_blank"))]
    pub title: Option<String>,
    // The legal fields, read only to refuse them with a pointer to the amendments route,
    // and left out of the document.
    #[schema(ignore)]
    #[serde(default, deserialize_with = "sent")]
    pub parties: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default, deserialize_with = "sent")]
    pub signed_on: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default, deserialize_with = "sent")]
    pub in_force_on: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default, deserialize_with = "sent")]
    pub legal_instrument: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default, deserialize_with = "sent")]
    pub decision_period: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default, deserialize_with = "sent")]
    pub decision_period_days: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default, deserialize_with = "sent")]
    pub tacit_protection: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default, deserialize_with = "sent")]
    pub requires_origin_registration: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default, deserialize_with = "sent")]
    pub refusal_after_deadline: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default, deserialize_with = "sent")]
    pub lisbon_style_refusals: Option<serde_json::Value>,
    #[schema(ignore)]
    #[serde(default, deserialize_with = "sent")]
    pub max_phase_out: Option<serde_json::Value>,
}

/// Any value, `null` included, counts as sent.
fn sent<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(d).map(Some)
}

/// The period given as `decision_period` or `decision_period_days` (None: neither);
/// both must agree, and a decision period is never empty.
fn period_of(period: Option<Period>, days: Option<i32>) -> Result<Option<Period>, AppError> {
    let from_days = days
        .map(Period::of_days)
        .transpose()
        .map_err(|e| AppError::invalid("decision_period_days", e.to_string()))?;
    let chosen = match (period, from_days) {
        (Some(p), Some(d)) if p != d => {
            return Err(AppError::invalid(
                "decision_period",
                format!("{p} disagrees with decision_period_days; give one of them"),
            ))
        }
        (Some(p), _) | (None, Some(p)) => Some(p),
        (None, None) => None,
    };
    if matches!(chosen, Some(Period::Days(0) | Period::Months(0))) {
        return Err(AppError::invalid("decision_period", "is empty"));
    }
    Ok(chosen)
}

/// Programmes ordered by code after `after_code`, at most `limit`, as shown.
pub fn list(
    conn: &mut AnyConnection,
    after_code: Option<&str>,
    limit: i64,
    today: NaiveDate,
) -> Result<Vec<ProgrammeView>, AppError> {
    let rows = programmes::list(conn, after_code, limit)?;
    rows.into_iter().map(|p| view(conn, p, today)).collect()
}

/// The programme with the terms in force on `as_of`.
pub fn read(
    conn: &mut AnyConnection,
    code: &str,
    as_of: NaiveDate,
) -> Result<ProgrammeView, AppError> {
    let programme =
        programmes::by_code(conn, code)?.ok_or_else(|| AppError::not_found("programme"))?;
    view(conn, programme, as_of)
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

/// The programme with the terms in force on `as_of`.
pub fn view(
    conn: &mut AnyConnection,
    programme: Programme,
    as_of: NaiveDate,
) -> Result<ProgrammeView, AppError> {
    let law = ProgrammeLaw::load(conn, &programme)?;
    let terms = law.on(as_of);
    let history = law
        .rows
        .iter()
        .map(|row| AmendmentView {
            effective_on: row.effective_on,
            decision_reference: row.decision_reference.clone(),
            changes: changes_of(row),
            applies_to_pending: row.applies_to_pending,
            recorded_at: row.recorded_at,
        })
        .collect();
    let particulars = law.particulars_on(as_of);
    let period = terms.decision_period;
    Ok(ProgrammeView {
        id: programme.id,
        code: programme.code,
        title: programme.title,
        parties: particulars.parties,
        signed_on: particulars.signed_on,
        in_force_on: particulars.in_force_on,
        legal_instrument: particulars.legal_instrument,
        as_of,
        decision_period: period,
        decision_period_days: period.days(),
        tacit_protection: terms.tacit_protection,
        refusal_after_deadline: terms.refusal_after_deadline,
        lisbon_style_refusals: terms.lisbon_style_refusals,
        max_phase_out: terms.max_phase_out,
        requires_origin_registration: terms.requires_origin_registration,
        history,
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
    today: NaiveDate,
) -> Result<ProgrammeView, AppError> {
    acting.authorize(Action::ManageProgrammes)?;
    check_dates(body.signed_on, body.in_force_on)?;
    let parties = office_ids(conn, &body.parties)?;
    let period = period_of(body.decision_period, body.decision_period_days)?
        .ok_or_else(|| AppError::invalid("decision_period", "is required"))?;
    let now = Utc::now().naive_utc();
    let id = programmes::insert(
        conn,
        &NewProgramme {
            code: body.code,
            title: body.title,
            signed_on: body.signed_on,
            in_force_on: body.in_force_on,
            legal_instrument: body.legal_instrument,
            decision_period_days: period.days().unwrap_or(0),
            tacit_protection: body.tacit_protection,
            requires_origin_registration: body.requires_origin_registration,
            created_at: now,
            updated_at: now,
            decision_period: period.to_string(),
            refusal_after_deadline: body.refusal_after_deadline,
            lisbon_style_refusals: body.lisbon_style_refusals,
            max_phase_out: body.max_phase_out.map(|p| p.to_string()),
        },
    )?;
    programmes::set_parties(conn, id, &parties)?;
    let programme = programmes::by_id(conn, id)?.ok_or_else(|| AppError::not_found("programme"))?;
    let view = view(conn, programme, today)?;
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
    today: NaiveDate,
) -> Result<ProgrammeView, AppError> {
    acting.authorize(Action::ManageProgrammes)?;
    refuse_legal_terms(&body, code)?;
    let programme =
        programmes::by_code(conn, code)?.ok_or_else(|| AppError::not_found("programme"))?;
    if expected_version.is_some_and(|v| v != programme.version) {
        return Err(AppError::PreconditionFailed {
            current: programme.version,
        });
    }
    let changes = ProgrammeChanges {
        title: body.title,
        ..ProgrammeChanges::default()
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
    let view = view(conn, programme, today)?;
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

/// Terms, parties and dates change only by a dated amendment, never in place.
fn refuse_legal_terms(body: &AmendProgramme, code: &str) -> Result<(), AppError> {
    let sent = [
        ("parties", body.parties.is_some()),
        ("signed_on", body.signed_on.is_some()),
        ("in_force_on", body.in_force_on.is_some()),
        ("legal_instrument", body.legal_instrument.is_some()),
        ("decision_period", body.decision_period.is_some()),
        ("decision_period_days", body.decision_period_days.is_some()),
        ("tacit_protection", body.tacit_protection.is_some()),
        (
            "requires_origin_registration",
            body.requires_origin_registration.is_some(),
        ),
        (
            "refusal_after_deadline",
            body.refusal_after_deadline.is_some(),
        ),
        (
            "lisbon_style_refusals",
            body.lisbon_style_refusals.is_some(),
        ),
        ("max_phase_out", body.max_phase_out.is_some()),
    ];
    match sent.iter().find(|(_, present)| *present) {
        Some((field, _)) => Err(AppError::invalid(
            *field,
            format!(
                "is part of the programme's legal terms: it changes by a dated decision, POST /api/v1/programmes/{code}/amendments"
            ),
        )),
        None => Ok(()),
    }
}

/// Records a dated amendment of the programme's legal terms (admin). With
/// `applies_to_pending`, the stored decision deadlines of pending recognitions it reaches
/// (deadlines on or after its effective date) are recomputed at once, even when it takes effect later: it reaches only deadlines on
/// or after its effective date, so by the time such a deadline comes it is in force, and
/// the sweep, the refusal check and the work list all read the one stored deadline.
pub fn record_amendment(
    conn: &mut AnyConnection,
    acting: &Acting,
    code: &str,
    mut body: ProgrammeAmendment,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ProgrammeView, AppError> {
    acting.authorize(Action::ManageProgrammes)?;
    let programme =
        programmes::by_code(conn, code)?.ok_or_else(|| AppError::not_found("programme"))?;
    if body.changes.is_empty() {
        return Err(AppError::invalid("changes", "change no term"));
    }
    if matches!(
        body.changes.decision_period,
        Some(Period::Days(0) | Period::Months(0))
    ) {
        return Err(AppError::invalid("changes.decision_period", "is empty"));
    }
    let law = ProgrammeLaw::load(conn, &programme)?;
    let before = law.particulars_on(body.effective_on);
    check_changed_particulars(conn, &programme, &mut body.changes, &before.parties)?;
    check_dates(
        body.changes.signed_on.or(before.signed_on),
        body.changes.in_force_on.or(before.in_force_on),
    )
    .map_err(|_| AppError::invalid("changes.in_force_on", "is before signed_on"))?;
    let changes = serde_json::to_string(&body.changes).map_err(AppError::internal)?;
    crate::store::programme_amendments::insert(
        conn,
        &crate::store::programme_amendments::NewAmendment {
            programme_id: programme.id,
            effective_on: body.effective_on,
            decision_reference: body.decision_reference.clone(),
            changes,
            applies_to_pending: body.applies_to_pending,
            recorded_at: Utc::now().naive_utc(),
        },
    )?;
    let moved = move_pending_deadlines(conn, acting, &programme, &body, now)?;
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "programme.amendment",
            "programme",
            &programme.code,
            json!({
                "effective_on": body.effective_on,
                "decision_reference": body.decision_reference,
                "changes": body.changes,
                "applies_to_pending": body.applies_to_pending,
                "decision_deadlines_moved": moved,
            }),
        )
        .public(),
    )?;
    view(conn, programme, today)
}

/// Parties (two to fifty distinct offices that exist, kept in code order; none removed
/// that has recognitions under the programme) and the instrument's text.
fn check_changed_particulars(
    conn: &mut AnyConnection,
    programme: &Programme,
    changes: &mut TermChanges,
    parties_before: &[String],
) -> Result<(), AppError> {
    if let Some(text) = &changes.legal_instrument {
        if text.trim().is_empty() || text.chars().count() > 1000 {
            return Err(AppError::invalid(
                "changes.legal_instrument",
                "must be 1 to 1000 characters, not blank",
            ));
        }
    }
    let Some(parties) = changes.parties.as_mut() else {
        return Ok(());
    };
    if !(2..=50).contains(&parties.len()) {
        return Err(AppError::invalid(
            "changes.parties",
            "must name two to fifty offices",
        ));
    }
    distinct_parties(parties)
        .map_err(|_| AppError::invalid("changes.parties", "lists an office twice"))?;
    for (i, code) in parties.iter().enumerate() {
        if offices::by_code(conn, code)?.is_none() {
            return Err(AppError::invalid(
                format!("changes.parties[{i}]"),
                format!("no office has code {code}"),
            ));
        }
    }
    parties.sort();
    let removed: Vec<String> = parties_before
        .iter()
        .filter(|code| !parties.contains(code))
        .cloned()
        .collect();
    let removed_ids = office_ids(conn, &removed)?;
    if crate::store::recognitions::count_involving(conn, programme.id, &removed_ids)? > 0 {
        return Err(AppError::conflict(
            "party_has_recognitions",
            "a party with recognitions under this programme cannot be removed",
        ));
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct MovedDeadline {
    recognition_id: i64,
    from: NaiveDate,
    to: NaiveDate,
}

/// Recomputes the decision deadline of every pending recognition under the programme's
/// law as it now stands: those it reaches (`applies_to_pending`), and those submitted
/// on or after its effective date when it is recorded late. Each moved deadline is an
/// event of its recognition (`decision_deadline_amended`, grounds: the decision), dated
/// when the amendment takes effect or, if that is still ahead, on the partner's today
/// (never before the recognition's previous event), so that its state as of a date
/// shows the deadline in force then.
fn move_pending_deadlines(
    conn: &mut AnyConnection,
    acting: &Acting,
    programme: &Programme,
    amendment: &ProgrammeAmendment,
    now: DateTime<Utc>,
) -> Result<Vec<MovedDeadline>, AppError> {
    let law = ProgrammeLaw::load(conn, programme)?;
    let mut moved = Vec::new();
    // Each partner's calendar and today, read once.
    let mut partners = std::collections::HashMap::new();
    for r in crate::store::recognitions::pending_of_programme(conn, programme.id)? {
        let (calendar, partner_today) = match partners.entry(r.partner_office_id) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let office = offices::by_id(conn, r.partner_office_id)?
                    .ok_or_else(|| AppError::not_found("office"))?;
                let calendar = calendar_of(conn, &office)?;
                let today = calendar.today(now);
                slot.insert((calendar, today))
            }
        };
        let partner_today = *partner_today;
        let deadline = law.decision_deadline_on(calendar, r.submitted_on);
        let basis = basis_json(&deadline);
        if deadline.date == r.decision_deadline
            && r.decision_deadline_basis.as_deref() == Some(basis.as_str())
        {
            continue;
        }
        let changes = RecognitionChanges {
            decision_deadline: Some(deadline.date),
            decision_deadline_basis: Some(basis),
            ..RecognitionChanges::default()
        };
        if !crate::store::recognitions::update(
            conn,
            r.id,
            r.version,
            &changes,
            Utc::now().naive_utc(),
        )? {
            return Err(AppError::PreconditionFailed { current: r.version });
        }
        let after = crate::store::recognitions::by_id(conn, r.id)?
            .ok_or_else(|| AppError::not_found("recognition"))?;
        let previous = crate::store::events::latest_effective_on(conn, "recognition", r.id)?;
        let on = amendment.effective_on.min(partner_today);
        let on = previous.map_or(on, |p| p.max(on));
        record_recognition(
            conn,
            &acting.audit,
            &after,
            "decision_deadline_amended",
            Some(&r.status),
            on,
            Some(&amendment.decision_reference),
        )?;
        if deadline.date != r.decision_deadline {
            moved.push(MovedDeadline {
                recognition_id: r.id,
                from: r.decision_deadline,
                to: deadline.date,
            });
        }
    }
    Ok(moved)
}
