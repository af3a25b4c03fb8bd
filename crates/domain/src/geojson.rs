//! Validation of a GI's geographical area given as GeoJSON (RFC 7946).
//!
//! Accepted: a `Polygon` or `MultiPolygon` geometry object, or a `Feature` whose
//! `geometry` is one of those (its `properties` are not looked at). Refused: every
//! other type (`Point`, `LineString`, `GeometryCollection`, `FeatureCollection`, …),
//! and a Feature with a null geometry.
//!
//! Checked: every position is an array of 2 or 3 finite numbers, longitude in
//! [-180, 180] and latitude in [-90, 90]; every linear ring has at least 4
//! positions, is closed (first and last positions identical) and has at least 3
//! distinct positions; every polygon has at least one ring; a MultiPolygon has at
//! least one polygon; in all at most [`MAX_POSITIONS`] positions.
//!
//! Not checked: ring orientation (RFC 7946 says parsers must not reject on it),
//! self-intersection, holes lying inside their exterior ring, and antimeridian
//! handling. Errors are plain English and locate the problem, e.g.
//! `ring 0 of polygon 1 is not closed: its first and last positions differ`.

use serde_json::Value;

/// The most positions (vertices, each ring's closing position included) an area may
/// have in all: a detailed boundary fits (10,000 positions are about 250 KB of GeoJSON),
/// and one GI cannot make every read of it heavy.
pub const MAX_POSITIONS: usize = 10_000;

/// `Ok(())` when `value` is an acceptable area (see the module documentation),
/// otherwise an error saying what is wrong and where.
pub fn validate_area_geojson(value: &Value) -> Result<(), String> {
    let object = value
        .as_object()
        .ok_or("the area must be a GeoJSON object")?;
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or("the area has no \"type\" string")?;
    match kind {
        "Feature" => {
            let geometry = object
                .get("geometry")
                .ok_or("the Feature has no \"geometry\"")?;
            if geometry.is_null() {
                return Err("the Feature's geometry is null".into());
            }
            let inner = geometry
                .get("type")
                .and_then(Value::as_str)
                .ok_or("the Feature's geometry has no \"type\" string")?;
            if inner == "Feature" {
                return Err(
                    "the Feature's geometry must be a Polygon or MultiPolygon, not a Feature"
                        .into(),
                );
            }
            validate_geometry(geometry, inner)
        }
        _ => validate_geometry(value, kind),
    }
}

fn validate_geometry(geometry: &Value, kind: &str) -> Result<(), String> {
    let coordinates = geometry
        .get("coordinates")
        .ok_or_else(|| format!("the {kind} has no \"coordinates\""))?;
    let mut budget = MAX_POSITIONS;
    match kind {
        "Polygon" => validate_polygon(coordinates, 0, &mut budget),
        "MultiPolygon" => {
            let polygons = coordinates
                .as_array()
                .ok_or("the coordinates of the MultiPolygon must be an array of polygons")?;
            if polygons.is_empty() {
                return Err("the MultiPolygon has no polygon".into());
            }
            for (i, polygon) in polygons.iter().enumerate() {
                validate_polygon(polygon, i, &mut budget)?;
            }
            Ok(())
        }
        other => Err(format!(
            "the area must be a Polygon or MultiPolygon geometry (or a Feature of one), not {other}"
        )),
    }
}

fn validate_polygon(polygon: &Value, p: usize, budget: &mut usize) -> Result<(), String> {
    let rings = polygon
        .as_array()
        .ok_or_else(|| format!("polygon {p} must be an array of linear rings"))?;
    if rings.is_empty() {
        return Err(format!("polygon {p} has no ring"));
    }
    for (r, ring) in rings.iter().enumerate() {
        validate_ring(ring, r, p, budget)?;
    }
    Ok(())
}

fn validate_ring(ring: &Value, r: usize, p: usize, budget: &mut usize) -> Result<(), String> {
    let at = || format!("ring {r} of polygon {p}");
    let positions = ring
        .as_array()
        .ok_or_else(|| format!("{} must be an array of positions", at()))?;
    if positions.len() > *budget {
        return Err(format!("the area has more than {MAX_POSITIONS} positions"));
    }
    *budget -= positions.len();
    let mut parsed: Vec<Vec<f64>> = Vec::with_capacity(positions.len());
    for (i, position) in positions.iter().enumerate() {
        parsed
            .push(parse_position(position).map_err(|e| format!("position {i} of {}: {e}", at()))?);
    }
    if positions.len() < 4 {
        return Err(format!(
            "{} has {} positions; a linear ring needs at least 4",
            at(),
            positions.len()
        ));
    }
    if parsed.first() != parsed.last() {
        return Err(format!(
            "{} is not closed: its first and last positions differ",
            at()
        ));
    }
    let mut distinct: Vec<&Vec<f64>> = Vec::with_capacity(3);
    for position in &parsed {
        if !distinct.contains(&position) {
            distinct.push(position);
            if distinct.len() == 3 {
                return Ok(());
            }
        }
    }
    Err(format!(
        "{} has fewer than 3 distinct positions, so it encloses no area",
        at()
    ))
}

fn parse_position(position: &Value) -> Result<Vec<f64>, String> {
    let numbers = position
        .as_array()
        .ok_or("a position must be an array of numbers")?;
    if !(2..=3).contains(&numbers.len()) {
        return Err(format!(
            "a position must have 2 or 3 numbers, not {}",
            numbers.len()
        ));
    }
    let mut out = Vec::with_capacity(numbers.len());
    for n in numbers {
        let x = n
            .as_f64()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("{n} is not a finite number"))?;
        out.push(x);
    }
    if !(-180.0..=180.0).contains(&out[0]) {
        return Err(format!("longitude {} is outside [-180, 180]", out[0]));
    }
    if !(-90.0..=90.0).contains(&out[1]) {
        return Err(format!("latitude {} is outside [-90, 90]", out[1]));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square() -> Value {
        json!([
            [120.0, 30.0],
            [120.1, 30.0],
            [120.1, 30.1],
            [120.0, 30.1],
            [120.0, 30.0]
        ])
    }

    fn polygon() -> Value {
        json!({"type": "Polygon", "coordinates": [square()]})
    }

    fn err(value: Value) -> String {
        validate_area_geojson(&value).unwrap_err()
    }

    #[test]
    fn accepts_a_polygon() {
        assert_eq!(validate_area_geojson(&polygon()), Ok(()));
    }

    #[test]
    fn accepts_a_polygon_with_a_hole_and_altitudes() {
        let hole = json!([
            [120.02, 30.02, 5],
            [120.02, 30.05, 5],
            [120.05, 30.05, 5],
            [120.02, 30.02, 5]
        ]);
        let value = json!({"type": "Polygon", "coordinates": [square(), hole]});
        assert_eq!(validate_area_geojson(&value), Ok(()));
    }

    #[test]
    fn accepts_a_multipolygon() {
        let value = json!({"type": "MultiPolygon", "coordinates": [[square()], [square()]]});
        assert_eq!(validate_area_geojson(&value), Ok(()));
    }

    #[test]
    fn accepts_a_feature_wrapping_a_polygon() {
        let value =
            json!({"type": "Feature", "properties": {"name": "West Lake"}, "geometry": polygon()});
        assert_eq!(validate_area_geojson(&value), Ok(()));
    }

    #[test]
    fn accepts_the_extreme_coordinates() {
        let value = json!({"type": "Polygon", "coordinates": [[[-180, -90], [180, -90], [180, 90], [-180, -90]]]});
        assert_eq!(validate_area_geojson(&value), Ok(()));
    }

    #[test]
    fn refuses_other_types() {
        for kind in [
            "Point",
            "LineString",
            "MultiLineString",
            "MultiPoint",
            "GeometryCollection",
            "FeatureCollection",
            "polygon",
        ] {
            let e = err(json!({"type": kind, "coordinates": [square()]}));
            assert!(e.contains("Polygon or MultiPolygon"), "{kind}: {e}");
        }
        let e =
            err(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}));
        assert!(e.contains("not Point"), "{e}");
    }

    #[test]
    fn refuses_what_is_not_an_object_with_a_type() {
        assert_eq!(err(json!([1, 2])), "the area must be a GeoJSON object");
        assert_eq!(err(json!("Polygon")), "the area must be a GeoJSON object");
        assert_eq!(
            err(json!({"coordinates": [square()]})),
            "the area has no \"type\" string"
        );
        assert_eq!(err(json!({"type": 7})), "the area has no \"type\" string");
        assert_eq!(
            err(json!({"type": "Polygon"})),
            "the Polygon has no \"coordinates\""
        );
        assert_eq!(
            err(json!({"type": "Feature", "geometry": null})),
            "the Feature's geometry is null"
        );
        assert_eq!(
            err(json!({"type": "Feature"})),
            "the Feature has no \"geometry\""
        );
    }

    #[test]
    fn refuses_an_unclosed_ring_and_says_where() {
        let open = json!([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0.5]]);
        let value = json!({"type": "MultiPolygon", "coordinates": [[square()], [open]]});
        assert_eq!(
            err(value),
            "ring 0 of polygon 1 is not closed: its first and last positions differ"
        );
    }

    #[test]
    fn refuses_short_and_degenerate_rings() {
        let e = err(json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}));
        assert_eq!(
            e,
            "ring 0 of polygon 0 has 3 positions; a linear ring needs at least 4"
        );
        let e = err(json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0], [0, 0]]]}));
        assert!(e.contains("fewer than 3 distinct positions"), "{e}");
    }

    #[test]
    fn refuses_empty_polygons_and_multipolygons() {
        assert_eq!(
            err(json!({"type": "Polygon", "coordinates": []})),
            "polygon 0 has no ring"
        );
        assert_eq!(
            err(json!({"type": "MultiPolygon", "coordinates": []})),
            "the MultiPolygon has no polygon"
        );
        assert_eq!(
            err(json!({"type": "MultiPolygon", "coordinates": [[square()], []]})),
            "polygon 1 has no ring"
        );
    }

    #[test]
    fn refuses_wrong_nesting() {
        let e = err(json!({"type": "Polygon", "coordinates": square()}));
        assert!(e.contains("position 0 of ring 0 of polygon 0"), "{e}");
        let e = err(json!({"type": "Polygon", "coordinates": {"a": 1}}));
        assert_eq!(e, "polygon 0 must be an array of linear rings");
        let e = err(json!({"type": "MultiPolygon", "coordinates": [square()]}));
        assert_eq!(
            e,
            "position 0 of ring 0 of polygon 0: a position must be an array of numbers"
        );
        let e = err(json!({"type": "Polygon", "coordinates": [[square()]]}));
        assert_eq!(
            e,
            "position 0 of ring 0 of polygon 0: a position must have 2 or 3 numbers, not 5"
        );
        let e = err(json!({"type": "Polygon", "coordinates": [7]}));
        assert_eq!(e, "ring 0 of polygon 0 must be an array of positions");
    }

    #[test]
    fn refuses_bad_positions() {
        let cases = [
            (json!([0]), "a position must have 2 or 3 numbers, not 1"),
            (
                json!([0, 0, 0, 0]),
                "a position must have 2 or 3 numbers, not 4",
            ),
            (json!(["0", 0]), "\"0\" is not a finite number"),
            (json!([null, 0]), "null is not a finite number"),
            (json!([180.5, 0]), "longitude 180.5 is outside [-180, 180]"),
            (json!([-181, 0]), "longitude -181 is outside [-180, 180]"),
            (json!([0, 90.01]), "latitude 90.01 is outside [-90, 90]"),
            (json!([0, -91]), "latitude -91 is outside [-90, 90]"),
            (json!(7), "a position must be an array of numbers"),
        ];
        for (bad, message) in cases {
            let ring = json!([[0, 0], [1, 0], bad, [0, 1], [0, 0]]);
            let e = err(json!({"type": "Polygon", "coordinates": [ring]}));
            assert_eq!(e, format!("position 2 of ring 0 of polygon 0: {message}"));
        }
    }

    #[test]
    fn refuses_latitude_and_longitude_swapped_out_of_range() {
        // Hangzhou written lat, lon: 120 is not a latitude.
        let ring = json!([[30.0, 120.0], [30.1, 120.0], [30.1, 120.1], [30.0, 120.0]]);
        let e = err(json!({"type": "Polygon", "coordinates": [ring]}));
        assert!(e.contains("latitude 120 is outside"), "{e}");
    }

    #[test]
    fn bounds_the_total_number_of_positions() {
        let mut ring: Vec<Value> = (0..MAX_POSITIONS / 2)
            .map(|i| json!([(i % 360) as f64 / 2.0 - 90.0, (i % 170) as f64 / 2.0]))
            .collect();
        ring.push(ring[0].clone());
        let ok = json!({"type": "MultiPolygon", "coordinates": [[ring.clone()]]});
        assert_eq!(validate_area_geojson(&ok), Ok(()));
        // Exactly the limit, over two polygons.
        let mut half = ring[..MAX_POSITIONS / 2 - 1].to_vec();
        half.push(half[0].clone());
        let full = json!({"type": "MultiPolygon", "coordinates": [[half.clone()], [half]]});
        assert_eq!(validate_area_geojson(&full), Ok(()));
        let too_big =
            json!({"type": "MultiPolygon", "coordinates": [[ring.clone()], [ring.clone()]]});
        assert_eq!(
            err(too_big),
            format!("the area has more than {MAX_POSITIONS} positions")
        );
    }

    #[test]
    fn parses_from_text_as_a_client_would_send_it() {
        let text = r#"{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[100.5,13.7],[100.6,13.7],[100.6,13.8],[100.5,13.7]]]]},"properties":null}"#;
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(validate_area_geojson(&value), Ok(()));
    }
}
