//! Recognitions: the partner phase of a GI under a programme.

use actix_web::{get, post, web, HttpResponse};

use super::caller::{Caller, MaybeCaller};
use super::if_match::{etag, IfMatch};
use super::json::JsonBody;
use super::pagination::{encode_cursor, Page, PageQuery};
use super::protection::AsOf;
use super::query::Query;
use super::state::AppState;
use crate::domain::attempts::{Write, RECOGNITION_ACTION_ACTORS};
use crate::domain::recognition_status::RECOGNITION_SUBMIT_ACTOR;
use crate::error::AppError;
use crate::registry::event_history;
use crate::registry::name_conflicts;
use crate::registry::oppositions::{self, OppositionFiling, OppositionView};
use crate::registry::protection::{self, RecognitionQuery};
use crate::registry::recognition_lifecycle::{self, RecognitionActionRequest};
use crate::registry::recognition_views::RecognitionView;
use crate::registry::recognitions::{self, ListSubmission, Submission};
use crate::registry::targets;

/// Submit one GI to one partner under a programme (an examiner of the origin office).
#[utoipa::path(operation_id = "submit_recognition", tag = "recognitions", request_body = Submission, security(("bearer" = [])), responses(
    (status = 201, body = SubmittedRecognition, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 409, description = "not registered at origin, or already submitted", body = crate::api::docs::ErrorBody),
    (status = 422, description = "partner not a party, the origin office as partner, …", body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/recognitions")]
pub async fn submit(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<Submission>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let body = body.for_caller(&caller, Write::Act(&[RECOGNITION_SUBMIT_ACTOR]))?;
    let acting = caller.acting();
    // The names are checked against the register before the write (it reads the whole
    // register), so that the writers' lock is not held for it.
    let gi_id = body.gi_id;
    let conflicts = state
        .db
        .read(move |conn| name_conflicts::reported(conn, gi_id))
        .await?;
    let view = state
        .db
        .write(move |conn| {
            let view = recognitions::submit(conn, &acting, body, now)?;
            crate::store::name_conflicts::set_for_recognition(conn, view.id, &conflicts)?;
            Ok(SubmittedRecognition { view, conflicts })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(view.view.version))
        .json(view))
}

/// A recognition as submitted, with what its names collide with.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SubmittedRecognition {
    #[serde(flatten)]
    pub view: RecognitionView,
    /// The live GIs the GI's names collide with (score 0.6 or more), best first; also on
    /// the partner examiner's work list.
    pub conflicts: Vec<crate::registry::conflicts::ConflictCandidate>,
}

/// Submit a whole list at once (e.g. an annex batch): every item or none. A refused list
/// is a 409 `list_refused` whose details list every refused item with its reason.
#[utoipa::path(operation_id = "submit_recognition_list", tag = "recognitions", request_body = ListSubmission, security(("bearer" = [])), responses(
    (status = 201, body = Vec<RecognitionView>),
    (status = 409, description = "refused; details.items reports each refused item", body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/recognitions/lists")]
pub async fn submit_list(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<ListSubmission>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let body = body.for_caller(&caller, Write::Act(&[RECOGNITION_SUBMIT_ACTOR]))?;
    let acting = caller.acting();
    let views = state
        .db
        .write(move |conn| recognitions::submit_list(conn, &acting, body, now))
        .await?;
    Ok(HttpResponse::Created().json(views))
}

/// List recognitions, now or `as_of` a date (as known now or at `known_at`: a
/// `known_at` alone asks for today as known then), in a stable order.
#[utoipa::path(operation_id = "list_recognitions", tag = "recognitions", params(RecognitionQuery, PageQuery), responses(
    (status = 200, body = Page<RecognitionView>)))]
#[get("/api/v1/recognitions")]
pub async fn list(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    query: Query<RecognitionQuery>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let limit = page.limit()?;
    let after: i64 = page.after()?.unwrap_or(0);
    let mut query = query.into_inner();
    let actor = reader.actor();
    let (items, next) = state
        .db
        .read(move |conn| {
            protection::check_list_as_of(conn, actor.as_ref(), &mut query, now)?;
            protection::page(conn, &query, after, limit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: next.map(|id| encode_cursor(&id)),
    }))
}

/// Read one recognition, now or as it stood on `as_of` as known at `known_at` (either
/// alone: the other is today, or now). Not yet submitted on that date, or not yet
/// recorded at that moment: 404. Only the current view carries an ETag.
#[utoipa::path(operation_id = "read_recognition", tag = "recognitions", params(("id" = i64, Path), AsOf), responses(
    (status = 200, body = RecognitionView, headers(("ETag" = Option<String>, description = "the version, for `If-Match` (current view only)"))),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/recognitions/{id}")]
pub async fn read(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: Query<AsOf>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let now = state.clock.now();
    let (as_of, known_at) = (query.as_of, query.known_at);
    let actor = reader.actor();
    let (view, current) = state
        .db
        .read(move |conn| {
            protection::recognition_as_of(conn, actor.as_ref(), id, as_of, known_at, now)
        })
        .await?;
    let mut response = HttpResponse::Ok();
    if current {
        response.insert_header(etag(view.version));
    }
    Ok(response.json(view))
}

/// Take an action in the partner phase: `{action, effective_on?, grounds?,
/// limitations?, phase_out_until?}`.
#[utoipa::path(operation_id = "act_on_recognition", tag = "recognitions", request_body = RecognitionActionRequest, security(("bearer" = [])),
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "the ETag you read")),
    responses(
    (status = 200, body = RecognitionView, headers(("ETag" = String, description = "the version, for `If-Match`"))),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 409, body = crate::api::docs::ErrorBody),
    (status = 412, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/recognitions/{id}/actions")]
pub async fn act(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<RecognitionActionRequest>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let record = *id;
    let body = body
        .for_record(
            &caller,
            &state.db,
            Write::Act(RECOGNITION_ACTION_ACTORS),
            move |conn, actor| targets::recognition(conn, actor, record),
        )
        .await?;
    let id = id.into_inner();
    let acting = caller.acting();
    let view = state
        .db
        .write(move |conn| recognition_lifecycle::apply(conn, &acting, id, if_match.0, body, now))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(view.version))
        .json(view))
}

/// Every event of the recognition, oldest first.
#[utoipa::path(operation_id = "list_recognition_events", tag = "recognitions", params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<crate::store::events::EventJson>),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/recognitions/{id}/events")]
pub async fn list_events(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = reader.actor();
    let found = state
        .db
        .read(move |conn| event_history::of_recognition(conn, actor.as_ref(), id))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Oppositions in the partner office's proceeding.
#[utoipa::path(operation_id = "list_recognition_oppositions", tag = "oppositions", params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<OppositionView>),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/recognitions/{id}/oppositions")]
pub async fn list_oppositions(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = reader.actor();
    let found = state
        .db
        .read(move |conn| oppositions::of_recognition(conn, actor.as_ref(), id))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// File an opposition against a recognition published by the partner office, on or
/// before its opposition deadline.
#[utoipa::path(operation_id = "file_recognition_opposition", tag = "oppositions", request_body = OppositionFiling, security(("bearer" = [])),
    params(("id" = i64, Path)), responses(
    (status = 201, body = OppositionView),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 409, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/recognitions/{id}/oppositions")]
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
            move |conn, actor| targets::recognition(conn, actor, record),
        )
        .await?;
    let id = id.into_inner();
    let acting = caller.acting();
    let view = state
        .db
        .write(move |conn| oppositions::file_against_recognition(conn, &acting, id, body, now))
        .await?;
    Ok(HttpResponse::Created().json(view))
}
