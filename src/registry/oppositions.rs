//! Oppositions in the home phase: filed on or before the deadline, decided by an
//! examiner of the origin office (upheld refuses the GI), or withdrawn.

use chrono::{NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::acting::Acting;
use super::gi_application::load_visible;
use super::record::{record, Change};
use crate::db::AnyConnection;
use crate::domain::gi_status::{gi_transition, GiAction, GiStatus};
use crate::domain::identifiers::validate;
use crate::domain::legal_dates::{check_effective_on, check_opposition_open, resolve_effective_on};
use crate::domain::opposition_status::{opposition_transition, OppositionAction, OppositionStatus};
use crate::domain::permissions::Action;
use crate::domain::role::{Actor, Role};
use crate::domain::transition::ActorKind;
use crate::error::AppError;
use crate::store::gis::{self, GiChanges};
use crate::store::oppositions::{self, NewOpposition, Opposition};
use crate::store::{associations, events};

#[derive(Debug, Serialize, ToSchema)]
pub struct OppositionView {
    pub id: i64,
    pub gi_id: i64,
    /// Set for an opposition in a partner office's proceeding.
    pub recognition_id: Option<i64>,
    pub opponent_name: String,
    pub grounds: String,
    pub filed_on: NaiveDate,
    /// `pending`, `upheld`, `rejected` or `withdrawn`.
    pub status: String,
    pub decided_on: Option<NaiveDate>,
    pub decision_grounds: Option<String>,
    pub filed_by_association_id: Option<i64>,
    pub version: i32,
    pub created_at: NaiveDateTime,
}

impl From<Opposition> for OppositionView {
    fn from(o: Opposition) -> Self {
        Self {
            id: o.id,
            gi_id: o.gi_id,
            recognition_id: o.recognition_id,
            opponent_name: o.opponent_name,
            grounds: o.grounds,
            filed_on: o.filed_on,
            status: o.status,
            decided_on: o.decided_on,
            decision_grounds: o.decision_grounds,
            filed_by_association_id: o.filed_by_association_id,
            version: o.version,
            created_at: o.created_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OppositionFiling {
    /// Required when an examiner records an opposition on an opponent's behalf; an
    /// association files in its own name when absent.
    #[validate(length(min = 1, max = 300), custom(function = "validate::not_blank"))]
    pub opponent_name: Option<String>,
    #[validate(length(min = 1, max = 10000), custom(function = "validate::not_blank"))]
    pub grounds: String,
    /// The legal filing date; today when absent. On or before the opposition deadline.
    pub filed_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OppositionDecision {
    /// `uphold`, `reject` or `withdraw`.
    #[validate(length(min = 1, max = 40))]
    pub action: String,
    /// Required to uphold or reject.
    #[validate(length(min = 1, max = 10000))]
    pub grounds: Option<String>,
    /// The legal date; today when absent.
    pub effective_on: Option<NaiveDate>,
}

/// Files an opposition against a published GI.
pub fn file_against_gi(
    conn: &mut AnyConnection,
    acting: &Acting,
    gi_id: i64,
    filing: OppositionFiling,
    today: NaiveDate,
) -> Result<OppositionView, AppError> {
    let (gi, _) = load_visible(conn, Some(&acting.actor), gi_id)?;
    acting.authorize(Action::FileOpposition {
        deciding_office_id: gi.origin_office_id,
    })?;
    let (opponent_name, filed_by_association_id) =
        opponent(conn, &acting.actor, filing.opponent_name)?;
    if gi.status != GiStatus::Published.as_str() {
        return Err(AppError::Conflict {
            code: "not_open_to_opposition",
            message: format!(
                "oppositions are filed against a published GI; this one is {}",
                gi.status
            ),
            details: json!({ "status": gi.status }),
        });
    }
    let filed_on = filing.filed_on.unwrap_or(today);
    check_effective_on(filed_on, today, gi.published_on)
        .map_err(|e| AppError::invalid("filed_on", e.to_string()))?;
    let deadline = gi
        .opposition_deadline
        .ok_or_else(|| AppError::internal("a published GI without an opposition deadline"))?;
    check_opposition_open(deadline, filed_on)?;
    let now = Utc::now().naive_utc();
    let id = oppositions::insert(
        conn,
        &NewOpposition {
            gi_id,
            recognition_id: None,
            opponent_name: opponent_name.clone(),
            grounds: filing.grounds.clone(),
            filed_on,
            status: OppositionStatus::Pending.as_str().into(),
            filed_by_user_id: Some(acting.actor.user_id),
            filed_by_association_id,
            created_at: now,
            updated_at: now,
        },
    )?;
    record(
        conn,
        acting,
        Change {
            entity_type: "gi",
            entity_id: gi_id,
            gi_id,
            event_type: "opposition_filed",
            from_status: Some(&gi.status),
            to_status: &gi.status,
            effective_on: filed_on,
            grounds: Some(&filing.grounds),
            details: json!({ "opposition_id": id, "opponent_name": opponent_name }),
            public: true,
        },
    )?;
    load(conn, id)
}

/// The opponent: an association files in its own name; an examiner names the opponent.
fn opponent(
    conn: &mut AnyConnection,
    actor: &Actor,
    named: Option<String>,
) -> Result<(String, Option<i64>), AppError> {
    if actor.role == Role::Association {
        let association_id = actor
            .association_id
            .ok_or_else(|| AppError::forbidden("this account has no association"))?;
        let (association, _) = associations::by_id(conn, association_id)?
            .ok_or_else(|| AppError::not_found("association"))?;
        return Ok((named.unwrap_or(association.name), Some(association_id)));
    }
    let name = named.ok_or_else(|| {
        AppError::invalid(
            "opponent_name",
            "is required when recording an opposition on someone's behalf",
        )
    })?;
    Ok((name, None))
}

fn load(conn: &mut AnyConnection, id: i64) -> Result<OppositionView, AppError> {
    oppositions::by_id(conn, id)?
        .map(OppositionView::from)
        .ok_or_else(|| AppError::not_found("opposition"))
}

/// Oppositions of a GI's home phase, for whoever may see the GI.
pub fn of_gi(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    gi_id: i64,
) -> Result<Vec<OppositionView>, AppError> {
    load_visible(conn, reader, gi_id)?;
    Ok(oppositions::of_proceeding(conn, gi_id, None)?
        .into_iter()
        .map(OppositionView::from)
        .collect())
}

/// Upholds, rejects or withdraws an opposition. Upholding refuses the GI in the same
/// transaction.
pub fn decide(
    conn: &mut AnyConnection,
    acting: &Acting,
    opposition_id: i64,
    decision: OppositionDecision,
    today: NaiveDate,
) -> Result<OppositionView, AppError> {
    let action: OppositionAction =
        decision
            .action
            .parse()
            .map_err(|e: crate::domain::transition::UnknownValue| {
                AppError::invalid("action", e.to_string())
            })?;
    let opposition = oppositions::by_id(conn, opposition_id)?
        .ok_or_else(|| AppError::not_found("opposition"))?;
    if opposition.recognition_id.is_some() {
        return Err(AppError::conflict(
            "partner_phase",
            "this opposition belongs to a recognition's proceeding",
        ));
    }
    let (gi, _) = load_visible(conn, Some(&acting.actor), opposition.gi_id)?;
    let permission = match action {
        OppositionAction::Withdraw => Action::WithdrawOpposition {
            filed_by_association_id: opposition.filed_by_association_id,
            deciding_office_id: gi.origin_office_id,
        },
        OppositionAction::Uphold | OppositionAction::Reject => Action::Act {
            who: ActorKind::OriginExaminer,
            origin_office_id: gi.origin_office_id,
            association_id: gi.association_id,
            partner_office_id: None,
        },
    };
    acting.authorize(permission)?;
    let from: OppositionStatus = opposition.status.parse().map_err(AppError::internal)?;
    let to = opposition_transition(from, action)?;
    let grounds = decision.grounds.filter(|g| !g.trim().is_empty());
    if action.requires_grounds() && grounds.is_none() {
        return Err(AppError::invalid(
            "grounds",
            format!("are required to {action}"),
        ));
    }
    let previous = events::latest_effective_on(conn, "gi", gi.id)?.max(Some(opposition.filed_on));
    let effective_on = resolve_effective_on(decision.effective_on, today, previous)?;
    let now = Utc::now().naive_utc();
    if !oppositions::decide(
        conn,
        &opposition,
        to.as_str(),
        effective_on,
        grounds.as_deref(),
        now,
    )? {
        return Err(AppError::PreconditionFailed {
            current: opposition.version,
        });
    }
    let refuses = action == OppositionAction::Uphold;
    let gi_to = if refuses {
        let from_gi: GiStatus = gi.status.parse().map_err(AppError::internal)?;
        let refused = gi_transition(from_gi, GiAction::Refuse)?;
        let changes = GiChanges {
            status: Some(refused.as_str().into()),
            decided_on: Some(effective_on),
            ..Default::default()
        };
        if !gis::update(conn, gi.id, gi.version, &changes, now)? {
            return Err(AppError::PreconditionFailed {
                current: gi.version,
            });
        }
        refused.as_str()
    } else {
        gi.status.as_str()
    };
    let event_type = match to {
        OppositionStatus::Upheld => "opposition_upheld",
        OppositionStatus::Rejected => "opposition_rejected",
        _ => "opposition_withdrawn",
    };
    record(
        conn,
        acting,
        Change {
            entity_type: "gi",
            entity_id: gi.id,
            gi_id: gi.id,
            event_type,
            from_status: Some(&gi.status),
            to_status: gi_to,
            effective_on,
            grounds: grounds.as_deref(),
            details: json!({ "opposition_id": opposition.id, "opponent_name": opposition.opponent_name }),
            public: true,
        },
    )?;
    load(conn, opposition_id)
}
