//! How GIs and specifications are shown.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::calendars::basis_of;
use crate::db::AnyConnection;
use crate::domain::area_summary::{area_summary, AreaSummary};
use crate::domain::calendar::Deadline;
use crate::domain::excluded_names::ExcludedName;
use crate::domain::gi::{GiName, NameKind};
use crate::error::AppError;
use crate::store::gis::{self, GiWithOffice, NameRow};
use crate::store::specifications::{self, Specification};

#[derive(Debug, Serialize, ToSchema)]
pub struct GiView {
    pub id: i64,
    /// Assigned on filing, e.g. `CN-GI-2026-000123`.
    pub file_number: Option<String>,
    /// Assigned on registration.
    pub registration_number: Option<String>,
    /// The origin office's code.
    pub origin_office: String,
    pub association_id: Option<i64>,
    #[schema(value_type = crate::domain::gi::GiType)]
    pub gi_type: String,
    #[schema(value_type = crate::domain::gi::ProductType)]
    pub product_type: String,
    pub product_class: String,
    pub nice_class: Option<i32>,
    pub names: Vec<GiNameView>,
    /// The names the registration left out, each with its reason (none otherwise).
    pub excluded_names: Vec<ExcludedName>,
    pub area_description: String,
    /// The area's bounding box and vertex count (null when the GI has no area).
    pub area: Option<AreaSummary>,
    /// The area, a GeoJSON Polygon or MultiPolygon: only on reading one GI (also
    /// `GET /api/v1/gis/{id}/area`), never in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub area_geojson: Option<serde_json::Value>,
    /// ISO 3166-1 alpha-2 codes of the countries of origin (several for cross-border GIs).
    pub countries: Vec<String>,
    pub legal_instrument: Option<String>,
    #[schema(value_type = crate::domain::gi_status::GiStatus)]
    pub status: String,
    pub filed_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub opposition_deadline: Option<NaiveDate>,
    /// How the opposition deadline was computed: from `published_on`, the origin
    /// office's opposition period, on its calendar.
    pub opposition_deadline_basis: Option<Deadline>,
    /// Where the publication can be read (gazette, number, page or URL).
    pub publication_reference: Option<String>,
    pub registered_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    /// The ETag.
    pub version: i32,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub updated_at: NaiveDateTime,
    /// The current specification (on reading one GI; absent in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specification: Option<SpecificationView>,
    /// The GIs its names collided with when it was filed (score 0.6 or more; on reading
    /// one GI, for GIs filed since the check runs at filing; absent in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<Vec<crate::registry::conflicts::ConflictCandidate>>,
}

/// A name of the GI with its id, by which decisions name it (`excluded_names`).
#[derive(Debug, Serialize, ToSchema)]
pub struct GiNameView {
    pub id: i64,
    #[serde(flatten)]
    pub name: GiName,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SpecificationView {
    pub version: i32,
    /// `current`, `pending`, `superseded` or `rejected`.
    pub status: String,
    pub product_description: String,
    pub raw_materials: Option<String>,
    pub production_method: Option<String>,
    pub link_with_area: Option<String>,
    pub labelling: Option<String>,
    pub control_body: Option<String>,
    /// Why the amendment was proposed.
    pub reason: Option<String>,
    pub proposed_by: Option<String>,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub proposed_at: NaiveDateTime,
    pub decided_on: Option<NaiveDate>,
    pub decision_grounds: Option<String>,
}

impl From<Specification> for SpecificationView {
    fn from(s: Specification) -> Self {
        Self {
            version: s.version,
            status: s.status,
            product_description: s.product_description,
            raw_materials: s.raw_materials,
            production_method: s.production_method,
            link_with_area: s.link_with_area,
            labelling: s.labelling,
            control_body: s.control_body,
            reason: s.reason,
            proposed_by: s.proposed_by,
            proposed_at: s.proposed_at,
            decided_on: s.decided_on,
            decision_grounds: s.decision_grounds,
        }
    }
}

fn name_of(row: NameRow) -> GiNameView {
    GiNameView {
        id: row.id,
        name: GiName {
            kind: row.kind.parse().unwrap_or(NameKind::Synonym),
            text: row.text,
            lang: row.lang,
            script: row.script,
            romanization: row.romanization,
        },
    }
}

fn view((gi, office): GiWithOffice, names: Vec<GiNameView>, with_area: bool) -> GiView {
    let area_geojson: Option<serde_json::Value> = gi
        .area_geojson
        .and_then(|text| serde_json::from_str(&text).ok());
    GiView {
        id: gi.id,
        file_number: gi.file_number,
        registration_number: gi.registration_number,
        origin_office: office,
        association_id: gi.association_id,
        gi_type: gi.gi_type,
        product_type: gi.product_type,
        product_class: gi.product_class,
        nice_class: gi.nice_class,
        names,
        excluded_names: crate::domain::excluded_names::parsed(gi.excluded_names.as_deref()),
        area_description: gi.area_description,
        area: area_geojson.as_ref().and_then(area_summary),
        area_geojson: area_geojson.filter(|_| with_area),
        countries: serde_json::from_str(&gi.countries).unwrap_or_default(),
        legal_instrument: gi.legal_instrument,
        status: gi.status,
        filed_on: gi.filed_on,
        published_on: gi.published_on,
        opposition_deadline: gi.opposition_deadline,
        opposition_deadline_basis: basis_of(gi.opposition_deadline_basis.as_deref()),
        publication_reference: gi.publication_reference,
        registered_on: gi.registered_on,
        decided_on: gi.decided_on,
        version: gi.version,
        created_at: gi.created_at,
        updated_at: gi.updated_at,
        specification: None,
        conflicts: None,
    }
}

/// Views of many GIs for a list (areas as summaries), their names loaded in one query.
pub fn views(conn: &mut AnyConnection, rows: Vec<GiWithOffice>) -> Result<Vec<GiView>, AppError> {
    views_with(conn, rows, false)
}

fn views_with(
    conn: &mut AnyConnection,
    rows: Vec<GiWithOffice>,
    with_area: bool,
) -> Result<Vec<GiView>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|(gi, _)| gi.id).collect();
    let mut names: HashMap<i64, Vec<GiNameView>> = HashMap::new();
    for row in gis::names_of(conn, &ids)? {
        names.entry(row.gi_id).or_default().push(name_of(row));
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let gi_names = names.remove(&row.0.id).unwrap_or_default();
            view(row, gi_names, with_area)
        })
        .collect())
}

/// The full view of one GI, with its area and its current specification.
pub fn full_view(conn: &mut AnyConnection, row: GiWithOffice) -> Result<GiView, AppError> {
    let id = row.0.id;
    let mut view = views_with(conn, vec![row], true)?
        .pop()
        .ok_or_else(|| AppError::internal("GI view vanished"))?;
    view.specification =
        specifications::with_status(conn, id, "current")?.map(SpecificationView::from);
    view.conflicts = crate::store::name_conflicts::for_gi(conn, id)?;
    Ok(view)
}

/// The area of a GI the reader may see, as stored GeoJSON; 404 when it has none.
pub fn area(
    conn: &mut AnyConnection,
    reader: Option<&crate::domain::role::Actor>,
    id: i64,
) -> Result<serde_json::Value, AppError> {
    let (gi, _) = super::gi_application::load_visible(conn, reader, id)?;
    gi.area_geojson
        .and_then(|text| serde_json::from_str(&text).ok())
        .ok_or_else(|| AppError::not_found("area"))
}
