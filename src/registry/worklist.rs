//! An examiner's work list: what awaits their own office, by legal deadline, overdue
//! first.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::AnyConnection;
use crate::domain::role::{Actor, Role};
use crate::error::AppError;
use crate::store::{gis, recognitions, worklist};

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkItem {
    /// `examine_application`, `decide_application`, `decide_recognition`,
    /// `decide_opposition` or `decide_amendment`.
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
}

pub fn for_office(
    conn: &mut AnyConnection,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<WorkItem>, AppError> {
    let office_id = match (actor.role, actor.office_id) {
        (Role::Examiner | Role::OfficeAdmin, Some(id)) => id,
        _ => {
            return Err(AppError::forbidden(
                "the work list is for examiners of an office",
            ))
        }
    };
    let mut items = Vec::new();
    for gi in worklist::open_applications(conn, office_id)? {
        let (kind, deadline) = match gi.status.as_str() {
            "published" => ("decide_application", gi.opposition_deadline),
            _ => ("examine_application", None),
        };
        items.push(item(kind, gi.id, None, gi.status, deadline, today));
    }
    for r in worklist::open_recognitions(conn, office_id)? {
        items.push(item(
            "decide_recognition",
            r.gi_id,
            Some(r.id),
            r.status,
            Some(r.decision_deadline),
            today,
        ));
    }
    for o in worklist::pending_oppositions(conn, office_id)? {
        let deadline = match o.recognition_id {
            Some(id) => recognitions::by_id(conn, id)?.map(|r| r.decision_deadline),
            None => None,
        };
        let mut entry = item(
            "decide_opposition",
            o.gi_id,
            o.recognition_id,
            o.status,
            deadline,
            today,
        );
        entry.opposition_id = Some(o.id);
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
    }
}
