//! Every status change is an event and an audit entry, written together.

use chrono::{NaiveDate, Utc};
use serde_json::{json, Value};

use super::acting::Acting;
use crate::audit::chain::canonical_json;
use crate::audit::{AuditActor, AuditRecord};
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::store::{audit, events};

/// One change of a GI or a recognition.
pub struct Change<'a> {
    /// `gi` or `recognition`.
    pub entity_type: &'static str,
    pub entity_id: i64,
    pub gi_id: i64,
    /// The action or happening, e.g. `publish`, `opposition_filed`.
    pub event_type: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: &'a str,
    pub effective_on: NaiveDate,
    pub grounds: Option<&'a str>,
    pub details: Value,
    /// Public changes form the change feed; drafts are never public.
    pub public: bool,
}

/// Writes the event and its audit entry; returns the event id.
pub fn record(
    conn: &mut AnyConnection,
    acting: &Acting,
    change: Change<'_>,
) -> Result<i64, AppError> {
    record_as(conn, &acting.audit, change)
}

/// As `record`, for changes made by the system (sweeps, cascades, imports).
pub fn record_as(
    conn: &mut AnyConnection,
    who: &AuditActor,
    change: Change<'_>,
) -> Result<i64, AppError> {
    let event = new_event(who, &change);
    let event_id = events::insert(conn, &event)?;
    super::outbox::enqueue(conn, event_id, &event)?;
    audit::append(conn, audit_record(who, &change, event_id))?;
    Ok(event_id)
}

/// The event row of `change`.
pub fn new_event(who: &AuditActor, change: &Change<'_>) -> events::NewEvent {
    events::NewEvent {
        entity_type: change.entity_type,
        entity_id: change.entity_id,
        gi_id: change.gi_id,
        event_type: change.event_type.to_string(),
        from_status: change.from_status.map(str::to_string),
        to_status: change.to_status.to_string(),
        effective_on: change.effective_on,
        recorded_at: Utc::now().naive_utc(),
        actor_id: who.id,
        actor: who.name.clone(),
        office: who.office.clone(),
        grounds: change.grounds.map(str::to_string),
        details: canonical_json(&change.details),
    }
}

/// The audit entry of `change`, once its event is `event_id`.
pub fn audit_record(who: &AuditActor, change: &Change<'_>, event_id: i64) -> AuditRecord {
    let mut record = AuditRecord::new(
        who,
        audit_action(change.entity_type, change.event_type),
        change.entity_type,
        change.entity_id,
        json!({
            "event_id": event_id,
            "gi_id": change.gi_id,
            "event": change.event_type,
            "from_status": change.from_status,
            "to_status": change.to_status,
            "effective_on": change.effective_on,
            "grounds": change.grounds,
            "details": change.details,
        }),
    );
    record.public = change.public;
    record
}

/// Audit actions are `entity.event`, from a fixed vocabulary.
fn audit_action(entity_type: &str, event_type: &str) -> &'static str {
    match (entity_type, event_type) {
        ("gi", "create") => "gi.create",
        ("gi", "import") => "gi.import",
        ("gi", "opposition_filed") => "gi.opposition_filed",
        ("gi", "opposition_upheld") => "gi.opposition_upheld",
        ("gi", "opposition_rejected") => "gi.opposition_rejected",
        ("gi", "opposition_withdrawn") => "gi.opposition_withdrawn",
        ("gi", "amendment_proposed") => "gi.amendment_proposed",
        ("gi", "amendment_approved") => "gi.amendment_approved",
        ("gi", "amendment_rejected") => "gi.amendment_rejected",
        ("gi", _) => "gi.transition",
        ("recognition", "submit") => "recognition.submit",
        ("recognition", "opposition_filed") => "recognition.opposition_filed",
        ("recognition", "opposition_upheld") => "recognition.opposition_upheld",
        ("recognition", "opposition_rejected") => "recognition.opposition_rejected",
        ("recognition", "opposition_withdrawn") => "recognition.opposition_withdrawn",
        ("recognition", "decision_deadline_amended") => "recognition.decision_deadline_amended",
        ("recognition", _) => "recognition.transition",
        _ => "change",
    }
}
