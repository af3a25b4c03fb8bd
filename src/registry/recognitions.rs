//! Putting a GI forward under a programme: one recognition per partner office, one at a
//! time or a whole list at once (all or nothing).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::acting::Acting;
use super::calendars::{basis_json, today_at};
use super::gi_application::load_visible;
use super::programme_law::ProgrammeLaw;
use super::recognition_views::{Names, RecognitionView, Snapshot};
use super::record::{record_as, Change};
use crate::audit::AuditActor;
use crate::db::AnyConnection;
use crate::domain::gi_status::GiStatus;
use crate::domain::identifiers::validate;
use crate::domain::legal_dates::check_effective_on;
use crate::domain::permissions::Action;
use crate::domain::recognition_status::{RecognitionStatus, RECOGNITION_SUBMIT_ACTOR};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::offices;
use crate::store::programmes::{self, Programme};
use crate::store::recognitions::{self, NewRecognition, Recognition};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The programme's code.
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    #[validate(custom(function = "validate::office_code"))]
    pub programme: String,
    pub gi_id: i64,
    /// The partner office's code.
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    #[validate(custom(function = "validate::office_code"))]
    pub partner: String,
    /// e.g. `Annex III, batch 1`.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub list_label: Option<String>,
    /// The legal submission date; today in the origin office's time zone when absent.
    pub effective_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListItem {
    pub gi_id: i64,
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    #[validate(custom(function = "validate::office_code"))]
    pub partner: String,
}

/// A whole list (an annex batch) submitted at once: all of it or none of it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListSubmission {
    #[schema(pattern = r"^[A-Z][A-Z0-9_-]{1,15}$")]
    #[validate(custom(function = "validate::office_code"))]
    pub programme: String,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub list_label: String,
    pub effective_on: Option<NaiveDate>,
    #[schema(min_items = 1, max_items = 1000)]
    #[validate(length(min = 1, max = 1000), nested)]
    pub items: Vec<ListItem>,
}

/// Why one item of a list was refused.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemError {
    pub index: usize,
    pub gi_id: i64,
    pub partner: String,
    pub status: u16,
    pub code: String,
    pub message: String,
}

/// Everything that must hold before a GI is put forward to a partner.
fn check_submission(
    conn: &mut AnyConnection,
    acting: &Acting,
    programme: &Programme,
    law: &ProgrammeLaw,
    gi_id: i64,
    partner_code: &str,
    submitted_on: NaiveDate,
) -> Result<NewRecognition, AppError> {
    let partner = offices::by_code(conn, partner_code)?.ok_or_else(|| {
        AppError::invalid("partner", format!("no office has code {partner_code}"))
    })?;
    let (gi, _) = load_visible(conn, Some(&acting.actor), gi_id)?;
    // The terms in force on the submission date govern the recognition, among the
    // parties of that date.
    let terms = law.on(submitted_on);
    let particulars = law.particulars_on(submitted_on);
    let parties = law.parties_on(conn, submitted_on)?;
    acting.authorize(Action::Act {
        who: RECOGNITION_SUBMIT_ACTOR,
        origin_office_id: gi.origin_office_id,
        association_id: gi.association_id,
        partner_office_id: Some(partner.id),
    })?;
    let is_party = |office_id: i64| parties.iter().any(|(id, _)| *id == office_id);
    if !is_party(partner.id) {
        return Err(AppError::invalid(
            "partner",
            format!(
                "{} is not a party to programme {}",
                partner.code, programme.code
            ),
        ));
    }
    if !is_party(gi.origin_office_id) {
        return Err(AppError::invalid(
            "gi_id",
            format!(
                "the GI's origin office is not a party to programme {}",
                programme.code
            ),
        ));
    }
    if gi.status == GiStatus::Draft.as_str() {
        return Err(AppError::conflict(
            "not_filed",
            "a draft cannot be put forward to a partner",
        ));
    }
    if partner.id == gi.origin_office_id {
        return Err(AppError::invalid(
            "partner",
            "is the GI's own origin office",
        ));
    }
    if terms.requires_origin_registration && gi.status != GiStatus::Registered.as_str() {
        return Err(AppError::Conflict {
            code: "not_registered_at_origin",
            message: format!(
                "programme {} protects only GIs registered at home; this one is {}",
                programme.code, gi.status
            ),
            details: json!({ "gi_status": gi.status }),
        });
    }
    if recognitions::exists(conn, programme.id, gi.id, partner.id)? {
        return Err(AppError::conflict(
            "already_submitted",
            format!(
                "this GI was already submitted to {} under {}",
                partner.code, programme.code
            ),
        ));
    }
    // The submission is legally dated after the home facts it rests on.
    let home_date = if terms.requires_origin_registration {
        gi.registered_on
    } else {
        gi.filed_on
    };
    if home_date.is_some_and(|home| submitted_on < home) {
        return Err(AppError::invalid(
            "effective_on",
            "is before the GI was registered (or filed) at home",
        ));
    }
    if particulars
        .in_force_on
        .is_some_and(|in_force| submitted_on < in_force)
    {
        return Err(AppError::invalid(
            "effective_on",
            "is before the programme entered into force",
        ));
    }
    let deadline = law.decision_deadline(conn, partner.id, submitted_on)?;
    let now = Utc::now().naive_utc();
    Ok(NewRecognition {
        programme_id: programme.id,
        gi_id: gi.id,
        origin_office_id: gi.origin_office_id,
        partner_office_id: partner.id,
        status: RecognitionStatus::Submitted.as_str().into(),
        list_label: None,
        submitted_on,
        decision_deadline: deadline.date,
        decision_deadline_basis: Some(basis_json(&deadline)),
        created_at: now,
        updated_at: now,
    })
}

fn programme_of(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<(Programme, ProgrammeLaw), AppError> {
    let programme = programmes::by_code(conn, code)?
        .ok_or_else(|| AppError::invalid("programme", format!("no programme has code {code}")))?;
    let law = ProgrammeLaw::load(conn, &programme)?;
    Ok((programme, law))
}

fn insert_and_record(
    conn: &mut AnyConnection,
    who: &AuditActor,
    new: NewRecognition,
) -> Result<Recognition, AppError> {
    let id = recognitions::insert(conn, &new)?;
    let recognition =
        recognitions::by_id(conn, id)?.ok_or_else(|| AppError::not_found("recognition"))?;
    record_recognition(
        conn,
        who,
        &recognition,
        "submit",
        None,
        recognition.submitted_on,
        None,
    )?;
    Ok(recognition)
}

/// The event and audit entry of a recognition's change, carrying its new state.
pub fn record_recognition(
    conn: &mut AnyConnection,
    who: &AuditActor,
    after: &Recognition,
    event_type: &str,
    from_status: Option<&str>,
    effective_on: NaiveDate,
    grounds: Option<&str>,
) -> Result<i64, AppError> {
    record_as(
        conn,
        who,
        Change {
            entity_type: "recognition",
            entity_id: after.id,
            gi_id: after.gi_id,
            event_type,
            from_status,
            to_status: &after.status,
            effective_on,
            grounds,
            details: json!({
                "recognition": Snapshot::of(after),
                "programme_id": after.programme_id,
                "partner_office_id": after.partner_office_id,
                "list_label": after.list_label,
            }),
            public: true,
        },
    )
}

pub fn submit(
    conn: &mut AnyConnection,
    acting: &Acting,
    body: Submission,
    now: DateTime<Utc>,
) -> Result<RecognitionView, AppError> {
    let (programme, law) = programme_of(conn, &body.programme)?;
    let (gi, _) = load_visible(conn, Some(&acting.actor), body.gi_id)?;
    let today = today_at(conn, gi.origin_office_id, now)?;
    let submitted_on = body.effective_on.unwrap_or(today);
    check_effective_on(submitted_on, today, None)?;
    let mut new = check_submission(
        conn,
        acting,
        &programme,
        &law,
        body.gi_id,
        &body.partner,
        submitted_on,
    )?;
    new.list_label = body.list_label;
    let recognition = insert_and_record(conn, &acting.audit, new)?;
    Ok(Names::load(conn)?.current(&recognition))
}

/// Submits every item or none: any refused item refuses the list, with a report of
/// every refused item.
pub fn submit_list(
    conn: &mut AnyConnection,
    acting: &Acting,
    body: ListSubmission,
    now: DateTime<Utc>,
) -> Result<Vec<RecognitionView>, AppError> {
    let own_office = match (acting.actor.role, acting.actor.office_id) {
        (Role::Examiner | Role::OfficeAdmin, Some(office_id)) => office_id,
        _ => {
            return Err(AppError::forbidden(
                "lists are submitted by examiners of the origin office",
            ))
        }
    };
    let today = today_at(conn, own_office, now)?;
    let (programme, law) = programme_of(conn, &body.programme)?;
    let submitted_on = body.effective_on.unwrap_or(today);
    check_effective_on(submitted_on, today, None)?;
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, item) in body.items.iter().enumerate() {
        let outcome = if !seen.insert((item.gi_id, item.partner.clone())) {
            Err(AppError::conflict(
                "duplicate_item",
                "this GI and partner appear twice in the list",
            ))
        } else {
            check_submission(
                conn,
                acting,
                &programme,
                &law,
                item.gi_id,
                &item.partner,
                submitted_on,
            )
        };
        match outcome {
            Ok(mut new) => {
                new.list_label = Some(body.list_label.clone());
                accepted.push(new);
            }
            Err(err) => refused.push(item_error(index, item, &err)),
        }
    }
    if !refused.is_empty() {
        return Err(AppError::Conflict {
            code: "list_refused",
            message: format!(
                "{} of {} items were refused; nothing was submitted",
                refused.len(),
                body.items.len()
            ),
            details: json!({ "items": refused }),
        });
    }
    let names = Names::load(conn)?;
    accepted
        .into_iter()
        .map(|new| insert_and_record(conn, &acting.audit, new).map(|r| names.current(&r)))
        .collect()
}

fn item_error(index: usize, item: &ListItem, err: &AppError) -> ItemError {
    use actix_web::ResponseError;
    let message = match err {
        AppError::Validation(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    };
    ItemError {
        index,
        gi_id: item.gi_id,
        partner: item.partner.clone(),
        status: err.status_code().as_u16(),
        code: err.code().to_string(),
        message,
    }
}

/// A recognition the reader may see: one of a GI it may see.
pub fn load_visible_recognition(
    conn: &mut AnyConnection,
    reader: Option<&crate::domain::role::Actor>,
    id: i64,
) -> Result<Recognition, AppError> {
    let recognition =
        recognitions::by_id(conn, id)?.ok_or_else(|| AppError::not_found("recognition"))?;
    load_visible(conn, reader, recognition.gi_id)
        .map_err(|_| AppError::not_found("recognition"))?;
    Ok(recognition)
}
