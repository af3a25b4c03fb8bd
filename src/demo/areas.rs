//! Areas for some of the demonstration's GIs: coarse outlines of a handful of vertices
//! drawn for the demonstration (so that the GI pages have a map to show), not the
//! registered boundaries.

use serde_json::{json, Value};

/// The demonstration outline of the GI with this key, a GeoJSON Polygon.
pub fn area_of(key: &str) -> Option<Value> {
    let ring: &[[f64; 2]] = match key {
        // The tea hills west and south of West Lake, Hangzhou.
        "longjing" => &[
            [119.95, 30.15],
            [120.04, 30.11],
            [120.14, 30.13],
            [120.22, 30.20],
            [120.20, 30.29],
            [120.08, 30.33],
            [119.98, 30.27],
        ],
        // The Thung Kula Rong-Hai plain across five provinces of the north-east.
        "thungkula" => &[
            [103.20, 15.55],
            [103.55, 15.20],
            [104.05, 15.05],
            [104.55, 15.20],
            [104.60, 15.55],
            [104.25, 15.85],
            [103.70, 15.90],
        ],
        // The slopes of Doi Tung, Chiang Rai.
        "doitung" => &[
            [99.75, 20.30],
            [99.85, 20.27],
            [99.90, 20.35],
            [99.85, 20.42],
            [99.77, 20.40],
        ],
        _ => return None,
    };
    let mut positions: Vec<[f64; 2]> = ring.to_vec();
    positions.push(ring[0]);
    Some(json!({"type": "Polygon", "coordinates": [positions]}))
}
