//! The webhook outbox: when a change is recorded, one delivery per live subscription
//! that selects it, written in the change's own transaction, so that a committed change
//! is always delivered (at least once) and a rolled-back one never is.

use serde_json::{json, Value};

use crate::db::AnyConnection;
use crate::domain::webhook_events::{selects, EventNames};
use crate::error::AppError;
use crate::store::events::NewEvent;
use crate::store::subscriptions::{self, Subscription};
use crate::store::webhook_deliveries::{self, NewDelivery, PENDING};
use crate::store::{gis, recognitions};

/// Who a change concerns, for matching subscriptions.
struct Concerned {
    origin_office_id: i64,
    association_id: Option<i64>,
    /// For a recognition's change: its partner office and programme.
    partner_office_id: Option<i64>,
    programme_id: Option<i64>,
}

impl Concerned {
    fn load(conn: &mut AnyConnection, event: &NewEvent) -> Result<Option<Self>, AppError> {
        let Some((origin_office_id, association_id)) = gis::owners(conn, event.gi_id)? else {
            return Ok(None);
        };
        let recognition = match event.entity_type {
            "recognition" => recognitions::by_id(conn, event.entity_id)?,
            _ => None,
        };
        Ok(Some(Self {
            origin_office_id,
            association_id,
            partner_office_id: recognition.as_ref().map(|r| r.partner_office_id),
            programme_id: recognition.as_ref().map(|r| r.programme_id),
        }))
    }

    /// Whether `subscription`'s subscriber and filters take in this change.
    fn heard_by(&self, subscription: &Subscription, gi_id: i64) -> bool {
        let subscriber = match (subscription.office_id, subscription.association_id) {
            (Some(office), _) => {
                office == self.origin_office_id || Some(office) == self.partner_office_id
            }
            (None, Some(association)) => Some(association) == self.association_id,
            (None, None) => false,
        };
        let filter = |wanted: Option<i64>, actual: Option<i64>| {
            wanted.is_none() || (actual.is_some() && wanted == actual)
        };
        subscriber
            && filter(subscription.gi_id, Some(gi_id))
            && filter(subscription.programme_id, self.programme_id)
            && filter(subscription.partner_office_id, self.partner_office_id)
    }
}

/// Writes the deliveries of event `event_id` (just inserted as `event`).
pub fn enqueue(conn: &mut AnyConnection, event_id: i64, event: &NewEvent) -> Result<(), AppError> {
    if !subscriptions::any_live(conn)? {
        return Ok(());
    }
    let Some(concerned) = Concerned::load(conn, event)? else {
        return Ok(());
    };
    let mut offices = vec![concerned.origin_office_id];
    offices.extend(concerned.partner_office_id);
    let names = EventNames::of(
        event.entity_type,
        &event.event_type,
        event.from_status.as_deref(),
        &event.to_status,
    );
    let deliveries: Vec<NewDelivery> =
        subscriptions::live_of(conn, &offices, concerned.association_id)?
            .into_iter()
            .filter(|s| concerned.heard_by(s, event.gi_id) && selects(&s.patterns(), &names))
            .map(|s| NewDelivery {
                subscription_id: s.id,
                event_id,
                event_name: names.specific.clone(),
                payload: payload(s.id, event_id, event, &names).to_string(),
                status: PENDING,
                attempts: 0,
                next_attempt_at: event.recorded_at,
                created_at: event.recorded_at,
            })
            .collect();
    webhook_deliveries::insert_all(conn, &deliveries)
}

/// The JSON a receiver gets: the event as `GET /api/v1/gis/{id}/events` shows it, with
/// its names and links to read more.
fn payload(subscription_id: i64, event_id: i64, event: &NewEvent, names: &EventNames) -> Value {
    let details: Value = serde_json::from_str(&event.details).unwrap_or(Value::Null);
    let mut links = json!({
        "gi": format!("/api/v1/gis/{}", event.gi_id),
        "events": format!("/api/v1/gis/{}/events", event.gi_id),
    });
    if event.entity_type == "recognition" {
        links["recognition"] = json!(format!("/api/v1/recognitions/{}", event.entity_id));
    }
    json!({
        "id": event_id,
        "event": names.specific,
        "names": names.all().collect::<Vec<_>>(),
        "subscription_id": subscription_id,
        "gi_id": event.gi_id,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "event_type": event.event_type,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "effective_on": event.effective_on,
        "recorded_at": crate::utc::format(event.recorded_at),
        "recorded_late": crate::domain::known_at::recorded_late(event.effective_on, event.recorded_at),
        "actor": event.actor,
        "office": event.office,
        "grounds": event.grounds,
        "details": details,
        "links": links,
    })
}
