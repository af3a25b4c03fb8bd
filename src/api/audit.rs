//! The audit log, for auditors and admins.

use actix_web::{get, web, HttpResponse};

use super::caller::Caller;
use super::pagination::{Page, PageQuery};
use super::query::Query;
use super::state::AppState;
use crate::error::AppError;
use crate::registry::audit_head::{self, SignedHead};
use crate::registry::audit_log;
use crate::store::audit::{AuditEntry, VerifyReport};

/// Audit entries in sequence order, with their hashes.
#[utoipa::path(operation_id = "list_audit_entries", tag = "audit", params(PageQuery), security(("bearer" = [])), responses(
    (status = 200, body = Page<AuditEntry>),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/audit")]
pub async fn list(
    caller: Caller,
    state: web::Data<AppState>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let after: i64 = page.after()?.unwrap_or(0);
    let acting = caller.acting();
    let rows = state
        .db
        .read(move |conn| audit_log::list(conn, &acting, after, limit + 1))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |e| e.seq, |e| e)))
}

/// Recompute the whole chain: `ok` with the count and head hash, or the first entry
/// that does not verify. The chain is also held against its anchors (the recorded
/// head, a checkpoint every 100 entries, the head on every export record), so that
/// removed newest entries are reported as a truncation.
#[utoipa::path(operation_id = "verify_audit_chain", tag = "audit", security(("bearer" = [])), responses(
    (status = 200, body = VerifyReport),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/audit/verify")]
pub async fn verify(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let acting = caller.acting();
    let report = state
        .db
        .read(move |conn| audit_log::verify(conn, &acting))
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// The chain's head (its last entry's sequence number, hash and time), signed with the
/// registry's key: keep it, and a later rewrite or truncation of the chain before it
/// can be shown. The signature is over `message`, verifiable like an export's.
#[utoipa::path(operation_id = "signed_audit_head", tag = "audit", security(("bearer" = [])), responses(
    (status = 200, body = SignedHead),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/audit/head")]
pub async fn head(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let acting = caller.acting();
    let (db, signer) = (state.db.clone(), state.signer.clone());
    let head = web::block(move || audit_head::signed_head(&db, &signer, &acting)).await??;
    Ok(HttpResponse::Ok().json(head))
}
