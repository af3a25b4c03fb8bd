//! The home lifecycle of a GI (DESIGN §2): file, examine, publish, register, refuse,
//! withdraw, cancel — each with its legal date, its event and its audit entry.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::acting::Acting;
use super::calendars::{basis_json, calendar_of, opposition_period};
use super::gi_application::load_visible;
use super::gi_views::{full_view, GiView};
use super::name_conflicts::require_acknowledged;
use super::name_decisions::exclusions;
use super::recognition_lifecycle::cancel_at_origin;
use super::record::{record, Change};
use crate::db::AnyConnection;
use crate::domain::appeals::check_in_time;
use crate::domain::excluded_names::{stored, NameExclusion};
use crate::domain::gi_status::{gi_action_actor, gi_transition, GiAction, GiStatus};
use crate::domain::legal_dates::{
    check_deadline_passed, publication_backdated_by, resolve_effective_on,
};
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::store::gis::{self, GiChanges};
use crate::store::{events, offices, oppositions, sequences};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// What to do; which actions the GI's status allows is in a 409's `details`.
    #[schema(value_type = crate::domain::gi_status::GiAction)]
    #[validate(length(min = 1, max = 40))]
    pub action: String,
    /// The legal date; today in the origin office's time zone when absent. Never in the
    /// future, never before the previous event.
    pub effective_on: Option<NaiveDate>,
    /// Required to refuse or cancel.
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub grounds: Option<String>,
    /// With `publish` or `register`: where it can be read (gazette, number, page or
    /// URL). Required for a publication dated more than 30 days before today.
    #[schema(min_length = 1, max_length = 500)]
    #[validate(
        length(min = 1, max = 500),
        custom(function = "crate::domain::identifiers::validate::not_blank")
    )]
    pub publication_reference: Option<String>,
    /// With `refuse`: the remedies open to the applicant (an appeal to the GI Board, a
    /// request for review), given together with `remedy_deadline`.
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub remedies: Option<String>,
    /// With `refuse`: the last day to appeal; after the refusal's legal date.
    pub remedy_deadline: Option<NaiveDate>,
    /// With `register` or `appeal_allowed`: the GI's names left out of the registration (by id or exact
    /// text), each with its reason. Leaving out every name is a refusal.
    #[schema(max_items = 50)]
    pub excluded_names: Option<Vec<NameExclusion>>,
    /// With `register`: the GIs already registered or protected in the office's territory
    /// under a name the same after folding as one of this GI's (a 409 `name_conflict`
    /// lists them), acknowledged as homonyms, with `grounds` saying what distinguishes
    /// this one.
    #[schema(max_items = 50)]
    #[validate(length(max = 50))]
    pub acknowledge_conflicts: Option<Vec<i64>>,
}

pub fn apply(
    conn: &mut AnyConnection,
    acting: &Acting,
    id: i64,
    expected_version: Option<i32>,
    request: ActionRequest,
    now: DateTime<Utc>,
) -> Result<GiView, AppError> {
    let action: GiAction =
        request
            .action
            .parse()
            .map_err(|e: crate::domain::transition::UnknownValue| {
                AppError::invalid("action", e.to_string())
            })?;
    let (gi, office_code) = load_visible(conn, Some(&acting.actor), id)?;
    acting.authorize(Action::Act {
        who: gi_action_actor(action),
        origin_office_id: gi.origin_office_id,
        association_id: gi.association_id,
        partner_office_id: None,
    })?;
    if let Some(expected) = expected_version {
        if expected != gi.version {
            return Err(AppError::PreconditionFailed {
                current: gi.version,
            });
        }
    }
    let from: GiStatus = gi.status.parse().map_err(AppError::internal)?;
    let to = gi_transition(from, action)?;
    let grounds = request.grounds.filter(|g| !g.trim().is_empty());
    if action.requires_grounds() && grounds.is_none() {
        return Err(AppError::invalid(
            "grounds",
            format!("are required to {action}"),
        ));
    }
    let office =
        offices::by_id(conn, gi.origin_office_id)?.ok_or_else(|| AppError::not_found("office"))?;
    let calendar = calendar_of(conn, &office)?;
    let previous = events::latest_effective_on(conn, "gi", id)?;
    let today = calendar.today(now);
    let effective_on = resolve_effective_on(request.effective_on, today, previous)?;
    check_publication_reference(
        action == GiAction::Publish,
        matches!(action, GiAction::Publish | GiAction::Register),
        request.publication_reference.as_deref(),
        effective_on,
        today,
    )?;
    let registers = matches!(action, GiAction::Register | GiAction::AppealAllowed);
    let remedies = request.remedies.filter(|r| !r.trim().is_empty());
    check_home_remedies(
        action,
        remedies.as_deref(),
        request.remedy_deadline,
        effective_on,
    )?;
    if action == GiAction::Appeal {
        check_in_time(
            refusal_remedy_deadline(conn, id, effective_on)?,
            effective_on,
        )?;
    }
    let excluded = match request.excluded_names.as_deref() {
        None | Some([]) => Vec::new(),
        Some(_) if !registers => {
            return Err(AppError::invalid(
                "excluded_names",
                format!("are recorded with register or appeal_allowed, not {action}"),
            ))
        }
        Some(requested) => exclusions(conn, id, &[], requested)?,
    };

    if request.acknowledge_conflicts.is_some() && !registers {
        return Err(AppError::invalid(
            "acknowledge_conflicts",
            "applies to register and appeal_allowed only",
        ));
    }
    let mut acknowledged: Vec<i64> = Vec::new();
    let mut changes = GiChanges {
        status: Some(to.as_str().into()),
        ..Default::default()
    };
    match action {
        GiAction::File => {
            let seq = sequences::next(
                conn,
                &format!("file:{}:{}", office.code, effective_on.year()),
            )?;
            changes.file_number = Some(format!(
                "{}-GI-{}-{seq:06}",
                office.jurisdiction,
                effective_on.year()
            ));
            changes.filed_on = Some(effective_on);
        }
        GiAction::Publish => {
            let deadline = calendar.deadline(effective_on, opposition_period(&office));
            changes.published_on = Some(effective_on);
            changes.opposition_deadline = Some(deadline.date);
            changes.opposition_deadline_basis = Some(basis_json(&deadline));
            changes.publication_reference = Some(request.publication_reference.clone());
        }
        GiAction::Register => {
            let deadline = gi.opposition_deadline.ok_or_else(|| {
                AppError::internal("a published GI without an opposition deadline")
            })?;
            check_deadline_passed(deadline, effective_on)?;
            let pending = oppositions::count_pending(conn, id, None)?;
            if pending > 0 {
                return Err(AppError::Conflict {
                    code: "opposition_pending",
                    message: format!(
                        "{pending} opposition(s) are still pending; decide them first"
                    ),
                    details: json!({ "pending_oppositions": pending }),
                });
            }
            acknowledged = require_acknowledged(
                conn,
                id,
                &office.jurisdiction,
                request.acknowledge_conflicts.as_deref(),
                grounds.as_deref(),
            )?;
            let seq = sequences::next(conn, &format!("registration:{}", office.code))?;
            changes.registration_number = Some(format!("{}-GI-R-{seq:06}", office.jurisdiction));
            changes.registered_on = Some(effective_on);
            changes.excluded_names = Some(stored(&excluded));
        }
        GiAction::AppealAllowed => {
            // Registered on appeal is registered: the same homonym gate.
            acknowledged = require_acknowledged(
                conn,
                id,
                &office.jurisdiction,
                request.acknowledge_conflicts.as_deref(),
                grounds.as_deref(),
            )?;
            if gi.registration_number.is_none() {
                let seq = sequences::next(conn, &format!("registration:{}", office.code))?;
                changes.registration_number =
                    Some(format!("{}-GI-R-{seq:06}", office.jurisdiction));
            }
            changes.registered_on = Some(effective_on);
            changes.decided_on = Some(effective_on);
            changes.excluded_names = Some(stored(&excluded));
        }
        GiAction::Refuse | GiAction::Withdraw | GiAction::Cancel | GiAction::AppealDismissed => {
            changes.decided_on = Some(effective_on);
        }
        GiAction::StartExamination | GiAction::Appeal => {}
    }
    let mut details = json!({
        "file_number": changes.file_number.as_ref().or(gi.file_number.as_ref()),
        "registration_number": changes.registration_number,
        "opposition_deadline": changes.opposition_deadline,
        "origin_office": office_code,
        "publication_reference": request.publication_reference,
    });
    if !acknowledged.is_empty() {
        details["acknowledged_conflicts"] = json!(acknowledged);
    }
    let now = Utc::now().naive_utc();
    if !gis::update(conn, id, gi.version, &changes, now)? {
        return Err(AppError::PreconditionFailed {
            current: gi.version,
        });
    }
    if registers {
        details["excluded_names"] = json!(excluded);
    }
    if action == GiAction::Refuse && remedies.is_some() {
        details["remedies"] = json!(remedies);
        details["remedy_deadline"] = json!(request.remedy_deadline);
    }
    record(
        conn,
        acting,
        Change {
            entity_type: "gi",
            entity_id: id,
            gi_id: id,
            event_type: action.as_str(),
            from_status: Some(from.as_str()),
            to_status: to.as_str(),
            effective_on,
            grounds: grounds.as_deref(),
            details,
            // A GI withdrawn before it was ever filed stays private, as its draft was.
            public: gi.file_number.is_some() || changes.file_number.is_some(),
        },
    )?;
    if action == GiAction::Cancel {
        cancel_at_origin(conn, &acting.audit, id, effective_on, grounds.as_deref())?;
    }
    let row = gis::by_id(conn, id)?.ok_or_else(|| AppError::not_found("GI"))?;
    full_view(conn, row)
}

/// Remedies go with a refusal, together with their deadline, which comes after it.
fn check_home_remedies(
    action: GiAction,
    remedies: Option<&str>,
    deadline: Option<NaiveDate>,
    effective_on: NaiveDate,
) -> Result<(), AppError> {
    match (remedies, deadline) {
        (None, None) => Ok(()),
        _ if action != GiAction::Refuse => Err(AppError::invalid(
            if remedies.is_some() {
                "remedies"
            } else {
                "remedy_deadline"
            },
            format!("are recorded with refuse, not {action}"),
        )),
        (Some(_), None) => Err(AppError::invalid(
            "remedy_deadline",
            "is required with remedies: the last day to use them",
        )),
        (None, Some(_)) => Err(AppError::invalid(
            "remedies",
            "are required with a remedy deadline: say what they are",
        )),
        (Some(_), Some(deadline)) if deadline <= effective_on => Err(AppError::invalid(
            "remedy_deadline",
            format!("must come after the decision's legal date, {effective_on}"),
        )),
        (Some(_), Some(_)) => Ok(()),
    }
}

/// The remedy deadline the GI's latest refusal stated, if any.
fn refusal_remedy_deadline(
    conn: &mut AnyConnection,
    gi_id: i64,
    by: NaiveDate,
) -> Result<Option<NaiveDate>, AppError> {
    let Some(details) =
        events::gi_latest_details_of(conn, gi_id, &["refuse"], by, Utc::now().naive_utc())?
    else {
        return Ok(None);
    };
    Ok(serde_json::from_str::<serde_json::Value>(&details)
        .ok()
        .and_then(|d| serde_json::from_value(d.get("remedy_deadline")?.clone()).ok())
        .flatten())
}

/// A publication or registration may cite where it can be read; a publication dated
/// more than 30 days before today must.
pub fn check_publication_reference(
    publishing: bool,
    may_cite: bool,
    reference: Option<&str>,
    effective_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), AppError> {
    if reference.is_some() && !may_cite {
        return Err(AppError::invalid(
            "publication_reference",
            "is recorded with publish or register only",
        ));
    }
    match publication_backdated_by(effective_on, today) {
        Some(days) if publishing && reference.is_none() => Err(AppError::invalid(
            "publication_reference",
            format!(
                "is required for a publication dated {days} days ago: cite the gazette (number, page or URL) where it can be read"
            ),
        )),
        _ => Ok(()),
    }
}
