//! The public half of every key the registry has signed with.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::signing_keys;
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = signing_keys)]
#[diesel(treat_none_as_default_value = false)]
pub struct PublicKeyRecord {
    /// The key's id, as sent in `X-Signature-Key-Id`.
    pub kid: String,
    /// Always `Ed25519`.
    pub alg: String,
    /// The public key as SubjectPublicKeyInfo PEM, for `openssl pkeyutl -verify -pubin`.
    pub public_key_pem: String,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    /// When the registry stopped signing with it; what it signed before still verifies.
    #[serde(serialize_with = "crate::utc::serialize_option")]
    pub retired_at: Option<NaiveDateTime>,
}

pub fn all(conn: &mut AnyConnection) -> Result<Vec<PublicKeyRecord>, AppError> {
    Ok(signing_keys::table
        .order((signing_keys::created_at.asc(), signing_keys::kid.asc()))
        .select(PublicKeyRecord::as_select())
        .load(conn)?)
}

pub fn by_kid(conn: &mut AnyConnection, kid: &str) -> Result<Option<PublicKeyRecord>, AppError> {
    Ok(signing_keys::table
        .find(kid)
        .select(PublicKeyRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut AnyConnection, record: &PublicKeyRecord) -> Result<(), AppError> {
    diesel::insert_into(signing_keys::table)
        .values(record)
        .execute(conn)?;
    Ok(())
}

pub fn retire(conn: &mut AnyConnection, kid: &str, at: NaiveDateTime) -> Result<(), AppError> {
    diesel::update(
        signing_keys::table
            .find(kid)
            .filter(signing_keys::retired_at.is_null()),
    )
    .set(signing_keys::retired_at.eq(at))
    .execute(conn)?;
    Ok(())
}
