//! A GI's area comes back with the coordinates it was filed with, to the last digit: a
//! surveyed boundary is evidence, and a float parsed to the nearest double but printed
//! shorter (or parsed approximately) moves it.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::TestApp;
use crate::register::{create_gi, expect, longjing, world};

both_backends!(coordinates_come_back_to_the_last_digit);

async fn coordinates_come_back_to_the_last_digit(app: TestApp) {
    let w = world(&app).await;
    // Doubles whose shortest round-trip form has 17 significant digits.
    let ring = r#"[[120.12345678901235, 30.234567890123454], [120.20000000000002, 30.2],
        [120.2, 30.300000000000001], [120.1, 30.3], [120.12345678901235, 30.234567890123454]]"#;
    let area: Value = serde_json::from_str(&format!(
        r#"{{"type": "Polygon", "coordinates": [{ring}]}}"#
    ))
    .unwrap();
    let mut body = longjing(w.cn_association);
    body["area_geojson"] = area.clone();
    let id = create_gi(&app, &w.cn_assoc, body).await["id"]
        .as_i64()
        .unwrap();
    let read = expect(
        app.get(&format!("/api/v1/gis/{id}/area"), Some(&w.cn_assoc))
            .await,
        200,
    )
    .await;
    let text = read.to_string();
    for digits in [
        "120.12345678901235",
        "30.234567890123454",
        "120.20000000000002",
    ] {
        assert!(text.contains(digits), "{digits} in {text}");
    }
    assert_eq!(read["coordinates"], area["coordinates"], "{read}");
    assert_eq!(
        area["coordinates"][0][0],
        json!([120.12345678901235, 30.234567890123454])
    );
}
