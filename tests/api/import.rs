use std::collections::HashSet;

use serde_json::Value;

use crate::both_backends;
use crate::helpers::{Backend, TestApp};

both_backends!(
    eu_register_imports_once_and_pages_without_skips_or_repeats,
    command_line_import_reports_rejected_rows_and_is_idempotent,
);

pub const EU_REGISTER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/datasets/eu-gi-register-2020.json"
);

pub fn run(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args(args)
        .env("TERROIR_DATABASE_URL", &app.database_url)
        .env("TERROIR_DATA_DIR", &app.data_dir)
        .output()
        .unwrap()
}

/// Runs the command line and asserts it succeeded (its stderr otherwise).
pub fn run_ok(app: &TestApp, args: &[&str]) -> std::process::Output {
    let output = run(app, args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

async fn eu_register_imports_once_and_pages_without_skips_or_repeats(app: TestApp) {
    let indexes = index_definitions(&app).await;
    assert!(indexes
        .iter()
        .any(|i| i.starts_with("conflict_forms_form:")));
    // The posting lists' key, which PostgreSQL's first merge sets aside and makes again.
    if app.backend == Backend::Postgres {
        assert!(
            indexes
                .iter()
                .any(|i| i.starts_with("conflict_trigrams_pkey:")),
            "{indexes:?}"
        );
    }
    let first = run_ok(&app, &["import", EU_REGISTER]);
    let summary = String::from_utf8_lossy(&first.stdout);
    assert!(
        summary.contains("3715 imported, 0 already present, 0 rejected"),
        "{summary}"
    );
    // Into the empty register, SQLite's import drops the indexes of what it fills and
    // makes them again at its end (PostgreSQL the posting lists' key): every one is
    // back, as it was defined.
    assert_eq!(index_definitions(&app).await, indexes);

    assert_analysed_after_import(&app).await;

    let second = run(&app, &["import", EU_REGISTER]);
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).contains("0 imported, 3715 already present"));

    // Every GI exactly once, in id order, paging 500 at a time.
    let mut seen = HashSet::new();
    let mut last_id = 0;
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/gis?limit=500&cursor={c}"),
            None => "/api/v1/gis?limit=500".to_string(),
        };
        let page: Value = app.get(&path, None).await.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            let id = item["id"].as_i64().unwrap();
            assert!(id > last_id, "ids ascend");
            assert!(seen.insert(id), "GI {id} seen twice");
            last_id = id;
        }
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 3715);
    assert_eq!(pages, 8);

    // The real mess is searchable: Greek and Latin names of one entry, several countries.
    let ouzo: Value = app
        .get("/api/v1/gis?q=ouzo&limit=50", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(ouzo["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|gi| gi["names"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["script"] == "Grek")));
    let several: Value = app
        .get("/api/v1/gis?q=pruneaux&limit=50", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(!several["items"].as_array().unwrap().is_empty());
    let registered: Value = app
        .get(
            "/api/v1/gis?status=registered&product_type=wine&origin=IT&limit=500",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(registered["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|gi| gi["status"] == "registered"
            && gi["product_type"] == "wine"
            && gi["origin_office"] == "IT"));
}

async fn command_line_import_reports_rejected_rows_and_is_idempotent(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"file_number": "CN-GI-2020-000001", "origin_jurisdiction": "CN", "gi_type": "pdo", "product_type": "food", "product_class": "1.8", "status": "registered", "registered_on": "2020-05-01", "names": [{"text": "龙井茶", "lang": "zh", "kind": "original"}, {"text": "Longjing cha", "lang": "zh-Latn", "kind": "transliteration", "romanization": "pinyin"}]}"#,
            r#"{"file_number": "CN-GI-2020-000002", "origin_jurisdiction": "CN", "gi_type": "trademark", "product_type": "food", "product_class": "1.8", "status": "registered", "names": [{"text": "平谷大桃", "lang": "zh", "kind": "original"}]}"#,
            r#"{"file_number": "TH-GI-2020-000003", "origin_jurisdiction": "TH", "gi_type": "gi", "product_type": "food", "product_class": "1.6", "status": "registered", "registered_on": "2020-02-30", "names": [{"text": "ส้มโอทับทิมสยามปากพนัง", "lang": "th", "kind": "original"}]}"#,
            r#"{"file_number": "TH-GI-2020-000004", "origin_jurisdiction": "TH", "gi_type": "gi", "product_type": "food", "product_class": "1.8", "status": "registered", "names": [{"text": "กาแฟดอยตุง", "lang": "th", "kind": "original"}]}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let first = run(&app, &["import", path]);
    assert!(first.status.success());
    let stdout = String::from_utf8_lossy(&first.stdout);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        stdout.contains("2 imported, 0 already present, 2 rejected"),
        "{stdout}"
    );
    assert!(
        stderr.contains("line 2") && stderr.contains("gi_type"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 3") && stderr.contains("registered_on"),
        "{stderr}"
    );

    let second = run(&app, &["import", path]);
    assert!(String::from_utf8_lossy(&second.stdout)
        .contains("0 imported, 2 already present, 2 rejected"));

    // Found by toneless pinyin and by the Thai name; events say where they came from.
    let found: Value = app
        .get("/api/v1/gis?q=longjingcha", None)
        .await
        .json()
        .await
        .unwrap();
    let gi = &found["items"][0];
    assert_eq!(gi["file_number"], "CN-GI-2020-000001");
    assert_eq!(
        gi["names"][0]["script"], "Hans",
        "the script is detected when absent"
    );
    let events: Value = app
        .get(&format!("/api/v1/gis/{}/events", gi["id"]), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events[0]["event_type"], "import");
    assert_eq!(events[0]["to_status"], "registered");
    assert_eq!(events[0]["effective_on"], "2020-05-01");
    let thai: Value = app
        .get("/api/v1/gis?q=กาแฟดอยตุง", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(thai["items"].as_array().unwrap().len(), 1);
    let offices: Value = app.get("/api/v1/offices", None).await.json().await.unwrap();
    let codes: Vec<&str> = offices["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["CN", "TH"], "offices are created as needed");
}

/// PostgreSQL: the import ends by analysing what it filled, so that the first queries
/// after it are planned from real statistics (`last_analyze` is set only by an explicit
/// ANALYZE, never by autovacuum), and by vacuuming the conflict index and `gis` (whose
/// search indexes then hold no pending list for every search to read); `gis` pages are
/// filled to 30 % (migration `…_gis_fillfactor`), so that the read stamps' updates stay
/// on their page and touch no index; and the read stamps' triggers are planned without
/// sequential scans (migration `…_read_stamp_plans`), so that a plan made while `gis`
/// was small does not scan it whole once it is large. SQLite: the import ends with the
/// search's trigram index merged into one segment, which every query reads (the EU
/// register's two transactions leave two or more).
async fn assert_analysed_after_import(app: &TestApp) {
    if app.backend != Backend::Postgres {
        let segments = texts(
            app,
            "SELECT CAST(count(DISTINCT segid) AS TEXT) AS value FROM gi_search_trigrams_idx",
        )
        .await;
        assert_eq!(segments, vec!["1".to_string()], "search index segments");
        return;
    }
    let unanalysed = texts(
        app,
        "SELECT relname::text AS value FROM pg_stat_user_tables \
         WHERE relname IN ('gis', 'gi_names', 'conflict_forms', 'conflict_trigrams') \
         AND last_analyze IS NULL",
    )
    .await;
    assert!(
        unanalysed.is_empty(),
        "not analysed after the import: {unanalysed:?}"
    );
    // The conflict index is read by index-only scans: vacuumed, its visibility map set.
    let unvacuumed = texts(
        app,
        "SELECT relname::text AS value FROM pg_stat_user_tables \
         WHERE relname IN ('gis', 'conflict_forms', 'conflict_trigrams') \
         AND last_vacuum IS NULL",
    )
    .await;
    assert!(
        unvacuumed.is_empty(),
        "not vacuumed after the import: {unvacuumed:?}"
    );
    let pending_pages = texts(
        app,
        "SELECT (gin_clean_pending_list('gis_search_trigrams'::regclass) \
         + gin_clean_pending_list('gis_search_characters'::regclass))::text AS value",
    )
    .await;
    assert_eq!(
        pending_pages,
        vec!["0".to_string()],
        "search index entries pending"
    );
    let trigger_settings = texts(
        app,
        "SELECT DISTINCT unnest(proconfig) AS value FROM pg_proc \
         WHERE proname LIKE 'read\\_stamp\\_of\\_%'",
    )
    .await;
    assert_eq!(trigger_settings, vec!["enable_seqscan=off".to_string()]);
    let options = texts(
        app,
        "SELECT unnest(reloptions) AS value FROM pg_class WHERE relname = 'gis'",
    )
    .await;
    assert_eq!(options, vec!["fillfactor=30".to_string()]);
}

/// Every index of the schema, as `name:definition`, by name.
async fn index_definitions(app: &TestApp) -> Vec<String> {
    let sql = match app.backend {
        Backend::Sqlite => {
            "SELECT name || ':' || coalesce(sql, '') AS value FROM sqlite_schema \
             WHERE type = 'index' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT indexname || ':' || indexdef AS value FROM pg_indexes \
             WHERE schemaname = current_schema() ORDER BY indexname"
        }
    };
    texts(app, sql).await
}

/// The text column `value` of every row `sql` gives.
async fn texts(app: &TestApp, sql: &'static str) -> Vec<String> {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.read_blocking(|conn| {
            use diesel::prelude::*;
            use diesel::sql_types::Text;
            #[derive(QueryableByName)]
            struct Row {
                #[diesel(sql_type = Text)]
                value: String,
            }
            Ok(diesel::sql_query(sql)
                .load::<Row>(conn)?
                .into_iter()
                .map(|r| r.value)
                .collect())
        })
        .unwrap()
    })
    .await
    .unwrap()
}
