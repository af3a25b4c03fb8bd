//! Every spelling finds the GI (issue 13): Traditional Chinese finds Simplified, word
//! pinyin finds polyphonic place names, Thai is found without its tone marks and by its
//! RTGS romanisation with no Latin name entered, and romanisation variants meet; and a
//! database whose blobs were made before is re-keyed at start-up, once.

use diesel::prelude::*;
use serde_json::Value;
use terroir::db::schema::{gis, search_key_version};
use terroir::domain::names::SEARCH_KEY_VERSION;
use terroir::store::search_keys::{rekey_if_stale, stored_version};

use crate::both_backends;
use crate::helpers::TestApp;
use crate::import::run;
use crate::register::expect;

both_backends!(
    every_spelling_finds_the_gi,
    an_older_database_is_re_keyed_once,
);

/// Thai names with no Latin name, Chinese names with no pinyin.
const REGISTER: &[(&str, &str, &str)] = &[
    ("FOLD-1", "CN", "龙井茶"),
    ("FOLD-2", "CN", "重庆火锅底料"),
    ("FOLD-3", "CN", "长白山人参"),
    ("FOLD-4", "TH", "มะขามหวานเพชรบูรณ์"),
    ("FOLD-5", "TH", "ข้าวหอมมะลิทุ่งกุลาร้องไห้"),
    ("FOLD-6", "CN", "普洱茶"),
];

async fn import_register(app: &TestApp) {
    let lines: Vec<String> = REGISTER
        .iter()
        .map(|(number, origin, name)| {
            let lang = if *origin == "TH" { "th" } else { "zh" };
            format!(
                r#"{{"file_number": "{number}", "origin_jurisdiction": "{origin}", "gi_type": "pgi", "product_type": "food", "product_class": "1.6", "status": "registered", "registered_on": "2020-01-01", "names": [{{"text": "{name}", "lang": "{lang}", "kind": "original"}}]}}"#
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

/// The first names of the GIs a search finds, in id order.
async fn found(app: &TestApp, q: &str) -> Vec<String> {
    let url = reqwest::Url::parse_with_params(&app.url("/api/v1/gis"), &[("q", q)]).unwrap();
    let body: Value = expect(app.client.get(url).send().await.unwrap(), 200).await;
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|gi| gi["names"][0]["text"].as_str().unwrap().to_string())
        .collect()
}

const FINDS: &[(&str, &str)] = &[
    ("龍井", "龙井茶"),
    ("龍井茶", "龙井茶"),
    ("chongqing", "重庆火锅底料"),
    ("zhongqing", "重庆火锅底料"),
    ("changbaishan", "长白山人参"),
    ("長白山", "长白山人参"),
    ("มะขามหวานเพชรบูรณ", "มะขามหวานเพชรบูรณ์"),
    ("ขาวหอมมะลิ", "ข้าวหอมมะลิทุ่งกุลาร้องไห้"),
    ("ทุงกุลารองไห", "ข้าวหอมมะลิทุ่งกุลาร้องไห้"),
    ("Makham Wan Phetchabun", "มะขามหวานเพชรบูรณ์"),
    ("khao hom mali", "ข้าวหอมมะลิทุ่งกุลาร้องไห้"),
    ("Thung Kula Rong-Hai", "ข้าวหอมมะลิทุ่งกุลาร้องไห้"),
    ("Phetchaboon", "มะขามหวานเพชรบูรณ์"),
    ("Petchabun", "มะขามหวานเพชรบูรณ์"),
    ("makham-wan", "มะขามหวานเพชรบูรณ์"),
];

async fn every_spelling_finds_the_gi(app: TestApp) {
    import_register(&app).await;
    for (q, name) in FINDS {
        assert_eq!(found(&app, q).await, vec![name.to_string()], "q={q}");
    }
    // and finds nothing else
    for q in ["chongyao", "khao phot", "Phetchaburi", "龍眼"] {
        assert_eq!(found(&app, q).await, Vec::<String>::new(), "q={q}");
    }
}

async fn an_older_database_is_re_keyed_once(app: TestApp) {
    import_register(&app).await;
    let db = app.database();
    let mut conn = db.connection().unwrap();
    assert_eq!(stored_version(&mut conn).unwrap(), SEARCH_KEY_VERSION);
    // As a database made before issue 13 holds them: each name's key only.
    for (number, _, name) in REGISTER {
        let old = format!("\u{1F}{name}\u{1F}");
        diesel::update(gis::table.filter(gis::file_number.eq(number)))
            .set(gis::search_blob.eq(old))
            .execute(&mut conn)
            .unwrap();
    }
    diesel::update(search_key_version::table)
        .set(search_key_version::version.eq(1))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(found(&app, "Phetchaboon").await, Vec::<String>::new());
    assert_eq!(found(&app, "khao hom mali").await, Vec::<String>::new());

    assert_eq!(rekey_if_stale(&mut conn).unwrap(), REGISTER.len());
    assert_eq!(stored_version(&mut conn).unwrap(), SEARCH_KEY_VERSION);
    for (q, name) in FINDS {
        assert_eq!(found(&app, q).await, vec![name.to_string()], "q={q}");
    }
    // Idempotent: a second start finds the blobs current and leaves them.
    assert_eq!(rekey_if_stale(&mut conn).unwrap(), 0);

    // `terroir migrate` re-keys an older database too.
    diesel::update(search_key_version::table)
        .set(search_key_version::version.eq(1))
        .execute(&mut conn)
        .unwrap();
    diesel::update(gis::table)
        .set(gis::search_blob.eq("\u{1F}"))
        .execute(&mut conn)
        .unwrap();
    let migrated = run(&app, &["migrate"]);
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    assert_eq!(stored_version(&mut conn).unwrap(), SEARCH_KEY_VERSION);
    assert_eq!(
        found(&app, "khao hom mali").await,
        vec!["ข้าวหอมมะลิทุ่งกุลาร้องไห้".to_string()]
    );
}
