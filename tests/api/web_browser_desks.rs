//! The desks in a real browser (`browser::Browser`), on the CN–TH demonstration: each
//! role signs in at `/login` and does one real thing at its desk — an examiner protects
//! a recognition, an association drafts (by the keyboard alone) and files an application,
//! an auditor downloads a CSV export whose SHA-256 is the digest the page shows, an admin
//! creates an office by its form, another association files an opposition — and a forbidden action is
//! refused with a page saying so. With `TERROIR_SCREENSHOTS=DIR`, the association's,
//! auditor's and admin's desks and the opposition form are saved there.

use chrono::Duration;
use fantoccini::key::Key;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::browser::{set_date, Browser};
use super::web_desk::dip_today;
use super::web_pages::{load_demo, DEMO_PASSWORD};
use crate::helpers::{Backend, TestApp};

#[tokio::test]
async fn every_desk_in_a_browser() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    load_demo(&app).await;

    let recognition = an_examiner_protects_a_recognition(&browser, &app).await;
    an_association_drafts_by_keyboard_and_files(&browser, &app).await;
    let export = an_auditor_downloads_a_csv_whose_digest_matches(&browser, &app).await;
    an_association_is_refused_what_is_not_its_own(&browser, &app, recognition, &export).await;
    an_association_files_an_opposition(&browser, &app).await;
    an_admin_sees_its_lists(&browser, &app).await;
    browser.close().await;
}

/// The examiner takes the overdue recognition first on its work list from submitted to
/// protected; returns the recognition's desk path.
async fn an_examiner_protects_a_recognition(browser: &Browser, app: &TestApp) -> String {
    browser.sign_in(app, "dip-examiner").await;
    browser
        .click("table.worklist tbody tr:first-child a.open")
        .await;
    let url = browser
        .wait_for_url(|url| url.contains("/desk/recognitions/"))
        .await;
    let path = url
        .split("/desk/recognitions/")
        .nth(1)
        .and_then(|rest| rest.split('?').next())
        .map(|id| format!("/desk/recognitions/{id}"))
        .unwrap();
    assert_eq!(browser.unlabelled_controls().await, json!([]));
    assert_eq!(browser.text("dd.current-status").await, "submitted");

    browser.click("#act-start_examination button").await;
    wait_for_status(browser, "under examination").await;
    set_date(browser, "#publish-effective_on", dip_today(app)).await;
    browser.click("#act-publish button").await;
    wait_for_status(browser, "published").await;
    // DIP protects after its opposition period.
    app.clock.set(app.clock.now() + Duration::days(120));
    browser.goto(&app.url(&format!("{path}?lang=en"))).await;
    browser
        .type_into("#protect-limitations", "the name in Thai script only")
        .await;
    browser.click("#act-protect button").await;
    wait_for_status(browser, "protected").await;
    assert!(browser
        .text("dl.facts")
        .await
        .contains("the name in Thai script only"));
    browser.sign_out().await;
    path
}

/// Waits until the desk page's status reads `status`.
async fn wait_for_status(browser: &Browser, status: &str) {
    for _ in 0..100 {
        if browser
            .js("const s = document.querySelector('dd.current-status'); return s && s.textContent")
            .await
            == json!(status)
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the status never reads {status}: {}",
        browser.js("return document.body.innerText").await
    );
}

/// The association fills the draft form with Tab and typing alone, submits it with
/// Enter, and files the draft from its page.
async fn an_association_drafts_by_keyboard_and_files(browser: &Browser, app: &TestApp) {
    browser.sign_in(app, "longjing-assoc").await;
    assert_eq!(browser.unlabelled_controls().await, json!([]));
    assert!(browser.text("table.own-gis").await.contains("龙井茶"));
    browser.screenshot("desk-association-en", 1100).await;
    let tab = Key::Tab.to_string();
    browser.tab_to("draft-product_class").await;
    browser.press("1.8").await;
    browser.press(&tab).await;
    for (id, text) in [
        ("draft-names[0].text", "西湖龙井"),
        ("draft-names[0].lang", "zh"),
        ("draft-names[0].script", "Hans"),
    ] {
        assert_eq!(
            browser.js("return document.activeElement.id").await,
            json!(id)
        );
        browser.press(&format!("{text}{tab}")).await;
    }
    browser.tab_to("draft-area_description").await;
    browser.press("West Lake district, Hangzhou").await;
    browser
        .tab_to("draft-specification.product_description")
        .await;
    browser.press("Flat, jade-green tea leaves").await;
    browser.tab_to("draft-specification.control_body").await;
    browser
        .press(&format!("Hangzhou Tea Inspection Centre{}", Key::Enter))
        .await;
    browser.wait_for_url(|url| url.contains("/desk/gis/")).await;
    assert_eq!(browser.text("h1").await, "西湖龙井");
    wait_for_status(browser, "draft").await;
    browser.click("#act-file button").await;
    wait_for_status(browser, "filed").await;
    browser.sign_out().await;
}

/// The auditor issues a CSV export from its form (Tab to the partner, type, Enter) and
/// downloads it; the file's SHA-256 is the digest the page shows. Returns the file's
/// desk path.
async fn an_auditor_downloads_a_csv_whose_digest_matches(
    browser: &Browser,
    app: &TestApp,
) -> String {
    browser.sign_in(app, "auditor").await;
    assert_eq!(browser.text("dd.chain-status").await, "ok");
    browser.screenshot("desk-auditor-en", 900).await;
    assert_eq!(browser.unlabelled_controls().await, json!([]));
    browser.tab_to("export-partner").await;
    browser.press(&format!("DIP{}", Key::Enter)).await;
    let started = std::time::Instant::now();
    while browser
        .js("return !!document.querySelector('code.sha256')")
        .await
        != json!(true)
    {
        assert!(started.elapsed().as_secs() < 10, "no export record");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let shown = browser.text("code.sha256").await;
    assert_eq!(shown.len(), 64, "{shown}");
    let id = browser.text("dd.export-id").await;
    let link = browser
        .find("a.download")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link, format!("/desk/exports/{id}/file"));
    browser.click("a.download").await;
    let (path, bytes) = browser.downloaded().await;
    assert_eq!(
        path.extension().and_then(|e| e.to_str()),
        Some("csv"),
        "{path:?}"
    );
    assert_eq!(hex::encode(Sha256::digest(&bytes)), shown);
    assert!(String::from_utf8_lossy(&bytes).contains("DIP"));
    browser.sign_out().await;
    link
}

/// An association opens an examiner's recognition page (no action is offered) and the
/// auditor's export (refused with a page saying so).
async fn an_association_is_refused_what_is_not_its_own(
    browser: &Browser,
    app: &TestApp,
    recognition: String,
    export: &str,
) {
    browser.sign_in(app, "longjing-assoc").await;
    browser
        .goto(&app.url(&format!("{recognition}?lang=en")))
        .await;
    assert_eq!(
        browser
            .js("return document.querySelectorAll('form.action').length")
            .await,
        json!(0)
    );
    browser.goto(&app.url(&format!("{export}?lang=en"))).await;
    let refused = browser.alert().await;
    assert!(refused.contains("Not allowed"), "{refused}");
    let files: Vec<_> = browser
        .downloads
        .path()
        .read_dir()
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files.len(), 1, "nothing more was downloaded: {files:?}");
    browser.goto(&app.url("/desk?lang=en")).await;
    browser.sign_out().await;
}

/// Another association's application, published through the API: the Pinggu association
/// finds it open to opposition on its desk and files one, by its form.
async fn an_association_files_an_opposition(browser: &Browser, app: &TestApp) {
    let applicant = app.token("longjing-assoc", DEMO_PASSWORD).await;
    let examiner = app.token("cnipa-examiner", DEMO_PASSWORD).await;
    let mut body = super::register::longjing(0);
    body.as_object_mut().unwrap().remove("association_id");
    let id = super::register::expect(app.post("/api/v1/gis", Some(&applicant), body).await, 201)
        .await["id"]
        .as_i64()
        .unwrap();
    for (who, action) in [
        (&applicant, json!({"action": "file"})),
        (&examiner, json!({"action": "start_examination"})),
        (
            &examiner,
            json!({"action": "publish", "publication_reference": "CNIPA Gazette 2026/49"}),
        ),
    ] {
        let path = format!("/api/v1/gis/{id}/actions");
        super::register::expect(app.post(&path, Some(who), action).await, 200).await;
    }
    browser.sign_in(app, "pinggu-assoc").await;
    browser
        .click(&format!(
            "table.open-to-opposition a[href^='/desk/gis/{id}?']"
        ))
        .await;
    browser
        .wait_for_url(|url| url.contains(&format!("/desk/gis/{id}")))
        .await;
    assert_eq!(browser.unlabelled_controls().await, json!([]));
    browser
        .type_into("#oppose-grounds", "the name is generic for green tea")
        .await;
    browser
        .find("#oppose-earlier_rights\\[0\\]\\.kind")
        .await
        .select_by_value("trademark")
        .await
        .unwrap();
    browser
        .type_into("#oppose-earlier_rights\\[0\\]\\.number", "TM 1234567")
        .await;
    browser.screenshot("desk-opposition-en", 1300).await;
    browser.click("#oppose button").await;
    let started = std::time::Instant::now();
    while browser
        .js("return !!document.querySelector('table.oppositions')")
        .await
        != json!(true)
    {
        assert!(
            started.elapsed().as_secs() < 10,
            "the opposition is not listed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let listed = browser.text("table.oppositions").await;
    assert!(
        listed.contains("the name is generic for green tea") && listed.contains("pending"),
        "{listed}"
    );
    browser.sign_out().await;
}

/// The admin's desk: offices, associations and users, every control labelled.
async fn an_admin_sees_its_lists(browser: &Browser, app: &TestApp) {
    browser.sign_in(app, "demo-admin").await;
    assert_eq!(browser.unlabelled_controls().await, json!([]));
    browser.screenshot("desk-admin-en", 1100).await;
    let offices = browser.text("table.offices").await;
    assert!(
        offices.contains("CNIPA") && offices.contains("DIP"),
        "{offices}"
    );
    assert!(browser
        .text("table.associations")
        .await
        .contains("Hangzhou West Lake Longjing Tea Association"));
    assert!(browser.text("table.users").await.contains("dip-examiner"));
    // An office, created by its form; a code the API refuses is said by its field first.
    browser.type_into("#office-code", "my ipo").await;
    browser.type_into("#office-jurisdiction", "MY").await;
    browser.type_into("#office-opposition_period", "P3M").await;
    browser
        .type_into(
            "#office-name",
            "Intellectual Property Corporation of Malaysia",
        )
        .await;
    browser.click("#new-office button").await;
    let error = browser.text("#office-code-error").await;
    assert!(!error.is_empty(), "the code's error is by its field");
    assert_eq!(
        browser
            .js("return document.getElementById('office-name').value")
            .await,
        json!("Intellectual Property Corporation of Malaysia"),
        "what was typed is kept"
    );
    browser
        .client
        .execute("document.getElementById('office-code').value = ''", vec![])
        .await
        .unwrap();
    browser.type_into("#office-code", "MYIPO").await;
    browser.click("#new-office button").await;
    let started = std::time::Instant::now();
    while !browser.text("table.offices").await.contains("MYIPO") {
        assert!(
            started.elapsed().as_secs() < 10,
            "the office is not listed: {}",
            browser.js("return document.body.innerText").await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.sign_out().await;
}
