//! Producers' associations.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{associations, offices};
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = associations)]
pub struct Association {
    pub id: i64,
    pub name: String,
    pub office_id: i64,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub address: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = associations)]
pub struct NewAssociation {
    pub name: String,
    pub office_id: i64,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub address: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = associations)]
pub struct AssociationChanges {
    pub name: Option<String>,
    pub contact_email: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
    pub address: Option<Option<String>>,
}

/// An association with its office's code.
pub type AssociationWithOffice = (Association, String);

pub fn insert(conn: &mut AnyConnection, new: &NewAssociation) -> Result<i64, AppError> {
    diesel::insert_into(associations::table)
        .values(new)
        .execute(conn)
        .map_err(|err| match AppError::from(err) {
            AppError::Conflict { .. } => AppError::conflict(
                "already_exists",
                "this office already has an association with that name",
            ),
            other => other,
        })?;
    Ok(associations::table
        .filter(associations::office_id.eq(new.office_id))
        .filter(associations::name.eq(&new.name))
        .select(associations::id)
        .first(conn)?)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<AssociationWithOffice>, AppError> {
    Ok(associations::table
        .inner_join(offices::table)
        .filter(associations::id.eq(id))
        .select((Association::as_select(), offices::code))
        .first(conn)
        .optional()?)
}

/// Associations ordered by id after `after_id`, optionally of one office.
pub fn list(
    conn: &mut AnyConnection,
    office_id: Option<i64>,
    after_id: i64,
    limit: i64,
) -> Result<Vec<AssociationWithOffice>, AppError> {
    let mut query = associations::table
        .inner_join(offices::table)
        .filter(associations::id.gt(after_id))
        .select((Association::as_select(), offices::code))
        .order(associations::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(office_id) = office_id {
        query = query.filter(associations::office_id.eq(office_id));
    }
    Ok(query.load(conn)?)
}

pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    version: i32,
    changes: &AssociationChanges,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let updated = diesel::update(
        associations::table
            .filter(associations::id.eq(id))
            .filter(associations::version.eq(version)),
    )
    .set((
        changes,
        associations::version.eq(version + 1),
        associations::updated_at.eq(now),
    ))
    .execute(conn)
    .map_err(|err| match AppError::from(err) {
        AppError::Conflict { .. } => AppError::conflict(
            "already_exists",
            "this office already has an association with that name",
        ),
        other => other,
    })?;
    Ok(updated == 1)
}
