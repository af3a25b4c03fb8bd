//! Offices.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::offices;
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = offices)]
pub struct Office {
    pub id: i64,
    pub code: String,
    pub jurisdiction: String,
    pub name: String,
    pub opposition_period_days: i32,
    /// JSON array of BCP-47 tags.
    pub languages: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// IANA name.
    pub time_zone: String,
    /// JSON array of `mon` … `sun`.
    pub weekend: String,
    pub deadline_rolls_forward: bool,
    /// ISO 8601 (`P60D`, `P2M`); authoritative over `opposition_period_days`.
    pub opposition_period: String,
}

impl Office {
    pub fn language_list(&self) -> Vec<String> {
        serde_json::from_str(&self.languages).unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = offices)]
pub struct NewOffice {
    pub code: String,
    pub jurisdiction: String,
    pub name: String,
    pub opposition_period_days: i32,
    pub languages: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub time_zone: String,
    pub weekend: String,
    pub deadline_rolls_forward: bool,
    pub opposition_period: String,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = offices)]
pub struct OfficeChanges {
    pub jurisdiction: Option<String>,
    pub name: Option<String>,
    pub opposition_period_days: Option<i32>,
    pub languages: Option<String>,
    pub time_zone: Option<String>,
    pub weekend: Option<String>,
    pub deadline_rolls_forward: Option<bool>,
    pub opposition_period: Option<String>,
}

pub fn insert(conn: &mut AnyConnection, new: &NewOffice) -> Result<Office, AppError> {
    diesel::insert_into(offices::table)
        .values(new)
        .execute(conn)
        .map_err(|err| match AppError::from(err) {
            AppError::Conflict { .. } => AppError::conflict(
                "already_exists",
                format!("an office with code {} already exists", new.code),
            ),
            other => other,
        })?;
    by_code(conn, &new.code)?.ok_or_else(|| AppError::internal("inserted office vanished"))
}

pub fn by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<Office>, AppError> {
    Ok(offices::table
        .filter(offices::code.eq(code))
        .select(Office::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Office>, AppError> {
    Ok(offices::table
        .find(id)
        .select(Office::as_select())
        .first(conn)
        .optional()?)
}

/// Offices ordered by code, after `after_code`.
pub fn list(
    conn: &mut AnyConnection,
    after_code: Option<&str>,
    limit: i64,
) -> Result<Vec<Office>, AppError> {
    let mut query = offices::table
        .select(Office::as_select())
        .order(offices::code.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after_code {
        query = query.filter(offices::code.gt(after.to_string()));
    }
    Ok(query.load(conn)?)
}

/// Applies `changes` and bumps the version, only if the office is still at `version`.
pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    version: i32,
    changes: &OfficeChanges,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let updated = diesel::update(
        offices::table
            .filter(offices::id.eq(id))
            .filter(offices::version.eq(version)),
    )
    .set((
        changes,
        offices::version.eq(version + 1),
        offices::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// The first office (by id) of a jurisdiction.
pub fn by_jurisdiction(
    conn: &mut AnyConnection,
    jurisdiction: &str,
) -> Result<Option<Office>, AppError> {
    Ok(offices::table
        .filter(offices::jurisdiction.eq(jurisdiction))
        .select(Office::as_select())
        .order(offices::id.asc())
        .first(conn)
        .optional()?)
}
