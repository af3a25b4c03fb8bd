//! Versions of a GI's product specification.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::specifications;
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = specifications)]
pub struct Specification {
    pub id: i64,
    pub gi_id: i64,
    pub version: i32,
    pub status: String,
    pub product_description: String,
    pub raw_materials: Option<String>,
    pub production_method: Option<String>,
    pub link_with_area: Option<String>,
    pub labelling: Option<String>,
    pub control_body: Option<String>,
    pub reason: Option<String>,
    pub proposed_by: Option<String>,
    pub proposed_at: NaiveDateTime,
    pub decided_on: Option<NaiveDate>,
    pub decision_grounds: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = specifications)]
pub struct NewSpecification {
    pub gi_id: i64,
    pub version: i32,
    pub status: String,
    pub product_description: String,
    pub raw_materials: Option<String>,
    pub production_method: Option<String>,
    pub link_with_area: Option<String>,
    pub labelling: Option<String>,
    pub control_body: Option<String>,
    pub reason: Option<String>,
    pub proposed_by: Option<String>,
    pub proposed_at: NaiveDateTime,
}

/// The content fields, for replacing a draft's version 1.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = specifications)]
pub struct SpecificationContent {
    pub product_description: String,
    pub raw_materials: Option<String>,
    pub production_method: Option<String>,
    pub link_with_area: Option<String>,
    pub labelling: Option<String>,
    pub control_body: Option<String>,
}

pub fn insert(conn: &mut AnyConnection, new: &NewSpecification) -> Result<(), AppError> {
    diesel::insert_into(specifications::table)
        .values(new)
        .execute(conn)?;
    Ok(())
}

pub fn of_gi(conn: &mut AnyConnection, gi_id: i64) -> Result<Vec<Specification>, AppError> {
    Ok(specifications::table
        .filter(specifications::gi_id.eq(gi_id))
        .select(Specification::as_select())
        .order(specifications::version.asc())
        .load(conn)?)
}

pub fn by_version(
    conn: &mut AnyConnection,
    gi_id: i64,
    version: i32,
) -> Result<Option<Specification>, AppError> {
    Ok(specifications::table
        .filter(specifications::gi_id.eq(gi_id))
        .filter(specifications::version.eq(version))
        .select(Specification::as_select())
        .first(conn)
        .optional()?)
}

pub fn with_status(
    conn: &mut AnyConnection,
    gi_id: i64,
    status: &str,
) -> Result<Option<Specification>, AppError> {
    Ok(specifications::table
        .filter(specifications::gi_id.eq(gi_id))
        .filter(specifications::status.eq(status))
        .select(Specification::as_select())
        .order(specifications::version.desc())
        .first(conn)
        .optional()?)
}

pub fn replace_content(
    conn: &mut AnyConnection,
    gi_id: i64,
    version: i32,
    content: &SpecificationContent,
) -> Result<(), AppError> {
    diesel::update(
        specifications::table
            .filter(specifications::gi_id.eq(gi_id))
            .filter(specifications::version.eq(version)),
    )
    .set(content)
    .execute(conn)?;
    Ok(())
}

pub fn decide(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    decided_on: NaiveDate,
    grounds: Option<&str>,
) -> Result<(), AppError> {
    diesel::update(specifications::table.find(id))
        .set((
            specifications::status.eq(status),
            specifications::decided_on.eq(decided_on),
            specifications::decision_grounds.eq(grounds),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn supersede(conn: &mut AnyConnection, id: i64) -> Result<(), AppError> {
    diesel::update(specifications::table.find(id))
        .set(specifications::status.eq("superseded"))
        .execute(conn)?;
    Ok(())
}
