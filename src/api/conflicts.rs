//! The conflict check: which GIs a proposed name collides with (issue 13).

use actix_web::{get, web, HttpResponse};

use super::pagination::{decode_cursor, encode_cursor};
use super::query::Query;
use super::state::AppState;
use crate::error::AppError;
use crate::registry::conflicts::{
    self, rank_all, rank_of, ranked_after, ConflictQuery, Conflicts, Rank,
};
use crate::registry::listed_rights;

/// The live GIs a proposed name collides with, best first: the same name, the same
/// after folding (Traditional/Simplified Chinese, Thai tone marks, romanisation
/// variants), a transliteration (pinyin, RTGS), a translation, a similar spelling or
/// sound; and the offices' generic terms and earlier trademarks it is, holds or sounds
/// like (`kind` says which). Public; the score's formula is in the README.
#[utoipa::path(operation_id = "check_name_conflicts", tag = "gis", params(ConflictQuery), responses(
    (status = 200, body = Conflicts),
    (status = 422, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/conflicts")]
pub async fn check(
    state: web::Data<AppState>,
    query: Query<ConflictQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let (territory, limit) = conflicts::validate(&query)?;
    let cursor: Option<Rank> = query.cursor.as_deref().map(decode_cursor).transpose()?;
    let mut items = state
        .db
        .read(move |conn| {
            let mut found =
                conflicts::check(conn, &query.name, territory.as_deref(), cursor, limit + 1)?;
            let listed = listed_rights::check(conn, &query.name, territory.as_deref())?;
            found.extend(
                listed
                    .into_iter()
                    .filter(|c| cursor.is_none_or(|at| ranked_after(rank_of(c), at))),
            );
            rank_all(&mut found);
            Ok(found)
        })
        .await?;
    let next_cursor = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|last| encode_cursor(&rank_of(last)))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(Conflicts { items, next_cursor }))
}
