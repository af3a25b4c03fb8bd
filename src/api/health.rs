//! Liveness, readiness and metrics.

use std::time::Duration;

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use serde_json::json;

use super::state::AppState;
use crate::error::{error_body, AppError, RETRY_AFTER_FULL_SECS};
use crate::shutdown::Draining;

/// The process is up.
#[utoipa::path(tag = "operations", responses((status = 200, description = "alive")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// How long `/readyz` takes at most before it answers not-ready.
const READY_DEADLINE: Duration = Duration::from_millis(750);

/// The database answers and has room to write; within a second either way.
#[utoipa::path(tag = "operations", responses(
    (status = 200, description = "ready"),
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

/// Prometheus metrics.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let pools = state.db.pool_state();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&pools))
}
