//! Sessions: issuing a token pair, rotating refresh tokens, and reuse detection.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;
use serde_json::json;

use super::tokens::{random_token, refresh_token_digest, TokenKeys};
use crate::audit::{AuditActor, AuditRecord};
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::store::{audit, sessions, users};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// Issues an access token and a refresh token in `family` (a new family when None).
pub fn issue_pair(
    conn: &mut AnyConnection,
    keys: &TokenKeys,
    user: &users::User,
    family: Option<&str>,
    refresh_ttl: Duration,
    now: NaiveDateTime,
) -> Result<TokenPair, AppError> {
    let refresh_token = random_token(32);
    let family = family
        .map(str::to_string)
        .unwrap_or_else(|| random_token(16));
    sessions::insert(
        conn,
        &sessions::NewRefreshToken {
            user_id: user.id,
            family: &family,
            token_hash: &refresh_token_digest(&refresh_token),
            issued_at: now,
            expires_at: now + refresh_ttl,
        },
    )?;
    Ok(TokenPair {
        access_token: keys.issue(user.id, user.token_version)?,
        refresh_token,
        token_type: "Bearer",
        expires_in: keys.access_ttl_secs,
    })
}

/// What presenting a refresh token led to. A reuse is committed (the family is revoked)
/// and only then answered with 401, so it is not an `Err` inside the transaction.
pub enum RefreshOutcome {
    Rotated(TokenPair),
    Refused(&'static str),
}

pub fn refresh(
    conn: &mut AnyConnection,
    keys: &TokenKeys,
    presented: &str,
    refresh_ttl: Duration,
    now: NaiveDateTime,
) -> Result<RefreshOutcome, AppError> {
    let Some(token) = sessions::by_hash(conn, &refresh_token_digest(presented))? else {
        return Ok(RefreshOutcome::Refused("unknown refresh token"));
    };
    let Some((user, office)) = users::by_id(conn, token.user_id)? else {
        return Ok(RefreshOutcome::Refused("unknown refresh token"));
    };
    let actor = AuditActor {
        id: Some(user.id),
        name: user.username.clone(),
        office,
    };
    if token.used_at.is_some() {
        sessions::revoke_family(conn, &token.family, now)?;
        audit::append(
            conn,
            AuditRecord::new(
                &actor,
                "auth.refresh_reused",
                "user",
                user.id,
                json!({
                    "family_revoked": true
                }),
            ),
        )?;
        return Ok(RefreshOutcome::Refused(
            "this refresh token was already used; every session from it is revoked",
        ));
    }
    if token.revoked_at.is_some() {
        return Ok(RefreshOutcome::Refused("this refresh token was revoked"));
    }
    if token.expires_at <= now {
        return Ok(RefreshOutcome::Refused("this refresh token has expired"));
    }
    if !user.active {
        return Ok(RefreshOutcome::Refused("this account is deactivated"));
    }
    sessions::mark_used(conn, token.id, now)?;
    let pair = issue_pair(conn, keys, &user, Some(&token.family), refresh_ttl, now)?;
    audit::append(
        conn,
        AuditRecord::new(&actor, "auth.refresh", "user", user.id, json!({})),
    )?;
    Ok(RefreshOutcome::Rotated(pair))
}
