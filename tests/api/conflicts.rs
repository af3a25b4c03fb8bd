//! The conflict check (issue 13): `GET /api/v1/conflicts` over the demo register, which
//! has Chinese and Thai GIs and Longjing protected in Thailand.

use chrono::Utc;
use serde_json::Value;
use terroir::demo::load_demo;

use crate::both_backends;
use crate::helpers::TestApp;
use crate::import::run;
use crate::register::{assert_invalid, expect};

both_backends!(
    a_name_finds_its_collisions_across_scripts,
    bad_parameters_are_refused,
    pages_follow_the_ranking,
    a_gi_is_shown_by_its_first_name_among_equal_matches,
);

async fn conflicts(app: &TestApp, params: &[(&str, &str)]) -> Vec<Value> {
    let url = reqwest::Url::parse_with_params(&app.url("/api/v1/conflicts"), params).unwrap();
    let body: Value = expect(app.client.get(url).send().await.unwrap(), 200).await;
    body["items"].as_array().unwrap().clone()
}

fn named<'a>(items: &'a [Value], name: &str) -> Option<&'a Value> {
    items.iter().find(|i| i["name"] == name)
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

async fn a_name_finds_its_collisions_across_scripts(app: TestApp) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        load_demo(&db, Utc::now().date_naive(), Some("pw-for-tests"))
    })
    .await
    .unwrap()
    .unwrap();

    // Traditional against the registered Simplified name.
    let items = conflicts(&app, &[("name", "龍井茶")]).await;
    let longjing = named(&items, "龙井茶").expect("龙井茶 is a candidate");
    assert_eq!(strings(&longjing["reasons"]), ["same_after_folding"]);
    assert_eq!(longjing["score"], 0.95);
    assert_eq!(longjing["origin_office"], "CNIPA");
    let territories = strings(&longjing["territories_protected"]);
    assert!(territories.contains(&"TH"), "{territories:?}");
    // ranked best first
    let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores.iter().all(|s| *s >= 0.35 && *s <= 1.0), "{scores:?}");

    // The same text is identical.
    let items = conflicts(&app, &[("name", "龙井茶")]).await;
    assert_eq!(items[0]["name"], "龙井茶");
    assert_eq!(strings(&items[0]["reasons"]), ["identical"]);
    assert_eq!(items[0]["score"], 1.0);

    // A romanisation variant meets the GI's Latin name after folding.
    let items = conflicts(&app, &[("name", "Makham Wan Phetchaboon")]).await;
    assert_eq!(items[0]["name"], "Makham Wan Phetchabun");
    assert_eq!(strings(&items[0]["reasons"]), ["same_after_folding"]);
    assert_eq!(items[0]["score"], 0.95);
    // The Thai name is a transliteration of a Latin proposal (by its RTGS).
    let items = conflicts(&app, &[("name", "Som O Thapthim Siam")]).await;
    // (DIP's generic term "Som O" is met too, first: the fruit's bare name is inside.)
    let pomelo = items
        .iter()
        .find(|i| i["kind"] == "gi")
        .unwrap_or_else(|| panic!("{items:?}"));
    assert!(
        pomelo["name"] == "ส้มโอทับทิมสยามปากพนัง"
            || pomelo["name"] == "Som O Thapthim Siam Pak Phanang",
        "{items:?}"
    );
    assert!(
        strings(&pomelo["reasons"]).contains(&"similar_spelling")
            || strings(&pomelo["reasons"]).contains(&"transliteration"),
        "{items:?}"
    );

    // Thai without tone marks.
    let items = conflicts(
        &app,
        &[("name", "กาแฟดอยตุง"), ("script", "Thai"), ("lang", "th")],
    )
    .await;
    assert_eq!(items[0]["name"], "กาแฟดอยตุง");
    let items = conflicts(&app, &[("name", "ขาวหอมมะลิทุงกุลารองไห")]).await;
    assert_eq!(items[0]["name"], "ข้าวหอมมะลิทุ่งกุลาร้องไห้");
    assert_eq!(strings(&items[0]["reasons"]), ["same_after_folding"]);

    // A near spelling is a similar spelling, scored below the foldings.
    let items = conflicts(&app, &[("name", "Longjin cha")]).await;
    let near = items
        .iter()
        .find(|i| strings(&i["reasons"]).contains(&"similar_spelling"))
        .expect("a similar spelling");
    assert!(near["score"].as_f64().unwrap() < 0.9, "{near}");

    // Territory: Longjing is protected in Thailand, not in France.
    let items = conflicts(&app, &[("name", "龍井茶"), ("territory", "th")]).await;
    assert!(named(&items, "龙井茶").is_some(), "{items:?}");
    let items = conflicts(&app, &[("name", "龍井茶"), ("territory", "FR")]).await;
    assert!(named(&items, "龙井茶").is_none(), "{items:?}");

    // Unrelated names collide with nothing; limit bounds the answer.
    assert!(conflicts(&app, &[("name", "Quokkaberg")]).await.is_empty());
}

async fn bad_parameters_are_refused(app: TestApp) {
    let bad: &[(&[(&str, &str)], &str)] = &[
        (&[], "name"),
        (&[("name", "!!!")], "name"),
        (&[("name", "\u{200B}")], "name"),
        (&[("name", "龙井"), ("limit", "0")], "limit"),
        (&[("name", "龙井"), ("limit", "101")], "limit"),
        (&[("name", "龙井"), ("territory", "XX")], "territory"),
        (&[("name", "龙井"), ("script", "Latn")], "script"),
        (&[("name", "龙井"), ("script", "Nope")], "script"),
        (&[("name", "龙井"), ("lang", "not a tag")], "lang"),
        (&[("name", "龙井"), ("cursor", "nonsense")], "cursor"),
    ];
    for (params, field) in bad {
        let url = reqwest::Url::parse_with_params(&app.url("/api/v1/conflicts"), *params).unwrap();
        assert_invalid(app.client.get(url).send().await.unwrap(), field).await;
    }
    // 300 characters is the longest name checked; one more is refused.
    let longest = "龙".repeat(300);
    let url = reqwest::Url::parse_with_params(&app.url("/api/v1/conflicts"), &[("name", &longest)])
        .unwrap();
    expect(app.client.get(url).send().await.unwrap(), 200).await;
    let long = "龙".repeat(301);
    let url =
        reqwest::Url::parse_with_params(&app.url("/api/v1/conflicts"), &[("name", long)]).unwrap();
    assert_invalid(app.client.get(url).send().await.unwrap(), "name").await;
}

/// A GI two of whose names match equally well is listed once, under the first of them
/// in its own order (its original), whatever order the comparison meets them in.
async fn a_gi_is_shown_by_its_first_name_among_equal_matches(app: TestApp) {
    let line = r#"{"file_number": "LJ-TIE", "origin_jurisdiction": "CN", "gi_type": "pgi", "product_type": "food", "product_class": "1.8", "status": "registered", "registered_on": "2020-01-01", "names": [{"text": "Longjing cha", "lang": "zh-Latn", "kind": "original"}, {"text": "LONGJING CHA", "lang": "zh-Latn", "kind": "synonym"}]}"#;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.jsonl");
    std::fs::write(&file, line).unwrap();
    let imported = run(&app, &["import", file.to_str().unwrap()]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let items = conflicts(&app, &[("name", "longjing Cha")]).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["name"], "Longjing cha");
    assert_eq!(items[0]["score"], 1.0);
    assert_eq!(strings(&items[0]["reasons"]), ["identical"]);
}

/// Homonyms and spellings of Longjing, all registered in China.
async fn import_longjings(app: &TestApp) {
    let names = [
        "龙井茶",
        "龙井茶",
        "龍井茶",
        "Longjing cha",
        "Longjin cha",
        "龙井茶",
    ];
    let lines: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            format!(
                r#"{{"file_number": "LJ-{i}", "origin_jurisdiction": "CN", "gi_type": "pgi", "product_type": "food", "product_class": "1.8", "status": "registered", "registered_on": "2020-01-01", "names": [{{"text": "{name}", "lang": "zh", "kind": "original"}}]}}"#
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let imported = run(app, &["import", file.to_str().unwrap()]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
}

async fn pages_follow_the_ranking(app: TestApp) {
    import_longjings(&app).await;
    let all = conflicts(&app, &[("name", "龙井茶"), ("limit", "100")]).await;
    let ranked: Vec<(&str, f64)> = all
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), i["score"].as_f64().unwrap()))
        .collect();
    assert_eq!(ranked.len(), 6, "{ranked:?}");
    assert_eq!(
        ranked[..5],
        [
            ("龙井茶", 1.0),
            ("龙井茶", 1.0),
            ("龙井茶", 1.0),
            ("龍井茶", 0.95),
            ("Longjing cha", 0.9)
        ]
    );
    let ids: Vec<i64> = all[..3]
        .iter()
        .map(|i| i["gi_id"].as_i64().unwrap())
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "equal scores in id order: {ids:?}"
    );
    for limit in ["1", "2", "4"] {
        let mut paged = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut params = vec![("name", "龙井茶".to_string()), ("limit", limit.to_string())];
            if let Some(c) = &cursor {
                params.push(("cursor", c.clone()));
            }
            let url =
                reqwest::Url::parse_with_params(&app.url("/api/v1/conflicts"), &params).unwrap();
            let body: Value = expect(app.client.get(url).send().await.unwrap(), 200).await;
            let items = body["items"].as_array().unwrap();
            assert!(items.len() <= limit.parse::<usize>().unwrap());
            paged.extend(items.iter().cloned());
            // A page that repeats what came before fails here, not by paging forever.
            assert!(
                paged.len() <= all.len(),
                "limit {limit}: paging repeats or does not end: {paged:?}"
            );
            match body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        assert_eq!(paged, all, "limit {limit}");
    }
}
