//! Liveness, readiness and metrics.

use actix_web::{get, web, HttpResponse};
use diesel::connection::SimpleConnection;
use serde_json::json;

use super::state::AppState;
use crate::error::AppError;

/// The process is up.
#[utoipa::path(operation_id = "healthz", tag = "operations", responses(
    (status = 200, description = "alive", body = crate::api::docs::Liveness)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The database answers.
#[utoipa::path(operation_id = "readyz", tag = "operations", responses(
    (status = 200, description = "ready", body = crate::api::docs::Readiness),
    (status = 503, description = "the database is unreachable", body = crate::api::docs::ErrorBody)))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let backend = state.db.backend().as_str();
    state
        .db
        .read(|conn| Ok(conn.batch_execute("SELECT 1")?))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "status": "ready", "database": backend })))
}

/// Prometheus metrics.
#[utoipa::path(operation_id = "metrics", tag = "operations", responses(
    (status = 200, description = "Prometheus text format, version 0.0.4", body = String,
        content_type = "text/plain; version=0.0.4; charset=utf-8")))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let pools = state.db.pool_state();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&pools))
}
