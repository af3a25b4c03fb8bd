//! Webhook subscriptions of offices and associations.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::subscriptions;
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = subscriptions)]
pub struct Subscription {
    pub id: i64,
    pub office_id: Option<i64>,
    pub association_id: Option<i64>,
    pub url: String,
    /// A JSON array of patterns.
    pub events: String,
    pub programme_id: Option<i64>,
    pub partner_office_id: Option<i64>,
    pub gi_id: Option<i64>,
    pub description: Option<String>,
    pub secret: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
}

impl Subscription {
    pub fn patterns(&self) -> Vec<String> {
        serde_json::from_str(&self.events).unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = subscriptions)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewSubscription {
    pub office_id: Option<i64>,
    pub association_id: Option<i64>,
    pub url: String,
    pub events: String,
    pub programme_id: Option<i64>,
    pub partner_office_id: Option<i64>,
    pub gi_id: Option<i64>,
    pub description: Option<String>,
    pub secret: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, new: &NewSubscription) -> Result<i64, AppError> {
    Ok(diesel::insert_into(subscriptions::table)
        .values(new)
        .returning(subscriptions::id)
        .get_result(conn)?)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<Subscription>, AppError> {
    Ok(subscriptions::table
        .find(id)
        .select(Subscription::as_select())
        .first(conn)
        .optional()?)
}

/// Whose subscriptions a listing shows.
#[derive(Clone, Copy, Debug)]
pub enum Owner {
    All,
    Office(i64),
    Association(i64),
}

/// Subscriptions of `owner` with ids above `after`, oldest first, at most `fetch`.
pub fn page(
    conn: &mut AnyConnection,
    owner: Owner,
    after: i64,
    fetch: i64,
) -> Result<Vec<Subscription>, AppError> {
    let query = subscriptions::table
        .filter(subscriptions::id.gt(after))
        .select(Subscription::as_select())
        .order(subscriptions::id.asc())
        .limit(fetch)
        .into_boxed();
    let query = match owner {
        Owner::All => query,
        Owner::Office(id) => query.filter(subscriptions::office_id.eq(id)),
        Owner::Association(id) => query.filter(subscriptions::association_id.eq(id)),
    };
    Ok(query.load(conn)?)
}

/// The live subscriptions of these offices or this association: those that may hear
/// of a change concerning them.
pub fn live_of(
    conn: &mut AnyConnection,
    office_ids: &[i64],
    association_id: Option<i64>,
) -> Result<Vec<Subscription>, AppError> {
    let of_offices = subscriptions::office_id.eq_any(office_ids.to_vec());
    let query = subscriptions::table
        .filter(subscriptions::cancelled_at.is_null())
        .select(Subscription::as_select())
        .order(subscriptions::id.asc())
        .into_boxed();
    let query = match association_id {
        Some(id) => query.filter(of_offices.or(subscriptions::association_id.eq(id))),
        None => query.filter(of_offices),
    };
    Ok(query.load(conn)?)
}

/// Whether any subscription is live: most registries have none, and then a change
/// needs no further look.
pub fn any_live(conn: &mut AnyConnection) -> Result<bool, AppError> {
    Ok(diesel::select(diesel::dsl::exists(
        subscriptions::table.filter(subscriptions::cancelled_at.is_null()),
    ))
    .get_result(conn)?)
}

pub fn cancel(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> Result<(), AppError> {
    diesel::update(subscriptions::table.find(id))
        .set(subscriptions::cancelled_at.eq(now))
        .execute(conn)?;
    Ok(())
}
