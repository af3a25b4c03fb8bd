//! The public change feed: GI status changes, recognition events, approved amendments,
//! programme changes — in commit order, with a cursor to continue from.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::pagination::{decode_cursor, encode_cursor, MAX_LIMIT};
use super::query::Query;
use super::state::AppState;
use crate::error::AppError;
use crate::registry::audit_log;
use crate::store::audit::AuditEntry;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The `next_cursor` of the previous call; from the beginning when absent. The same
    /// name every list pages with.
    pub cursor: Option<String>,
    /// The former name of `cursor`, still accepted; give one or the other.
    #[deprecated = "use `cursor`, as every list does"]
    pub after: Option<String>,
    /// 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

impl FeedQuery {
    /// The cursor given, under the name it was given by.
    #[allow(deprecated)]
    fn cursor(&self) -> Result<Option<(&'static str, &str)>, AppError> {
        match (&self.cursor, &self.after) {
            (Some(_), Some(_)) => Err(AppError::invalid(
                "after",
                "is the former name of cursor; give one or the other",
            )),
            (Some(cursor), None) => Ok(Some(("cursor", cursor))),
            (None, Some(after)) => Ok(Some(("after", after))),
            (None, None) => Ok(None),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedItem {
    /// The audit sequence number: feed order is commit order.
    pub seq: i64,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub recorded_at: NaiveDateTime,
    /// For a change with a legal date (`change.effective_on`): whether that date lies
    /// more than one day before the (UTC) date it was recorded on, a backdated entry;
    /// null for a change without one.
    pub recorded_late: Option<bool>,
    /// e.g. `gi.transition`, `recognition.transition`, `gi.amendment_approved`,
    /// `programme.create`.
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    /// The office that acted, if any.
    pub office: Option<String>,
    #[schema(value_type = Object)]
    pub change: serde_json::Value,
    /// The entry's hash in the audit chain.
    pub hash: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Feed {
    pub items: Vec<FeedItem>,
    /// Pass as `cursor` next time. It is given even on an empty page, so a consumer
    /// keeps its place.
    pub next_cursor: String,
    /// The head of the whole audit chain (public and private entries) when the page was
    /// read. A partner that keeps it can show the registry's log was cut short later.
    pub audit_head: Option<AuditHead>,
}

/// The sequence number and hash of the last entry of the audit chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
}

impl From<AuditEntry> for FeedItem {
    fn from(e: AuditEntry) -> Self {
        let change: serde_json::Value =
            serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null);
        let recorded_late = change
            .get("effective_on")
            .and_then(|d| d.as_str())
            .and_then(|d| d.parse().ok())
            .map(|d| crate::domain::known_at::recorded_late(d, e.recorded_at));
        Self {
            seq: e.seq,
            recorded_at: e.recorded_at,
            recorded_late,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            office: e.office,
            change,
            hash: e.hash,
        }
    }
}

/// Public changes after a cursor. Writes are serialised and numbered in commit order, so
/// a consumer that polls with the last cursor never misses a change nor sees one twice.
#[utoipa::path(operation_id = "read_feed", tag = "feed", params(FeedQuery), responses(
    (status = 200, body = Feed),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/feed")]
pub async fn feed(
    state: web::Data<AppState>,
    query: Query<FeedQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = query.limit.unwrap_or(100);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let after: i64 = match query.cursor()? {
        Some((name, cursor)) => decode_cursor(cursor)
            .map_err(|_| AppError::invalid(name, "is not a cursor the feed gave out"))?,
        None => 0,
    };
    let (head, entries) = state
        .db
        .read(move |conn| audit_log::feed_page(conn, after, limit))
        .await?;
    let last = entries.last().map_or(after, |e| e.seq);
    Ok(HttpResponse::Ok().json(Feed {
        items: entries.into_iter().map(FeedItem::from).collect(),
        next_cursor: encode_cursor(&last),
        audit_head: head.map(|(seq, hash)| AuditHead { seq, hash }),
    }))
}
