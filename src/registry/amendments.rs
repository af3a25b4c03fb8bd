//! Amendments: a new specification version for a registered GI, pending until an
//! examiner of the origin office approves it (it becomes current, the old one is
//! superseded) or rejects it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::acting::Acting;
use super::calendars::today_at;
use super::gi_application::{load_visible, SpecificationInput};
use super::gi_views::SpecificationView;
use super::record::{record, Change};
use crate::db::AnyConnection;
use crate::domain::gi_status::GiStatus;
use crate::domain::legal_dates::resolve_effective_on;
use crate::domain::permissions::Action;
use crate::domain::role::Actor;
use crate::domain::transition::ActorKind;
use crate::error::AppError;
use crate::store::events;
use crate::store::specifications::{self, NewSpecification};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendmentProposal {
    #[validate(nested)]
    pub specification: SpecificationInput,
    /// Why the specification should change.
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub reason: Option<String>,
}

/// What can be decided on a pending amendment (the values `decide` matches on).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AmendmentAction {
    Approve,
    Reject,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendmentDecision {
    #[schema(value_type = AmendmentAction)]
    #[validate(length(min = 1, max = 40))]
    pub action: String,
    /// Required to reject.
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub grounds: Option<String>,
    pub effective_on: Option<NaiveDate>,
}

/// Every version of a GI's specification, oldest first.
pub fn list(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    gi_id: i64,
) -> Result<Vec<SpecificationView>, AppError> {
    load_visible(conn, reader, gi_id)?;
    Ok(specifications::of_gi(conn, gi_id)?
        .into_iter()
        .map(SpecificationView::from)
        .collect())
}

pub fn read(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    gi_id: i64,
    version: i32,
) -> Result<SpecificationView, AppError> {
    load_visible(conn, reader, gi_id)?;
    specifications::by_version(conn, gi_id, version)?
        .map(SpecificationView::from)
        .ok_or_else(|| AppError::not_found("specification version"))
}

pub fn propose(
    conn: &mut AnyConnection,
    acting: &Acting,
    gi_id: i64,
    proposal: AmendmentProposal,
    now: DateTime<Utc>,
) -> Result<SpecificationView, AppError> {
    let (gi, _) = load_visible(conn, Some(&acting.actor), gi_id)?;
    let today = today_at(conn, gi.origin_office_id, now)?;
    acting.authorize(Action::Act {
        who: ActorKind::ApplicantOrOriginExaminer,
        origin_office_id: gi.origin_office_id,
        association_id: gi.association_id,
        partner_office_id: None,
    })?;
    if gi.status != GiStatus::Registered.as_str() {
        return Err(AppError::Conflict {
            code: "not_registered",
            message: format!(
                "amendments are proposed for a registered GI; this one is {}",
                gi.status
            ),
            details: json!({ "status": gi.status }),
        });
    }
    if let Some(pending) = specifications::with_status(conn, gi_id, "pending")? {
        return Err(AppError::Conflict {
            code: "amendment_pending",
            message: format!(
                "version {} is still pending; decide it first",
                pending.version
            ),
            details: json!({ "pending_version": pending.version }),
        });
    }
    let version = specifications::of_gi(conn, gi_id)?
        .iter()
        .map(|s| s.version)
        .max()
        .unwrap_or(0)
        + 1;
    let content = proposal.specification.content();
    specifications::insert(
        conn,
        &NewSpecification {
            gi_id,
            version,
            status: "pending".into(),
            product_description: content.product_description,
            raw_materials: content.raw_materials,
            production_method: content.production_method,
            link_with_area: content.link_with_area,
            labelling: content.labelling,
            control_body: content.control_body,
            reason: proposal.reason.clone(),
            proposed_by: Some(acting.audit.name.clone()),
            proposed_at: Utc::now().naive_utc(),
        },
    )?;
    let previous = events::latest_effective_on(conn, "gi", gi_id)?;
    record(
        conn,
        acting,
        Change {
            entity_type: "gi",
            entity_id: gi_id,
            gi_id,
            event_type: "amendment_proposed",
            from_status: Some(&gi.status),
            to_status: &gi.status,
            effective_on: previous.map_or(today, |p| p.max(today)),
            grounds: proposal.reason.as_deref(),
            details: json!({ "specification_version": version }),
            public: false,
        },
    )?;
    read(conn, Some(&acting.actor), gi_id, version)
}

pub fn decide(
    conn: &mut AnyConnection,
    acting: &Acting,
    gi_id: i64,
    version: i32,
    decision: AmendmentDecision,
    now: DateTime<Utc>,
) -> Result<SpecificationView, AppError> {
    let (gi, _) = load_visible(conn, Some(&acting.actor), gi_id)?;
    let today = today_at(conn, gi.origin_office_id, now)?;
    acting.authorize(Action::Act {
        who: ActorKind::OriginExaminer,
        origin_office_id: gi.origin_office_id,
        association_id: gi.association_id,
        partner_office_id: None,
    })?;
    let approve = match decision.action.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(AppError::invalid(
                "action",
                format!("unknown amendment action `{other}` (expected one of: approve, reject)"),
            ))
        }
    };
    let spec = specifications::by_version(conn, gi_id, version)?
        .ok_or_else(|| AppError::not_found("specification version"))?;
    if spec.status != "pending" {
        return Err(AppError::Conflict {
            code: "invalid_transition",
            message: format!(
                "version {version} is {}; only a pending version is decided",
                spec.status
            ),
            details: json!({ "status": spec.status, "allowed_actions": [] }),
        });
    }
    let grounds = decision.grounds.filter(|g| !g.trim().is_empty());
    if !approve && grounds.is_none() {
        return Err(AppError::invalid(
            "grounds",
            "are required to reject an amendment",
        ));
    }
    let previous = events::latest_effective_on(conn, "gi", gi_id)?;
    let effective_on = resolve_effective_on(decision.effective_on, today, previous)?;
    if approve {
        if let Some(current) = specifications::with_status(conn, gi_id, "current")? {
            specifications::supersede(conn, current.id)?;
        }
    }
    let status = if approve { "current" } else { "rejected" };
    specifications::decide(conn, spec.id, status, effective_on, grounds.as_deref())?;
    record(
        conn,
        acting,
        Change {
            entity_type: "gi",
            entity_id: gi_id,
            gi_id,
            event_type: if approve {
                "amendment_approved"
            } else {
                "amendment_rejected"
            },
            from_status: Some(&gi.status),
            to_status: &gi.status,
            effective_on,
            grounds: grounds.as_deref(),
            details: json!({ "specification_version": version }),
            // Partner offices where the GI is protected follow approved amendments.
            public: approve,
        },
    )?;
    read(conn, Some(&acting.actor), gi_id, version)
}
