//! Oppositions, at home and in a partner office: filed on or before the opposition
//! deadline, decided by an examiner of the deciding office (upheld refuses the GI or the
//! recognition), or withdrawn.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::acting::Acting;
use super::calendars::today_at;
use super::gi_application::load_visible;
use super::recognitions::{load_visible_recognition, record_recognition};
use super::record::{record, Change};
use crate::db::AnyConnection;
use crate::domain::coexistence::CoexistingRight;
use crate::domain::earlier_rights::{checked_json, parsed, EarlierRight};
use crate::domain::gi_status::{gi_transition, GiAction, GiStatus};
use crate::domain::identifiers::validate;
use crate::domain::legal_dates::{check_effective_on, check_opposition_open, resolve_effective_on};
use crate::domain::opposition_status::{opposition_transition, OppositionAction, OppositionStatus};
use crate::domain::permissions::Action;
use crate::domain::recognition_status::{
    recognition_transition, RecognitionAction, RecognitionStatus,
};
use crate::domain::role::{Actor, Role};
use crate::domain::transition::ActorKind;
use crate::error::AppError;
use crate::store::gis::{self, GiChanges};
use crate::store::oppositions::{self, NewOpposition, Opposition};
use crate::store::recognitions::{self, RecognitionChanges};
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
    #[schema(value_type = crate::domain::opposition_status::OppositionStatus)]
    pub status: String,
    pub decided_on: Option<NaiveDate>,
    pub decision_grounds: Option<String>,
    pub filed_by_association_id: Option<i64>,
    /// The earlier rights the opposition rests on.
    pub earlier_rights: Option<Vec<EarlierRight>>,
    /// The earlier rights the decision on it rests on (or, when settled, those the GI
    /// coexists with).
    pub decision_earlier_rights: Option<Vec<EarlierRight>>,
    /// When settled: the terms of coexistence.
    pub coexistence_terms: Option<String>,
    pub version: i32,
    #[serde(serialize_with = "crate::utc::serialize")]
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
            earlier_rights: parsed(o.earlier_rights.as_deref()),
            decision_earlier_rights: parsed(o.decision_earlier_rights.as_deref()),
            coexistence_terms: o.settlement_terms,
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
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300), custom(function = "validate::not_blank"))]
    pub opponent_name: Option<String>,
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000), custom(function = "validate::not_blank"))]
    pub grounds: String,
    /// The legal filing date; today when absent. On or before the opposition deadline.
    pub filed_on: Option<NaiveDate>,
    /// The earlier rights it rests on (a trademark with its number, another GI, a
    /// generic term…).
    #[schema(max_items = 50)]
    pub earlier_rights: Option<Vec<EarlierRight>>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OppositionDecision {
    #[schema(value_type = crate::domain::opposition_status::OppositionAction)]
    #[validate(length(min = 1, max = 40))]
    pub action: String,
    /// Required to uphold or reject.
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub grounds: Option<String>,
    /// The legal date; today when absent.
    pub effective_on: Option<NaiveDate>,
    /// With `uphold`, `reject` or `settle`: the earlier rights the decision rests on. To
    /// settle, the rights the GI coexists with (the opposition's own when absent).
    #[schema(max_items = 50)]
    pub earlier_rights: Option<Vec<EarlierRight>>,
    /// Required to settle: the terms of coexistence, e.g. "the mark is used only with
    /// its owner's house name, never alone on tea".
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub coexistence_terms: Option<String>,
}

/// Files an opposition against a published GI.
pub fn file_against_gi(
    conn: &mut AnyConnection,
    acting: &Acting,
    gi_id: i64,
    filing: OppositionFiling,
    now: DateTime<Utc>,
) -> Result<OppositionView, AppError> {
    let (gi, _) = load_visible(conn, Some(&acting.actor), gi_id)?;
    let proceeding = Proceeding {
        entity_type: "gi",
        entity_id: gi.id,
        gi_id: gi.id,
        recognition_id: None,
        deciding_office_id: gi.origin_office_id,
        applicant_association_id: gi.association_id,
        open: gi.status == GiStatus::Published.as_str(),
        status: gi.status,
        published_on: gi.published_on,
        opposition_deadline: gi.opposition_deadline,
    };
    file(conn, acting, proceeding, filing, now)
}

/// Files an opposition against a recognition the partner office has published.
pub fn file_against_recognition(
    conn: &mut AnyConnection,
    acting: &Acting,
    recognition_id: i64,
    filing: OppositionFiling,
    now: DateTime<Utc>,
) -> Result<OppositionView, AppError> {
    let r = load_visible_recognition(conn, Some(&acting.actor), recognition_id)?;
    let applicant_association_id =
        gis::owners(conn, r.gi_id)?.and_then(|(_, association)| association);
    let proceeding = Proceeding {
        entity_type: "recognition",
        entity_id: r.id,
        gi_id: r.gi_id,
        recognition_id: Some(r.id),
        deciding_office_id: r.partner_office_id,
        applicant_association_id,
        open: r.status == RecognitionStatus::Published.as_str(),
        status: r.status,
        published_on: r.published_on,
        opposition_deadline: r.opposition_deadline,
    };
    file(conn, acting, proceeding, filing, now)
}

/// The proceeding an opposition is filed in: a GI's home phase or one recognition.
struct Proceeding {
    entity_type: &'static str,
    entity_id: i64,
    gi_id: i64,
    recognition_id: Option<i64>,
    deciding_office_id: i64,
    /// The association that applied for the GI: it has no standing to oppose it.
    applicant_association_id: Option<i64>,
    status: String,
    open: bool,
    published_on: Option<NaiveDate>,
    opposition_deadline: Option<NaiveDate>,
}

fn file(
    conn: &mut AnyConnection,
    acting: &Acting,
    proceeding: Proceeding,
    filing: OppositionFiling,
    now: DateTime<Utc>,
) -> Result<OppositionView, AppError> {
    acting.authorize(Action::FileOpposition {
        deciding_office_id: proceeding.deciding_office_id,
        applicant_association_id: proceeding.applicant_association_id,
    })?;
    let (opponent_name, filed_by_association_id) =
        opponent(conn, &acting.actor, filing.opponent_name)?;
    let earlier_rights = checked_json(filing.earlier_rights.as_deref())?;
    if !proceeding.open {
        return Err(AppError::Conflict {
            code: "not_open_to_opposition",
            message: format!(
                "oppositions are filed while published; this {} is {}",
                proceeding.entity_type, proceeding.status
            ),
            details: json!({ "status": proceeding.status }),
        });
    }
    let today = today_at(conn, proceeding.deciding_office_id, now)?;
    let filed_on = filing.filed_on.unwrap_or(today);
    check_effective_on(filed_on, today, proceeding.published_on)
        .map_err(|e| AppError::invalid("filed_on", e.to_string()))?;
    let deadline = proceeding
        .opposition_deadline
        .ok_or_else(|| AppError::internal("published without an opposition deadline"))?;
    check_opposition_open(deadline, filed_on)?;
    let now = Utc::now().naive_utc();
    let id = oppositions::insert(
        conn,
        &NewOpposition {
            gi_id: proceeding.gi_id,
            recognition_id: proceeding.recognition_id,
            opponent_name: opponent_name.clone(),
            grounds: filing.grounds.clone(),
            filed_on,
            status: OppositionStatus::Pending.as_str().into(),
            filed_by_user_id: Some(acting.actor.user_id),
            filed_by_association_id,
            created_at: now,
            updated_at: now,
            earlier_rights: earlier_rights.clone(),
        },
    )?;
    record(
        conn,
        acting,
        Change {
            entity_type: proceeding.entity_type,
            entity_id: proceeding.entity_id,
            gi_id: proceeding.gi_id,
            event_type: "opposition_filed",
            from_status: Some(&proceeding.status),
            to_status: &proceeding.status,
            effective_on: filed_on,
            grounds: Some(&filing.grounds),
            details: json!({
                "opposition_id": id,
                "opponent_name": opponent_name,
                "earlier_rights": parsed(earlier_rights.as_deref()),
            }),
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
        if named.as_ref().is_some_and(|name| *name != association.name) {
            return Err(AppError::invalid(
                "opponent_name",
                "an association opposes in its own name; leave opponent_name out",
            ));
        }
        return Ok((association.name, Some(association_id)));
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

fn views(list: Vec<Opposition>) -> Vec<OppositionView> {
    list.into_iter().map(OppositionView::from).collect()
}

/// Oppositions of a GI's home phase, for whoever may see the GI.
pub fn of_gi(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    gi_id: i64,
) -> Result<Vec<OppositionView>, AppError> {
    load_visible(conn, reader, gi_id)?;
    Ok(views(oppositions::of_proceeding(conn, gi_id, None)?))
}

/// Oppositions of a recognition's partner phase.
pub fn of_recognition(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    recognition_id: i64,
) -> Result<Vec<OppositionView>, AppError> {
    let r = load_visible_recognition(conn, reader, recognition_id)?;
    Ok(views(oppositions::of_proceeding(
        conn,
        r.gi_id,
        Some(r.id),
    )?))
}

/// Upholds, rejects or withdraws an opposition. Upholding refuses the GI (home phase) or
/// the recognition (partner phase) in the same transaction.
pub fn decide(
    conn: &mut AnyConnection,
    acting: &Acting,
    opposition_id: i64,
    decision: OppositionDecision,
    now: DateTime<Utc>,
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
    match opposition.recognition_id {
        Some(recognition_id) => decide_in_recognition(
            conn,
            acting,
            &opposition,
            recognition_id,
            action,
            decision,
            now,
        )?,
        None => decide_at_home(conn, acting, &opposition, action, decision, now)?,
    }
    load(conn, opposition_id)
}

fn decide_at_home(
    conn: &mut AnyConnection,
    acting: &Acting,
    opposition: &Opposition,
    action: OppositionAction,
    decision: OppositionDecision,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (gi, _) = load_visible(conn, Some(&acting.actor), opposition.gi_id)?;
    authorize_decision(
        acting,
        action,
        opposition,
        ActorKind::OriginExaminer,
        gi.origin_office_id,
        None,
    )?;
    let today = today_at(conn, gi.origin_office_id, now)?;
    let Decided {
        to,
        grounds,
        effective_on,
        coexisting,
        ..
    } = settle(conn, opposition, action, decision, today, "gi", gi.id)?;
    let gi_to = if action == OppositionAction::Uphold {
        let from: GiStatus = gi.status.parse().map_err(AppError::internal)?;
        let refused = gi_transition(from, GiAction::Refuse)?;
        let changes = GiChanges {
            status: Some(refused.as_str().into()),
            decided_on: Some(effective_on),
            ..Default::default()
        };
        if !gis::update(conn, gi.id, gi.version, &changes, Utc::now().naive_utc())? {
            return Err(AppError::PreconditionFailed {
                current: gi.version,
            });
        }
        refused.as_str()
    } else {
        gi.status.as_str()
    };
    record(
        conn,
        acting,
        Change {
            entity_type: "gi",
            entity_id: gi.id,
            gi_id: gi.id,
            event_type: event_type_of(to),
            from_status: Some(&gi.status),
            to_status: gi_to,
            effective_on,
            grounds: grounds.as_deref(),
            details: if coexisting.is_empty() {
                json!({ "opposition_id": opposition.id, "opponent_name": opposition.opponent_name })
            } else {
                json!({ "opposition_id": opposition.id, "opponent_name": opposition.opponent_name,
                        "coexisting_rights": coexisting })
            },
            public: true,
        },
    )?;
    Ok(())
}

/// In the partner phase, an upheld opposition refuses the recognition.
fn decide_in_recognition(
    conn: &mut AnyConnection,
    acting: &Acting,
    opposition: &Opposition,
    recognition_id: i64,
    action: OppositionAction,
    decision: OppositionDecision,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = load_visible_recognition(conn, Some(&acting.actor), recognition_id)?;
    authorize_decision(
        acting,
        action,
        opposition,
        ActorKind::PartnerExaminer,
        r.origin_office_id,
        Some(r.partner_office_id),
    )?;
    let today = today_at(conn, r.partner_office_id, now)?;
    let Decided {
        to,
        grounds,
        effective_on,
        earlier_rights,
        coexisting,
    } = settle(
        conn,
        opposition,
        action,
        decision,
        today,
        "recognition",
        r.id,
    )?;
    let after = if !coexisting.is_empty() {
        // The proceeding goes on; the protection to come lists the right it coexists with.
        let mut rights = crate::domain::coexistence::parsed(r.coexisting_rights.as_deref());
        rights.extend(coexisting);
        let changes = RecognitionChanges {
            coexisting_rights: Some(crate::domain::coexistence::stored(&rights)),
            ..Default::default()
        };
        if !recognitions::update(conn, r.id, r.version, &changes, Utc::now().naive_utc())? {
            return Err(AppError::PreconditionFailed { current: r.version });
        }
        recognitions::by_id(conn, r.id)?.ok_or_else(|| AppError::not_found("recognition"))?
    } else if action == OppositionAction::Uphold {
        let from: RecognitionStatus = r.status.parse().map_err(AppError::internal)?;
        let refused = recognition_transition(from, RecognitionAction::Refuse)?;
        let changes = RecognitionChanges {
            status: Some(refused.as_str().into()),
            decided_on: Some(effective_on),
            grounds: Some(grounds.clone()),
            earlier_rights: earlier_rights.clone().map(Some),
            ..Default::default()
        };
        if !recognitions::update(conn, r.id, r.version, &changes, Utc::now().naive_utc())? {
            return Err(AppError::PreconditionFailed { current: r.version });
        }
        recognitions::by_id(conn, r.id)?.ok_or_else(|| AppError::not_found("recognition"))?
    } else {
        r.clone()
    };
    record_recognition(
        conn,
        &acting.audit,
        &after,
        event_type_of(to),
        Some(&r.status),
        effective_on,
        grounds.as_deref(),
    )?;
    Ok(())
}

fn event_type_of(to: OppositionStatus) -> &'static str {
    match to {
        OppositionStatus::Upheld => "opposition_upheld",
        OppositionStatus::Rejected => "opposition_rejected",
        OppositionStatus::Settled => "opposition_settled",
        _ => "opposition_withdrawn",
    }
}

/// A withdrawal by the filer (or an examiner of the deciding office); a decision by an
/// examiner of the deciding office. The deciding office is the origin at home and the
/// partner in a recognition.
fn authorize_decision(
    acting: &Acting,
    action: OppositionAction,
    opposition: &Opposition,
    decider: ActorKind,
    origin_office_id: i64,
    partner_office_id: Option<i64>,
) -> Result<(), AppError> {
    acting.authorize(match action {
        OppositionAction::Withdraw => Action::WithdrawOpposition {
            filed_by_association_id: opposition.filed_by_association_id,
            deciding_office_id: partner_office_id.unwrap_or(origin_office_id),
        },
        OppositionAction::Uphold | OppositionAction::Reject | OppositionAction::Settle => {
            Action::Act {
                who: decider,
                origin_office_id,
                association_id: None,
                partner_office_id,
            }
        }
    })
}

/// What deciding an opposition settled.
struct Decided {
    to: OppositionStatus,
    grounds: Option<String>,
    effective_on: NaiveDate,
    /// The decision's earlier rights, as stored (a JSON array).
    earlier_rights: Option<String>,
    /// When settled by coexistence: the rights the GI coexists with.
    coexisting: Vec<CoexistingRight>,
}

/// Moves the opposition itself: checks the transition, the grounds, the earlier rights
/// and terms, and the date, and writes the decision.
fn settle(
    conn: &mut AnyConnection,
    opposition: &Opposition,
    action: OppositionAction,
    decision: OppositionDecision,
    today: NaiveDate,
    entity_type: &str,
    entity_id: i64,
) -> Result<Decided, AppError> {
    let from: OppositionStatus = opposition.status.parse().map_err(AppError::internal)?;
    let to = opposition_transition(from, action)?;
    let grounds = decision.grounds.clone().filter(|g| !g.trim().is_empty());
    if action.requires_grounds() && grounds.is_none() {
        return Err(AppError::invalid(
            "grounds",
            format!("are required to {action}"),
        ));
    }
    // Only the opponent withdraws: an examiner records the withdrawal of an opponent it
    // named, citing the opponent's letter.
    if action == OppositionAction::Withdraw
        && opposition.filed_by_association_id.is_none()
        && grounds.is_none()
    {
        return Err(AppError::invalid(
            "grounds",
            "are required to record a withdrawal on the opponent's behalf: cite the opponent's letter",
        ));
    }
    let (earlier_rights, coexisting, terms) = decision_rights(opposition, action, &decision)?;
    let previous =
        events::latest_effective_on(conn, entity_type, entity_id)?.max(Some(opposition.filed_on));
    let effective_on = resolve_effective_on(decision.effective_on, today, previous)?;
    let now = Utc::now().naive_utc();
    if !oppositions::decide(
        conn,
        opposition,
        to.as_str(),
        effective_on,
        grounds.as_deref(),
        now,
    )? {
        return Err(AppError::PreconditionFailed {
            current: opposition.version,
        });
    }
    if earlier_rights.is_some() || terms.is_some() {
        oppositions::record_decision_rights(
            conn,
            opposition.id,
            earlier_rights.as_deref(),
            terms.as_deref(),
        )?;
    }
    Ok(Decided {
        to,
        grounds,
        effective_on,
        earlier_rights,
        coexisting,
    })
}

/// The decision's earlier rights (checked, as stored), and for a settlement the rights
/// the GI coexists with and the terms: both required (the opposition's own rights stand
/// in when the decision names none).
type DecisionRights = (Option<String>, Vec<CoexistingRight>, Option<String>);

fn decision_rights(
    opposition: &Opposition,
    action: OppositionAction,
    decision: &OppositionDecision,
) -> Result<DecisionRights, AppError> {
    let terms = decision
        .coexistence_terms
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    if action == OppositionAction::Withdraw && decision.earlier_rights.is_some() {
        return Err(AppError::invalid(
            "earlier_rights",
            "are recorded with uphold, reject or settle, not withdraw",
        ));
    }
    if action != OppositionAction::Settle {
        if decision.coexistence_terms.is_some() {
            return Err(AppError::invalid(
                "coexistence_terms",
                format!("are recorded with settle, not {action}"),
            ));
        }
        return Ok((
            checked_json(decision.earlier_rights.as_deref())?,
            Vec::new(),
            None,
        ));
    }
    let Some(terms) = terms else {
        return Err(AppError::invalid(
            "coexistence_terms",
            "are required to settle: state the terms on which the earlier right and the GI coexist",
        ));
    };
    let stored = match decision.earlier_rights.as_deref() {
        None | Some([]) => opposition.earlier_rights.clone(),
        given => checked_json(given)?,
    };
    let rights = parsed(stored.as_deref()).unwrap_or_default();
    if rights.is_empty() {
        return Err(AppError::invalid(
            "earlier_rights",
            "are required to settle: name the earlier right the GI coexists with",
        ));
    }
    let coexisting = rights
        .into_iter()
        .map(|right| CoexistingRight {
            opposition_id: opposition.id,
            right,
            terms: terms.clone(),
        })
        .collect();
    Ok((stored, coexisting, Some(terms)))
}
