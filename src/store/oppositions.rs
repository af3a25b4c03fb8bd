//! Oppositions against a GI (home phase) or a recognition (partner phase).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::oppositions;
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = oppositions)]
pub struct Opposition {
    pub id: i64,
    pub gi_id: i64,
    pub recognition_id: Option<i64>,
    pub opponent_name: String,
    pub grounds: String,
    pub filed_on: NaiveDate,
    pub status: String,
    pub decided_on: Option<NaiveDate>,
    pub decision_grounds: Option<String>,
    pub filed_by_user_id: Option<i64>,
    pub filed_by_association_id: Option<i64>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// A JSON array of the `EarlierRight`s the opposition rests on.
    pub earlier_rights: Option<String>,
    /// How a settled opposition was settled (JSON `Settlement`).
    pub settlement_terms: Option<String>,
    /// A JSON array of the `EarlierRight`s the decision on it rests on.
    pub decision_earlier_rights: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = oppositions)]
pub struct NewOpposition {
    pub gi_id: i64,
    pub recognition_id: Option<i64>,
    pub opponent_name: String,
    pub grounds: String,
    pub filed_on: NaiveDate,
    pub status: String,
    pub filed_by_user_id: Option<i64>,
    pub filed_by_association_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub earlier_rights: Option<String>,
}

pub fn insert(conn: &mut AnyConnection, new: &NewOpposition) -> Result<i64, AppError> {
    Ok(diesel::insert_into(oppositions::table)
        .values(new)
        .returning(oppositions::id)
        .get_result(conn)?)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Opposition>, AppError> {
    Ok(oppositions::table
        .find(id)
        .select(Opposition::as_select())
        .first(conn)
        .optional()?)
}

/// Oppositions of one proceeding: the GI's home phase (`recognition_id` None) or one
/// recognition.
pub fn of_proceeding(
    conn: &mut AnyConnection,
    gi_id: i64,
    recognition_id: Option<i64>,
) -> Result<Vec<Opposition>, AppError> {
    let mut query = oppositions::table
        .filter(oppositions::gi_id.eq(gi_id))
        .select(Opposition::as_select())
        .order(oppositions::id.asc())
        .into_boxed();
    query = match recognition_id {
        Some(id) => query.filter(oppositions::recognition_id.eq(id)),
        None => query.filter(oppositions::recognition_id.is_null()),
    };
    Ok(query.load(conn)?)
}

pub fn count_pending(
    conn: &mut AnyConnection,
    gi_id: i64,
    recognition_id: Option<i64>,
) -> Result<i64, AppError> {
    Ok(of_proceeding(conn, gi_id, recognition_id)?
        .iter()
        .filter(|o| o.status == "pending")
        .count() as i64)
}

pub fn decide(
    conn: &mut AnyConnection,
    opposition: &Opposition,
    status: &str,
    decided_on: NaiveDate,
    grounds: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let updated = diesel::update(
        oppositions::table
            .filter(oppositions::id.eq(opposition.id))
            .filter(oppositions::version.eq(opposition.version)),
    )
    .set((
        oppositions::status.eq(status),
        oppositions::decided_on.eq(decided_on),
        oppositions::decision_grounds.eq(grounds),
        oppositions::version.eq(opposition.version + 1),
        oppositions::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// The earlier rights a decision rests on and, for a settlement, its terms.
pub fn record_decision_rights(
    conn: &mut AnyConnection,
    id: i64,
    earlier_rights: Option<&str>,
    terms: Option<&str>,
) -> Result<(), AppError> {
    diesel::update(oppositions::table.filter(oppositions::id.eq(id)))
        .set((
            oppositions::decision_earlier_rights.eq(earlier_rights),
            oppositions::settlement_terms.eq(terms),
        ))
        .execute(conn)?;
    Ok(())
}
