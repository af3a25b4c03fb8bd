//! Search through the name indexes (issue 9): for every kind of key — one and two
//! characters, Chinese, Thai with its marks, pinyin, LIKE's wildcard characters, keys
//! common enough to need several runs of candidates — a search finds exactly the GIs
//! whose search blob holds the key, page after page, as a scan of every blob would.

use std::collections::BTreeMap;

use diesel::sql_types::BigInt;
use diesel::{QueryableByName, RunQueryDsl};
use serde_json::Value;
use terroir::db::AnyConnection;
use terroir::domain::names::{blob_matches, query_key, search_blob};
use terroir::domain::permissions::DraftScope;
use terroir::store::gis::{list_stamps, GiFilter};

use crate::both_backends;
use crate::helpers::TestApp;
use crate::import::run;
use crate::register::{assert_invalid, expect};

both_backends!(
    search_finds_what_a_scan_of_every_blob_finds,
    a_search_is_planned_for_its_own_key_every_time,
);

const HAN: &[char] = &[
    '龙', '井', '茶', '山', '水', '云', '南', '西', '湖', '普', '洱', '安', '溪', '铁', '观', '音',
    '黄', '河', '长', '江', '武', '夷', '岩', '桂', '林', '米', '粉', '金', '华', '火', '腿', '宁',
];

/// A register of 400 GIs: every one named "Common …" (a key in every blob, so a page
/// of it under a narrow filter takes several runs of candidates), with Chinese names and
/// their pinyin, Thai names with their marks, Greek, accents, LIKE's wildcard characters,
/// and "a" followed by a different character in each GI (a one-character key that
/// starts more trigrams than the index lists).
fn register(count: usize) -> String {
    let mut lines = Vec::new();
    for i in 0..count {
        let origin = if i % 10 == 7 { "TH" } else { "FR" };
        let mut names = vec![format!(
            r#"{{"text": "Common {i} a{}", "lang": "und", "kind": "original"}}"#,
            char::from_u32(0x4E00 + i as u32).unwrap()
        )];
        let extra = match i % 8 {
            0 => {
                let a = HAN[i % HAN.len()];
                let b = HAN[(i / 3) % HAN.len()];
                format!(r#"{{"text": "{a}{b}茶", "lang": "zh", "kind": "synonym"}}"#)
            }
            1 => r#"{"text": "ข้าวหอมมะลิ", "lang": "th", "kind": "synonym"}"#.to_string(),
            2 => r#"{"text": "ขาวหอม", "lang": "th", "kind": "synonym"}"#.to_string(),
            3 => r#"{"text": "Ούζο Μυτιλήνης", "lang": "el", "kind": "synonym"}"#.to_string(),
            4 => r#"{"text": "Côte 100% Pure_Oil \\ d'Or", "lang": "fr", "kind": "synonym"}"#
                .to_string(),
            5 => format!(
                r#"{{"text": "a{}{} Straße", "lang": "de", "kind": "synonym"}}"#,
                HAN[i % HAN.len()],
                char::from_u32(0x4E00 + i as u32).unwrap()
            ),
            6 => r#"{"text": "Long Jing Xia", "lang": "zh-Latn", "kind": "synonym"}"#.to_string(),
            _ => format!(r#"{{"text": "Zq{i}", "lang": "und", "kind": "synonym"}}"#),
        };
        names.push(extra);
        lines.push(format!(
            r#"{{"file_number": "IDX-{origin}-{i:05}", "origin_jurisdiction": "{origin}", "gi_type": "pgi", "product_type": "food", "product_class": "1.6", "status": "registered", "registered_on": "2020-01-01", "names": [{}]}}"#,
            names.join(", ")
        ));
    }
    lines.join("\n")
}

/// Every GI of the list, by id, with the texts of its names: read without `q`.
async fn every_gi(app: &TestApp) -> BTreeMap<i64, (String, Vec<String>)> {
    let mut all = BTreeMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut params = vec![("limit", "200".to_string())];
        if let Some(c) = &cursor {
            params.push(("cursor", c.clone()));
        }
        let url = reqwest::Url::parse_with_params(&app.url("/api/v1/gis"), &params).unwrap();
        let body: Value = expect(app.client.get(url).send().await.unwrap(), 200).await;
        for gi in body["items"].as_array().unwrap() {
            let names = gi["names"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["text"].as_str().unwrap().to_string())
                .collect();
            let origin = gi["origin_office"].as_str().unwrap().to_string();
            all.insert(gi["id"].as_i64().unwrap(), (origin, names));
        }
        match body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return all,
        }
    }
}

/// The ids a search finds, following every page of `limit`.
async fn searched(app: &TestApp, q: &str, origin: Option<&str>, limit: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut params = vec![("q", q.to_string()), ("limit", limit.to_string())];
        if let Some(o) = origin {
            params.push(("origin", o.to_string()));
        }
        if let Some(c) = &cursor {
            params.push(("cursor", c.clone()));
        }
        let url = reqwest::Url::parse_with_params(&app.url("/api/v1/gis"), &params).unwrap();
        let body: Value = expect(app.client.get(url).send().await.unwrap(), 200).await;
        let items = body["items"].as_array().unwrap();
        assert!(items.len() <= limit);
        ids.extend(items.iter().map(|gi| gi["id"].as_i64().unwrap()));
        match body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return ids,
        }
    }
}

async fn search_finds_what_a_scan_of_every_blob_finds(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.jsonl");
    std::fs::write(&file, register(400)).unwrap();
    let imported = run(&app, &["import", file.to_str().unwrap()]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let all = every_gi(&app).await;
    assert_eq!(all.len(), 400);
    let origin_of_th = all
        .values()
        .find(|(_, names)| names[0].starts_with("Common 7 "))
        .map(|(origin, _)| origin.clone())
        .unwrap();

    let queries = [
        // One and two characters: Latin, Chinese, Thai, Greek.
        "a",
        "c",
        "z",
        "é",
        "ß",
        "7",
        "龙",
        "茶",
        "龙井",
        "井茶",
        "ข",
        "ข้",
        "าว",
        "ζ",
        "ΖΟ",
        "zq",
        "qz",
        "ss",
        "a龙",
        // Three and more: pinyin with and without spaces, Chinese, Thai with and without its
        // marks, Greek, accents, common and absent keys.
        "long jing",
        "longjing",
        "jing",
        "Long-Jing-Xia",
        "longjingxia",
        "龙井茶",
        "茶茶茶",
        "ข้าว",
        "ขาว",
        "ขาวหอม",
        "ข้าวหอมมะลิ",
        "หอม",
        "ουζο",
        "ΜΥΤΙΛΗΝΗΣ",
        "côte",
        "COTE",
        "strasse",
        "straße",
        "common",
        "Common 1",
        "common 39",
        "39 a",
        "mmon",
        "zq3",
        "zzyzxq",
        "quokkaberg",
        // LIKE's wildcard and escape characters are literal (and mostly dropped).
        "100%",
        "pure_oil",
        "pure oil",
        "%pure",
        "c_te",
        "c%e",
        "d'or",
        "100\\",
    ];
    for q in queries {
        let key = query_key(q);
        for origin in [None, Some(origin_of_th.as_str())] {
            let expected: Vec<i64> = all
                .iter()
                .filter(|(_, (o, names))| {
                    let texts: Vec<&str> = names.iter().map(String::as_str).collect();
                    origin.is_none_or(|want| want == o) && blob_matches(&search_blob(&texts), &key)
                })
                .map(|(id, _)| *id)
                .collect();
            for limit in [7, 100] {
                assert_eq!(
                    searched(&app, q, origin, limit).await,
                    expected,
                    "q={q:?} origin={origin:?} limit={limit}"
                );
            }
        }
    }

    // Nothing to search for: refused, as before.
    for q in ["%", "_", "%_%", "\\", "  "] {
        if query_key(q).is_empty() {
            let url =
                reqwest::Url::parse_with_params(&app.url("/api/v1/gis"), &[("q", q)]).unwrap();
            assert_invalid(app.client.get(url).send().await.unwrap(), "q").await;
        }
    }
}

/// PostgreSQL keeps a prepared statement's plan once it has run five times with a cost
/// no worse than its own plans: for a search, a walk of every GI in id order whatever the
/// key, 60 ms at 100,000 GIs for a key no GI holds (BENCHMARKS.md). So a search must
/// not be kept prepared: each is planned for its key, and the trigram index serves a
/// rare one. (SQLite plans every statement as it is prepared; there the same searches
/// must simply keep finding the same GIs.)
async fn a_search_is_planned_for_its_own_key_every_time(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.jsonl");
    std::fs::write(&file, register(80)).unwrap();
    assert!(run(&app, &["import", file.to_str().unwrap()])
        .status
        .success());
    let expected = searched(&app, "long jing", None, 100).await;
    assert_eq!(expected.len(), 10, "the GIs named Long Jing Xia");

    #[derive(QueryableByName)]
    struct Kept {
        #[diesel(sql_type = BigInt)]
        statements: i64,
    }
    app.database()
        .read_blocking(|conn| {
            for key in [
                "longjing", "zzyzxq", "longjing", "common", "longjing", "quokka",
            ]
            .iter()
            .cycle()
            .take(12)
            {
                let filter = GiFilter {
                    name_key: Some(key.to_string()),
                    ..GiFilter::default()
                };
                let found = list_stamps(conn, &filter, DraftScope::None, 0, 100)?;
                if *key == "longjing" {
                    let ids: Vec<i64> = found.iter().map(|s| s.id).collect();
                    assert_eq!(ids, expected);
                }
            }
            if let AnyConnection::Postgres(pg) = conn {
                let kept: Kept = diesel::sql_query(
                    "SELECT count(*) AS statements FROM pg_prepared_statements \
                     WHERE statement LIKE '%search\\_blob%LIKE%'",
                )
                .get_result(pg)?;
                assert_eq!(kept.statements, 0, "a search statement was kept prepared");
            }
            Ok(())
        })
        .unwrap();
}
