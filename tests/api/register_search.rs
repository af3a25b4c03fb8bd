//! Listing and searching the register (DESIGN §4): `q` matches any name in any script,
//! case-, width- and accent-insensitively, Chinese names also by toneless pinyin; the
//! filters narrow; keyset pagination neither skips nor repeats.

use reqwest::Response;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::TestApp;
use crate::register::{
    act_ok, application, assert_invalid, create_gi_id, days_from_today, expect, longjing, world,
    World,
};

both_backends!(
    q_matches_any_name_in_any_script,
    q_wildcards_are_literal,
    filters_narrow_the_list,
    keyset_pagination_neither_skips_nor_repeats,
);

/// The GIs searched, all filed (so that anonymous callers see them) but one draft.
struct Catalogue {
    w: World,
    /// 龙井茶 with its pinyin transliteration (CNIPA, pdo, food, 1.8).
    longjing: i64,
    /// 龙井茶 with no transliteration (CNIPA, pgi, food, 1.8).
    longjing_bare: i64,
    /// Ούζο Μυτιλήνης / Ouzo of Mitilene (EUIPO, gi, spirit, spirit.25).
    ouzo: i64,
    /// ข้าวหอมมะลิทุ่งกุลาร้องไห้ (DIP, gi, food, 1.6), under examination.
    thai: i64,
    /// Côte de Beaune (EUIPO, pdo, wine, wine).
    cote: i64,
    /// 平谷大桃, a draft of the Pinggu association (CNIPA, pgi, food, 1.6).
    pinggu: i64,
}

async fn catalogue(app: &TestApp) -> Catalogue {
    let w = world(app).await;
    app.create_office(&w.admin, "EUIPO", "EU", 90).await;
    let eu_examiner = app
        .user_token(
            &w.admin,
            json!({"username": "eu-examiner", "role": "examiner", "office": "EUIPO"}),
        )
        .await;
    let today = days_from_today(0);

    let longjing = create_gi_id(app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(app, &w.cn_assoc, longjing, "file", &today).await;

    let mut bare = application(
        "CNIPA",
        Some(w.cn_other_association),
        json!([{"text": "龙井茶", "lang": "zh", "script": "Hans", "kind": "original"}]),
    );
    bare["gi_type"] = json!("pgi");
    let longjing_bare = create_gi_id(app, &w.cn_other_assoc, bare).await;
    act_ok(app, &w.cn_other_assoc, longjing_bare, "file", &today).await;

    let mut ouzo = application(
        "EUIPO",
        None,
        json!([
            {"text": "Ούζο Μυτιλήνης", "lang": "el", "script": "Grek", "kind": "original"},
            {"text": "Ouzo of Mitilene", "lang": "en", "script": "Latn", "kind": "translation"},
        ]),
    );
    ouzo["gi_type"] = json!("gi");
    ouzo["product_type"] = json!("spirit");
    ouzo["product_class"] = json!("spirit.25");
    ouzo["area_description"] = json!("Lesbos");
    let ouzo = create_gi_id(app, &eu_examiner, ouzo).await;
    act_ok(app, &eu_examiner, ouzo, "file", &today).await;

    let mut thai = application(
        "DIP",
        Some(w.th_association),
        json!([
            {"text": "ข้าวหอมมะลิทุ่งกุลาร้องไห้", "lang": "th", "script": "Thai", "kind": "original"},
            {"text": "Khao Hom Mali Thung Kula Rong-Hai", "lang": "th-Latn", "script": "Latn",
             "kind": "transliteration", "romanization": "rtgs"},
        ]),
    );
    thai["gi_type"] = json!("gi");
    thai["product_class"] = json!("1.6");
    thai["area_description"] = json!("Thung Kula Rong Hai, north-eastern Thailand");
    let thai = create_gi_id(app, &w.th_assoc, thai).await;
    act_ok(app, &w.th_assoc, thai, "file", &today).await;
    act_ok(app, &w.th_examiner, thai, "start_examination", &today).await;

    let mut cote = application(
        "EUIPO",
        None,
        json!([{"text": "Côte de Beaune", "lang": "fr", "script": "Latn", "kind": "original"}]),
    );
    cote["product_type"] = json!("wine");
    cote["product_class"] = json!("wine");
    cote["area_description"] = json!("Beaune, Côte-d'Or");
    let cote = create_gi_id(app, &eu_examiner, cote).await;
    act_ok(app, &eu_examiner, cote, "file", &today).await;

    let mut pinggu = application(
        "CNIPA",
        Some(w.cn_other_association),
        json!([
            {"text": "平谷大桃", "lang": "zh", "script": "Hans", "kind": "original"},
            {"text": "Pinggu Da Tao", "lang": "zh-Latn", "script": "Latn",
             "kind": "transliteration", "romanization": "pinyin"},
        ]),
    );
    pinggu["gi_type"] = json!("pgi");
    pinggu["product_class"] = json!("1.6");
    let pinggu = create_gi_id(app, &w.cn_other_assoc, pinggu).await;

    Catalogue {
        w,
        longjing,
        longjing_bare,
        ouzo,
        thai,
        cote,
        pinggu,
    }
}

async fn list(app: &TestApp, token: Option<&str>, params: &[(&str, &str)]) -> Response {
    let url = reqwest::Url::parse_with_params(&app.url("/api/v1/gis"), params).unwrap();
    let mut request = app.client.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// The ids of one page (which must be the last) of the list.
async fn found(app: &TestApp, token: Option<&str>, params: &[(&str, &str)]) -> Vec<i64> {
    let body = expect(list(app, token, params).await, 200).await;
    assert!(body["next_cursor"].is_null(), "{params:?}: {body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_i64().unwrap())
        .collect()
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

async fn q_matches_any_name_in_any_script(app: TestApp) {
    let c = catalogue(&app).await;
    let both_longjing = sorted(vec![c.longjing, c.longjing_bare]);
    let cases: Vec<(&str, Vec<i64>)> = vec![
        // Pinyin, in any case and width, with or without tone marks and spaces; the
        // GI with no transliteration is found by its pinyin too.
        ("longjing", both_longjing.clone()),
        ("LONGJING", both_longjing.clone()),
        ("Longjing", both_longjing.clone()),
        ("ＬＯＮＧＪＩＮＧ", both_longjing.clone()),
        ("lóngjǐng", both_longjing.clone()),
        ("longjing cha", both_longjing.clone()),
        ("Long-jing", both_longjing.clone()),
        ("long jing", both_longjing.clone()),
        ("龙井", both_longjing.clone()),
        ("龙井茶", both_longjing.clone()),
        // Greek, in any case, with or without accents, and its translation.
        ("ouzo", vec![c.ouzo]),
        ("ΟΥΖΟ", vec![c.ouzo]),
        ("ούζο", vec![c.ouzo]),
        ("ουζο", vec![c.ouzo]),
        ("ΜΥΤΙΛΗΝΗΣ", vec![c.ouzo]),
        ("mitilene", vec![c.ouzo]),
        // Thai on its text, and its RTGS.
        ("ข้าวหอมมะลิ", vec![c.thai]),
        ("ทุ่งกุลาร้องไห้", vec![c.thai]),
        ("khao hom mali", vec![c.thai]),
        // Latin with accents.
        ("cote", vec![c.cote]),
        ("CÔTE", vec![c.cote]),
        ("côte de beaune", vec![c.cote]),
        ("Cote-de-Beaune", vec![c.cote]),
        ("BEAUNE", vec![c.cote]),
        // Nothing.
        ("zzzz", vec![]),
        ("龙井茶叶", vec![]),
        ("long jing xia", vec![]),
        // Thai tone marks are folded (issue 13): "ขาว" finds "ข้าว"; vowels are not.
        ("ขาวหอมมะลิ", vec![c.thai]),
        ("ขาวหอมมะลา", vec![]),
        // A draft is never found by those who may not see it.
        ("pinggu", vec![]),
        ("平谷", vec![]),
    ];
    for (q, expected) in cases {
        assert_eq!(
            found(&app, None, &[("q", q)]).await,
            expected,
            "q={q:?} (anonymous)"
        );
    }
    // The draft's association and the auditor find it, by any of its names.
    for token in [&c.w.cn_other_assoc, &c.w.auditor, &c.w.cn_examiner] {
        for q in ["pinggu", "PINGGU DA TAO", "平谷", "pinggudatao"] {
            assert_eq!(
                found(&app, Some(token), &[("q", q)]).await,
                vec![c.pinggu],
                "q={q:?}"
            );
        }
    }
    assert_eq!(
        found(&app, Some(&c.w.th_assoc), &[("q", "pinggu")]).await,
        Vec::<i64>::new()
    );

    // Items carry every name.
    let body = expect(list(&app, None, &[("q", "ouzo")]).await, 200).await;
    let names: Vec<&str> = body["items"][0]["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ούζο Μυτιλήνης", "Ouzo of Mitilene"]);

    // The names a draft is found by are those of its latest edit.
    let response = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/gis/{}", c.pinggu),
            Some(&c.w.cn_other_assoc),
        )
        .header("If-Match", "\"1\"")
        .json(&json!({"names": [
            {"text": "北京平谷大桃", "lang": "zh", "script": "Hans", "kind": "original"}
        ]}))
        .send()
        .await
        .unwrap();
    expect(response, 200).await;
    let auditor = Some(c.w.auditor.as_str());
    assert_eq!(
        found(&app, auditor, &[("q", "beijing pinggu")]).await,
        vec![c.pinggu]
    );
    assert_eq!(
        found(&app, auditor, &[("q", "Pinggu Da Tao")]).await,
        vec![c.pinggu],
        "still found by the pinyin of the new name"
    );
    assert_eq!(found(&app, None, &[("q", "北京")]).await, Vec::<i64>::new());
}

async fn q_wildcards_are_literal(app: TestApp) {
    catalogue(&app).await;
    // Only wildcard characters: refused or nothing found, never everything.
    for q in ["%", "_", "%%", "__", "%_%", "\\", "*", "   "] {
        let response = list(&app, None, &[("q", q)]).await;
        match response.status().as_u16() {
            422 => {
                assert_invalid(response, "q").await;
            }
            200 => {
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["items"], json!([]), "q={q:?} matched: {body}");
            }
            other => panic!("q={q:?} gave {other}"),
        }
    }
    // As SQL LIKE patterns these would match Côte de Beaune and 龙井茶's pinyin.
    for q in ["c%e", "c_te", "l%g", "lon_jing", "%e%e%", "龙%茶"] {
        assert_eq!(
            found(&app, None, &[("q", q)]).await,
            Vec::<i64>::new(),
            "q={q:?}"
        );
    }
    // A query may not be longer than a name.
    let long = "a".repeat(301);
    assert_invalid(list(&app, None, &[("q", &long)]).await, "q").await;
}

/// Query parameters of the list.
type Params<'a> = [(&'a str, &'a str)];

async fn filters_narrow_the_list(app: TestApp) {
    let c = catalogue(&app).await;
    let public_filed = sorted(vec![c.longjing, c.longjing_bare, c.ouzo, c.cote]);
    let anonymous: Vec<(&Params, Vec<i64>)> = vec![
        (
            &[],
            sorted(vec![c.longjing, c.longjing_bare, c.ouzo, c.thai, c.cote]),
        ),
        (&[("origin", "CNIPA")], vec![c.longjing, c.longjing_bare]),
        (&[("origin", "DIP")], vec![c.thai]),
        (&[("origin", "EUIPO")], sorted(vec![c.ouzo, c.cote])),
        (&[("origin", "NOPE")], vec![]),
        (&[("status", "filed")], public_filed),
        (&[("status", "under_examination")], vec![c.thai]),
        (&[("status", "draft")], vec![]),
        (&[("status", "registered")], vec![]),
        (&[("gi_type", "pdo")], sorted(vec![c.longjing, c.cote])),
        (&[("gi_type", "pgi")], vec![c.longjing_bare]),
        (&[("gi_type", "gi")], sorted(vec![c.ouzo, c.thai])),
        (&[("gi_type", "tsg")], vec![]),
        (&[("product_type", "wine")], vec![c.cote]),
        (&[("product_type", "spirit")], vec![c.ouzo]),
        (
            &[("product_type", "food")],
            sorted(vec![c.longjing, c.longjing_bare, c.thai]),
        ),
        (
            &[("product_class", "1.8")],
            vec![c.longjing, c.longjing_bare],
        ),
        (&[("product_class", "1.6")], vec![c.thai]),
        (&[("product_class", "spirit.25")], vec![c.ouzo]),
        (&[("product_class", "wine")], vec![c.cote]),
        (&[("product_class", "1.3")], vec![]),
        // Filters combine with each other and with q.
        (
            &[("origin", "CNIPA"), ("gi_type", "pgi")],
            vec![c.longjing_bare],
        ),
        (
            &[("origin", "EUIPO"), ("product_type", "wine")],
            vec![c.cote],
        ),
        (&[("origin", "DIP"), ("status", "filed")], vec![]),
        (&[("q", "longjing"), ("gi_type", "pdo")], vec![c.longjing]),
        (&[("q", "ouzo"), ("origin", "CNIPA")], vec![]),
        (&[("q", "cote"), ("product_class", "wine")], vec![c.cote]),
    ];
    for (params, expected) in anonymous {
        assert_eq!(found(&app, None, params).await, expected, "{params:?}");
    }
    // Those who may see the draft find it with the same filters.
    let auditor = Some(c.w.auditor.as_str());
    assert_eq!(
        found(&app, auditor, &[("status", "draft")]).await,
        vec![c.pinggu]
    );
    assert_eq!(
        found(&app, auditor, &[("product_class", "1.6")]).await,
        sorted(vec![c.thai, c.pinggu])
    );
    assert_eq!(
        found(&app, auditor, &[("origin", "CNIPA"), ("gi_type", "pgi")]).await,
        sorted(vec![c.longjing_bare, c.pinggu])
    );
    assert_eq!(
        found(&app, Some(&c.w.th_examiner), &[("status", "draft")]).await,
        Vec::<i64>::new()
    );
    // Values outside a filter's vocabulary are a 422 naming the filter.
    for (name, value) in [
        ("status", "bogus"),
        ("status", "Filed"),
        ("gi_type", "brand"),
        ("product_type", "tea"),
    ] {
        assert_invalid(list(&app, None, &[(name, value)]).await, name).await;
    }
}

async fn keyset_pagination_neither_skips_nor_repeats(app: TestApp) {
    let w = world(&app).await;
    let mut created = Vec::new();
    for i in 0..25 {
        let mut body = application(
            "CNIPA",
            None,
            json!([{"text": format!("Paging Tea {i:02}"), "lang": "en", "kind": "original"}]),
        );
        body["product_class"] = json!(if i % 3 == 0 { "1.6" } else { "1.8" });
        created.push(create_gi_id(&app, &w.cn_examiner, body).await);
    }
    let auditor = Some(w.auditor.as_str());

    let mut seen: Vec<i64> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    let mut late = None;
    loop {
        let mut params = vec![("limit", "4".to_string())];
        if let Some(cursor) = &cursor {
            params.push(("cursor", cursor.clone()));
        }
        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let body = expect(list(&app, auditor, &params).await, 200).await;
        let items = body["items"].as_array().unwrap();
        assert!(items.len() <= 4, "{body}");
        seen.extend(items.iter().map(|g| g["id"].as_i64().unwrap()));
        pages += 1;
        if pages == 2 {
            // A GI created while paging.
            let mut body = application(
                "CNIPA",
                None,
                json!([{"text": "Paging Tea late", "lang": "en", "kind": "original"}]),
            );
            body["product_class"] = json!("1.8");
            late = Some(create_gi_id(&app, &w.cn_examiner, body).await);
        }
        match body["next_cursor"].as_str() {
            Some(next) => {
                assert_eq!(items.len(), 4, "a full page before a cursor");
                cursor = Some(next.to_string());
            }
            None => break,
        }
        assert!(pages < 20, "paging does not end");
    }
    let late = late.unwrap();
    let earlier: Vec<i64> = seen.iter().copied().filter(|id| *id != late).collect();
    assert_eq!(earlier, created, "every GI exactly once, in id order");
    assert!(
        seen.iter().filter(|id| **id == late).count() <= 1,
        "the late GI is not repeated"
    );
    assert!(
        seen.windows(2).all(|p| p[0] < p[1]),
        "in id order: {seen:?}"
    );
    assert_eq!(pages, 7);

    // Paging with a filter.
    let mut filtered = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut params = vec![("product_class", "1.6".to_string()), ("limit", "2".into())];
        if let Some(cursor) = &cursor {
            params.push(("cursor", cursor.clone()));
        }
        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let body = expect(list(&app, auditor, &params).await, 200).await;
        filtered.extend(
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["id"].as_i64().unwrap()),
        );
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let expected: Vec<i64> = created.iter().step_by(3).copied().collect();
    assert_eq!(filtered, expected);

    // The default page holds them all; limits outside 1..=500 and foreign cursors are
    // refused.
    assert_eq!(found(&app, auditor, &[]).await.len(), 26);
    assert_eq!(found(&app, auditor, &[("limit", "500")]).await.len(), 26);
    for limit in ["0", "501", "-1"] {
        assert_invalid(list(&app, auditor, &[("limit", limit)]).await, "limit").await;
    }
    assert_invalid(list(&app, auditor, &[("limit", "four")]).await, "limit").await;
    assert_invalid(
        list(&app, auditor, &[("cursor", "not a cursor!")]).await,
        "cursor",
    )
    .await;
}
