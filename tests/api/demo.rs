//! `terroir demo` (DESIGN §6, §7): the CN–TH demonstration loaded through the library
//! into the app's database, then read back over HTTP as its users would.

use chrono::Utc;
use serde_json::{json, Value};
use terroir::demo::{load_demo, DemoReport};
use terroir::error::AppError;

use crate::both_backends;
use crate::helpers::TestApp;

both_backends!(
    the_demo_is_a_realistic_programme_on_every_status,
    the_demo_loads_into_an_empty_register_only,
);

const DEMO_PASSWORD: &str = "demo-password-for-tests";

const NAMES: [&str; 9] = [
    "龙井茶",
    "平谷大桃",
    "镇江香醋",
    "琯溪蜜柚",
    "茅台酒",
    "ข้าวหอมมะลิทุ่งกุลาร้องไห้",
    "กาแฟดอยตุง",
    "ส้มโอทับทิมสยามปากพนัง",
    "มะขามหวานเพชรบูรณ์",
];

async fn load(app: &TestApp) -> Result<DemoReport, AppError> {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        load_demo(&db, Utc::now().date_naive(), Some(DEMO_PASSWORD))
    })
    .await
    .unwrap()
}

async fn json(app: &TestApp, path: &str, token: Option<&str>) -> Value {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.unwrap()
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().expect("a page of items")
}

fn original_name(gi: &Value) -> &str {
    gi["names"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "original")
        .and_then(|n| n["text"].as_str())
        .unwrap()
}

async fn gi_named(app: &TestApp, q: &str, name: &str) -> Value {
    let page = json(app, &format!("/api/v1/gis?q={q}&limit=50"), None).await;
    let found: Vec<&Value> = items(&page)
        .iter()
        .filter(|gi| original_name(gi) == name)
        .collect();
    assert_eq!(found.len(), 1, "{q} finds {name} once: {page}");
    assert_eq!(items(&page).len(), 1, "{q} finds only {name}: {page}");
    found[0].clone()
}

async fn the_demo_is_a_realistic_programme_on_every_status(app: TestApp) {
    let report = load(&app).await.expect("the demo loads");
    assert_eq!((report.gis, report.recognitions), (9, 6));

    // Every user logs in with the configured password; every role is there.
    let mut tokens = std::collections::HashMap::new();
    for (username, role, office, password) in &report.users {
        assert_eq!(password, DEMO_PASSWORD);
        tokens.insert(username.clone(), app.token(username, password).await);
        let me = json(&app, "/api/v1/me", Some(&tokens[username])).await;
        assert_eq!(me["role"], role.as_str(), "{me}");
        if let Some(office) = office {
            assert_eq!(me["office"], office.as_str(), "{me}");
        }
    }
    for role in [
        "admin",
        "office_admin",
        "examiner",
        "association",
        "auditor",
    ] {
        assert!(
            report.users.iter().any(|u| u.1 == role),
            "no demo user of role {role}"
        );
    }
    assert!(
        report.users.iter().all(|u| u.0 != "admin"),
        "the bootstrap admin is not touched"
    );
    app.admin_token().await;

    let programme = json(&app, "/api/v1/programmes/CN-TH", None).await;
    let mut parties: Vec<&str> = programme["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    parties.sort();
    assert_eq!(parties, ["CNIPA", "DIP"]);
    assert_eq!(programme["decision_period"], "P12M");
    assert_eq!(programme["tacit_protection"], false);
    // Real periods and calendars: China two months, Thailand 90 days, each office in its
    // own time zone with its 2026 public holidays.
    for (code, period, zone, labour_day, days_2026, other) in [
        // New Year 3, Spring Festival 9, Qingming 3, Labour Day 5, Dragon Boat 3,
        // Mid-Autumn 3, National Day 7.
        (
            "CNIPA",
            "P2M",
            "Asia/Shanghai",
            "Labour Day",
            33,
            ("2026-02-17", "Spring Festival"),
        ),
        (
            "DIP",
            "P90D",
            "Asia/Bangkok",
            "National Labour Day",
            19,
            ("2026-04-14", "Songkran Festival"),
        ),
    ] {
        let office = json(&app, &format!("/api/v1/offices/{code}"), None).await;
        assert_eq!(office["opposition_period"], period);
        assert_eq!(office["time_zone"], zone);
        assert_eq!(office["weekend"], serde_json::json!(["sat", "sun"]));
        let holidays = json(&app, &format!("/api/v1/offices/{code}/holidays"), None).await;
        let may_day = holidays["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["date"] == "2026-05-01")
            .unwrap_or_else(|| panic!("{holidays}"));
        assert_eq!(may_day["label"], labour_day);
        let items = holidays["items"].as_array().unwrap();
        let in_2026 = items
            .iter()
            .filter(|h| h["date"].as_str().unwrap().starts_with("2026-"))
            .count();
        assert_eq!(in_2026, days_2026, "{code}: {holidays}");
        assert!(
            items
                .iter()
                .any(|h| h["date"] == other.0 && h["label"] == other.1),
            "{code}: {holidays}"
        );
    }

    // Anonymous readers see the nine GIs, with their original names and
    // transliterations, spread over the home statuses.
    let page = json(&app, "/api/v1/gis?limit=50", None).await;
    let gis = items(&page);
    let mut names: Vec<&str> = gis.iter().map(original_name).collect();
    names.sort();
    let mut expected = NAMES.to_vec();
    expected.sort();
    assert_eq!(names, expected);
    for gi in gis {
        let names = gi["names"].as_array().unwrap();
        let original = names.iter().find(|n| n["kind"] == "original").unwrap();
        let latin = names
            .iter()
            .find(|n| n["kind"] == "transliteration")
            .unwrap_or_else(|| panic!("{gi}"));
        assert_eq!(latin["script"], "Latn");
        let (lang, script) = if gi["origin_office"] == "CNIPA" {
            ("zh", "Hans")
        } else {
            ("th", "Thai")
        };
        assert_eq!(original["lang"], lang);
        assert_eq!(original["script"], script);
        assert_eq!(latin["lang"], format!("{lang}-Latn"));
        assert!(gi["file_number"].is_string(), "{gi}");
    }
    for status in ["filed", "under_examination", "published", "registered"] {
        assert!(
            gis.iter().any(|gi| gi["status"] == status),
            "no GI is {status} at home"
        );
    }
    let moutai = gis.iter().find(|gi| original_name(gi) == "茅台酒").unwrap();
    assert_eq!(moutai["product_type"], "spirit");
    assert!(moutai["product_class"]
        .as_str()
        .unwrap()
        .starts_with("spirit."));

    // A home opposition is pending on the published GI.
    let published = json(&app, "/api/v1/gis?status=published", None).await;
    let published_id = items(&published)[0]["id"].as_i64().unwrap();
    let home = app
        .get(&format!("/api/v1/gis/{published_id}/oppositions"), None)
        .await;
    let home: Value = home.json().await.unwrap();
    assert!(
        home.as_array()
            .unwrap()
            .iter()
            .any(|o| o["status"] == "pending"),
        "{home}"
    );

    // Search in any script, Chinese also by its pinyin.
    let longjing = gi_named(&app, "longjing", "龙井茶").await;
    gi_named(&app, "doi%20tung", "กาแฟดอยตุง").await;
    gi_named(&app, "maotai", "茅台酒").await;

    // 龙井茶 is protected in Thailand, but not its English translation.
    let protection = json(
        &app,
        &format!("/api/v1/gis/{}/protection", longjing["id"]),
        None,
    )
    .await;
    let territories = protection["territories"].as_array().unwrap();
    assert_eq!(territories.len(), 1, "{protection}");
    let thailand = &territories[0];
    assert_eq!(thailand["partner"], "DIP");
    assert_eq!(thailand["status"], "protected");
    assert!(thailand["protected_from"].is_string(), "{protection}");
    assert!(thailand["phase_out_until"].is_string(), "{protection}");
    assert_eq!(
        thailand["protected_names"],
        serde_json::json!(["龙井茶", "Longjing cha"]),
        "{protection}"
    );
    assert_eq!(thailand["excluded_names"][0]["name"], "Dragon Well tea");

    // The pomelo is registered at home without the bare "Som O".
    let pomelo = gi_named(&app, "thapthim", "ส้มโอทับทิมสยามปากพนัง").await;
    let home = json(
        &app,
        &format!("/api/v1/gis/{}/protection", pomelo["id"]),
        None,
    )
    .await["home"]
        .clone();
    assert_eq!(home["status"], "registered", "{home}");
    assert_eq!(
        home["protected_names"],
        serde_json::json!(["ส้มโอทับทิมสยามปากพนัง", "Som O Thapthim Siam Pak Phanang"])
    );
    assert_eq!(home["excluded_names"][0]["name"], "Som O");

    // Recognitions in every partner status, in both directions.
    let all = json(&app, "/api/v1/recognitions?limit=50", None).await;
    let all = items(&all);
    assert_eq!(all.len(), 6);
    for partner in ["CNIPA", "DIP"] {
        assert!(all.iter().any(|r| r["partner"] == partner));
    }
    for status in [
        "protected",
        "published",
        "under_appeal",
        "under_examination",
        "submitted",
    ] {
        let page = json(&app, &format!("/api/v1/recognitions?status={status}"), None).await;
        assert!(!items(&page).is_empty(), "no recognition is {status}");
        for r in items(&page) {
            assert_eq!(r["status"], status);
            // A refusal under appeal still states its grounds.
            if status == "under_appeal" {
                assert!(r["grounds"].as_str().is_some_and(|g| !g.is_empty()), "{r}");
            }
        }
    }

    // The DIP examiner's work list starts with the overdue recognition.
    let worklist = json(&app, "/api/v1/worklist", Some(&tokens["dip-examiner"])).await;
    let first = &worklist.as_array().unwrap()[0];
    assert_eq!(first["kind"], "decide_recognition", "{worklist}");
    assert_eq!(first["overdue"], true, "{worklist}");
    assert_eq!(first["status"], "submitted", "{worklist}");
    assert_eq!(first["name"], "镇江香醋", "{worklist}");

    // An opposition is pending in a partner office's proceeding.
    // And one was settled by coexistence with a prior mark, which it names.
    let (mut pending_abroad, mut settled) = (false, None);
    for r in all {
        let list = json(
            &app,
            &format!("/api/v1/recognitions/{}/oppositions", r["id"]),
            None,
        )
        .await;
        let list = list.as_array().unwrap();
        pending_abroad |= list.iter().any(|o| o["status"] == "pending");
        settled = settled.or_else(|| list.iter().find(|o| o["status"] == "settled").cloned());
    }
    assert!(pending_abroad, "no pending opposition in a recognition");
    let settled = settled.expect("an opposition settled by coexistence");
    assert!(settled.to_string().contains("TH 181154321"), "{settled}");

    // Every change went through the audit chain, which verifies.
    let verify = json(&app, "/api/v1/audit/verify", Some(&tokens["demo-admin"])).await;
    assert_eq!(verify["status"], "ok", "{verify}");
    let entries = verify["entries"].as_i64().unwrap();
    assert!(entries > 50, "{verify}");
    let events = json(
        &app,
        &format!("/api/v1/gis/{}/events", longjing["id"]),
        None,
    )
    .await;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["event_type"].as_str())
        .collect();
    for kind in ["file", "publish", "opposition_rejected", "register"] {
        assert!(kinds.contains(&kind), "{kind} missing from {events}");
    }

    // 龙井茶's specification as filed is a PDF anyone can download.
    let documents = json(
        &app,
        &format!("/api/v1/gis/{}/documents", longjing["id"]),
        None,
    )
    .await;
    let specification = &documents[0];
    assert_eq!(specification["kind"], "specification", "{documents}");
    assert_eq!(specification["specification_version"], 1);
    let pdf = app
        .get(
            &format!(
                "/api/v1/documents/{}",
                specification["sha256"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4") && bytes.ends_with(b"%%EOF\n"));
    assert!(bytes.len() > 1500, "a page of text: {} bytes", bytes.len());

    // DIP's partner system is subscribed to the programme's recognitions; its host does
    // not exist, so its deliveries wait for their retries, each attempt logged.
    let subscriptions = json(&app, "/api/v1/subscriptions", Some(&tokens["dip-admin"])).await;
    let subscription = &subscriptions["items"][0];
    assert_eq!(subscription["events"], serde_json::json!(["recognition.*"]));
    let started = std::time::Instant::now();
    loop {
        let log = json(
            &app,
            &format!("/api/v1/subscriptions/{}/deliveries", subscription["id"]),
            Some(&tokens["dip-admin"]),
        )
        .await;
        let items = log["items"].as_array().unwrap();
        assert!(items.len() >= 10, "{log}");
        assert!(items.iter().all(|d| d["status"] == "pending"), "{log}");
        let attempted = items
            .iter()
            .filter_map(|d| d["attempt_log"].get(0))
            .collect::<Vec<_>>();
        if !attempted.is_empty() {
            assert!(attempted
                .iter()
                .all(|a| a["response_status"].is_null() && a["error"].is_string()));
            break;
        }
        assert!(started.elapsed().as_secs() < 60, "no attempt logged: {log}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }

    // The offices' lists give the conflict check something real: the Thai word mark
    // DOI TUNG beside กาแฟดอยตุง, and the bare fruit name in the Pak Phanang pomelo's.
    let url = reqwest::Url::parse_with_params(
        &app.url("/api/v1/conflicts"),
        &[("name", "กาแฟดอยตุง"), ("territory", "TH")],
    )
    .unwrap();
    let found: Value = app
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mark = items(&found)
        .iter()
        .find(|c| c["kind"] == "trademark")
        .unwrap_or_else(|| panic!("no trademark met: {found}"));
    assert_eq!(mark["name"], "DOI TUNG");
    assert_eq!(mark["listed"]["classes"], json!([30, 43]));
    let terms = json(&app, "/api/v1/offices/DIP/generic-terms", None).await;
    assert_eq!(items(&terms).len(), 2, "{terms}");
}

async fn the_demo_loads_into_an_empty_register_only(app: TestApp) {
    load(&app).await.expect("the demo loads");
    let audit_before = app.audit_count().await;
    let gis_before = json(&app, "/api/v1/gis?limit=50", None).await;

    let again = load(&app).await;
    match again {
        Err(AppError::Conflict { code, message, .. }) => {
            assert_eq!(code, "not_empty");
            assert!(message.contains("GI"), "{message}");
        }
        other => panic!("a second load is refused, got {other:?}"),
    }
    assert_eq!(app.audit_count().await, audit_before, "nothing was written");
    let gis_after = json(&app, "/api/v1/gis?limit=50", None).await;
    assert_eq!(items(&gis_after).len(), items(&gis_before).len());
    assert_eq!(items(&gis_after).len(), 9);
}
