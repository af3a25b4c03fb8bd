//! The webhook outbox: one delivery per subscription and event, written with the change,
//! claimed by one worker at a time, and every attempt made.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{subscriptions, webhook_attempts, webhook_deliveries};
use crate::db::AnyConnection;
use crate::error::AppError;

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";
pub const CANCELLED: &str = "cancelled";

#[derive(Debug, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct NewDelivery {
    pub subscription_id: i64,
    pub event_id: i64,
    pub event_name: String,
    pub payload: String,
    pub status: &'static str,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

pub fn insert_all(conn: &mut AnyConnection, new: &[NewDelivery]) -> Result<(), AppError> {
    for delivery in new {
        diesel::insert_into(webhook_deliveries::table)
            .values(delivery)
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    pub id: i64,
    pub subscription_id: i64,
    /// The event's id, sent as `X-Terroir-Event-Id`: the receiver's idempotency key.
    pub event_id: i64,
    /// e.g. `recognition.refuse`.
    #[diesel(column_name = event_name)]
    pub event: String,
    /// `pending`, `delivered`, `failed` (given up) or `cancelled` (with the subscription).
    pub status: String,
    /// Attempts begun so far.
    pub attempts: i32,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub next_attempt_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize_option")]
    #[schema(value_type = Option<String>)]
    pub finished_at: Option<NaiveDateTime>,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = webhook_attempts)]
pub struct Attempt {
    #[serde(skip)]
    pub delivery_id: i64,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub attempted_at: NaiveDateTime,
    /// The receiver's HTTP status; null when none came (refused, unreachable, timed out).
    pub response_status: Option<i32>,
    /// What went wrong, when something did.
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// A delivery a worker has claimed, with what it needs to send it.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub id: i64,
    pub event_id: i64,
    pub payload: String,
    /// Attempts begun, this one included.
    pub attempts: i32,
    pub created_at: NaiveDateTime,
    pub url: String,
    pub secret: String,
}

#[diesel::dsl::auto_type(no_type_alias)]
fn due(now: NaiveDateTime) -> _ {
    let pending: &'static str = PENDING;
    webhook_deliveries::table
        .filter(webhook_deliveries::status.eq(pending))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .filter(
            webhook_deliveries::locked_until
                .is_null()
                .or(webhook_deliveries::locked_until.le(now)),
        )
}

/// Whether a delivery is due at `now` (a cheap read before claiming in a write).
pub fn any_due(conn: &mut AnyConnection, now: NaiveDateTime) -> Result<bool, AppError> {
    Ok(diesel::select(diesel::dsl::exists(due(now))).get_result(conn)?)
}

/// Claims up to `limit` due deliveries until `lease_until`: no other worker attempts
/// them before then. On PostgreSQL, rows another instance is claiming are skipped.
pub fn claim(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Claimed>, AppError> {
    let ids = due(now)
        .select(webhook_deliveries::id)
        .order((
            webhook_deliveries::next_attempt_at.asc(),
            webhook_deliveries::id.asc(),
        ))
        .limit(limit);
    let ids: Vec<i64> = match conn {
        AnyConnection::Postgres(c) => ids.for_update().skip_locked().load(c)?,
        AnyConnection::Sqlite(c) => ids.load(c)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)))
        .set((
            webhook_deliveries::locked_until.eq(lease_until),
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
        ))
        .execute(conn)?;
    let rows: Vec<(i64, i64, String, i32, NaiveDateTime, String, String)> =
        webhook_deliveries::table
            .inner_join(subscriptions::table)
            .filter(webhook_deliveries::id.eq_any(&ids))
            .select((
                webhook_deliveries::id,
                webhook_deliveries::event_id,
                webhook_deliveries::payload,
                webhook_deliveries::attempts,
                webhook_deliveries::created_at,
                subscriptions::url,
                subscriptions::secret,
            ))
            .order(webhook_deliveries::id.asc())
            .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, event_id, payload, attempts, created_at, url, secret)| Claimed {
                id,
                event_id,
                payload,
                attempts,
                created_at,
                url,
                secret,
            },
        )
        .collect())
}

/// What became of a delivery after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    RetryAt(NaiveDateTime),
    GaveUp,
}

/// Records an attempt and what became of its delivery.
pub fn finish(
    conn: &mut AnyConnection,
    delivery_id: i64,
    attempt: &Attempt,
    outcome: Outcome,
) -> Result<(), AppError> {
    diesel::insert_into(webhook_attempts::table)
        .values((
            webhook_attempts::delivery_id.eq(delivery_id),
            webhook_attempts::attempted_at.eq(attempt.attempted_at),
            webhook_attempts::response_status.eq(attempt.response_status),
            webhook_attempts::error.eq(&attempt.error),
            webhook_attempts::duration_ms.eq(attempt.duration_ms),
        ))
        .execute(conn)?;
    let done_at = attempt.attempted_at;
    let row = webhook_deliveries::table
        .filter(webhook_deliveries::id.eq(delivery_id))
        // A cancelled subscription's delivery stays cancelled.
        .filter(webhook_deliveries::status.eq(PENDING));
    let unlocked = webhook_deliveries::locked_until.eq(None::<NaiveDateTime>);
    match outcome {
        Outcome::Delivered => diesel::update(row)
            .set((
                webhook_deliveries::status.eq(DELIVERED),
                webhook_deliveries::finished_at.eq(done_at),
                unlocked,
            ))
            .execute(conn)?,
        Outcome::GaveUp => diesel::update(row)
            .set((
                webhook_deliveries::status.eq(FAILED),
                webhook_deliveries::finished_at.eq(done_at),
                unlocked,
            ))
            .execute(conn)?,
        Outcome::RetryAt(at) => diesel::update(row)
            .set((webhook_deliveries::next_attempt_at.eq(at), unlocked))
            .execute(conn)?,
    };
    Ok(())
}

/// A subscription's deliveries with ids below `before`, newest first, at most `fetch`,
/// each with its attempts (oldest first).
pub fn page(
    conn: &mut AnyConnection,
    subscription_id: i64,
    status: Option<&str>,
    before: i64,
    fetch: i64,
) -> Result<Vec<(Delivery, Vec<Attempt>)>, AppError> {
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::subscription_id.eq(subscription_id))
        .filter(webhook_deliveries::id.lt(before))
        .select(Delivery::as_select())
        .order(webhook_deliveries::id.desc())
        .limit(fetch)
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(webhook_deliveries::status.eq(status.to_string()));
    }
    let deliveries: Vec<Delivery> = query.load(conn)?;
    let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
    let attempts: Vec<Attempt> = if ids.is_empty() {
        Vec::new()
    } else {
        webhook_attempts::table
            .filter(webhook_attempts::delivery_id.eq_any(&ids))
            .select(Attempt::as_select())
            .order(webhook_attempts::id.asc())
            .load(conn)?
    };
    Ok(deliveries
        .into_iter()
        .map(|delivery| {
            let of = attempts
                .iter()
                .filter(|a| a.delivery_id == delivery.id)
                .cloned()
                .collect();
            (delivery, of)
        })
        .collect())
}

/// A cancelled subscription's pending deliveries are never attempted.
pub fn cancel_pending(
    conn: &mut AnyConnection,
    subscription_id: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::subscription_id.eq(subscription_id))
            .filter(webhook_deliveries::status.eq(PENDING)),
    )
    .set((
        webhook_deliveries::status.eq(CANCELLED),
        webhook_deliveries::finished_at.eq(now),
    ))
    .execute(conn)?;
    Ok(())
}
