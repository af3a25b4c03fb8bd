//! Webhook subscriptions of offices (for their partner systems) and associations (for
//! their GIs), and each subscription's delivery log.

use actix_web::{delete, get, post, web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::caller::Caller;
use super::json::JsonBody;
use super::pagination::{encode_cursor, Page, PageQuery};
use super::query::Query;
use super::state::AppState;
use crate::domain::attempts::Write;
use crate::error::AppError;
use crate::registry::subscriptions::{
    self, CreateSubscription, CreatedSubscription, DeliveryView, SubscriptionView,
};
use crate::webhooks::destination::resolve_checked;

/// Subscribe a receiver to changes (an office administrator for its office, an
/// association for its GIs). The answer holds the signing secret, shown only here.
#[utoipa::path(operation_id = "create_subscription", tag = "subscriptions", request_body = CreateSubscription, security(("bearer" = [])), responses(
    (status = 201, body = CreatedSubscription),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[post("/api/v1/subscriptions")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<CreateSubscription>,
) -> Result<HttpResponse, AppError> {
    let body = body.for_caller(&caller, Write::Subscriptions)?;
    resolve_checked(&body.url, state.webhook_allow_private)
        .await
        .map_err(|why| AppError::invalid("url", why))?;
    let acting = caller.acting();
    let now = Utc::now().naive_utc();
    let created = state
        .db
        .write(move |conn| subscriptions::create(conn, &acting, body, now))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// The caller's subscriptions (every one, for admins and auditors), oldest first.
#[utoipa::path(operation_id = "list_subscriptions", tag = "subscriptions", params(PageQuery), security(("bearer" = [])), responses(
    (status = 200, body = Page<SubscriptionView>),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/subscriptions")]
pub async fn list(
    caller: Caller,
    state: web::Data<AppState>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let after: i64 = page.after()?.unwrap_or(0);
    let acting = caller.acting();
    let rows = state
        .db
        .read(move |conn| subscriptions::list(conn, &acting, after, limit + 1))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |s| s.id, |s| s)))
}

/// One subscription (its owner, auditors, admins).
#[utoipa::path(operation_id = "read_subscription", tag = "subscriptions", params(("id" = i64, Path)), security(("bearer" = [])), responses(
    (status = 200, body = SubscriptionView),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/subscriptions/{id}")]
pub async fn read(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let acting = caller.acting();
    let view = state
        .db
        .read(move |conn| subscriptions::read(conn, &acting, id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Cancel a subscription: nothing more is delivered, pending deliveries are cancelled.
#[utoipa::path(operation_id = "cancel_subscription", tag = "subscriptions", params(("id" = i64, Path)), security(("bearer" = [])), responses(
    (status = 204, description = "cancelled (or already was)"),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[delete("/api/v1/subscriptions/{id}")]
pub async fn cancel(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let acting = caller.acting();
    let now = Utc::now().naive_utc();
    state
        .db
        .write(move |conn| subscriptions::cancel(conn, &acting, id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryFilter {
    /// Only deliveries in this state.
    pub status: Option<DeliveryStatus>,
}

#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
    Cancelled,
}

impl DeliveryStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }
}

/// A page of deliveries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    pub items: Vec<DeliveryView>,
    /// Pass as `cursor` for older deliveries; null on the last page.
    pub next_cursor: Option<String>,
}

/// A subscription's deliveries, newest first, each with every attempt and the
/// receiver's response code.
#[utoipa::path(operation_id = "list_subscription_deliveries", tag = "subscriptions", params(("id" = i64, Path), PageQuery, DeliveryFilter), security(("bearer" = [])), responses(
    (status = 200, body = DeliveryList),
    (status = 401, body = crate::api::docs::ErrorBody),
    (status = 403, body = crate::api::docs::ErrorBody),
    (status = 404, body = crate::api::docs::ErrorBody),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/subscriptions/{id}/deliveries")]
pub async fn deliveries(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    page: Query<PageQuery>,
    filter: Query<DeliveryFilter>,
) -> Result<HttpResponse, AppError> {
    let limit = page.limit()?;
    let before: i64 = page.after()?.unwrap_or(i64::MAX);
    let status = filter.status.map(DeliveryStatus::as_str);
    let id = id.into_inner();
    let acting = caller.acting();
    let mut items = state
        .db
        .read(move |conn| subscriptions::deliveries(conn, &acting, id, status, before, limit + 1))
        .await?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = if more {
        items.last().map(|d| encode_cursor(&d.delivery.id))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(DeliveryList { items, next_cursor }))
}
