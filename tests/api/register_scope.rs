//! Who sees and who acts in the register (DESIGN §3): drafts are seen only by their
//! association, their origin office, auditors and admins (404 for everyone else);
//! acting outside one's scope is 403; and what an application must hold (422 naming
//! the field).

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::register::{
    act, act_ok, application, assert_invalid, create_gi, create_gi_id, days_from_today, doi_tung,
    expect, gi, gi_in, longjing, world, World, EXAMINED_ON,
};

both_backends!(
    drafts_are_seen_by_their_association_office_auditors_and_admins,
    a_draft_withdrawn_unfiled_stays_private,
    lists_are_scoped_per_role,
    acting_outside_ones_scope_is_forbidden,
    who_may_create_a_gi,
    validation_names_the_field,
    name_lengths_are_counted_in_characters,
    area_geojson_is_validated,
);

/// Every reader: a label, the token (None: anonymous) and whether the Longjing
/// association's CNIPA draft is visible to them.
fn readers(w: &World) -> Vec<(&'static str, Option<&str>, bool)> {
    vec![
        ("its association", Some(w.cn_assoc.as_str()), true),
        (
            "another association of its office",
            Some(w.cn_other_assoc.as_str()),
            false,
        ),
        ("an association of DIP", Some(w.th_assoc.as_str()), false),
        ("its origin examiner", Some(w.cn_examiner.as_str()), true),
        ("an examiner of DIP", Some(w.th_examiner.as_str()), false),
        ("an auditor", Some(w.auditor.as_str()), true),
        ("an admin", Some(w.admin.as_str()), true),
        ("anonymous", None, false),
    ]
}

fn gi_paths(id: i64) -> Vec<String> {
    vec![
        format!("/api/v1/gis/{id}"),
        format!("/api/v1/gis/{id}/events"),
        format!("/api/v1/gis/{id}/specifications"),
        format!("/api/v1/gis/{id}/specifications/1"),
        format!("/api/v1/gis/{id}/oppositions"),
    ]
}

async fn drafts_are_seen_by_their_association_office_auditors_and_admins(app: TestApp) {
    let w = world(&app).await;
    let draft = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    for (who, token, sees) in readers(&w) {
        for path in gi_paths(draft) {
            let response = app.get(&path, token).await;
            if sees {
                expect(response, 200).await;
            } else {
                let body = assert_error(response, 404, "not_found").await;
                // Indistinguishable from a GI that does not exist.
                let missing = path.replace(&format!("/gis/{draft}"), "/gis/999999");
                let none = assert_error(app.get(&missing, token).await, 404, "not_found").await;
                assert_eq!(body, none, "{who}: {path}");
            }
        }
    }

    // A draft an examiner entered without an association is its office's only.
    let office_draft = create_gi_id(
        &app,
        &w.cn_examiner,
        application(
            "CNIPA",
            None,
            json!([{"text": "平谷大桃", "lang": "zh", "script": "Hans", "kind": "original"}]),
        ),
    )
    .await;
    for (token, status) in [
        (&w.cn_examiner, 200),
        (&w.auditor, 200),
        (&w.cn_assoc, 404),
        (&w.th_examiner, 404),
    ] {
        let response = app
            .get(&format!("/api/v1/gis/{office_draft}"), Some(token))
            .await;
        assert_eq!(response.status().as_u16(), status);
    }

    // Once filed, everyone reads it.
    act_ok(&app, &w.cn_assoc, draft, "file", &days_from_today(0)).await;
    for (who, token, _) in readers(&w) {
        for path in gi_paths(draft) {
            let response = app.get(&path, token).await;
            assert_eq!(response.status(), 200, "{who}: {path}");
        }
    }
}

// Regression: an application withdrawn before it was ever filed became public.
async fn a_draft_withdrawn_unfiled_stays_private(app: TestApp) {
    let w = world(&app).await;
    let id = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    let withdrawn = act_ok(&app, &w.cn_assoc, id, "withdraw", &days_from_today(0)).await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert!(withdrawn["file_number"].is_null());
    for (who, token, sees) in readers(&w) {
        assert_eq!(
            listed(&app, token, "").await,
            if sees { vec![id] } else { vec![] },
            "{who}: list"
        );
        for path in gi_paths(id) {
            let status = app.get(&path, token).await.status().as_u16();
            assert_eq!(status, if sees { 200 } else { 404 }, "{who}: {path}");
        }
    }
}

async fn listed(app: &TestApp, token: Option<&str>, query: &str) -> Vec<i64> {
    let body = expect(app.get(&format!("/api/v1/gis{query}"), token).await, 200).await;
    assert!(body["next_cursor"].is_null(), "{body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_i64().unwrap())
        .collect()
}

async fn lists_are_scoped_per_role(app: TestApp) {
    let w = world(&app).await;
    let cn_draft = gi_in(&app, &w, "draft").await;
    let filed = gi_in(&app, &w, "filed").await;
    let th_draft = create_gi_id(&app, &w.th_assoc, doi_tung(w.th_association)).await;
    let expected: [(&str, Option<&str>, Vec<i64>); 8] = [
        (
            "its association",
            Some(w.cn_assoc.as_str()),
            vec![cn_draft, filed],
        ),
        (
            "another association",
            Some(w.cn_other_assoc.as_str()),
            vec![filed],
        ),
        (
            "DIP's association",
            Some(w.th_assoc.as_str()),
            vec![filed, th_draft],
        ),
        (
            "CNIPA's examiner",
            Some(w.cn_examiner.as_str()),
            vec![cn_draft, filed],
        ),
        (
            "DIP's examiner",
            Some(w.th_examiner.as_str()),
            vec![filed, th_draft],
        ),
        (
            "an auditor",
            Some(w.auditor.as_str()),
            vec![cn_draft, filed, th_draft],
        ),
        (
            "an admin",
            Some(w.admin.as_str()),
            vec![cn_draft, filed, th_draft],
        ),
        ("anonymous", None, vec![filed]),
    ];
    for (who, token, ids) in expected {
        assert_eq!(listed(&app, token, "").await, ids, "{who}");
        // Filters and search never reveal a draft either.
        let drafts: Vec<i64> = ids.iter().copied().filter(|id| *id != filed).collect();
        assert_eq!(
            listed(&app, token, "?status=draft").await,
            drafts,
            "{who}: drafts"
        );
        let longjing: Vec<i64> = ids.iter().copied().filter(|id| *id != th_draft).collect();
        assert_eq!(
            listed(&app, token, "?q=longjing").await,
            longjing,
            "{who}: q=longjing"
        );
    }
}

async fn acting_outside_ones_scope_is_forbidden(app: TestApp) {
    let w = world(&app).await;
    let filed = gi_in(&app, &w, "filed").await;
    let before = gi(&app, None, filed).await;
    let audit = app.audit_count().await;
    let attempts: [(&str, &str, &str); 8] = [
        ("DIP's examiner", &w.th_examiner, "start_examination"),
        ("DIP's examiner", &w.th_examiner, "withdraw"),
        ("DIP's association", &w.th_assoc, "withdraw"),
        ("another association", &w.cn_other_assoc, "withdraw"),
        ("its own association", &w.cn_assoc, "start_examination"),
        ("an admin", &w.admin, "start_examination"),
        ("an auditor", &w.auditor, "start_examination"),
        ("an auditor", &w.auditor, "withdraw"),
    ];
    for (who, token, action) in attempts {
        let response = act(&app, token, filed, json!({"action": action})).await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 403, "{who} {action}: {body}");
        assert_eq!(body["error"]["code"], "forbidden");
    }
    let anonymous = app
        .post(
            &format!("/api/v1/gis/{filed}/actions"),
            None,
            json!({"action": "withdraw"}),
        )
        .await;
    assert_error(anonymous, 401, "unauthorized").await;
    assert_eq!(gi(&app, None, filed).await, before);
    assert_eq!(app.audit_count().await, audit);

    // The examiner of the origin office does what DIP's could not.
    let examined = act_ok(
        &app,
        &w.cn_examiner,
        filed,
        "start_examination",
        EXAMINED_ON,
    )
    .await;
    assert_eq!(examined["status"], "under_examination");

    // A published GI: registration and refusal belong to the origin office.
    let published = gi_in(&app, &w, "published").await;
    for (token, body) in [
        (
            &w.th_examiner,
            json!({"action": "register", "effective_on": "2026-05-02"}),
        ),
        (
            &w.th_examiner,
            json!({"action": "refuse", "grounds": "g", "effective_on": "2026-05-02"}),
        ),
        (
            &w.cn_assoc,
            json!({"action": "register", "effective_on": "2026-05-02"}),
        ),
    ] {
        assert_error(act(&app, token, published, body).await, 403, "forbidden").await;
    }
    assert_eq!(gi(&app, None, published).await["status"], "published");

    // And the other way round: CNIPA's examiner has no say over DIP's GIs.
    let thai = create_gi_id(&app, &w.th_assoc, doi_tung(w.th_association)).await;
    act_ok(&app, &w.th_assoc, thai, "file", &days_from_today(0)).await;
    assert_error(
        act(
            &app,
            &w.cn_examiner,
            thai,
            json!({"action": "start_examination"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    // Someone else's draft does not exist for those who may not see it.
    let draft = gi_in(&app, &w, "draft").await;
    for token in [&w.th_examiner, &w.cn_other_assoc, &w.th_assoc] {
        assert_error(
            act(&app, token, draft, json!({"action": "file"})).await,
            404,
            "not_found",
        )
        .await;
    }
    // Admins and auditors see it, but may not act on it.
    for token in [&w.admin, &w.auditor] {
        assert_error(
            act(&app, token, draft, json!({"action": "file"})).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_eq!(gi(&app, Some(&w.cn_assoc), draft).await["status"], "draft");
}

async fn who_may_create_a_gi(app: TestApp) {
    let w = world(&app).await;
    let audit = app.audit_count().await;
    let body = longjing(w.cn_association);
    for token in [&w.admin, &w.auditor, &w.th_examiner, &w.th_assoc] {
        assert_error(
            app.post("/api/v1/gis", Some(token), body.clone()).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_error(
        app.post("/api/v1/gis", None, body.clone()).await,
        401,
        "unauthorized",
    )
    .await;
    // An association applies for itself only.
    assert_error(
        app.post(
            "/api/v1/gis",
            Some(&w.cn_other_assoc),
            longjing(w.cn_association),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    // ...and at its own office: the applicant must belong to the origin office.
    let mut elsewhere = longjing(w.cn_association);
    elsewhere["origin_office"] = json!("DIP");
    elsewhere.as_object_mut().unwrap().remove("association_id");
    assert_invalid(
        app.post("/api/v1/gis", Some(&w.cn_assoc), elsewhere).await,
        "association_id",
    )
    .await;
    assert_invalid(
        app.post(
            "/api/v1/gis",
            Some(&w.cn_examiner),
            longjing(w.th_association),
        )
        .await,
        "association_id",
    )
    .await;
    assert_invalid(
        app.post("/api/v1/gis", Some(&w.cn_assoc), longjing(999_999))
            .await,
        "association_id",
    )
    .await;
    let mut nowhere = longjing(w.cn_association);
    nowhere["origin_office"] = json!("NOPE");
    assert_invalid(
        app.post("/api/v1/gis", Some(&w.cn_assoc), nowhere).await,
        "origin_office",
    )
    .await;
    assert_eq!(app.audit_count().await, audit, "refusals are not audited");
    let all = expect(app.get("/api/v1/gis", Some(&w.auditor)).await, 200).await;
    assert_eq!(all["items"], json!([]));

    // The association, without naming itself; the origin examiner, for it or alone.
    let mut own = longjing(w.cn_association);
    own.as_object_mut().unwrap().remove("association_id");
    let created = create_gi(&app, &w.cn_assoc, own).await;
    assert_eq!(created["association_id"], w.cn_association);
    let created = create_gi(&app, &w.cn_examiner, longjing(w.cn_other_association)).await;
    assert_eq!(created["association_id"], w.cn_other_association);
    assert_eq!(created["status"], "draft");
    let mut alone = longjing(w.cn_association);
    alone.as_object_mut().unwrap().remove("association_id");
    let created = create_gi(&app, &w.cn_examiner, alone).await;
    assert!(created["association_id"].is_null());
    let created = create_gi(&app, &w.th_assoc, doi_tung(w.th_association)).await;
    assert_eq!(created["origin_office"], "DIP");
    assert_eq!(created["countries"], json!(["TH"]));
    assert_eq!(app.audit_count().await, audit + 4);
}

async fn validation_names_the_field(app: TestApp) {
    let w = world(&app).await;
    let base = longjing(w.cn_association);
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut body = base.clone();
        edit(&mut body);
        body
    };
    let cases: Vec<(&str, Value)> = vec![
        (
            "names",
            with(&|b| b["names"][0]["kind"] = json!("transliteration")),
        ),
        ("names", with(&|b| b["names"] = json!([]))),
        (
            "names[0].lang",
            with(&|b| b["names"][0]["lang"] = json!("xx")),
        ),
        (
            "names[0].lang",
            with(&|b| b["names"][0]["lang"] = json!("zh_CN")),
        ),
        (
            "names[1].script",
            with(&|b| b["names"][1]["script"] = json!("Fake")),
        ),
        (
            "names[0].kind",
            with(&|b| b["names"][0]["kind"] = json!("nickname")),
        ),
        (
            "names[0].text",
            with(&|b| b["names"][0]["text"] = json!("  ")),
        ),
        (
            "product_class",
            with(&|b| b["product_class"] = json!("9.9")),
        ),
        ("product_class", with(&|b| b["product_class"] = json!(""))),
        ("gi_type", with(&|b| b["gi_type"] = json!("brand"))),
        ("product_type", with(&|b| b["product_type"] = json!("tea"))),
        ("nice_class", with(&|b| b["nice_class"] = json!(46))),
        (
            "area_description",
            with(&|b| b["area_description"] = json!("")),
        ),
        (
            "specification.product_description",
            with(&|b| b["specification"]["product_description"] = json!("")),
        ),
        ("colour", with(&|b| b["colour"] = json!("green"))),
        (
            "names[0].colour",
            with(&|b| b["names"][0]["colour"] = json!("green")),
        ),
        (
            "specification.colour",
            with(&|b| b["specification"]["colour"] = json!("green")),
        ),
    ];
    let audit = app.audit_count().await;
    for (field, body) in cases {
        let response = app.post("/api/v1/gis", Some(&w.cn_assoc), body).await;
        assert_invalid(response, field).await;
    }
    assert_eq!(app.audit_count().await, audit);
    let all = expect(app.get("/api/v1/gis", Some(&w.auditor)).await, 200).await;
    assert_eq!(all["items"], json!([]), "nothing was created");

    // Tags and scripts that exist are accepted, in any casing; the script may be
    // detected.
    let ok = with(&|b| {
        b["names"] = json!([
            {"text": "龍井茶", "lang": "ZH-hant-tw", "script": "Hant", "kind": "original"},
            {"text": "Лунцзин", "lang": "ru", "kind": "translation"},
        ])
    });
    let created = create_gi(&app, &w.cn_assoc, ok).await;
    assert_eq!(created["names"][0]["lang"], "zh-Hant-TW");
    assert_eq!(created["names"][1]["script"], "Cyrl");
}

async fn name_lengths_are_counted_in_characters(app: TestApp) {
    let w = world(&app).await;
    let named = |text: String| {
        let mut body = doi_tung(w.th_association);
        body["names"][0]["text"] = json!(text);
        body
    };
    // 300 Thai characters are 900 bytes of UTF-8: still 300 characters.
    let thai: String = "กขฃคฅฆ".chars().cycle().take(300).collect();
    let created = create_gi(&app, &w.th_assoc, named(thai.clone())).await;
    assert_eq!(created["names"][0]["text"], thai);
    let han: String = "龙井茶".chars().cycle().take(300).collect();
    let mut body = named(han);
    body["names"][0]["script"] = json!("Hans");
    create_gi(&app, &w.th_assoc, body).await;
    for text in [
        "a".repeat(301),
        "กขฃคฅฆ".chars().cycle().take(301).collect(),
    ] {
        assert_invalid(
            app.post("/api/v1/gis", Some(&w.th_assoc), named(text))
                .await,
            "names[0].text",
        )
        .await;
    }
}

async fn area_geojson_is_validated(app: TestApp) {
    let w = world(&app).await;
    let polygon = json!({"type": "Polygon", "coordinates": [[
        [120.10, 30.20], [120.20, 30.20], [120.20, 30.30], [120.10, 30.30], [120.10, 30.20]
    ]]});
    let with_area = |area: Value| {
        let mut body = longjing(w.cn_association);
        body["area_geojson"] = area;
        body
    };
    let bad = [
        // An unclosed ring.
        json!({"type": "Polygon", "coordinates": [[
            [120.10, 30.20], [120.20, 30.20], [120.20, 30.30], [120.10, 30.30]
        ]]}),
        json!({"type": "Polygon", "coordinates": [[
            [120.10, 30.20], [120.20, 30.20], [120.20, 30.30], [120.10, 30.35], [120.11, 30.20]
        ]]}),
        // Latitude 100.
        json!({"type": "Polygon", "coordinates": [[
            [120.10, 30.20], [120.20, 100.0], [120.20, 30.30], [120.10, 30.20]
        ]]}),
        // Longitude 200.
        json!({"type": "Polygon", "coordinates": [[
            [200.0, 30.20], [120.20, 30.20], [120.20, 30.30], [200.0, 30.20]
        ]]}),
        // Too few positions, not a polygon, not an object.
        json!({"type": "Polygon", "coordinates": [[[120.1, 30.2], [120.2, 30.2], [120.1, 30.2]]]}),
        json!({"type": "Point", "coordinates": [120.1, 30.2]}),
        json!({"type": "Polygon", "coordinates": []}),
        json!({"type": "Polygon"}),
        json!("West Lake"),
    ];
    let audit = app.audit_count().await;
    for area in bad {
        let response = app
            .post("/api/v1/gis", Some(&w.cn_assoc), with_area(area.clone()))
            .await;
        assert_invalid(response, "area_geojson").await;
    }
    assert_eq!(app.audit_count().await, audit);

    let created = create_gi(&app, &w.cn_assoc, with_area(polygon.clone())).await;
    assert_eq!(created["area_geojson"], polygon);
    let id = created["id"].as_i64().unwrap();
    assert_eq!(
        gi(&app, Some(&w.cn_assoc), id).await["area_geojson"],
        polygon
    );
    let feature = json!({"type": "Feature", "properties": {"name": "West Lake"},
    "geometry": {"type": "MultiPolygon", "coordinates": [[[
        [120.10, 30.20], [120.20, 30.20], [120.20, 30.30], [120.10, 30.20]
    ]]]}});
    let created = create_gi(&app, &w.cn_assoc, with_area(feature.clone())).await;
    assert_eq!(created["area_geojson"], feature);
    let plain = create_gi(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    assert!(plain["area_geojson"].is_null());

    // Editing a draft validates the area the same way.
    let patch = |area: Value, tag: &'static str| {
        let app = &app;
        let token = w.cn_assoc.clone();
        async move {
            app.request(
                reqwest::Method::PATCH,
                &format!("/api/v1/gis/{id}"),
                Some(&token),
            )
            .header("If-Match", tag)
            .json(&json!({"area_geojson": area}))
            .send()
            .await
            .unwrap()
        }
    };
    let unclosed = json!({"type": "Polygon", "coordinates": [[
        [120.10, 30.20], [120.20, 30.20], [120.20, 30.30], [120.10, 30.30]
    ]]});
    assert_invalid(patch(unclosed, "\"1\"").await, "area_geojson").await;
    assert_eq!(
        gi(&app, Some(&w.cn_assoc), id).await["area_geojson"],
        polygon
    );
    let edited = expect(patch(feature.clone(), "\"1\"").await, 200).await;
    assert_eq!(edited["area_geojson"], feature);
}
