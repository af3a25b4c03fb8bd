//! Logging in and out: the use cases behind `/auth/login` and `/auth/logout`. Password
//! hashing stays with the caller, on the blocking pool and off any transaction.

use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use super::acting::Acting;
use crate::audit::{AuditActor, AuditRecord};
use crate::auth::session::{self, TokenPair};
use crate::auth::tokens::TokenKeys;
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::store::users::{self, User, UserWithOffice};
use crate::store::{audit, sessions};

/// The account a login names, if any.
pub fn login_candidate(conn: &mut AnyConnection, username: &str) -> Result<Option<User>, AppError> {
    Ok(users::by_username(conn, username)?.map(|(user, _)| user))
}

/// The account an access token (`jti`) of user `user_id` speaks for, and whether the
/// token was revoked (by logout or a password change).
pub fn token_holder(
    conn: &mut AnyConnection,
    user_id: i64,
    jti: &str,
) -> Result<(Option<UserWithOffice>, bool), AppError> {
    let found = users::by_id(conn, user_id)?;
    let revoked = sessions::is_access_token_revoked(conn, jti)?;
    Ok((found, revoked))
}

/// A refused login, in the audit log.
pub fn record_failed_login(
    conn: &mut AnyConnection,
    username: &str,
    client: &str,
) -> Result<(), AppError> {
    let record = AuditRecord {
        entity_id: None,
        ..AuditRecord::new(
            &AuditActor::anonymous(username),
            "auth.login_failed",
            "user",
            "",
            json!({ "username": username, "client": client }),
        )
    };
    audit::append(conn, record).map(|_| ())
}

/// A new session for `user`, whose password was verified: its token pair.
pub fn open(
    conn: &mut AnyConnection,
    keys: &TokenKeys,
    user: &User,
    client: &str,
    refresh_ttl: Duration,
    now: NaiveDateTime,
) -> Result<TokenPair, AppError> {
    let pair = session::issue_pair(conn, keys, user, None, refresh_ttl, now)?;
    let actor = AuditActor {
        id: Some(user.id),
        name: user.username.clone(),
        office: None,
    };
    audit::append(
        conn,
        AuditRecord::new(
            &actor,
            "auth.login",
            "user",
            user.id,
            json!({ "client": client }),
        ),
    )?;
    Ok(pair)
}

/// What a logout ends.
pub struct Logout {
    /// The access token's id and expiry.
    pub token_id: String,
    pub token_expires_at: NaiveDateTime,
    /// This session's refresh token, to revoke its family too.
    pub refresh_token: Option<String>,
    /// Every session of the user.
    pub everywhere: bool,
}

/// Ends the caller's session (or all of them).
pub fn close(
    conn: &mut AnyConnection,
    acting: &Acting,
    logout: Logout,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let user_id = acting.actor.user_id;
    sessions::revoke_access_token(conn, &logout.token_id, logout.token_expires_at, now)?;
    if let Some(token) = logout.refresh_token {
        let digest = crate::auth::tokens::refresh_token_digest(&token);
        if let Some(row) = sessions::by_hash(conn, &digest)? {
            if row.user_id == user_id {
                sessions::revoke_family(conn, &row.family, now)?;
            }
        }
    }
    if logout.everywhere {
        users::bump_token_version(conn, user_id)?;
        sessions::revoke_all_of_user(conn, user_id, now)?;
    }
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "auth.logout",
            "user",
            user_id,
            json!({ "everywhere": logout.everywhere }),
        ),
    )?;
    Ok(())
}
