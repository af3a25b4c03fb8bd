//! The registry's public signing keys: anyone may fetch them to verify an export.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;

use super::state::AppState;
use crate::error::AppError;
use crate::signing::keyring;
use crate::store::signing_keys::PublicKeyRecord;

#[derive(Serialize, utoipa::ToSchema)]
pub struct KeyList {
    /// Every key the registry has signed with, oldest first; retired keys stay listed so
    /// that what they signed still verifies.
    pub keys: Vec<PublicKeyRecord>,
}

/// The public keys that verify the registry's signatures (`X-Signature` on exports, the
/// signed audit head). No sign-in needed.
#[utoipa::path(operation_id = "list_signing_keys", tag = "exports", responses(
    (status = 200, body = KeyList)))]
#[get("/api/v1/keys")]
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let keys = state.db.read(keyring::public_keys).await?;
    Ok(HttpResponse::Ok().json(KeyList { keys }))
}
