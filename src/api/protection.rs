//! Where a GI is protected, and what awaits an examiner.

use actix_web::http::header::ContentType;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::caller::{Caller, MaybeCaller};
use super::query::Query;
use super::state::AppState;
use crate::error::AppError;
use crate::registry::cached_reads;
use crate::registry::protection::Protection;
use crate::registry::worklist::{for_office, WorkItem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// Answer as things stood on this date (default today: the local date of the
    /// reader's office, else of the GI's origin office; not a future date).
    pub as_of: Option<NaiveDate>,
    /// Answer as the register knew it at this moment (RFC 3339; default now, not
    /// later): events recorded after it are not read.
    #[param(value_type = Option<String>, format = DateTime)]
    pub known_at: Option<DateTime<Utc>>,
}

/// The GI's status in every partner territory, now or as of a date, as known now or at
/// a moment (`known_at`).
#[utoipa::path(operation_id = "read_gi_protection", tag = "recognitions", params(("id" = i64, Path), AsOf), responses(
    (status = 200, body = Protection),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/gis/{id}/protection")]
pub async fn read_protection(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<AsOf>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let id = id.into_inner();
    let (as_of, known_at) = (query.as_of, query.known_at);
    let actor = reader.actor();
    let state_for_read = state.clone();
    let body = state
        .db
        .read(move |conn| {
            cached_reads::protection_json(
                conn,
                state_for_read.kept_views(),
                actor.as_ref(),
                id,
                as_of,
                known_at,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body))
}

/// What awaits the caller's office: applications to examine, recognitions, oppositions
/// and amendments to decide — ordered by deadline, overdue first.
#[utoipa::path(operation_id = "read_worklist", tag = "recognitions", security(("bearer" = [])), responses(
    (status = 200, body = Vec<WorkItem>),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/worklist")]
pub async fn read_worklist(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let actor = caller.actor.clone();
    let items = state
        .db
        .read(move |conn| for_office(conn, &actor, now))
        .await?;
    Ok(HttpResponse::Ok().json(items))
}
