//! The area of one GI, the only place besides `GET /api/v1/gis/{id}` that carries it.

use actix_web::{get, web, HttpResponse};

use super::caller::MaybeCaller;
use super::state::AppState;
use crate::error::AppError;
use crate::registry::gi_views;

/// The GI's geographical area as GeoJSON (a Polygon, a MultiPolygon or a Feature of
/// one, as filed). Lists give only its bounding box and vertex count. 404 when the GI
/// has no area or the reader may not see the GI.
#[utoipa::path(tag = "gis", params(("id" = i64, Path)), responses(
    (status = 200, description = "the area", content_type = "application/geo+json", body = Object),
    (status = 404, body = crate::api::docs::ErrorBody)))]
#[get("/api/v1/gis/{id}/area")]
pub async fn read_area(
    reader: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = reader.actor();
    let area = state
        .db
        .read(move |conn| gi_views::area(conn, actor.as_ref(), id))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/geo+json")
        .json(area))
}
