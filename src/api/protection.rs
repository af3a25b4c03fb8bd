//! Where a GI is protected, and what awaits an examiner.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use super::caller::{Caller, MaybeCaller};
use super::query::Query;
use super::state::AppState;
use crate::error::AppError;
use crate::registry::protection::{protection as protection_of, Protection};
use crate::registry::worklist::{for_office, WorkItem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// Answer as things stood on this date (default today: the local date of the
    /// reader's office, else of the GI's origin office; not a future date).
    pub as_of: Option<NaiveDate>,
}

/// The GI's status in every partner territory, now or as of a date.
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
    let as_of = query.as_of;
    let actor = reader.actor();
    let view = state
        .db
        .read(move |conn| protection_of(conn, actor.as_ref(), id, as_of, now))
        .await?;
    Ok(HttpResponse::Ok().json(view))
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
