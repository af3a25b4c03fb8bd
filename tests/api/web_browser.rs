//! The public pages in a real browser (`browser::Browser`): keyboard-only search in
//! three scripts, opening a GI, changing the "as of" date, switching language, labelled
//! controls, the stylesheet allowed by the Content-Security-Policy.
//!
//! With `TERROIR_SCREENSHOTS=DIR` the SQLite
//! test also saves the main pages in the three languages there as PNGs (how
//! `docs/screenshots/` is made).

use std::path::Path;

use chrono::{Days, Utc};
use fantoccini::key::Key;
use serde_json::json;

use super::browser::{set_date, Browser};

use super::web_pages::{gi_id, load_demo, DEMO_PASSWORD, DOI_TUNG, HOM_MALI, LONGJING};
use crate::helpers::{Backend, TestApp};

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
        for lang in ["en", "zh", "th"] {
            browser.goto(&app.url(&format!("/desk?lang={lang}"))).await;
            let png = browser.client.screenshot().await.unwrap();
            std::fs::write(Path::new(&dir).join(format!("desk-{lang}.png")), png).unwrap();
        }
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
