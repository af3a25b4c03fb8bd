//! The caller's own account: reading it, and changing its password (which ends every
//! session of the account).

use chrono::Utc;
use serde_json::json;

use super::acting::Acting;
use super::users::UserView;
use crate::audit::AuditRecord;
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::store::{audit, sessions, users};

fn gone() -> AppError {
    AppError::Unauthorized("the account no longer exists".into())
}

/// The caller's account.
pub fn read(conn: &mut AnyConnection, acting: &Acting) -> Result<UserView, AppError> {
    let found = users::by_id(conn, acting.actor.user_id)?.ok_or_else(gone)?;
    Ok(UserView::from(found))
}

/// The caller's password hash, to check the current password against.
pub fn password_hash(conn: &mut AnyConnection, acting: &Acting) -> Result<String, AppError> {
    let (user, _) = users::by_id(conn, acting.actor.user_id)?.ok_or_else(gone)?;
    Ok(user.password_hash)
}

/// Sets the caller's password to `new_hash`, revokes every session of the account and
/// records the change.
pub fn change_password(
    conn: &mut AnyConnection,
    acting: &Acting,
    new_hash: String,
) -> Result<(), AppError> {
    let id = acting.actor.user_id;
    let (user, _) = users::by_id(conn, id)?.ok_or_else(gone)?;
    let changes = users::UserChanges {
        password_hash: Some(new_hash),
        ..Default::default()
    };
    let now = Utc::now().naive_utc();
    users::update(conn, &user, user.version, &changes, now)?;
    sessions::revoke_all_of_user(conn, id, now)?;
    audit::append(
        conn,
        AuditRecord::new(&acting.audit, "user.change_password", "user", id, json!({})),
    )?;
    Ok(())
}
