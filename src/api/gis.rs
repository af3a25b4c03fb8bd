//! The register at the origin office: GIs, their lifecycle and their events.

use actix_web::http::header::ContentType;
use actix_web::{get, patch, post, web, HttpResponse};
use bytes::Bytes;
use chrono::Utc;

use super::caller::{Caller, MaybeCaller};
use super::if_match::{etag, IfMatch};
use super::json::JsonBody;
use super::pagination::{page_of_json, Page, PageQuery};
use super::query::Query;
use super::state::AppState;
use crate::domain::attempts::{Write, GI_ACTORS};
use crate::domain::gi_status::GI_CREATE_ACTOR;
use crate::error::AppError;
use crate::registry::cached_reads;
use crate::registry::event_history;
use crate::registry::gi_application::{self, GiApplication, GiDraftEdit};
use crate::registry::gi_lifecycle::{self, ActionRequest};
use crate::registry::gi_search::GiQuery;
use crate::registry::gi_views::GiView;
use crate::registry::name_conflicts;
use crate::registry::targets;

/// Search and list the register.
#[utoipa::path(operation_id = "list_gis", tag = "gis", params(GiQuery, PageQuery), responses(
    (status = 200, body = Page<GiView>),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/gis")]
pub async fn list(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    query: Query<GiQuery>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let after: i64 = page.after()?.unwrap_or(0);
    let actor = reader.actor();
    let query = query.into_inner();
    let state_for_read = state.clone();
    let mut items = state
        .db
        .read(move |conn| {
            cached_reads::gi_page(
                conn,
                state_for_read.kept_views(),
                actor.as_ref(),
                &query,
                after,
                limit + 1,
            )
        })
        .await?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = items
        .last()
        .filter(|_| more)
        .map(|(id, _)| super::pagination::encode_cursor(id));
    let bodies: Vec<Bytes> = items.into_iter().map(|(_, body)| body).collect();
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(page_of_json(&bodies, next_cursor.as_deref())))
}

/// Apply for a GI: a draft with its names and specification version 1.
#[utoipa::path(operation_id = "create_gi", tag = "gis", request_body = GiApplication, security(("bearer" = [])), responses(
    (status = 201, body = GiView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/gis")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<GiApplication>,
) -> Result<HttpResponse, AppError> {
    let body = body.for_caller(&caller, Write::Act(&[GI_CREATE_ACTOR]))?;
    let view = create_draft(&state, &caller, body).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.version))
        .json(view))
}

/// A draft from `body`, validated, by a caller who may apply: the API's and the
/// association desk's one path.
pub async fn create_draft(
    state: &AppState,
    caller: &Caller,
    body: GiApplication,
) -> Result<GiView, AppError> {
    let acting = caller.acting();
    state
        .db
        .write(move |conn| gi_application::create(conn, &acting, body, Utc::now().naive_utc()))
        .await
}

/// Read one GI (drafts only for their association, their office, auditors, admins).
#[utoipa::path(operation_id = "read_gi", tag = "gis", params(("id" = i64, Path)), responses(
    (status = 200, body = GiView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/gis/{id}")]
pub async fn read(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = reader.actor();
    let state_for_read = state.clone();
    let view = state
        .db
        .read(move |conn| cached_reads::gi(conn, state_for_read.kept_views(), actor.as_ref(), id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .content_type(ContentType::json())
        .body(view.body))
}

/// Edit a draft; `If-Match` with the version read is required.
#[utoipa::path(operation_id = "edit_gi_draft", tag = "gis", request_body = GiDraftEdit, security(("bearer" = [])),
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the ETag you read")),
    responses(
    (status = 200, body = GiView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 409, description = "not a draft", body = crate::api::docs::ErrorBody),
    (status = 412, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[patch("/api/v1/gis/{id}")]
pub async fn edit(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<GiDraftEdit>,
) -> Result<HttpResponse, AppError> {
    let record = *id;
    let body = body
        .for_record(
            &caller,
            &state.db,
            Write::Act(&[GI_CREATE_ACTOR]),
            move |conn, actor| targets::gi(conn, actor, record),
        )
        .await?;
    let expected = if_match.0.ok_or_else(|| {
        AppError::BadRequest(
            "editing a draft requires an If-Match header with the version you read".into(),
        )
    })?;
    let view = edit_draft(&state, &caller, id.into_inner(), expected, body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// The edit `body` of draft `id` read at version `expected`, validated, by a caller who
/// may apply: the API's and the desk's one path.
pub async fn edit_draft(
    state: &AppState,
    caller: &Caller,
    id: i64,
    expected: i32,
    body: GiDraftEdit,
) -> Result<GiView, AppError> {
    let acting = caller.acting();
    state
        .db
        .write(move |conn| gi_application::edit_draft(conn, &acting, id, expected, body))
        .await
}

/// Take a lifecycle action: `{action, effective_on?, grounds?}`. A refused transition is
/// a 409 naming the current status and the allowed actions.
#[utoipa::path(operation_id = "act_on_gi", tag = "gis", request_body = ActionRequest, security(("bearer" = [])),
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "the ETag you read")),
    responses(
    (status = 200, body = GiView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 409, body = crate::api::docs::ErrorBody),
    (status = 412, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/gis/{id}/actions")]
pub async fn act(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<ActionRequest>,
) -> Result<HttpResponse, AppError> {
    let record = *id;
    let body = body
        .for_record(
            &caller,
            &state.db,
            Write::Act(GI_ACTORS),
            move |conn, actor| targets::gi(conn, actor, record),
        )
        .await?;
    let view = take_action(&state, &caller, id.into_inner(), if_match.0, body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// The lifecycle action `body` on GI `id`, its body validated and the caller's attempt
/// checked: the API's and the desk's forms' one path. Filing records (and answers)
/// the GIs its names collide with.
pub async fn take_action(
    state: &AppState,
    caller: &Caller,
    id: i64,
    expected_version: Option<i32>,
    body: ActionRequest,
) -> Result<GiView, AppError> {
    let now = state.clock.now();
    let acting = caller.acting();
    // Filing reports the GIs its names collide with: read (the whole register) before
    // the write, so that the writers' lock is not held for it.
    let reported = match body.action == "file" {
        true => Some(
            state
                .db
                .read(move |conn| name_conflicts::reported(conn, id))
                .await?,
        ),
        false => None,
    };
    state
        .db
        .write(move |conn| {
            let mut view = gi_lifecycle::apply(conn, &acting, id, expected_version, body, now)?;
            if let Some(found) = reported {
                crate::store::name_conflicts::set_for_gi(conn, id, &found)?;
                view.conflicts = Some(found);
            }
            Ok(view)
        })
        .await
}

/// Every event of the GI's home phase, oldest first; with `as_of`, those dated on or
/// before it, and with `known_at`, those recorded at or before it.
#[utoipa::path(operation_id = "list_gi_events", tag = "gis", params(("id" = i64, Path), super::protection::AsOf), responses(
    (status = 200, body = Vec<crate::store::events::EventJson>),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/gis/{id}/events")]
pub async fn list_events(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<super::protection::AsOf>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let now = state.clock.now();
    let (as_of, known_at) = (query.as_of, query.known_at);
    let actor = reader.actor();
    let found = state
        .db
        .read(move |conn| event_history::of_gi(conn, actor.as_ref(), id, as_of, known_at, now))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}
