//! An office's generic terms and earlier trademarks, which the conflict check reads.

use actix_web::{get, post, web, HttpResponse};

use super::caller::Caller;
use super::json::JsonBody;
use super::state::AppState;
use crate::domain::attempts::Write;
use crate::error::AppError;
use crate::registry::listed_rights::{
    self, GenericTerms, LoadReport, NewTerm, TermView, TrademarkLoad,
};

/// The office's generic terms: names the conflict check flags (`generic_term`) in its
/// territory. Public.
#[utoipa::path(operation_id = "list_generic_terms", tag = "offices", params(("code" = String, Path, description = "office code")), responses(
    (status = 200, body = GenericTerms),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/offices/{code}/generic-terms")]
pub async fn list_terms(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let terms = state
        .db
        .read(move |conn| listed_rights::terms(conn, &code))
        .await?;
    Ok(HttpResponse::Ok().json(terms))
}

/// Add a generic term (the office's own examiners and office administrators, or an
/// admin); a term the same after folding as one listed is a 409 `duplicate`.
#[utoipa::path(operation_id = "add_generic_term", tag = "offices", request_body = NewTerm, security(("bearer" = [])),
    params(("code" = String, Path, description = "office code")),
    responses(
    (status = 201, body = TermView),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 409, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/offices/{code}/generic-terms")]
pub async fn add_term(
    caller: Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: JsonBody<NewTerm>,
) -> Result<HttpResponse, AppError> {
    let acting = authorized(&caller, &state, &code).await?;
    let body = body.for_caller(&caller, Write::OfficeLists)?;
    let code = code.into_inner();
    let term = state
        .db
        .write(move |conn| listed_rights::add_term(conn, &acting, &code, body))
        .await?;
    Ok(HttpResponse::Created().json(term))
}

/// Load earlier trademarks from the office's register (its examiners and office
/// administrators, or an admin), up to 1,000 a request; a number loaded before is
/// replaced. `pending` and `registered` marks take part in the conflict check
/// (`earlier_trademark`) in the office's territory.
#[utoipa::path(operation_id = "load_trademarks", tag = "offices", request_body = TrademarkLoad, security(("bearer" = [])),
    params(("code" = String, Path, description = "office code")),
    responses(
    (status = 201, body = LoadReport),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/offices/{code}/trademarks")]
pub async fn load_trademarks(
    caller: Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: JsonBody<TrademarkLoad>,
) -> Result<HttpResponse, AppError> {
    let acting = authorized(&caller, &state, &code).await?;
    let body = body.for_caller(&caller, Write::OfficeLists)?;
    let code = code.into_inner();
    let report = state
        .db
        .write(move |conn| {
            let office = listed_rights::authorize(conn, &acting, &code)?;
            listed_rights::load_trademarks(conn, &acting.audit, &office, &body.trademarks)
        })
        .await?;
    Ok(HttpResponse::Created().json(report))
}

/// The caller's right to the office's lists, checked before the body is read.
async fn authorized(
    caller: &Caller,
    state: &AppState,
    code: &str,
) -> Result<crate::registry::acting::Acting, AppError> {
    caller.may_attempt(Write::OfficeLists)?;
    let acting = caller.acting();
    let (code, check) = (code.to_string(), acting.clone());
    state
        .db
        .read(move |conn| listed_rights::authorize(conn, &check, &code).map(|_| ()))
        .await?;
    Ok(acting)
}
