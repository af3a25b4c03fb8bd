//! An association's notices: what happened to its GIs at home and abroad.

use actix_web::{get, post, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::caller::Caller;
use super::pagination::{encode_cursor, PageQuery};
use super::query::Query;
use super::state::AppState;
use crate::error::AppError;
use crate::registry::calendars::reader_today;
use crate::registry::notices::{self, DeadlineAhead, Notice};

/// A page of notices, and the deadlines ahead.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeList {
    /// Newest first.
    pub items: Vec<Notice>,
    /// Pass as `cursor` to get older notices; null on the last page.
    pub next_cursor: Option<String>,
    /// Opposition and decision deadlines from today on, soonest first.
    pub deadlines_ahead: Vec<DeadlineAhead>,
}

/// The caller's association's notices (association users only): every change to its
/// GIs at home and in partner offices, newest first, each marked read or not.
#[utoipa::path(operation_id = "list_notices", tag = "notices", params(PageQuery), security(("bearer" = [])), responses(
    (status = 200, body = NoticeList),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/notices")]
pub async fn list(
    caller: Caller,
    state: web::Data<AppState>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let before: i64 = page.after()?.unwrap_or(i64::MAX);
    let acting = caller.acting();
    let now = state.clock.now();
    let (mut items, deadlines_ahead) = state
        .db
        .read(move |conn| {
            // Today for the association's office.
            let today = reader_today(conn, Some(&acting.actor), None, now)?;
            let items = notices::page(conn, &acting, before, limit + 1)?;
            Ok((items, notices::deadlines_ahead(conn, &acting, today)?))
        })
        .await?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = if more {
        items.last().map(|n| encode_cursor(&n.id))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(NoticeList {
        items,
        next_cursor,
        deadlines_ahead,
    }))
}

/// Mark a notice read.
#[utoipa::path(operation_id = "mark_notice_read", tag = "notices", params(("id" = i64, Path)), security(("bearer" = [])), responses(
    (status = 204, description = "marked read"),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/notices/{id}/read")]
pub async fn mark_read(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let acting = caller.acting();
    state
        .db
        .write(move |conn| notices::mark_read(conn, &acting, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
