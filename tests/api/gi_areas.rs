//! Heavy areas stay out of lists (issue 8, item 10): list items carry the area's bounding
//! box and vertex count, the GeoJSON comes only with one GI and from
//! `GET /api/v1/gis/{id}/area`, and an area of more than 10,000 positions is a 422.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::register::{act_ok, assert_invalid, create_gi, get_ok, gi, longjing, world, FILED_ON};

both_backends!(
    lists_carry_a_summary_and_one_gi_its_area,
    an_area_beyond_the_vertex_limit_is_refused,
);

const MAX_POSITIONS: usize = 10_000;

/// One closed ring of `n` positions (n ≥ 4) on a circle around West Lake.
fn ring(n: usize) -> Value {
    let mut positions: Vec<Value> = (0..n - 1)
        .map(|i| {
            let angle = i as f64 / (n - 1) as f64 * std::f64::consts::TAU;
            json!([120.15 + 0.05 * angle.cos(), 30.25 + 0.05 * angle.sin()])
        })
        .collect();
    positions.push(positions[0].clone());
    json!({"type": "Polygon", "coordinates": [positions]})
}

async fn lists_carry_a_summary_and_one_gi_its_area(app: TestApp) {
    let w = world(&app).await;
    let with_area = |area: Value| {
        let mut body = longjing(w.cn_association);
        body["area_geojson"] = area;
        body
    };
    let polygon = json!({"type": "Polygon", "coordinates": [[
        [120.10, 30.20], [120.20, 30.20], [120.20, 30.30], [120.10, 30.30], [120.10, 30.20]
    ]]});
    let small = create_gi(&app, &w.cn_assoc, with_area(polygon.clone())).await["id"]
        .as_i64()
        .unwrap();
    act_ok(&app, &w.cn_assoc, small, "file", FILED_ON).await;
    // Five GIs with the largest area allowed.
    let heavy_area = ring(MAX_POSITIONS);
    let mut heavy = Vec::new();
    for _ in 0..5 {
        let id = create_gi(&app, &w.cn_assoc, with_area(heavy_area.clone())).await["id"]
            .as_i64()
            .unwrap();
        act_ok(&app, &w.cn_assoc, id, "file", FILED_ON).await;
        heavy.push(id);
    }
    let bare = create_gi(&app, &w.cn_assoc, longjing(w.cn_association)).await["id"]
        .as_i64()
        .unwrap();
    act_ok(&app, &w.cn_assoc, bare, "file", FILED_ON).await;

    // An anonymous list: summaries only, a few kilobytes for areas of ~300 KB each.
    let response = app.get("/api/v1/gis?limit=20", None).await;
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.unwrap();
    assert!(body.len() < 20_000, "the page weighs {} bytes", body.len());
    let page: Value = serde_json::from_slice(&body).unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 7);
    for item in items {
        assert!(
            item.get("area_geojson").is_none(),
            "no GeoJSON in a list: {item}"
        );
    }
    let item = |id: i64| items.iter().find(|i| i["id"] == id).unwrap().clone();
    assert_eq!(
        item(small)["area"],
        json!({"bbox": [120.10, 30.20, 120.20, 30.30], "vertices": 5})
    );
    let summary = &item(heavy[0])["area"];
    assert_eq!(summary["vertices"], MAX_POSITIONS);
    let bbox: Vec<f64> = summary["bbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        (bbox[0] - 120.10).abs() < 1e-6 && (bbox[2] - 120.20).abs() < 1e-6,
        "{bbox:?}"
    );
    assert!(
        (bbox[1] - 30.20).abs() < 1e-6 && (bbox[3] - 30.30).abs() < 1e-6,
        "{bbox:?}"
    );
    assert!(item(bare)["area"].is_null());

    // One GI: the summary and the whole area; and the area on its own.
    let one = gi(&app, None, small).await;
    assert_eq!(one["area_geojson"], polygon);
    assert_eq!(one["area"]["vertices"], 5);
    let response = app.get(&format!("/api/v1/gis/{small}/area"), None).await;
    assert_eq!(response.status(), 200);
    assert!(response
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("application/geo+json"));
    assert_eq!(response.json::<Value>().await.unwrap(), polygon);
    // (Compared by shape: the last digit of a float may not survive a JSON round trip.)
    let area = get_ok(&app, &format!("/api/v1/gis/{}/area", heavy[0]), None).await;
    assert_eq!(area["type"], "Polygon");
    assert_eq!(
        area["coordinates"][0].as_array().unwrap().len(),
        MAX_POSITIONS
    );
    // No area, no such GI, and someone else's draft: 404 alike.
    assert_error(
        app.get(&format!("/api/v1/gis/{bare}/area"), None).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/api/v1/gis/999999/area", None).await,
        404,
        "not_found",
    )
    .await;
    let draft = create_gi(&app, &w.cn_assoc, with_area(polygon.clone())).await["id"]
        .as_i64()
        .unwrap();
    assert_error(
        app.get(&format!("/api/v1/gis/{draft}/area"), None).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get(&format!("/api/v1/gis/{draft}/area"), Some(&w.th_assoc))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        get_ok(
            &app,
            &format!("/api/v1/gis/{draft}/area"),
            Some(&w.cn_assoc)
        )
        .await,
        polygon
    );
}

async fn an_area_beyond_the_vertex_limit_is_refused(app: TestApp) {
    let w = world(&app).await;
    let with_area = |area: Value| {
        let mut body = longjing(w.cn_association);
        body["area_geojson"] = area;
        body
    };
    let audit = app.audit_count().await;
    let response = app
        .post(
            "/api/v1/gis",
            Some(&w.cn_assoc),
            with_area(ring(MAX_POSITIONS + 1)),
        )
        .await;
    let refused = assert_invalid(response, "area_geojson").await;
    assert!(refused.to_string().contains("10000"), "{refused}");
    // Spread over several polygons, the limit is on the whole area.
    let half = ring(MAX_POSITIONS / 2 + 1)["coordinates"].clone();
    let multi = json!({"type": "MultiPolygon", "coordinates": [half, half]});
    let response = app
        .post("/api/v1/gis", Some(&w.cn_assoc), with_area(multi))
        .await;
    assert_invalid(response, "area_geojson").await;
    assert_eq!(app.audit_count().await, audit, "nothing was written");

    // The same on editing a draft.
    let draft = create_gi(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    let id = draft["id"].as_i64().unwrap();
    let response = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/gis/{id}"),
            Some(&w.cn_assoc),
        )
        .header("if-match", "\"1\"")
        .json(&json!({"area_geojson": ring(MAX_POSITIONS + 1)}))
        .send()
        .await
        .unwrap();
    assert_invalid(response, "area_geojson").await;
    // Exactly the limit is accepted.
    create_gi(&app, &w.cn_assoc, with_area(ring(MAX_POSITIONS))).await;
}
