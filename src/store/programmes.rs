//! Mutual-recognition programmes and their parties.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{offices, programme_parties, programmes};
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = programmes)]
pub struct Programme {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub signed_on: Option<NaiveDate>,
    pub in_force_on: Option<NaiveDate>,
    pub legal_instrument: Option<String>,
    pub decision_period_days: i32,
    pub tacit_protection: bool,
    pub requires_origin_registration: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// ISO 8601 (`P365D`, `P12M`); authoritative over `decision_period_days`.
    pub decision_period: String,
    pub refusal_after_deadline: bool,
    pub lisbon_style_refusals: bool,
    /// ISO 8601, the longest phase-out a protection may grant.
    pub max_phase_out: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = programmes)]
pub struct NewProgramme {
    pub code: String,
    pub title: String,
    pub signed_on: Option<NaiveDate>,
    pub in_force_on: Option<NaiveDate>,
    pub legal_instrument: Option<String>,
    pub decision_period_days: i32,
    pub tacit_protection: bool,
    pub requires_origin_registration: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub decision_period: String,
    pub refusal_after_deadline: bool,
    pub lisbon_style_refusals: bool,
    pub max_phase_out: Option<String>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = programmes)]
pub struct ProgrammeChanges {
    pub title: Option<String>,
    pub signed_on: Option<Option<NaiveDate>>,
    pub in_force_on: Option<Option<NaiveDate>>,
    pub legal_instrument: Option<Option<String>>,
    pub decision_period_days: Option<i32>,
    pub tacit_protection: Option<bool>,
    pub requires_origin_registration: Option<bool>,
    pub decision_period: Option<String>,
    pub refusal_after_deadline: Option<bool>,
}

pub fn insert(conn: &mut AnyConnection, new: &NewProgramme) -> Result<i64, AppError> {
    diesel::insert_into(programmes::table)
        .values(new)
        .returning(programmes::id)
        .get_result(conn)
        .map_err(|err| match AppError::from(err) {
            AppError::Conflict {
                code: "already_exists",
                ..
            } => AppError::conflict(
                "already_exists",
                format!("a programme with code {} already exists", new.code),
            ),
            other => other,
        })
}

pub fn by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<Programme>, AppError> {
    Ok(programmes::table
        .filter(programmes::code.eq(code))
        .select(Programme::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Programme>, AppError> {
    Ok(programmes::table
        .find(id)
        .select(Programme::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut AnyConnection,
    after_code: Option<&str>,
    limit: i64,
) -> Result<Vec<Programme>, AppError> {
    let mut query = programmes::table
        .select(Programme::as_select())
        .order(programmes::code.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after_code {
        query = query.filter(programmes::code.gt(after.to_string()));
    }
    Ok(query.load(conn)?)
}

/// The parties' (office id, office code), by code.
pub fn parties(
    conn: &mut AnyConnection,
    programme_id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(programme_parties::table
        .inner_join(offices::table)
        .filter(programme_parties::programme_id.eq(programme_id))
        .select((offices::id, offices::code))
        .order(offices::code.asc())
        .load(conn)?)
}

pub fn set_parties(
    conn: &mut AnyConnection,
    programme_id: i64,
    office_ids: &[i64],
) -> Result<(), AppError> {
    diesel::delete(
        programme_parties::table.filter(programme_parties::programme_id.eq(programme_id)),
    )
    .execute(conn)?;
    for office_id in office_ids {
        diesel::insert_into(programme_parties::table)
            .values((
                programme_parties::programme_id.eq(programme_id),
                programme_parties::office_id.eq(office_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    version: i32,
    changes: &ProgrammeChanges,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let updated = diesel::update(
        programmes::table
            .filter(programmes::id.eq(id))
            .filter(programmes::version.eq(version)),
    )
    .set((
        changes,
        programmes::version.eq(version + 1),
        programmes::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}
