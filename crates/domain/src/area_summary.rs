//! What a list shows of a GI's area instead of the area itself: its bounding box and
//! how many vertices it has. An area may hold up to [`super::geojson::MAX_POSITIONS`]
//! positions; a page of twenty such areas would weigh megabytes, so lists carry this
//! summary and the full GeoJSON is read one GI at a time.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct AreaSummary {
    /// `[west, south, east, north]` in degrees (RFC 7946 §5), the smallest box holding
    /// every position of the area.
    pub bbox: [f64; 4],
    /// The positions of every ring of every polygon, each ring's closing position
    /// included.
    pub vertices: usize,
}

/// The summary of a stored area (a Polygon, a MultiPolygon or a Feature of one), or
/// `None` when it holds no position.
pub fn area_summary(area: &Value) -> Option<AreaSummary> {
    let geometry = match area.get("type").and_then(Value::as_str) {
        Some("Feature") => area.get("geometry")?,
        _ => area,
    };
    let coordinates = geometry.get("coordinates")?;
    let polygons: Vec<&Value> = match geometry.get("type").and_then(Value::as_str)? {
        "Polygon" => vec![coordinates],
        "MultiPolygon" => coordinates.as_array()?.iter().collect(),
        _ => return None,
    };
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut vertices = 0;
    let rings = polygons
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_array);
    for position in rings.flatten() {
        let Some([lon, lat]) = position
            .as_array()
            .and_then(|p| Some([p.first()?.as_f64()?, p.get(1)?.as_f64()?]))
        else {
            continue;
        };
        vertices += 1;
        bbox = [
            bbox[0].min(lon),
            bbox[1].min(lat),
            bbox[2].max(lon),
            bbox[3].max(lat),
        ];
    }
    (vertices > 0).then_some(AreaSummary { bbox, vertices })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_polygon_with_a_hole() {
        let area = json!({"type": "Polygon", "coordinates": [
            [[120.0, 30.1], [120.2, 30.1], [120.2, 30.3], [120.0, 30.3], [120.0, 30.1]],
            [[120.05, 30.15], [120.1, 30.15], [120.1, 30.2], [120.05, 30.15]],
        ]});
        assert_eq!(
            area_summary(&area),
            Some(AreaSummary {
                bbox: [120.0, 30.1, 120.2, 30.3],
                vertices: 9
            })
        );
    }

    #[test]
    fn a_feature_of_a_multipolygon_with_heights() {
        let area = json!({"type": "Feature", "properties": null, "geometry": {
            "type": "MultiPolygon", "coordinates": [
                [[[-1.0, -2.0, 10.0], [1.0, -2.0, 10.0], [0.0, 3.0, 10.0], [-1.0, -2.0, 10.0]]],
                [[[5.0, 5.0], [6.0, 5.0], [6.0, 7.5], [5.0, 5.0]]],
        ]}});
        assert_eq!(
            area_summary(&area),
            Some(AreaSummary {
                bbox: [-1.0, -2.0, 6.0, 7.5],
                vertices: 8
            })
        );
    }

    #[test]
    fn nothing_to_summarise() {
        assert_eq!(
            area_summary(&json!({"type": "Point", "coordinates": [1, 2]})),
            None
        );
        assert_eq!(
            area_summary(&json!({"type": "Polygon", "coordinates": []})),
            None
        );
        assert_eq!(area_summary(&json!("Polygon")), None);
    }
}
