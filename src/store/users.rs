//! User accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{offices, users};
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub office_id: Option<i64>,
    pub association_id: Option<i64>,
    pub active: bool,
    pub token_version: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A user with its office's code, if it has an office.
pub type UserWithOffice = (User, Option<String>);

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub office_id: Option<i64>,
    pub association_id: Option<i64>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub password_hash: Option<String>,
    pub role: Option<String>,
    pub office_id: Option<Option<i64>>,
    pub association_id: Option<Option<i64>>,
    pub active: Option<bool>,
}

impl UserChanges {
    /// A change of password, role, office or activity ends every session at once.
    pub fn revokes_sessions(&self) -> bool {
        self.password_hash.is_some()
            || self.role.is_some()
            || self.office_id.is_some()
            || self.association_id.is_some()
            || self.active == Some(false)
    }
}

pub fn count(conn: &mut AnyConnection) -> Result<i64, AppError> {
    Ok(users::table.count().get_result(conn)?)
}

pub fn insert(conn: &mut AnyConnection, new: &NewUser) -> Result<i64, AppError> {
    diesel::insert_into(users::table)
        .values(new)
        .execute(conn)
        .map_err(|err| match AppError::from(err) {
            AppError::Conflict {
                code: "already_exists",
                ..
            } => AppError::conflict(
                "already_exists",
                format!("the username {} is taken", new.username),
            ),
            other => other,
        })?;
    Ok(users::table
        .filter(users::username.eq(&new.username))
        .select(users::id)
        .first(conn)?)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<UserWithOffice>, AppError> {
    Ok(users::table
        .left_join(offices::table)
        .filter(users::id.eq(id))
        .select((User::as_select(), offices::code.nullable()))
        .first(conn)
        .optional()?)
}

pub fn by_username(
    conn: &mut AnyConnection,
    username: &str,
) -> Result<Option<UserWithOffice>, AppError> {
    Ok(users::table
        .left_join(offices::table)
        .filter(users::username.eq(username))
        .select((User::as_select(), offices::code.nullable()))
        .first(conn)
        .optional()?)
}

/// Users ordered by id after `after_id`, optionally of one office.
pub fn list(
    conn: &mut AnyConnection,
    office_id: Option<i64>,
    after_id: i64,
    limit: i64,
) -> Result<Vec<UserWithOffice>, AppError> {
    let mut query = users::table
        .left_join(offices::table)
        .filter(users::id.gt(after_id))
        .select((User::as_select(), offices::code.nullable()))
        .order(users::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(office_id) = office_id {
        query = query.filter(users::office_id.eq(office_id));
    }
    Ok(query.load(conn)?)
}

/// Applies `changes` if the user is still at `version`; bumps the token version too when
/// the change must end the user's sessions.
pub fn update(
    conn: &mut AnyConnection,
    user: &User,
    version: i32,
    changes: &UserChanges,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let token_version = if changes.revokes_sessions() {
        user.token_version + 1
    } else {
        user.token_version
    };
    let updated = diesel::update(
        users::table
            .filter(users::id.eq(user.id))
            .filter(users::version.eq(version)),
    )
    .set((
        changes,
        users::version.eq(version + 1),
        users::token_version.eq(token_version),
        users::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Ends every session of the user: access tokens issued before now stop working.
pub fn bump_token_version(conn: &mut AnyConnection, user_id: i64) -> Result<(), AppError> {
    diesel::update(users::table.find(user_id))
        .set(users::token_version.eq(users::token_version + 1))
        .execute(conn)?;
    Ok(())
}
