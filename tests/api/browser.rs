//! The browser the web tests drive: headless Chromium through chromedriver (WebDriver),
//! one per test, with what the tests do in it (typing, pressing Tab and Enter, signing
//! in and out, waiting for a page or a download).
//!
//! Without chromedriver on PATH `Browser::start` prints a notice and gives None (the
//! tests then pass), unless `TERROIR_REQUIRE_BROWSER=1` (CI sets it).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use super::web_pages::DEMO_PASSWORD;
use crate::helpers::TestApp;

/// chromedriver and one Chromium session; the driver is killed on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
    /// Where the browser saves what it downloads.
    pub downloads: tempfile::TempDir,
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
    pub async fn start() -> Option<Browser> {
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
        let downloads = tempfile::tempdir().unwrap();
        let mut options = json!({"args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1200,1000", "--lang=en-US", "--hide-scrollbars",
        ]});
        options["prefs"] = json!({
            "download.default_directory": downloads.path(),
            "download.prompt_for_download": false,
        });
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
            downloads,
        })
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client.find(Locator::Css(css)).await.unwrap()
    }

    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// The element's text; found again while a page still loading replaces it (a
    /// stale element reference).
    pub async fn text(&self, css: &str) -> String {
        for _ in 0..50 {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                if let Ok(text) = element.text().await {
                    return text;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        self.find(css).await.text().await.unwrap()
    }

    pub async fn html_lang(&self) -> String {
        self.js("return document.documentElement.lang")
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Waits until the URL satisfies `ready` (a form submitted, a link followed).
    pub async fn wait_for_url(&self, ready: impl Fn(&str) -> bool) -> String {
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
    pub async fn unlabelled_controls(&self) -> Value {
        self.js(
            "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(e => e.labels.length === 0 || !e.labels[0].textContent.trim())
                .map(e => e.name || e.outerHTML)",
        )
        .await
    }

    /// Whether the stylesheet applied: it is the page's only source of styles, so the
    /// Content-Security-Policy let it load.
    pub async fn styled(&self) -> bool {
        self.js("return getComputedStyle(document.querySelector('header.site')).borderBottomStyle")
            .await
            == json!("solid")
    }

    pub async fn close(mut self) {
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

impl Browser {
    /// Presses Tab (from wherever the focus is) until the control `id` has the focus.
    pub async fn tab_to(&self, id: &str) {
        for _ in 0..120 {
            if self.js("return document.activeElement.id").await == json!(id) {
                return;
            }
            self.press(&Key::Tab.to_string()).await;
        }
        panic!("Tab never reaches #{id}");
    }

    /// Types `keys` into whatever has the focus.
    pub async fn press(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// Types `text` into the control `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.find(css).await.send_keys(text).await.unwrap();
    }

    /// Clicks the element `css`.
    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    /// Signs in at `/login` as `username` (typing, then Enter); waits for the desk.
    pub async fn sign_in(&self, app: &TestApp, username: &str) {
        self.goto(&app.url("/login?lang=en")).await;
        assert_eq!(self.unlabelled_controls().await, json!([]));
        self.type_into("#username", username).await;
        self.type_into("#password", &format!("{DEMO_PASSWORD}{}", Key::Enter))
            .await;
        self.wait_for_url(|url| url.contains("/desk")).await;
        assert!(
            self.text("p.signed-in").await.contains(username),
            "{username} is signed in"
        );
    }

    /// Signs out with the desk's button; waits to leave the desk.
    pub async fn sign_out(&self) {
        let page = self.js("return document.body.innerText").await;
        let Ok(button) = self.client.find(Locator::Css("form.logout button")).await else {
            panic!("no sign-out button on {page}");
        };
        button.click().await.unwrap();
        self.wait_for_url(|url| !url.contains("/desk")).await;
    }

    /// With `TERROIR_SCREENSHOTS=DIR`, saves the page as `DIR/{name}.png` (1200 pixels
    /// wide, `height` high).
    pub async fn screenshot(&self, name: &str, height: u32) {
        let Some(dir) = std::env::var_os("TERROIR_SCREENSHOTS") else {
            return;
        };
        std::fs::create_dir_all(&dir).unwrap();
        self.client.set_window_size(1200, height).await.unwrap();
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
        self.client.set_window_size(1200, 1000).await.unwrap();
    }

    /// The text of the page's alert (an error page's, a form's).
    pub async fn alert(&self) -> String {
        self.text("[role=alert]").await
    }

    /// The first file that finished downloading, waiting for it.
    pub async fn downloaded(&self) -> (PathBuf, Vec<u8>) {
        let started = Instant::now();
        loop {
            let done = std::fs::read_dir(self.downloads.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                // Chromium writes to a hidden or `.crdownload` file, then renames it.
                .find(|p| {
                    !p.file_name().unwrap().to_string_lossy().starts_with('.')
                        && p.extension()
                            .is_some_and(|e| e != "crdownload" && e != "tmp")
                });
            if let Some(path) = done {
                let bytes = std::fs::read(&path).unwrap();
                return (path, bytes);
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "no download finished"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Sets a date field's value the way a date picker would.
pub async fn set_date(browser: &Browser, css: &str, date: NaiveDate) {
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
