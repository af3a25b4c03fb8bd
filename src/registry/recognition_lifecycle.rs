//! The partner phase (DESIGN §2): examination, publication with the partner's
//! opposition period, protection, refusal, invalidation, withdrawal; the cascade when a
//! GI is cancelled at origin; and the tacit-protection sweep.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::acting::Acting;
use super::calendars::{basis_json, calendar_of, calendar_without_holidays, opposition_period};
use super::name_decisions::exclusions;
use super::programme_law::ProgrammeLaw;
use super::recognition_views::{Names, RecognitionView};
use super::recognitions::{load_visible_recognition, record_recognition};
use crate::audit::AuditActor;
use crate::db::AnyConnection;
use crate::domain::appeals::check_in_time;
use crate::domain::excluded_names::NameExclusion;
use crate::domain::gi_status::GiStatus;
use crate::domain::legal_dates::{
    check_deadline_passed, deadline_passed, resolve_effective_on, tacit_protection_effective_on,
};
use crate::domain::permissions::Action;
use crate::domain::recognition_status::{
    recognition_action_actor, recognition_system_transition, recognition_transition,
    RecognitionAction, RecognitionStatus, RecognitionSystemAction,
};
use crate::error::AppError;
use crate::store::recognitions::{self, Recognition, RecognitionChanges};
use crate::store::{events, gis, offices, oppositions, programmes};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecognitionActionRequest {
    /// What to do; which actions the recognition's status allows is in a 409's `details`.
    #[schema(value_type = crate::domain::recognition_status::RecognitionAction)]
    #[validate(length(min = 1, max = 40))]
    pub action: String,
    /// The legal date; today in the partner office's time zone when absent (the origin
    /// office's for a withdrawal).
    pub effective_on: Option<NaiveDate>,
    /// Required to refuse or invalidate.
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub grounds: Option<String>,
    /// With `protect` or a partial `refuse`: e.g. "the translation 'Dragon Well tea' is
    /// not protected".
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub limitations: Option<String>,
    /// With `protect`: the end of a transitional period for prior users, no later than
    /// the programme's `max_phase_out` after the protection; given with
    /// `phase_out_beneficiaries`.
    pub phase_out_until: Option<NaiveDate>,
    /// Who may go on using the name until `phase_out_until` (users of a prior mark, named
    /// producers).
    #[schema(min_items = 1, max_items = 50)]
    #[validate(length(min = 1, max = 50), custom(function = "beneficiary_names"))]
    pub phase_out_beneficiaries: Option<Vec<String>>,
    /// With `invalidate` (required): who decided it, e.g. "Central Intellectual Property
    /// and International Trade Court".
    #[schema(min_length = 1, max_length = 300)]
    #[validate(
        length(min = 1, max = 300),
        custom(function = "crate::domain::identifiers::validate::not_blank")
    )]
    pub deciding_authority: Option<String>,
    /// With `refuse` or `invalidate`: the earlier rights the decision rests on (a
    /// trademark with its number and classes, another GI, a generic term…).
    #[schema(max_items = 50)]
    pub earlier_rights: Option<Vec<crate::domain::earlier_rights::EarlierRight>>,
    /// With `refuse` or `invalidate`: the remedies open to the holder against the
    /// decision (Lisbon Rule 9), e.g. "a request for review to the GI Board within 60
    /// days"; given together with `remedy_deadline`.
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub remedies: Option<String>,
    /// The last day to use the remedies; after the decision's legal date.
    pub remedy_deadline: Option<NaiveDate>,
    /// With `publish`: where the partner's publication can be read (gazette, number,
    /// page or URL). Required for a publication dated more than 30 days before today.
    #[schema(min_length = 1, max_length = 500)]
    #[validate(
        length(min = 1, max = 500),
        custom(function = "crate::domain::identifiers::validate::not_blank")
    )]
    pub publication_reference: Option<String>,
    /// With `protect`, `withdraw_refusal` or a partial `invalidate`: the GI's names left
    /// out (by id or exact text), each with its reason. The other names are protected;
    /// leaving out every name is a refusal.
    #[schema(max_items = 50)]
    pub excluded_names: Option<Vec<NameExclusion>>,
    /// With `protect` or `withdraw_refusal`: the GIs already registered or protected in
    /// the partner's territory under a name the same after folding as one of this GI's
    /// (a 409 `name_conflict` lists them), acknowledged as homonyms, with `grounds`
    /// saying what distinguishes this one.
    #[schema(max_items = 50)]
    #[validate(length(max = 50))]
    pub acknowledge_conflicts: Option<Vec<i64>>,
}

fn beneficiary_names(names: &[String]) -> Result<(), validator::ValidationError> {
    if names
        .iter()
        .all(|n| !n.trim().is_empty() && n.chars().count() <= 300)
    {
        Ok(())
    } else {
        let mut error = validator::ValidationError::new("beneficiary");
        error.message = Some("each beneficiary is a name of 1 to 300 characters".into());
        Err(error)
    }
}

fn changed(
    conn: &mut AnyConnection,
    r: &Recognition,
    changes: &RecognitionChanges,
) -> Result<Recognition, AppError> {
    if !recognitions::update(conn, r.id, r.version, changes, Utc::now().naive_utc())? {
        return Err(AppError::PreconditionFailed { current: r.version });
    }
    recognitions::by_id(conn, r.id)?.ok_or_else(|| AppError::not_found("recognition"))
}

pub fn apply(
    conn: &mut AnyConnection,
    acting: &Acting,
    id: i64,
    expected_version: Option<i32>,
    request: RecognitionActionRequest,
    now: DateTime<Utc>,
) -> Result<RecognitionView, AppError> {
    let action: RecognitionAction =
        request
            .action
            .parse()
            .map_err(|e: crate::domain::transition::UnknownValue| {
                AppError::invalid("action", e.to_string())
            })?;
    let r = load_visible_recognition(conn, Some(&acting.actor), id)?;
    // The GI's association may appeal a refusal of its GI; no other action is its own.
    let association_id = if action == RecognitionAction::Appeal {
        gis::by_id(conn, r.gi_id)?.and_then(|(gi, _)| gi.association_id)
    } else {
        None
    };
    acting.authorize(Action::Act {
        who: recognition_action_actor(action),
        origin_office_id: r.origin_office_id,
        association_id,
        partner_office_id: Some(r.partner_office_id),
    })?;
    if expected_version.is_some_and(|v| v != r.version) {
        return Err(AppError::PreconditionFailed { current: r.version });
    }
    let from: RecognitionStatus = r.status.parse().map_err(AppError::internal)?;
    let to = recognition_transition(from, action)?;
    let grounds = request.grounds.filter(|g| !g.trim().is_empty());
    if action.requires_grounds() && grounds.is_none() {
        return Err(AppError::invalid(
            "grounds",
            format!("are required to {action}"),
        ));
    }
    if (request.limitations.is_some() || request.phase_out_until.is_some())
        && !matches!(
            action,
            RecognitionAction::Protect
                | RecognitionAction::Refuse
                | RecognitionAction::WithdrawRefusal
                | RecognitionAction::AppealAllowed
        )
    {
        return Err(AppError::invalid(
            "limitations",
            format!("are not recorded with {action}"),
        ));
    }
    if request.acknowledge_conflicts.is_some()
        && !matches!(
            action,
            RecognitionAction::Protect
                | RecognitionAction::WithdrawRefusal
                | RecognitionAction::AppealAllowed
        )
    {
        return Err(AppError::invalid(
            "acknowledge_conflicts",
            format!("applies to protect, withdraw_refusal and appeal_allowed, not {action}"),
        ));
    }
    let remedies = request.remedies.filter(|r| !r.trim().is_empty());
    if request.earlier_rights.is_some()
        && !matches!(
            action,
            RecognitionAction::Refuse | RecognitionAction::Invalidate
        )
    {
        return Err(AppError::invalid(
            "earlier_rights",
            format!("are recorded with refuse or invalidate, not {action}"),
        ));
    }
    let earlier_rights =
        crate::domain::earlier_rights::checked_json(request.earlier_rights.as_deref())?;
    let excluded = match request.excluded_names.as_deref() {
        None | Some([]) => None,
        Some(_) if !action.decides_per_name() => {
            return Err(AppError::invalid(
                "excluded_names",
                format!(
                    "are recorded with protect, withdraw_refusal, appeal_allowed or invalidate, not {action}"
                ),
            ))
        }
        Some(requested) => {
            let earlier = match action {
                RecognitionAction::Invalidate => {
                    crate::domain::excluded_names::parsed(r.excluded_names.as_deref())
                }
                _ => Vec::new(),
            };
            Some(exclusions(conn, r.gi_id, &earlier, requested)?)
        }
    };
    // A partial invalidation takes some names out of a protection that stays.
    let to = if action == RecognitionAction::Invalidate && excluded.is_some() {
        RecognitionStatus::Protected
    } else {
        to
    };
    check_remedies(action, remedies.as_deref(), request.remedy_deadline)?;
    let acting_office_id = match recognition_action_actor(action) {
        crate::domain::transition::ActorKind::PartnerExaminer => r.partner_office_id,
        _ => r.origin_office_id,
    };
    let acting_office =
        offices::by_id(conn, acting_office_id)?.ok_or_else(|| AppError::not_found("office"))?;
    let today = calendar_without_holidays(&acting_office).today(now);
    let previous = events::latest_effective_on(conn, "recognition", id)?;
    let effective_on = resolve_effective_on(request.effective_on, today, previous)?;
    check_decision_period(conn, &r, action, effective_on)?;
    if action == RecognitionAction::Appeal {
        check_in_time(r.remedy_deadline, effective_on)?;
    }
    let publishing = action == RecognitionAction::Publish;
    super::gi_lifecycle::check_publication_reference(
        publishing,
        publishing,
        request.publication_reference.as_deref(),
        effective_on,
        today,
    )?;
    if request
        .remedy_deadline
        .is_some_and(|deadline| deadline <= effective_on)
    {
        return Err(AppError::invalid(
            "remedy_deadline",
            format!("must come after the decision's legal date, {effective_on}"),
        ));
    }
    if request
        .phase_out_until
        .is_some_and(|until| until < effective_on)
    {
        return Err(AppError::invalid(
            "phase_out_until",
            "is before the protection starts",
        ));
    }
    let terms = terms_on_date(conn, &r, effective_on)?;
    check_phase_out(
        request.phase_out_until,
        request.phase_out_beneficiaries.as_deref(),
        effective_on,
        terms.max_phase_out,
    )?;
    if action == RecognitionAction::Refuse && terms.lisbon_style_refusals && remedies.is_none() {
        return Err(AppError::invalid(
            "remedies",
            "are required: this programme's refusals state the remedies and their time limit (Lisbon Rule 9)",
        ));
    }
    match (action, &request.deciding_authority) {
        (RecognitionAction::Invalidate, None) => {
            return Err(AppError::invalid(
                "deciding_authority",
                "is required to invalidate: name who decided (a court, the office, a board)",
            ))
        }
        (RecognitionAction::Invalidate, Some(_)) | (_, None) => {}
        (_, Some(_)) => {
            return Err(AppError::invalid(
                "deciding_authority",
                format!("is recorded with invalidate, not {action}"),
            ))
        }
    }
    let mut changes = RecognitionChanges {
        status: Some(to.as_str().into()),
        ..Default::default()
    };
    match action {
        RecognitionAction::StartExamination => {}
        RecognitionAction::Publish => {
            let partner = offices::by_id(conn, r.partner_office_id)?
                .ok_or_else(|| AppError::not_found("office"))?;
            let deadline =
                calendar_of(conn, &partner)?.deadline(effective_on, opposition_period(&partner));
            changes.published_on = Some(effective_on);
            changes.opposition_deadline = Some(deadline.date);
            changes.opposition_deadline_basis = Some(basis_json(&deadline));
            changes.publication_reference = Some(request.publication_reference.clone());
        }
        RecognitionAction::Protect
        | RecognitionAction::WithdrawRefusal
        | RecognitionAction::AppealAllowed => {
            if action == RecognitionAction::Protect {
                let deadline = r.opposition_deadline.ok_or_else(|| {
                    AppError::internal("a published recognition without an opposition deadline")
                })?;
                check_deadline_passed(deadline, effective_on)?;
                let pending = oppositions::count_pending(conn, r.gi_id, Some(r.id))?;
                if pending > 0 {
                    return Err(AppError::Conflict {
                        code: "opposition_pending",
                        message: format!(
                            "{pending} opposition(s) are still pending; decide them first"
                        ),
                        details: json!({ "pending_oppositions": pending }),
                    });
                }
            } else {
                require_protected_at_origin(conn, &r)?;
            }
            let partner = crate::store::offices::by_id(conn, r.partner_office_id)?
                .ok_or_else(|| AppError::not_found("office"))?;
            super::name_conflicts::require_acknowledged(
                conn,
                r.gi_id,
                &partner.jurisdiction,
                request.acknowledge_conflicts.as_deref(),
                grounds.as_deref(),
            )?;
            changes.decided_on = Some(effective_on);
            changes.protected_from = Some(Some(effective_on));
            // The limitations and exclusions are those of the protection that now
            // begins, as given with it: a withdrawn refusal's own limitations go with it.
            changes.limitations = Some(request.limitations);
            changes.excluded_names = Some(
                excluded
                    .as_deref()
                    .and_then(crate::domain::excluded_names::stored),
            );
            changes.phase_out_until = Some(request.phase_out_until);
            changes.phase_out_beneficiaries = Some(
                request
                    .phase_out_beneficiaries
                    .as_ref()
                    .map(|names| json!(names).to_string()),
            );
            changes.grounds = Some(grounds.clone());
            changes.remedies = Some(None);
            changes.remedy_deadline = Some(None);
            changes.earlier_rights = Some(None);
        }
        RecognitionAction::Refuse => {
            changes.decided_on = Some(effective_on);
            changes.grounds = Some(grounds.clone());
            changes.limitations = Some(request.limitations);
            changes.remedies = Some(remedies);
            changes.remedy_deadline = Some(request.remedy_deadline);
            changes.earlier_rights = Some(earlier_rights.clone());
            // A refusal refuses every name: nothing is left to exclude.
            changes.excluded_names = Some(None);
        }
        RecognitionAction::Invalidate => {
            changes.earlier_rights = Some(earlier_rights.clone());
            if let Some(excluded) = &excluded {
                changes.excluded_names = Some(crate::domain::excluded_names::stored(excluded));
            } else {
                changes.decided_on = Some(effective_on);
            }
            changes.grounds = Some(grounds.clone());
            changes.remedies = Some(remedies);
            changes.remedy_deadline = Some(request.remedy_deadline);
            changes.deciding_authority = Some(request.deciding_authority.clone());
        }
        RecognitionAction::Withdraw => {
            changes.decided_on = Some(effective_on);
            changes.grounds = Some(grounds.clone());
        }
        // The refusal stands as it was while appealed, and again once the appeal is
        // dismissed: the appeal's own grounds are the event's.
        RecognitionAction::Appeal | RecognitionAction::AppealDismissed => {}
    }
    let after = changed(conn, &r, &changes)?;
    record_recognition(
        conn,
        &acting.audit,
        &after,
        action.as_str(),
        Some(from.as_str()),
        effective_on,
        grounds.as_deref(),
    )?;
    Ok(Names::load(conn)?.current(&after))
}

/// The programme's terms in force on `on`.
fn terms_on_date(
    conn: &mut AnyConnection,
    r: &Recognition,
    on: NaiveDate,
) -> Result<crate::domain::programme_terms::Terms, AppError> {
    let programme =
        programmes::by_id(conn, r.programme_id)?.ok_or_else(|| AppError::not_found("programme"))?;
    Ok(ProgrammeLaw::load(conn, &programme)?.on(on))
}

/// A phase-out names its beneficiaries and ends no later than the programme allows
/// after the protection (Lisbon Art. 5(6): two years).
fn check_phase_out(
    until: Option<NaiveDate>,
    beneficiaries: Option<&[String]>,
    protected_on: NaiveDate,
    max: Option<crate::domain::period::Period>,
) -> Result<(), AppError> {
    match (until, beneficiaries) {
        (None, None) => return Ok(()),
        (Some(_), None) => {
            return Err(AppError::invalid(
                "phase_out_beneficiaries",
                "are required with a phase-out: who may go on using the name",
            ))
        }
        (None, Some(_)) => {
            return Err(AppError::invalid(
                "phase_out_until",
                "is required with phase-out beneficiaries",
            ))
        }
        (Some(_), Some(_)) => {}
    }
    if let (Some(until), Some(max)) = (until, max) {
        let latest = max.after(protected_on);
        if until > latest {
            return Err(AppError::invalid(
                "phase_out_until",
                format!("is after {latest}: this programme allows a phase-out of at most {max} from the protection"),
            ));
        }
    }
    Ok(())
}

/// Remedies go with a refusal or an invalidation, and with their deadline (Lisbon Rule
/// 9 requires both).
fn check_remedies(
    action: RecognitionAction,
    remedies: Option<&str>,
    deadline: Option<NaiveDate>,
) -> Result<(), AppError> {
    let decides_against = matches!(
        action,
        RecognitionAction::Refuse | RecognitionAction::Invalidate
    );
    match (remedies, deadline) {
        (None, None) => Ok(()),
        _ if !decides_against => Err(AppError::invalid(
            if remedies.is_some() {
                "remedies"
            } else {
                "remedy_deadline"
            },
            format!("are recorded with refuse or invalidate, not {action}"),
        )),
        (Some(_), None) => Err(AppError::invalid(
            "remedy_deadline",
            "is required with remedies: the last day to use them",
        )),
        (None, Some(_)) => Err(AppError::invalid(
            "remedies",
            "are required with a remedy deadline: say what they are",
        )),
        (Some(_), Some(_)) => Ok(()),
    }
}

/// Lisbon Art. 5(3)–(4): a refusal notified after the decision period has no effect,
/// unless the programme's text allows it. Under tacit protection the GI is protected
/// once the period ends, so a late refusal is refused whatever the programme says, and
/// so is a late examination or publication (which would take it out of the sweep's
/// reach); protecting one published in time, and invalidation (a later decision on a
/// protected GI), stay open.
fn check_decision_period(
    conn: &mut AnyConnection,
    r: &Recognition,
    action: RecognitionAction,
    effective_on: NaiveDate,
) -> Result<(), AppError> {
    let only_under_tacit = matches!(
        action,
        RecognitionAction::StartExamination | RecognitionAction::Publish
    );
    if !(action == RecognitionAction::Refuse || only_under_tacit)
        || !deadline_passed(r.decision_deadline, effective_on)
    {
        return Ok(());
    }
    let programme =
        programmes::by_id(conn, r.programme_id)?.ok_or_else(|| AppError::not_found("programme"))?;
    let terms =
        ProgrammeLaw::load(conn, &programme)?.governing(r.submitted_on, r.decision_deadline);
    if !terms.tacit_protection && (only_under_tacit || terms.refusal_after_deadline) {
        return Ok(());
    }
    let why = if terms.tacit_protection {
        "under tacit protection the GI is protected once the decision period ends; only invalidation remains"
    } else {
        "a refusal after the decision period has no effect under this programme"
    };
    Err(AppError::Conflict {
        code: "decision_period_expired",
        message: format!(
            "the decision period ended on {}; {why}",
            r.decision_deadline
        ),
        details: json!({
            "decision_deadline": r.decision_deadline,
            "effective_on": effective_on,
            "tacit_protection": terms.tacit_protection,
        }),
    })
}

/// A refusal is withdrawn into protection only while the GI is still protected at home
/// where the programme requires it.
fn require_protected_at_origin(conn: &mut AnyConnection, r: &Recognition) -> Result<(), AppError> {
    let programme =
        programmes::by_id(conn, r.programme_id)?.ok_or_else(|| AppError::not_found("programme"))?;
    let (gi, _) = gis::by_id(conn, r.gi_id)?.ok_or_else(|| AppError::not_found("GI"))?;
    let terms = ProgrammeLaw::load(conn, &programme)?.on(r.submitted_on);
    if terms.requires_origin_registration && gi.status != GiStatus::Registered.as_str() {
        return Err(AppError::Conflict {
            code: "not_registered_at_origin",
            message: format!(
                "the GI is {} at home and cannot be protected here",
                gi.status
            ),
            details: json!({ "gi_status": gi.status }),
        });
    }
    Ok(())
}

/// Moves every live recognition of a cancelled GI to `cancelled_at_origin`, with events,
/// inside the cancellation's transaction.
pub fn cancel_at_origin(
    conn: &mut AnyConnection,
    who: &AuditActor,
    gi_id: i64,
    effective_on: NaiveDate,
    grounds: Option<&str>,
) -> Result<usize, AppError> {
    let mut cancelled = 0;
    for r in recognitions::of_gi(conn, gi_id)? {
        let from: RecognitionStatus = r.status.parse().map_err(AppError::internal)?;
        let Ok(to) = recognition_system_transition(from, RecognitionSystemAction::CancelAtOrigin)
        else {
            continue;
        };
        let previous = events::latest_effective_on(conn, "recognition", r.id)?;
        let on = previous.map_or(effective_on, |p| p.max(effective_on));
        let after = changed(
            conn,
            &r,
            &RecognitionChanges {
                status: Some(to.as_str().into()),
                decided_on: Some(on),
                grounds: Some(grounds.map(str::to_string)),
                ..Default::default()
            },
        )?;
        record_recognition(
            conn,
            who,
            &after,
            "cancelled_at_origin",
            Some(from.as_str()),
            on,
            grounds,
        )?;
        cancelled += 1;
    }
    Ok(cancelled)
}

#[derive(Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct SweepReport {
    /// Recognitions protected by this sweep.
    pub protected: Vec<i64>,
}

/// Protects every recognition whose decision period ended before `today` without a
/// decision, in programmes with tacit protection, dated on the deadline. Run inside a
/// write transaction: writes are serialised, so two sweeps at once protect each
/// recognition once.
pub fn sweep_tacit_protection(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<SweepReport, AppError> {
    // The latest date anywhere on earth (UTC+14) bounds the query; each partner's own
    // date decides.
    let latest_today = crate::domain::calendar::latest_today(now);
    let mut partner_today = std::collections::HashMap::new();
    let mut laws = std::collections::HashMap::new();
    for programme in programmes::list(conn, None, i64::MAX)? {
        let law = ProgrammeLaw::load(conn, &programme)?;
        if law.ever_tacit() {
            laws.insert(programme.id, law);
        }
    }
    let tacit: Vec<i64> = laws.keys().copied().collect();
    let system = AuditActor::system();
    let mut report = SweepReport::default();
    for r in recognitions::tacit_candidates(conn, &tacit, latest_today)? {
        let today = match partner_today.get(&r.partner_office_id) {
            Some(today) => *today,
            None => {
                let partner = offices::by_id(conn, r.partner_office_id)?
                    .ok_or_else(|| AppError::not_found("office"))?;
                let today = calendar_without_holidays(&partner).today(now);
                partner_today.insert(r.partner_office_id, today);
                today
            }
        };
        // Governed by tacit protection (from submission, or from a pending-applicable
        // amendment effective by the deadline), and only once the deadline has passed:
        // never a protection dated before the amendment that introduced it.
        let governed = laws
            .get(&r.programme_id)
            .and_then(|law| law.tacit_from(r.submitted_on, r.decision_deadline))
            .is_some();
        if !governed || !deadline_passed(r.decision_deadline, today) {
            continue;
        }
        let from: RecognitionStatus = r.status.parse().map_err(AppError::internal)?;
        let to = recognition_system_transition(from, RecognitionSystemAction::TacitProtection)?;
        let previous = events::latest_effective_on(conn, "recognition", r.id)?;
        let on = tacit_protection_effective_on(r.decision_deadline, previous);
        let after = changed(
            conn,
            &r,
            &RecognitionChanges {
                status: Some(to.as_str().into()),
                decided_on: Some(on),
                protected_from: Some(Some(on)),
                ..Default::default()
            },
        )?;
        record_recognition(
            conn,
            &system,
            &after,
            "tacit_protection",
            Some(from.as_str()),
            on,
            None,
        )?;
        report.protected.push(r.id);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::period::Period;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn field_of(result: Result<(), AppError>) -> String {
        match result {
            Err(AppError::Validation(fields)) => fields[0].field.clone(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_beneficiary_is_a_name_of_1_to_300_characters() {
        let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert!(beneficiary_names(&names(&["Siam Tea Importers Co."])).is_ok());
        assert!(beneficiary_names(&names(&["茶".repeat(300).as_str()])).is_ok());
        for wrong in [
            names(&["Siam Tea", "  "]),
            names(&[""]),
            names(&["茶".repeat(301).as_str()]),
            names(&["Siam Tea", "x".repeat(301).as_str()]),
        ] {
            let error = beneficiary_names(&wrong).expect_err("refused");
            assert_eq!(error.code, "beneficiary", "{wrong:?}");
        }
    }

    /// Lisbon Art. 5(6): a phase-out names its beneficiaries and ends no later than the
    /// programme's maximum after the protection (two years to the day at most).
    #[test]
    fn a_phase_out_has_beneficiaries_and_ends_within_the_maximum() {
        let protected_on = day("2026-08-31");
        let who = ["Siam Tea Importers Co.".to_string()];
        let two_years = Some("P24M".parse::<Period>().unwrap());
        assert!(check_phase_out(None, None, protected_on, two_years).is_ok());
        assert!(
            check_phase_out(Some(day("2028-08-31")), Some(&who), protected_on, two_years).is_ok()
        );
        assert!(check_phase_out(Some(day("2099-12-31")), Some(&who), protected_on, None).is_ok());
        assert_eq!(
            field_of(check_phase_out(
                Some(day("2028-09-01")),
                Some(&who),
                protected_on,
                two_years
            )),
            "phase_out_until"
        );
        assert_eq!(
            field_of(check_phase_out(
                Some(day("2027-08-31")),
                None,
                protected_on,
                two_years
            )),
            "phase_out_beneficiaries"
        );
        assert_eq!(
            field_of(check_phase_out(None, Some(&who), protected_on, two_years)),
            "phase_out_until"
        );
    }

    /// Lisbon Rule 9: remedies and their deadline go together, and only with a refusal or
    /// an invalidation.
    #[test]
    fn remedies_go_with_their_deadline_and_a_decision_against() {
        let deadline = Some(day("2026-10-31"));
        let remedies = Some("A request for review to the GI Board");
        for action in [RecognitionAction::Refuse, RecognitionAction::Invalidate] {
            assert!(check_remedies(action, None, None).is_ok());
            assert!(check_remedies(action, remedies, deadline).is_ok());
            assert_eq!(
                field_of(check_remedies(action, remedies, None)),
                "remedy_deadline"
            );
            assert_eq!(field_of(check_remedies(action, None, deadline)), "remedies");
        }
        for action in [RecognitionAction::Protect, RecognitionAction::Withdraw] {
            assert!(check_remedies(action, None, None).is_ok());
            assert_eq!(
                field_of(check_remedies(action, remedies, deadline)),
                "remedies"
            );
            assert_eq!(field_of(check_remedies(action, remedies, None)), "remedies");
            assert_eq!(
                field_of(check_remedies(action, None, deadline)),
                "remedy_deadline"
            );
        }
    }
}
