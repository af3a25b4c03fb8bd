//! The web pages in a real browser: headless Chromium driven through chromedriver
//! (WebDriver), one browser per test. Keyboard-only search in three scripts, opening a
//! GI, changing the "as of" date, switching language, labelled controls, the stylesheet
//! allowed by the Content-Security-Policy.
//!
//! Without chromedriver on PATH these tests print a notice and pass, unless
//! `TERROIR_REQUIRE_BROWSER=1` (CI sets it). With `TERROIR_SCREENSHOTS=DIR` the SQLite
//! test also saves the main pages in the three languages there as PNGs (how
//! `docs/screenshots/` is made).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, Utc};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use super::web_pages::{gi_id, load_demo, DEMO_PASSWORD, DOI_TUNG, HOM_MALI, LONGJING};
use crate::helpers::{Backend, TestApp};

/// chromedriver and one Chromium session; the driver is killed on drop.
struct Browser {
    client: Client,
    driver: Child,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    })
}

impl Browser {
    /// A headless browser, or None (with a notice) when chromedriver is not installed
    /// and the browser is not required.
    async fn start() -> Option<Browser> {
        let Some(chromedriver) = on_path("chromedriver") else {
            if std::env::var("TERROIR_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("TERROIR_REQUIRE_BROWSER=1 but chromedriver is not on PATH (apt-get install chromium chromium-driver)");
            }
            eprintln!("NOTICE: browser tests skipped: chromedriver is not on PATH (install chromium and chromium-driver)");
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut options = json!({"args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1200,1000", "--lang=en-US", "--hide-scrollbars",
        ]});
        if Path::new("/usr/bin/chromium").is_file() {
            options["binary"] = json!("/usr/bin/chromium");
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let mut browser = None;
        let driver = DriverGuard(Some(driver));
        while browser.is_none() {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => browser = Some(client),
                Err(e) if started.elapsed() > Duration::from_secs(20) => {
                    panic!("no browser session from chromedriver: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        Some(Browser {
            client: browser.unwrap(),
            driver: driver.take(),
        })
    }

    async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    async fn find(&self, css: &str) -> Element {
        self.client.find(Locator::Css(css)).await.unwrap()
    }

    async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    async fn html_lang(&self) -> String {
        self.js("return document.documentElement.lang")
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Waits until the URL satisfies `ready` (a form submitted, a link followed).
    async fn wait_for_url(&self, ready: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let url = self.client.current_url().await.unwrap().to_string();
            if ready(&url) {
                return url;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "still at {url}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The form controls a user fills in that have no label with text.
    async fn unlabelled_controls(&self) -> Value {
        self.js(
            "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(e => e.labels.length === 0 || !e.labels[0].textContent.trim())
                .map(e => e.name || e.outerHTML)",
        )
        .await
    }

    /// Whether the stylesheet applied: it is the page's only source of styles, so the
    /// Content-Security-Policy let it load.
    async fn styled(&self) -> bool {
        self.js("return getComputedStyle(document.querySelector('header.site')).borderBottomStyle")
            .await
            == json!("solid")
    }

    async fn close(mut self) {
        let client = self.client.clone();
        client.close().await.unwrap();
        let _ = self.driver.kill();
    }
}

/// Kills chromedriver if no session could be had.
struct DriverGuard(Option<Child>);

impl DriverGuard {
    fn take(mut self) -> Child {
        self.0.take().unwrap()
    }
}

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Focuses the search field by the keyboard alone (Tab from the top of the page), types
/// `q` and presses Enter; returns the names in the results.
async fn search_by_keyboard(browser: &Browser, app: &TestApp, q: &str) -> Vec<String> {
    browser.goto(&app.url("/?lang=en")).await;
    let mut tabs = 0;
    loop {
        let focused = browser.js("return document.activeElement.id").await;
        if focused == json!("q") {
            break;
        }
        tabs += 1;
        assert!(tabs < 10, "Tab never reaches the search field");
        browser
            .client
            .active_element()
            .await
            .unwrap()
            .send_keys(&Key::Tab.to_string())
            .await
            .unwrap();
    }
    let field = browser.client.active_element().await.unwrap();
    field
        .send_keys(&format!("{q}{}", Key::Enter))
        .await
        .unwrap();
    browser.wait_for_url(|url| url.contains("q=")).await;
    let names = browser
        .js("return [...document.querySelectorAll('table.results td.names .name')].map(e => e.textContent)")
        .await;
    names
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_pages_in_a_browser() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    load_demo(&app).await;

    // Keyboard-only search, in Chinese, Thai and Latin letters.
    for (q, name) in [
        ("龙井", LONGJING),
        ("กาแฟดอยตุง", DOI_TUNG),
        ("Khao Hom Mali", HOM_MALI),
    ] {
        let names = search_by_keyboard(&browser, &app, q).await;
        assert_eq!(
            names.first().map(String::as_str),
            Some(name),
            "{q}: {names:?}"
        );
        assert!(!names
            .iter()
            .any(|n| [LONGJING, DOI_TUNG, HOM_MALI].contains(&n.as_str()) && n != name));
    }
    assert!(
        browser.styled().await,
        "the stylesheet loads under the page's CSP"
    );
    assert_eq!(browser.unlabelled_controls().await, json!([]));

    // Open the GI from the results.
    browser
        .find("table.results td.names a")
        .await
        .click()
        .await
        .unwrap();
    let id = gi_id(&app, HOM_MALI).await;
    browser
        .wait_for_url(|url| url.contains(&format!("/gis/{id}")))
        .await;
    assert_eq!(browser.text("h1").await, HOM_MALI);
    assert_eq!(browser.unlabelled_controls().await, json!([]));
    let rows = "return [...document.querySelectorAll('table.territories tbody tr')].map(r => r.textContent)";
    let today = browser.js(rows).await;
    assert_eq!(today.as_array().unwrap().len(), 2, "{today}");
    assert!(today[1].as_str().unwrap().contains("protected"), "{today}");

    // Change the date to before the GI was submitted to China: the table changes.
    let early = Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(3 * 365))
        .unwrap();
    set_date(&browser, "#as_of", early).await;
    browser
        .find("form.as-of button")
        .await
        .click()
        .await
        .unwrap();
    browser
        .wait_for_url(|url| url.contains(&format!("as_of={early}")))
        .await;
    let then = browser.js(rows).await;
    assert_eq!(then.as_array().unwrap().len(), 1, "{then}");
    assert_eq!(
        browser
            .js("return document.getElementById('as_of').value")
            .await,
        json!(early.to_string())
    );

    // Switch language by the links: labels and <html lang> change, names do not.
    browser
        .find("nav.langs a[hreflang=th]")
        .await
        .click()
        .await
        .unwrap();
    browser.wait_for_url(|url| url.contains("lang=th")).await;
    assert_eq!(browser.html_lang().await, "th");
    assert_eq!(browser.text("#territories").await, "ความคุ้มครองรายดินแดน");
    assert_eq!(browser.text("h1").await, HOM_MALI);
    assert!(browser
        .client
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains(&format!("as_of={early}")));
    browser
        .find("nav.langs a[hreflang=zh-Hans]")
        .await
        .click()
        .await
        .unwrap();
    browser.wait_for_url(|url| url.contains("lang=zh")).await;
    assert_eq!(browser.html_lang().await, "zh-Hans");
    assert_eq!(browser.text("#territories").await, "各地域保护状态");
    assert_eq!(browser.text("h1").await, HOM_MALI);
    let name_lang = browser
        .js("return document.querySelector('h1 .name').lang")
        .await;
    assert_eq!(name_lang, json!("th"));

    // A bad date typed into the address bar is a page saying so.
    browser
        .goto(&app.url(&format!("/gis/{id}?as_of=2025-02-30")))
        .await;
    assert!(browser.text("[role=alert]").await.contains("is not a date"));

    // An examiner signs in (typing, Enter), sees the work list with the overdue first,
    // cannot read the session cookie from a script, and signs out.
    browser.goto(&app.url("/login?lang=en")).await;
    assert_eq!(browser.unlabelled_controls().await, json!([]));
    browser
        .find("#username")
        .await
        .send_keys("dip-examiner")
        .await
        .unwrap();
    let password = browser.find("#password").await;
    password
        .send_keys(&format!("{DEMO_PASSWORD}{}", Key::Enter))
        .await
        .unwrap();
    browser.wait_for_url(|url| url.contains("/desk")).await;
    let first = browser.find("table.worklist tbody tr").await;
    assert_eq!(
        first.attr("class").await.unwrap().as_deref(),
        Some("overdue")
    );
    assert!(first.text().await.unwrap().contains("镇江香醋"));
    assert_eq!(browser.js("return document.cookie").await, json!(""));
    if let Some(dir) = std::env::var_os("TERROIR_SCREENSHOTS") {
        std::fs::create_dir_all(&dir).unwrap();
        browser.client.set_window_size(1200, 900).await.unwrap();
        let png = browser.client.screenshot().await.unwrap();
        std::fs::write(Path::new(&dir).join("desk-en.png"), png).unwrap();
    }
    browser
        .find("form.logout button")
        .await
        .click()
        .await
        .unwrap();
    browser.wait_for_url(|url| !url.contains("/desk")).await;
    browser.goto(&app.url("/desk")).await;
    browser.wait_for_url(|url| url.contains("/login")).await;

    if let Some(dir) = std::env::var_os("TERROIR_SCREENSHOTS") {
        screenshots(&browser, &app, Path::new(&dir)).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn a_search_in_a_browser_on_postgres() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    let Some(browser) = Browser::start().await else {
        return;
    };
    load_demo(&app).await;
    let names = search_by_keyboard(&browser, &app, "龍井茶").await;
    assert_eq!(
        names.first().map(String::as_str),
        Some(LONGJING),
        "{names:?}"
    );
    browser
        .find("table.results td.names a")
        .await
        .click()
        .await
        .unwrap();
    browser.wait_for_url(|url| url.contains("/gis/")).await;
    assert_eq!(browser.text("h1").await, LONGJING);
    assert!(browser
        .find(".area svg path")
        .await
        .attr("d")
        .await
        .unwrap()
        .is_some());
    browser.close().await;
}

/// Sets a date field's value the way a date picker would.
async fn set_date(browser: &Browser, css: &str, date: NaiveDate) {
    let field = browser.find(css).await;
    browser
        .client
        .execute(
            "arguments[0].value = arguments[1];",
            vec![
                serde_json::to_value(&field).unwrap(),
                json!(date.to_string()),
            ],
        )
        .await
        .unwrap();
}

/// `/`, a GI and the programme in each language, as PNGs in `dir` (with the Chinese and
/// Thai fonts installed: fonts-noto-cjk, fonts-tlwg-loma-otf).
async fn screenshots(browser: &Browser, app: &TestApp, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    browser.client.set_window_size(1200, 1500).await.unwrap();
    let longjing = gi_id(app, LONGJING).await;
    for lang in ["en", "zh", "th"] {
        for (name, path) in [
            ("search", "/".to_string()),
            ("gi", format!("/gis/{longjing}")),
            ("programme", "/programmes/CN-TH".to_string()),
        ] {
            browser.goto(&app.url(&format!("{path}?lang={lang}"))).await;
            let png = browser.client.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("{name}-{lang}.png")), png).unwrap();
        }
    }
}
