//! Liveness, readiness and metrics.

use std::time::Duration;

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::json;

use super::state::AppState;
use crate::error::{error_body, AppError, RETRY_AFTER_FULL_SECS};
use crate::shutdown::Draining;

/// The process is up.
#[utoipa::path(operation_id = "healthz", tag = "operations", responses(
    (status = 200, description = "alive", body = crate::api::docs::Liveness)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// How long `/readyz` takes at most before it answers not-ready.
const READY_DEADLINE: Duration = Duration::from_millis(750);

/// The database answers and has room to write; within a second either way.
#[utoipa::path(operation_id = "readyz", tag = "operations", responses(
    (status = 200, description = "ready", body = crate::api::docs::Readiness),
    (status = 503, description = "the database is unreachable (`service_unavailable`) or out of space (`insufficient_storage`)", body = crate::api::docs::ErrorBody)))]
#[get("/readyz")]
pub async fn readyz(
    state: web::Data<AppState>,
    draining: Option<web::Data<Draining>>,
) -> Result<HttpResponse, AppError> {
    let backend = state.db.backend().as_str();
    if draining.is_some_and(|d| d.is_set()) {
        return Ok(HttpResponse::ServiceUnavailable()
            .insert_header((header::RETRY_AFTER, "1"))
            .json(error_body(
                "shutting_down",
                "this instance is stopping; send new work elsewhere",
                json!(null),
            )));
    }
    match tokio::time::timeout(READY_DEADLINE, state.db.ping()).await {
        Ok(result) => result?,
        Err(_) => {
            state.db.mark_down();
            return Err(AppError::Unavailable(
                "no answer within the readiness deadline".into(),
            ));
        }
    }
    if state.db.health().storage_full() {
        return Ok(HttpResponse::ServiceUnavailable()
            .insert_header((header::RETRY_AFTER, RETRY_AFTER_FULL_SECS.to_string()))
            .json(error_body(
                "insufficient_storage",
                "the database is out of space: writes fail until space is freed",
                json!({ "database": backend }),
            )));
    }
    Ok(HttpResponse::Ok().json(json!({ "status": "ready", "database": backend })))
}

/// Prometheus metrics. When the server has a metrics token (TERROIR_METRICS_TOKEN),
/// only `Authorization: Bearer TOKEN` reads them.
#[utoipa::path(operation_id = "metrics", tag = "operations", responses(
    (status = 200, description = "Prometheus text format, version 0.0.4", body = String,
        content_type = "text/plain; version=0.0.4; charset=utf-8"),
    (status = 401, description = "a metrics token is configured and was not given", body = crate::api::docs::ErrorBody)))]
#[get("/metrics")]
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if let Some(expected) = &state.metrics_token {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !same_secret(given.as_bytes(), expected.as_bytes()) {
            return Err(AppError::Unauthorized(
                "/metrics needs the metrics token: Authorization: Bearer TOKEN".into(),
            ));
        }
    }
    let pools = state.db.pool_state();
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&pools)))
}

/// Compares digests, so the time taken says nothing about how much of a guess matched.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    Sha256::digest(given) == Sha256::digest(expected)
}
