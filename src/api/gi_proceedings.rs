//! Oppositions and amendments of a GI's home phase.

use actix_web::{get, post, web, HttpResponse};

use super::caller::{Caller, MaybeCaller};
use super::json::JsonBody;
use super::state::AppState;
use crate::domain::attempts::Write;
use crate::domain::transition::ActorKind;
use crate::error::AppError;
use crate::registry::amendments::{self, AmendmentDecision, AmendmentProposal};
use crate::registry::gi_views::SpecificationView;
use crate::registry::oppositions::{self, OppositionDecision, OppositionFiling, OppositionView};
use crate::registry::targets;

/// Oppositions against the GI at home.
#[utoipa::path(operation_id = "list_gi_oppositions", tag = "oppositions", params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<OppositionView>),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/gis/{id}/oppositions")]
pub async fn list_oppositions(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = reader.actor();
    let list = state
        .db
        .read(move |conn| oppositions::of_gi(conn, actor.as_ref(), id))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// File an opposition against a published GI, on or before its opposition deadline: an
/// association in its own name, or an examiner of the origin office for a named opponent.
#[utoipa::path(operation_id = "file_gi_opposition", tag = "oppositions", request_body = OppositionFiling, security(("bearer" = [])),
    params(("id" = i64, Path)), responses(
    (status = 201, body = OppositionView),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 409, description = "not published, or the deadline has passed", body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/gis/{id}/oppositions")]
pub async fn file_opposition(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: JsonBody<OppositionFiling>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let record = *id;
    let body = body
        .for_record(
            &caller,
            &state.db,
            Write::FileOpposition,
            move |conn, actor| targets::gi(conn, actor, record),
        )
        .await?;
    let id = id.into_inner();
    let acting = caller.acting();
    let view = state
        .db
        .write(move |conn| oppositions::file_against_gi(conn, &acting, id, body, now))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Decide an opposition: `uphold` (refuses the GI) or `reject` by an examiner of the
/// deciding office; `withdraw` by its filer or that examiner.
#[utoipa::path(operation_id = "decide_opposition", tag = "oppositions", request_body = OppositionDecision, security(("bearer" = [])),
    params(("id" = i64, Path)), responses(
    (status = 200, body = OppositionView),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 409, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/oppositions/{id}/actions")]
pub async fn decide_opposition(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: JsonBody<OppositionDecision>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let record = *id;
    let body = body
        .for_record(
            &caller,
            &state.db,
            Write::DecideOpposition,
            move |conn, actor| targets::opposition(conn, actor, record),
        )
        .await?;
    let id = id.into_inner();
    let acting = caller.acting();
    let view = state
        .db
        .write(move |conn| oppositions::decide(conn, &acting, id, body, now))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Every version of the GI's specification.
#[utoipa::path(operation_id = "list_specifications", tag = "specifications", params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<SpecificationView>),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/gis/{id}/specifications")]
pub async fn list_specifications(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = reader.actor();
    let list = state
        .db
        .read(move |conn| amendments::list(conn, actor.as_ref(), id))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One version of the GI's specification.
#[utoipa::path(operation_id = "read_specification", tag = "specifications", params(("id" = i64, Path), ("version" = i32, Path)), responses(
    (status = 200, body = SpecificationView),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/gis/{id}/specifications/{version}")]
pub async fn read_specification(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i32)>,
) -> Result<HttpResponse, AppError> {
    let (id, version) = path.into_inner();
    let actor = reader.actor();
    let view = state
        .db
        .read(move |conn| amendments::read(conn, actor.as_ref(), id, version))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Propose an amendment of a registered GI: a new, pending specification version.
#[utoipa::path(operation_id = "propose_amendment", tag = "specifications", request_body = AmendmentProposal, security(("bearer" = [])),
    params(("id" = i64, Path)), responses(
    (status = 201, body = SpecificationView),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 409, description = "not registered, or another amendment is pending", body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/gis/{id}/specifications")]
pub async fn propose_amendment(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: JsonBody<AmendmentProposal>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let record = *id;
    let body = body
        .for_record(
            &caller,
            &state.db,
            Write::Act(&[ActorKind::ApplicantOrOriginExaminer]),
            move |conn, actor| targets::gi(conn, actor, record),
        )
        .await?;
    let id = id.into_inner();
    let acting = caller.acting();
    let view = state
        .db
        .write(move |conn| amendments::propose(conn, &acting, id, body, now))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Approve or reject a pending amendment (an examiner of the origin office).
#[utoipa::path(operation_id = "decide_amendment", tag = "specifications", request_body = AmendmentDecision, security(("bearer" = [])),
    params(("id" = i64, Path), ("version" = i32, Path)), responses(
    (status = 200, body = SpecificationView),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 409, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/gis/{id}/specifications/{version}/actions")]
pub async fn decide_amendment(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i32)>,
    body: JsonBody<AmendmentDecision>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let record = path.0;
    let body = body
        .for_record(
            &caller,
            &state.db,
            Write::Act(&[ActorKind::OriginExaminer]),
            move |conn, actor| targets::gi(conn, actor, record),
        )
        .await?;
    let (id, version) = path.into_inner();
    let acting = caller.acting();
    let view = state
        .db
        .write(move |conn| amendments::decide(conn, &acting, id, version, body, now))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
