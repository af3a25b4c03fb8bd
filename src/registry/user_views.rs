//! Reading user accounts: admins and auditors read all, office admins those of their
//! own office, everyone their own account.

use super::acting::Acting;
use super::users::UserView;
use crate::db::AnyConnection;
use crate::domain::permissions::Action;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::offices;
use crate::store::users::{self, UserWithOffice};

/// Users after id `after`, at most `limit`, of the office with `office_code` if given.
pub fn list(
    conn: &mut AnyConnection,
    acting: &Acting,
    office_code: Option<&str>,
    after: i64,
    limit: i64,
) -> Result<Vec<UserWithOffice>, AppError> {
    let requested = match office_code {
        Some(code) => Some(
            offices::by_code(conn, code)?
                .ok_or_else(|| AppError::invalid("office", "no office has this code"))?
                .id,
        ),
        None => None,
    };
    // Office admins see their own office only; admins and auditors see any.
    let office_id = if acting.actor.role == Role::OfficeAdmin {
        let own = acting.actor.office_id;
        acting.authorize(Action::ReadUser {
            office_id: requested.or(own),
        })?;
        own
    } else {
        acting.authorize(Action::ReadUser { office_id: None })?;
        requested
    };
    users::list(conn, office_id, after, limit)
}

/// One account: one's own, or one the caller may read.
pub fn read(conn: &mut AnyConnection, acting: &Acting, id: i64) -> Result<UserView, AppError> {
    let found = users::by_id(conn, id)?.ok_or_else(|| AppError::not_found("user"))?;
    if found.0.id != acting.actor.user_id {
        acting.authorize(Action::ReadUser {
            office_id: found.0.office_id,
        })?;
    }
    Ok(UserView::from(found))
}
