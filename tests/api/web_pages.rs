//! The public web pages (`/`, `/gis/{id}`, `/programmes/{code}`) as served HTML, on the
//! CN–TH demonstration: search in every script and by filter, the territory table as of
//! a date, three languages, and bad input answered as a page (never a 500, never JSON).

use chrono::{Days, NaiveDate, Utc};
use reqwest::{Method, Response};
use serde_json::Value;

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};

both_backends!(
    the_search_page_finds_in_every_script_and_filters,
    the_gi_page_shows_its_territories_as_of_a_date,
    the_programme_page_shows_what_each_party_submitted,
    the_pages_speak_english_chinese_and_thai,
    bad_input_is_a_page_never_a_500,
    the_api_search_filters_by_country,
);

pub const LONGJING: &str = "龙井茶";
pub const HOM_MALI: &str = "ข้าวหอมมะลิทุ่งกุลาร้องไห้";
pub const DOI_TUNG: &str = "กาแฟดอยตุง";
pub const MAKHAM: &str = "มะขามหวานเพชรบูรณ์";
/// Every demo user's password.
pub const DEMO_PASSWORD: &str = "demo-password-for-tests";

/// A page weighs less than this (issue 14).
const MAX_PAGE_BYTES: usize = 100 * 1024;

/// Loads the CN–TH demonstration into the app's (empty) register.
pub async fn load_demo(app: &TestApp) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        terroir::demo::load_demo(
            &db,
            Utc::now().date_naive(),
            Some("demo-password-for-tests"),
        )
    })
    .await
    .unwrap()
    .expect("the demo loads");
}

/// The id of the GI whose original name is `name`, through the API.
pub async fn gi_id(app: &TestApp, name: &str) -> i64 {
    let page: Value = app
        .get(&format!("/api/v1/gis?q={name}"), None)
        .await
        .json()
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|gi| {
            gi["names"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["text"] == name)
        })
        .and_then(|gi| gi["id"].as_i64())
        .unwrap_or_else(|| panic!("{name} is in the demo: {page}"))
}

/// A page: its status, its HTML, and a check of what every page carries.
async fn page(response: Response) -> (u16, String) {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let html = response.text().await.unwrap();
    assert_ne!(status, 500, "{html}");
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "a page is HTML: {status} {html}"
    );
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert!(html.len() < MAX_PAGE_BYTES, "{} bytes", html.len());
    assert!(!html.contains("<script"), "pages run no script");
    (status, html)
}

async fn get_page(app: &TestApp, path: &str) -> (u16, String) {
    page(app.get(path, None).await).await
}

async fn ok_page(app: &TestApp, path: &str) -> String {
    let (status, html) = get_page(app, path).await;
    assert_eq!(status, 200, "GET {path}: {html}");
    html
}

/// A name as the pages show it: in its own language, whatever the page's.
fn shown(name: &str, lang: &str) -> String {
    format!(r#"<span class="name" lang="{lang}">{name}</span>"#)
}

/// The rows of the table of class `class`, each row's HTML.
fn rows<'a>(html: &'a str, class: &str) -> Vec<&'a str> {
    let start = html
        .find(&format!(r#"<table class="{class}">"#))
        .unwrap_or_else(|| panic!("a {class} table in {html}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table.split("<tr").skip(2).collect()
}

async fn the_search_page_finds_in_every_script_and_filters(app: TestApp) {
    load_demo(&app).await;
    let home = ok_page(&app, "/").await;
    for name in [LONGJING, HOM_MALI, DOI_TUNG, MAKHAM] {
        assert!(home.contains(name), "the first page lists {name}");
    }
    // Chinese, Thai and Latin (pinyin, RTGS, a translation) find the GI, and only it.
    for (q, name, lang) in [
        ("龙井", LONGJING, "zh"),
        ("龍井茶", LONGJING, "zh"),
        ("longjing", LONGJING, "zh"),
        ("Dragon Well", LONGJING, "zh"),
        ("ข้าวหอมมะลิ", HOM_MALI, "th"),
        ("kafae doi tung", DOI_TUNG, "th"),
    ] {
        let html = ok_page(&app, &format!("/?q={}", urlencode(q))).await;
        let found = rows(&html, "results");
        assert_eq!(found.len(), 1, "{q}: {html}");
        assert!(found[0].contains(&shown(name, lang)), "{q}: {}", found[0]);
        assert!(
            html.contains(&format!(r#"value="{q}""#)),
            "the field keeps {q}"
        );
    }
    // A result: origin with its country, home status, territories protected (Longjing is
    // protected in Thailand; Doi Tung coffee nowhere yet).
    let longjing = ok_page(&app, "/?q=longjing").await;
    let row = rows(&longjing, "results")[0];
    assert!(row.contains("CNIPA (CN)"), "{row}");
    assert!(row.contains("status-registered"), "{row}");
    assert!(row.contains(r#"<td class="count">1</td>"#), "{row}");
    let doi_tung = ok_page(&app, "/?q=doi+tung").await;
    assert!(rows(&doi_tung, "results")[0].contains(r#"<td class="count">0</td>"#));

    // Each filter narrows, and the form shows it chosen; empty fields are no filter.
    let dip = ok_page(
        &app,
        "/?q=&origin=DIP&country=&gi_type=&product_class=&status=",
    )
    .await;
    assert_eq!(rows(&dip, "results").len(), 4, "{dip}");
    assert!(!dip.contains(LONGJING));
    assert!(dip.contains(r#"<option value="DIP" selected>"#), "{dip}");
    let thai = ok_page(&app, "/?country=TH").await;
    assert_eq!(rows(&thai, "results").len(), 4);
    assert!(thai.contains(HOM_MALI) && !thai.contains(LONGJING));
    let filed = ok_page(&app, "/?status=filed").await;
    let filed_rows = rows(&filed, "results");
    assert_eq!(filed_rows.len(), 1, "{filed}");
    assert!(filed_rows[0].contains(MAKHAM));
    let pdo_cn = ok_page(&app, "/?gi_type=pdo&origin=CNIPA").await;
    assert!(pdo_cn.contains(LONGJING) && !pdo_cn.contains("茅台酒"));
    let none = ok_page(&app, "/?q=longjing&origin=DIP").await;
    assert!(none.contains(r#"<p class="empty">"#), "{none}");
    assert!(!none.contains(r#"<table class="results">"#));
}

async fn the_gi_page_shows_its_territories_as_of_a_date(app: TestApp) {
    load_demo(&app).await;
    let id = gi_id(&app, LONGJING).await;
    let protection: Value = app
        .get(&format!("/api/v1/gis/{id}/protection"), None)
        .await
        .json()
        .await
        .unwrap();
    let thailand = &protection["territories"][0];
    assert_eq!(thailand["status"], "protected", "{protection}");
    let since: NaiveDate = thailand["protected_from"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    let html = ok_page(&app, &format!("/gis/{id}")).await;
    // Names with their scripts and kinds; type and class; the area's outline.
    let names = rows(&html, "names");
    assert_eq!(names.len(), 3, "{html}");
    assert!(names[0].contains(&shown(LONGJING, "zh")) && names[0].contains("<code>Hans</code>"));
    assert!(
        names[1].contains(&shown("Longjing cha", "zh-Latn"))
            && names[1].contains("transliteration")
    );
    assert!(names[2].contains(&shown("Dragon Well tea", "en")) && names[2].contains("translation"));
    assert!(html.contains("Protected designation of origin"));
    assert!(html.contains("<dd>1.8</dd>"));
    assert!(
        html.contains("<svg") && html.contains(r#"<path d="M"#),
        "the area is drawn"
    );
    // The current specification, its versions, the events.
    assert!(html.contains("Hangzhou Municipal Administration for Market Regulation"));
    assert_eq!(rows(&html, "versions").len(), 1);
    let events = rows(&html, "events");
    assert!(
        events.iter().any(|e| e.contains("opposition filed")),
        "{html}"
    );
    assert!(events.iter().any(|e| e.contains("status-registered")));
    // The stable, printable link.
    assert!(html.contains(&format!(
        r#"class="permalink" href="{}/gis/{id}""#,
        app.address
    )));

    // Today: registered at home, protected in Thailand since `since`, with its limits.
    let today = rows(&html, "territories");
    assert_eq!(today.len(), 2, "{html}");
    assert!(today[0].contains("CNIPA") && today[0].contains("status-registered"));
    assert!(today[1].contains("TH — DIP") && today[1].contains("status-protected"));
    assert!(today[1].contains(&since.to_string()));
    assert!(
        today[1].contains("is not protected"),
        "the limitation: {}",
        today[1]
    );
    assert!(today[1].contains(r#"href="/programmes/CN-TH?lang=en""#));

    // The day before protection: still pending in Thailand, and the form shows the date.
    let before = since.checked_sub_days(Days::new(1)).unwrap();
    let html = ok_page(&app, &format!("/gis/{id}?as_of={before}")).await;
    assert!(html.contains(&format!(r#"name="as_of" id="as_of" value="{before}""#)));
    let then = rows(&html, "territories");
    assert_eq!(then.len(), 2);
    assert!(
        then[1].contains("TH — DIP") && !then[1].contains("status-protected"),
        "{}",
        then[1]
    );
    // Three years ago: not yet filed at home, not submitted anywhere.
    let early = Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(3 * 365))
        .unwrap();
    let html = ok_page(&app, &format!("/gis/{id}?as_of={early}")).await;
    let then = rows(&html, "territories");
    assert_eq!(then.len(), 1, "{html}");
    assert!(then[0].contains("not yet filed"));
    assert!(html.contains("Not submitted to any partner office on this date."));
}

async fn the_programme_page_shows_what_each_party_submitted(app: TestApp) {
    load_demo(&app).await;
    let html = ok_page(&app, "/programmes/CN-TH").await;
    assert!(html.contains("<dd>CNIPA, DIP</dd>"), "{html}");
    assert!(
        html.contains("<code>P12M</code>") || html.contains("<code>P365D</code>"),
        "{html}"
    );
    let submissions = html.split(r#"<table class="submissions">"#).count() - 1;
    assert_eq!(submissions, 2, "one list per submitting party: {html}");
    assert!(html.contains("Submitted by CNIPA") && html.contains("Submitted by DIP"));
    let recognitions: Value = app
        .get("/api/v1/recognitions?programme=CN-TH&limit=100", None)
        .await
        .json()
        .await
        .unwrap();
    let recognitions = recognitions["items"].as_array().unwrap();
    assert_eq!(
        html.matches(r#"<td class="names">"#).count(),
        recognitions.len()
    );
    for r in recognitions {
        assert!(html.contains(&format!(r#"href="/gis/{}?lang=en""#, r["gi_id"])));
        assert!(html.contains(&format!("status-{}", r["status"].as_str().unwrap())));
    }
    assert!(html.contains(&shown(LONGJING, "zh")) && html.contains(&shown(HOM_MALI, "th")));
}

async fn the_pages_speak_english_chinese_and_thai(app: TestApp) {
    load_demo(&app).await;
    let id = gi_id(&app, HOM_MALI).await;
    let path = format!("/gis/{id}");
    let with = |lang: Option<&'static str>, accept: Option<&'static str>, path: String| {
        let app = &app;
        async move {
            let path = match lang {
                Some(lang) => format!("{path}?lang={lang}"),
                None => path,
            };
            let mut request = app.request(Method::GET, &path, None);
            if let Some(accept) = accept {
                request = request.header("accept-language", accept);
            }
            let response = request.send().await.unwrap();
            let content_language = response.headers()["content-language"]
                .to_str()
                .unwrap()
                .to_string();
            let (status, html) = page(response).await;
            assert_eq!(status, 200);
            (content_language, html)
        }
    };
    let cases = [
        (None, None, "en", "Protection by territory"),
        (Some("zh"), None, "zh-Hans", "各地域保护状态"),
        (Some("th"), None, "th", "ความคุ้มครองรายดินแดน"),
        (
            None,
            Some("th-TH,th;q=0.9,en;q=0.5"),
            "th",
            "ความคุ้มครองรายดินแดน",
        ),
        (None, Some("zh-CN,zh;q=0.9"), "zh-Hans", "各地域保护状态"),
        // `?lang=` beats Accept-Language; an unknown one is no choice.
        (Some("en"), Some("zh-CN"), "en", "Protection by territory"),
        (Some("fr"), Some("th"), "th", "ความคุ้มครองรายดินแดน"),
    ];
    for (lang, accept, tag, heading) in cases {
        let (content_language, html) = with(lang, accept, path.clone()).await;
        assert!(
            html.contains(&format!(r#"<html lang="{tag}">"#)),
            "{lang:?} {accept:?}: {}",
            &html[..200]
        );
        assert_eq!(content_language, tag);
        assert!(html.contains(heading), "{lang:?} {accept:?}");
        // The names stay as registered, in their own script and language.
        assert!(html.contains(&shown(HOM_MALI, "th")));
        assert!(html.contains(&shown("Khao Hom Mali Thung Kula Rong-Hai", "th-Latn")));
    }
    // Statuses and types are labels too; the switch links to this page in the others.
    let (_, zh) = with(Some("zh"), None, path.clone()).await;
    assert!(
        zh.contains("受保护的地理标志") && zh.contains("已注册"),
        "{zh}"
    );
    assert!(zh.contains(&format!(r#"href="{path}?lang=th""#)));
    assert!(zh.contains(&format!(r#"href="{path}?lang=en""#)));
    assert!(zh.contains(r#"<span lang="zh-Hans" aria-current="true">中文</span>"#));
    // The switch keeps the rest of the query; links within the site keep the language.
    let (_, th) = with(Some("th"), None, "/".into()).await;
    assert!(th.contains(&format!(r#"href="/gis/{id}?lang=th""#)), "{th}");
    let searched = ok_page(&app, "/?q=longjing&lang=th").await;
    assert!(
        searched.contains(r#"href="/?q=longjing&amp;lang=zh""#),
        "{searched}"
    );
}

async fn bad_input_is_a_page_never_a_500(app: TestApp) {
    load_demo(&app).await;
    let id = gi_id(&app, LONGJING).await;
    let tomorrow = Utc::now()
        .date_naive()
        .checked_add_days(Days::new(2))
        .unwrap();
    for path in ["/gis/999999", "/gis/abc", "/gis/1.5", "/programmes/NOPE"] {
        let (status, html) = get_page(&app, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            html.contains("There is no such page in the register."),
            "{path}"
        );
    }
    for (path, message) in [
        (format!("/gis/{id}?as_of=2025-02-30"), "is not a date"),
        (format!("/gis/{id}?as_of=yesterday"), "is not a date"),
        (format!("/gis/{id}?as_of={tomorrow}"), "is in the future"),
        (format!("/gis/999999?as_of={tomorrow}"), "is in the future"),
        ("/?status=bogus".into(), "status"),
        ("/?gi_type=wine".into(), "gi_type"),
        ("/?country=CHN".into(), "two-letter"),
        ("/?q=%21%21%21".into(), "no letters or digits"),
    ] {
        let (status, html) = get_page(&app, &path).await;
        assert_eq!(status, 400, "{path}: {html}");
        assert!(html.contains(message), "{path}: {html}");
        assert!(html.contains(r#"role="alert""#));
    }
    // In the reader's language, too.
    let (status, html) = get_page(&app, "/gis/999999?lang=th").await;
    assert_eq!(status, 404);
    assert!(html.contains("ไม่มีหน้านี้ในทะเบียน"));
    // The API's own errors stay JSON.
    assert_error(app.get("/api/v1/gis/999999", None).await, 404, "not_found").await;
    assert_error(app.get("/nowhere", None).await, 404, "not_found").await;
}

async fn the_api_search_filters_by_country(app: TestApp) {
    load_demo(&app).await;
    let origins = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|gi| gi["origin_office"].as_str().unwrap().to_string())
            .collect()
    };
    for (country, expected) in [
        ("TH", vec!["DIP"; 4]),
        ("cn", vec!["CNIPA"; 5]),
        ("FR", vec![]),
    ] {
        let page: Value = app
            .get(&format!("/api/v1/gis?country={country}"), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(origins(page), expected, "{country}");
    }
    let both: Value = app
        .get("/api/v1/gis?country=TH&q=longjing", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(origins(both).is_empty());
    let body = assert_error(
        app.get("/api/v1/gis?country=THA", None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["error"]["details"][0]["field"], "country", "{body}");
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
