//! An examiner's work list: what awaits their own office, by legal deadline, overdue
//! first.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::calendars::{basis_of, today_at};
use super::programme_law::ProgrammeLaw;
use crate::db::AnyConnection;
use crate::domain::calendar::Deadline;
use crate::domain::legal_dates::{deadline_passed, publication_backdated_by};
use crate::domain::role::{Actor, Role};
use crate::error::AppError;
use std::collections::HashMap;

use super::conflicts::ConflictCandidate;
use crate::store::{events, gis, name_conflicts, programmes, recognitions, worklist};

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkItem {
    /// `examine_application`, `decide_application`, `decide_recognition`,
    /// `decide_opposition`, `decide_amendment`, or `decision_received` (a partner's
    /// decision on one of the office's own GIs).
    pub kind: &'static str,
    pub gi_id: i64,
    pub recognition_id: Option<i64>,
    pub opposition_id: Option<i64>,
    pub specification_version: Option<i32>,
    /// The GI's first original name.
    pub name: String,
    pub status: String,
    /// The legal deadline the item answers to, if any.
    pub deadline: Option<NaiveDate>,
    pub overdue: bool,
    /// The last day to file an opposition (once published).
    pub opposition_deadline: Option<NaiveDate>,
    /// How the opposition deadline was computed (`{date, from, period, rolled_from}`).
    pub opposition_deadline_basis: Option<Deadline>,
    /// The last day for the partner office to decide (recognitions).
    pub decision_deadline: Option<NaiveDate>,
    /// How the decision deadline was computed.
    pub decision_deadline_basis: Option<Deadline>,
    /// What the law expects next, e.g. `start_examination`, `publish_or_refuse`,
    /// `await_opposition_deadline`, `register`, `protect_or_refuse`,
    /// `tacit_protection`, `decide_opposition`, `decide_amendment`; for a partner's
    /// decision on the office's own GI, `consider_remedies` (a refusal or invalidation
    /// whose remedy deadline is ahead) or `note_decision`.
    pub next_step: &'static str,
    /// For `decision_received`: what came from which partner, e.g. "refusal received
    /// from DIP: remedy deadline 2027-01-15".
    pub note: Option<String>,
    /// For a publication recorded more than 30 days after its legal date: how much of
    /// the opposition period had run before it could be read in the register.
    pub warning: Option<String>,
    /// For an application or a recognition to decide: the live GIs its names collided
    /// with when it was filed or submitted (score 0.6 or more), best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<ConflictCandidate>,
}

/// How long a partner's decision stays on the origin office's work list (longer while
/// its remedy deadline is ahead).
pub const DECISIONS_RECEIVED_FOR_DAYS: u64 = 30;

pub fn for_office(
    conn: &mut AnyConnection,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<WorkItem>, AppError> {
    let office_id = match (actor.role, actor.office_id) {
        (Role::Examiner | Role::OfficeAdmin, Some(id)) => id,
        _ => {
            return Err(AppError::forbidden(
                "the work list is for examiners of an office",
            ))
        }
    };
    let today = today_at(conn, office_id, now)?;
    let mut items = Vec::new();
    for gi in worklist::open_applications(conn, office_id)? {
        let (kind, deadline, next_step) = match (gi.status.as_str(), gi.opposition_deadline) {
            ("published", Some(d)) if !deadline_passed(d, today) => {
                ("decide_application", Some(d), "await_opposition_deadline")
            }
            ("published", d) => ("decide_application", d, "register_or_refuse"),
            ("filed", _) => ("examine_application", None, "start_examination"),
            _ => ("examine_application", None, "publish_or_refuse"),
        };
        let warning =
            backdating_warning(conn, "gi", gi.id, gi.published_on, gi.opposition_deadline)?;
        let mut entry = item(kind, gi.id, None, gi.status, deadline, today);
        entry.warning = warning;
        entry.opposition_deadline = gi.opposition_deadline;
        entry.opposition_deadline_basis = basis_of(gi.opposition_deadline_basis.as_deref());
        entry.next_step = next_step;
        items.push(entry);
    }
    let mut laws = std::collections::HashMap::new();
    for programme in programmes::list(conn, None, i64::MAX)? {
        let law = ProgrammeLaw::load(conn, &programme)?;
        laws.insert(programme.id, law);
    }
    for r in worklist::open_recognitions(conn, office_id)? {
        let decision_passed = deadline_passed(r.decision_deadline, today);
        let next_step = match (r.status.as_str(), r.opposition_deadline) {
            ("submitted" | "under_examination", _)
                if decision_passed
                    && laws
                        .get(&r.programme_id)
                        .and_then(|law| law.tacit_from(r.submitted_on, r.decision_deadline))
                        .is_some() =>
            {
                "tacit_protection"
            }
            ("submitted", _) => "start_examination",
            ("under_examination", _) => "publish_or_refuse",
            ("published", Some(d)) if !deadline_passed(d, today) => "await_opposition_deadline",
            _ => "protect_or_refuse",
        };
        let mut entry = item(
            "decide_recognition",
            r.gi_id,
            Some(r.id),
            r.status,
            Some(r.decision_deadline),
            today,
        );
        entry.warning = backdating_warning(
            conn,
            "recognition",
            r.id,
            r.published_on,
            r.opposition_deadline,
        )?;
        entry.opposition_deadline = r.opposition_deadline;
        entry.opposition_deadline_basis = basis_of(r.opposition_deadline_basis.as_deref());
        entry.decision_deadline = Some(r.decision_deadline);
        entry.decision_deadline_basis = basis_of(r.decision_deadline_basis.as_deref());
        entry.next_step = next_step;
        items.push(entry);
    }
    for o in worklist::pending_oppositions(conn, office_id)? {
        let (opposition_deadline, opposition_basis, decision_deadline, decision_basis) =
            match o.recognition_id {
                Some(id) => recognitions::by_id(conn, id)?
                    .map(|r| {
                        (
                            r.opposition_deadline,
                            basis_of(r.opposition_deadline_basis.as_deref()),
                            Some(r.decision_deadline),
                            basis_of(r.decision_deadline_basis.as_deref()),
                        )
                    })
                    .unwrap_or_default(),
                None => match gis::by_id(conn, o.gi_id)? {
                    Some((gi, _)) => (
                        gi.opposition_deadline,
                        basis_of(gi.opposition_deadline_basis.as_deref()),
                        None,
                        None,
                    ),
                    None => Default::default(),
                },
            };
        let mut entry = item(
            "decide_opposition",
            o.gi_id,
            o.recognition_id,
            o.status,
            decision_deadline,
            today,
        );
        entry.opposition_id = Some(o.id);
        entry.opposition_deadline = opposition_deadline;
        entry.opposition_deadline_basis = opposition_basis;
        entry.decision_deadline = decision_deadline;
        entry.decision_deadline_basis = decision_basis;
        entry.next_step = "decide_opposition";
        items.push(entry);
    }
    let since = today
        .checked_sub_days(chrono::Days::new(DECISIONS_RECEIVED_FOR_DAYS))
        .unwrap_or(today);
    let partners: std::collections::HashMap<i64, String> =
        crate::store::offices::list(conn, None, i64::MAX)?
            .into_iter()
            .map(|o| (o.id, o.code))
            .collect();
    for r in worklist::decisions_received(conn, office_id, since, today)? {
        let partner = partners
            .get(&r.partner_office_id)
            .cloned()
            .unwrap_or_default();
        let remedy_deadline = r.remedy_deadline.filter(|d| *d >= today);
        let what = match r.status.as_str() {
            "protected" => "protection",
            "refused" => "refusal",
            _ => "invalidation",
        };
        let mut entry = item(
            "decision_received",
            r.gi_id,
            Some(r.id),
            r.status,
            remedy_deadline,
            today,
        );
        entry.note = Some(match remedy_deadline {
            Some(d) => format!("{what} received from {partner}: remedy deadline {d}"),
            None => format!("{what} received from {partner}"),
        });
        entry.next_step = if remedy_deadline.is_some() {
            "consider_remedies"
        } else {
            "note_decision"
        };
        items.push(entry);
    }
    for (gi_id, version) in worklist::pending_amendments(conn, office_id)? {
        let mut entry = item(
            "decide_amendment",
            gi_id,
            None,
            "pending".into(),
            None,
            today,
        );
        entry.specification_version = Some(version);
        entry.next_step = "decide_amendment";
        items.push(entry);
    }
    let ids: Vec<i64> = items.iter().map(|i| i.gi_id).collect();
    let names = gis::names_of(conn, &ids)?;
    for entry in &mut items {
        entry.name = names
            .iter()
            .find(|n| n.gi_id == entry.gi_id && n.kind == "original")
            .or_else(|| names.iter().find(|n| n.gi_id == entry.gi_id))
            .map(|n| n.text.clone())
            .unwrap_or_default();
    }
    attach_conflicts(conn, &mut items)?;
    // Overdue first, then the nearest deadline; items without a deadline last.
    items.sort_by_key(|i| {
        (
            !i.overdue,
            i.deadline.is_none(),
            i.deadline,
            i.gi_id,
            i.recognition_id,
            i.opposition_id,
        )
    });
    Ok(items)
}

fn item(
    kind: &'static str,
    gi_id: i64,
    recognition_id: Option<i64>,
    status: String,
    deadline: Option<NaiveDate>,
    today: NaiveDate,
) -> WorkItem {
    // An application in opposition is "overdue" only for a recognition's decision
    // deadline; a GI past its opposition deadline is simply ready to decide.
    let overdue = kind != "decide_application" && deadline.is_some_and(|d| d < today);
    WorkItem {
        kind,
        gi_id,
        recognition_id,
        opposition_id: None,
        specification_version: None,
        name: String::new(),
        status,
        deadline,
        overdue,
        opposition_deadline: None,
        opposition_deadline_basis: None,
        decision_deadline: None,
        decision_deadline_basis: None,
        next_step: "",
        note: None,
        warning: None,
        conflicts: Vec::new(),
    }
}

/// Each application and recognition to decide gets the conflicts its filing or
/// submission reported.
fn attach_conflicts(conn: &mut AnyConnection, items: &mut [WorkItem]) -> Result<(), AppError> {
    let applications: Vec<i64> = items
        .iter()
        .filter(|i| matches!(i.kind, "examine_application" | "decide_application"))
        .map(|i| i.gi_id)
        .collect();
    let recognitions: Vec<i64> = items
        .iter()
        .filter(|i| i.kind == "decide_recognition")
        .filter_map(|i| i.recognition_id)
        .collect();
    let mut of_gi: HashMap<i64, Vec<ConflictCandidate>> =
        name_conflicts::for_gis(conn, &applications)?
            .into_iter()
            .collect();
    let mut of_recognition: HashMap<i64, Vec<ConflictCandidate>> =
        name_conflicts::for_recognitions(conn, &recognitions)?
            .into_iter()
            .collect();
    for item in items.iter_mut() {
        let found = match item.kind {
            "examine_application" | "decide_application" => of_gi.remove(&item.gi_id),
            "decide_recognition" => item
                .recognition_id
                .and_then(|id| of_recognition.remove(&id)),
            _ => None,
        };
        item.conflicts = found.unwrap_or_default();
    }
    Ok(())
}

/// The warning of a published GI or recognition whose publication was recorded late.
fn backdating_warning(
    conn: &mut AnyConnection,
    entity_type: &str,
    entity_id: i64,
    published_on: Option<NaiveDate>,
    opposition_deadline: Option<NaiveDate>,
) -> Result<Option<String>, AppError> {
    let (Some(published_on), Some(deadline)) = (published_on, opposition_deadline) else {
        return Ok(None);
    };
    let Some(recorded_at) = events::publication_recorded_at(conn, entity_type, entity_id)? else {
        return Ok(None);
    };
    let recorded_on = recorded_at.date();
    Ok(
        publication_backdated_by(published_on, recorded_on).map(|days| {
            let left = (deadline - recorded_on).num_days().max(0);
            format!(
                "published on {published_on} but recorded on {recorded_on}, {days} days later: \
{left} day(s) of the opposition period to {deadline} remained once it could be read"
            )
        }),
    )
}
