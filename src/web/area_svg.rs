//! A GI's area drawn as an inline SVG outline: no map tiles, nothing fetched. The
//! longitudes are scaled by the cosine of the middle latitude (an equirectangular
//! projection true at the centre), which is faithful enough for an outline the size of a
//! province; positions are rounded to whole drawing units (a pixel or so as shown) and
//! repeats dropped, so the largest area allowed stays a few kilobytes.

use std::fmt::Write as _;

use serde_json::Value;

use crate::domain::area_summary::area_summary;

/// The drawing's width in its own units; the height follows the area's shape.
const WIDTH: f64 = 300.0;

/// An outline: the `viewBox` and the path's `d`.
#[derive(Debug, PartialEq)]
pub struct Outline {
    pub view_box: String,
    pub path: String,
}

/// The outline of a Polygon, a MultiPolygon or a Feature of one; None when it has no
/// position or no extent.
pub fn outline(area: &Value) -> Option<Outline> {
    let summary = area_summary(area)?;
    let [west, south, east, north] = summary.bbox;
    let x_scale = ((south + north) / 2.0).to_radians().cos().max(0.01);
    let (span_x, span_y) = ((east - west) * x_scale, north - south);
    let span = span_x.max(span_y);
    if span <= 0.0 {
        return None;
    }
    let unit = WIDTH / span;
    let height = (span_y * unit).max(1.0);
    let width = (span_x * unit).max(1.0);
    let geometry = match area.get("type").and_then(Value::as_str) {
        Some("Feature") => area.get("geometry")?,
        _ => area,
    };
    let coordinates = geometry.get("coordinates")?;
    let polygons: Vec<&Value> = match geometry.get("type").and_then(Value::as_str)? {
        "Polygon" => vec![coordinates],
        _ => coordinates.as_array()?.iter().collect(),
    };
    let mut path = String::new();
    for ring in polygons
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_array)
    {
        let mut points: Vec<(i64, i64)> = Vec::with_capacity(ring.len());
        for position in ring.iter().filter_map(Value::as_array) {
            let (Some(lon), Some(lat)) = (
                position.first().and_then(Value::as_f64),
                position.get(1).and_then(Value::as_f64),
            ) else {
                continue;
            };
            // North up.
            let x = ((lon - west) * x_scale * unit).round() as i64;
            let y = ((north - lat) * unit).round() as i64;
            if points.last() != Some(&(x, y)) {
                points.push((x, y));
            }
        }
        // `Z` closes the ring: its closing position need not be drawn.
        if points.len() > 1 && points.first() == points.last() {
            points.pop();
        }
        for (i, (x, y)) in points.iter().enumerate() {
            let command = if i == 0 { 'M' } else { 'L' };
            let _ = write!(path, "{command}{x} {y}");
        }
        if !points.is_empty() {
            path.push('Z');
        }
    }
    Some(Outline {
        view_box: format!("0 0 {} {}", width.round(), height.round()),
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_square_at_the_equator_fills_the_drawing() {
        let area = json!({"type": "Polygon", "coordinates": [
            [[10.0, 0.0], [11.0, 0.0], [11.0, 1.0], [10.0, 1.0], [10.0, 0.0]]]});
        let drawn = outline(&area).unwrap();
        assert_eq!(drawn.view_box, "0 0 300 300");
        assert_eq!(drawn.path, "M0 300L300 300L300 0L0 0Z");
    }

    #[test]
    fn longitudes_shrink_away_from_the_equator_and_holes_are_rings() {
        let area = json!({"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [
            [[[0.0, 59.0], [2.0, 59.0], [2.0, 61.0], [0.0, 61.0], [0.0, 59.0]],
             [[0.5, 59.5], [1.0, 59.5], [1.0, 60.0], [0.5, 59.5]]]]}});
        let drawn = outline(&area).unwrap();
        // cos 60° = 0.5: two degrees of longitude are as wide as one of latitude.
        assert_eq!(drawn.view_box, "0 0 150 300");
        assert_eq!(drawn.path.matches('M').count(), 2);
        assert_eq!(drawn.path.matches('Z').count(), 2);
    }

    #[test]
    fn the_largest_area_stays_small() {
        let ring: Vec<Value> = (0..=9_999)
            .map(|i| {
                let a = i as f64 / 9_999.0 * std::f64::consts::TAU;
                json!([100.0 + a.cos(), 15.0 + a.sin()])
            })
            .collect();
        let drawn = outline(&json!({"type": "Polygon", "coordinates": [ring]})).unwrap();
        assert!(drawn.path.len() < 20_000, "{} bytes", drawn.path.len());
    }

    #[test]
    fn no_extent_no_outline() {
        assert_eq!(
            outline(&json!({"type": "Point", "coordinates": [1.0, 2.0]})),
            None
        );
        let flat = json!({"type": "Polygon", "coordinates": [
            [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]]});
        assert_eq!(outline(&flat), None);
    }
}
