//! Refresh tokens (rotating, in families) and revoked access tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{refresh_tokens, revoked_access_tokens};
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: i64,
    pub user_id: i64,
    pub family: String,
    pub token_hash: String,
    pub issued_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshToken<'a> {
    pub user_id: i64,
    pub family: &'a str,
    pub token_hash: &'a str,
    pub issued_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, new: &NewRefreshToken<'_>) -> Result<(), AppError> {
    diesel::insert_into(refresh_tokens::table)
        .values(new)
        .execute(conn)?;
    Ok(())
}

pub fn by_hash(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<RefreshToken>, AppError> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshToken::as_select())
        .first(conn)
        .optional()?)
}

pub fn mark_used(conn: &mut AnyConnection, id: i64, at: NaiveDateTime) -> Result<(), AppError> {
    diesel::update(refresh_tokens::table.find(id))
        .set(refresh_tokens::used_at.eq(at))
        .execute(conn)?;
    Ok(())
}

pub fn revoke_family(
    conn: &mut AnyConnection,
    family: &str,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)?;
    Ok(())
}

pub fn revoke_all_of_user(
    conn: &mut AnyConnection,
    user_id: i64,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)?;
    Ok(())
}

/// Revokes one access token until it would have expired anyway; expired rows are pruned.
pub fn revoke_access_token(
    conn: &mut AnyConnection,
    jti: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::delete(revoked_access_tokens::table.filter(revoked_access_tokens::expires_at.lt(now)))
        .execute(conn)?;
    let already = is_access_token_revoked(conn, jti)?;
    if !already {
        diesel::insert_into(revoked_access_tokens::table)
            .values((
                revoked_access_tokens::jti.eq(jti),
                revoked_access_tokens::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn is_access_token_revoked(conn: &mut AnyConnection, jti: &str) -> Result<bool, AppError> {
    Ok(diesel::select(diesel::dsl::exists(
        revoked_access_tokens::table.filter(revoked_access_tokens::jti.eq(jti)),
    ))
    .get_result(conn)?)
}
