//! The association's desk beyond drafting: its GIs a page at a time (keyset, as the API
//! pages), and an opposition filed through the desk against another's published GI or a
//! recognition published in a partner office —
//! the API's permission check, its errors next to the fields, its record.

use serde_json::{json, Value};

use super::web_desk::{csrf_of, gi, html, location, Visitor};
use super::web_pages::{load_demo, DEMO_PASSWORD as PASSWORD};
use crate::both_backends;
use crate::helpers::TestApp;

both_backends!(
    an_association_pages_through_its_gis,
    an_association_files_an_opposition_through_its_desk,
    an_association_opposes_a_recognition_in_a_partner_office,
);

async fn token(app: &TestApp, username: &str) -> String {
    app.tokens(username, PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A draft of the Longjing association's, through the API; its id.
async fn draft(app: &TestApp, token: &str) -> i64 {
    let mut body = super::register::longjing(0);
    body.as_object_mut().unwrap().remove("association_id");
    let draft: Value =
        super::register::expect(app.post("/api/v1/gis", Some(token), body).await, 201).await;
    draft["id"].as_i64().unwrap()
}

/// The ids of the GIs linked from the desk's own-GIs table.
fn own_ids(desk: &str) -> Vec<i64> {
    let table = desk
        .split(r#"class="own-gis""#)
        .nth(1)
        .unwrap_or_else(|| panic!("{desk}"))
        .split("</table>")
        .next()
        .unwrap();
    table
        .split(r#"href="/desk/gis/"#)
        .skip(1)
        .map(|rest| rest.split('?').next().unwrap().parse().unwrap())
        .collect()
}

/// The path of the desk's next-page link, if any.
fn next_page(desk: &str) -> Option<String> {
    desk.split(r#"rel="next" href=""#)
        .nth(1)
        .map(|rest| rest.split('"').next().unwrap().replace("&amp;", "&"))
}

async fn an_association_pages_through_its_gis(app: TestApp) {
    load_demo(&app).await;
    let api = token(&app, "longjing-assoc").await;
    let mut drafted = Vec::new();
    for _ in 0..21 {
        drafted.push(draft(&app, &api).await);
    }
    let mut association = Visitor::new(&app);
    association.sign_in("longjing-assoc").await;
    let (response, _) = association.get("/desk").await;
    assert_eq!(response.status(), 200);
    let first = html(response).await;
    let first_ids = own_ids(&first);
    assert_eq!(first_ids.len(), 20, "a page of 20: {first_ids:?}");
    assert!(first_ids.windows(2).all(|w| w[0] < w[1]), "{first_ids:?}");
    let next = next_page(&first).unwrap_or_else(|| panic!("a next page: {first}"));
    assert_eq!(next, format!("/desk?after={}&lang=en", first_ids[19]));
    assert!(!first.contains(r#"class="first""#));

    let (response, _) = association.get(&next).await;
    assert_eq!(response.status(), 200);
    let second = html(response).await;
    let second_ids = own_ids(&second);
    // The demo's own 龙井茶 and 21 drafts: 22 in all, 2 on the second page.
    assert_eq!(second_ids.len(), 2, "{second_ids:?}");
    assert!(second_ids.iter().all(|id| *id > first_ids[19]));
    assert_eq!(second_ids.last(), drafted.last());
    assert!(next_page(&second).is_none(), "the last page has no next");
    assert!(second.contains(r#"<a class="first" href="/desk?lang=en">"#));
    let mut all: Vec<i64> = first_ids.iter().chain(&second_ids).copied().collect();
    all.dedup();
    assert_eq!(all.len(), 22);
    for id in &drafted {
        assert!(all.contains(id), "draft {id} is listed");
    }

    // Another association's desk lists none of them.
    let mut other = Visitor::new(&app);
    other.sign_in("pinggu-assoc").await;
    let (response, _) = other.get("/desk").await;
    let theirs = own_ids(&html(response).await);
    assert!(theirs.iter().all(|id| !all.contains(id)), "{theirs:?}");

    // A page position that is no id: a 400 page naming it.
    for bad in ["abc", "-1"] {
        let (response, _) = association.get(&format!("/desk?after={bad}")).await;
        assert_eq!(response.status(), 400, "{bad}");
        assert!(html(response).await.contains("after"));
    }
}

async fn an_association_files_an_opposition_through_its_desk(app: TestApp) {
    load_demo(&app).await;
    // The Longjing association applies; CNIPA examines and publishes.
    let applicant = token(&app, "longjing-assoc").await;
    let id = draft(&app, &applicant).await;
    let examiner = token(&app, "cnipa-examiner").await;
    for (who, body) in [
        (&applicant, json!({"action": "file"})),
        (&examiner, json!({"action": "start_examination"})),
        (
            &examiner,
            json!({"action": "publish", "publication_reference": "CNIPA Gazette 2026/49"}),
        ),
    ] {
        super::register::expect(
            app.post(&format!("/api/v1/gis/{id}/actions"), Some(who), body)
                .await,
            200,
        )
        .await;
    }
    let published = gi(&app, id).await;
    assert_eq!(published["status"], "published", "{published}");
    let path = format!("/desk/gis/{id}");
    let filing = format!("{path}/oppositions");

    // Another association finds it open to opposition on its desk.
    let mut opponent = Visitor::new(&app);
    opponent.sign_in("pinggu-assoc").await;
    let csrf = csrf_of(&opponent);
    let (response, _) = opponent.get("/desk").await;
    let desk = html(response).await;
    let open = desk
        .split(r#"class="open-to-opposition""#)
        .nth(1)
        .unwrap_or_else(|| panic!("{desk}"));
    assert!(
        open.contains(&format!(r#"href="{path}?lang=en""#)),
        "{open}"
    );
    // Its page: the form, every control labelled; an association files in its own name.
    let (response, _) = opponent.get(&path).await;
    assert_eq!(response.status(), 200);
    let page = html(response).await;
    assert!(
        page.contains(r#"<form class="oppose" id="oppose" method="post" action="/desk/gis/"#),
        "{page}"
    );
    assert!(page.contains(r#"<label for="oppose-grounds">Grounds<textarea id="oppose-grounds""#));
    assert!(page.contains(r#"<label for="oppose-earlier_rights[0].number">Number<input type="text" id="oppose-earlier_rights[0].number""#), "{page}");
    assert!(!page.contains(r#"id="oppose-opponent_name""#));
    assert!(page.contains("No opposition has been filed."));

    // The API's errors next to their fields; nothing written.
    let audit = app.audit_count().await;
    for (form, control, status) in [
        (vec![("grounds", "  ")], "oppose-grounds", 422),
        (
            vec![
                ("grounds", "the name is generic for green tea"),
                ("earlier_rights[0].number", "TM 1234567"),
            ],
            "oppose-earlier_rights[0].kind",
            422,
        ),
        (
            vec![
                ("grounds", "the name is generic for green tea"),
                ("filed_on", "2026-02-30"),
            ],
            "oppose-filed_on",
            422,
        ),
    ] {
        let mut form = form;
        form.push(("csrf", &csrf));
        let (response, _) = opponent.post(&filing, &form).await;
        assert_eq!(response.status(), status, "{form:?}");
        let page = html(response).await;
        assert!(
            page.contains(&format!(r#"id="{control}-error""#)),
            "an error by {control}: {page}"
        );
        assert!(page.contains(&format!(r#"aria-describedby="{control}-error""#)));
    }
    // Without the CSRF token: refused.
    let (response, _) = opponent
        .post(&filing, &[("grounds", "the name is generic")])
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.audit_count().await, audit, "nothing was written");

    // Filed, with the trademark it rests on; back to the GI's page, which lists it.
    let (response, _) = opponent
        .post(
            &filing,
            &[
                ("csrf", &csrf),
                ("grounds", "the name is generic for green tea"),
                ("earlier_rights[0].kind", "trademark"),
                ("earlier_rights[0].number", "TM 1234567"),
                ("earlier_rights[0].territory", "CN"),
                ("earlier_rights[0].owner", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{path}?lang=en"));
    let filed: Value = app
        .get(&format!("/api/v1/gis/{id}/oppositions"), Some(&examiner))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filed.as_array().unwrap().len(), 1, "{filed}");
    assert_eq!(filed[0]["status"], "pending");
    assert_eq!(filed[0]["grounds"], "the name is generic for green tea");
    assert_eq!(filed[0]["earlier_rights"][0]["number"], "TM 1234567");
    assert!(filed[0]["filed_by_association_id"].is_i64(), "{filed}");
    let (response, _) = opponent.get(&path).await;
    let page = html(response).await;
    let listed = page
        .split(r#"class="oppositions""#)
        .nth(1)
        .unwrap_or_else(|| panic!("{page}"));
    assert!(listed.contains("the name is generic for green tea") && listed.contains("pending"));

    // The applicant may not oppose its own application: no form, and a 403 if sent.
    let mut own = Visitor::new(&app);
    own.sign_in("longjing-assoc").await;
    let own_csrf = csrf_of(&own);
    let (response, _) = own.get(&path).await;
    assert!(!html(response).await.contains(r#"id="oppose""#));
    let mut auditor = Visitor::new(&app);
    auditor.sign_in("auditor").await;
    let auditor_csrf = csrf_of(&auditor);
    let audit = app.audit_count().await;
    let (response, _) = own
        .post(&filing, &[("csrf", &own_csrf), ("grounds", "self")])
        .await;
    assert_eq!(response.status(), 403);
    // Nor may an auditor.
    let (response, _) = auditor
        .post(&filing, &[("csrf", &auditor_csrf), ("grounds", "no")])
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.audit_count().await, audit);

    // An examiner records one for a named opponent: the form asks for the name.
    let mut cnipa = Visitor::new(&app);
    cnipa.sign_in("cnipa-examiner").await;
    let (response, _) = cnipa.get(&path).await;
    assert!(html(response)
        .await
        .contains(r#"<label for="oppose-opponent_name">"#));

    // Once the deadline has passed: neither listed as open nor offered the form.
    app.clock.set(app.clock.now() + chrono::Duration::days(400));
    let (response, _) = opponent.get("/desk").await;
    assert!(!html(response)
        .await
        .contains(&format!(r#"href="{path}?lang=en""#)));
    let (response, _) = opponent.get(&path).await;
    assert!(!html(response).await.contains(r#"id="oppose""#));
    let (response, _) = opponent
        .post(
            &filing,
            &[("csrf", &csrf), ("grounds", "too late, but sent anyway")],
        )
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(
        app.get(&format!("/api/v1/gis/{id}/oppositions"), None)
            .await
            .json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn an_association_opposes_a_recognition_in_a_partner_office(app: TestApp) {
    load_demo(&app).await;
    // 茅台酒 is published in Thailand: a Thai association finds it on its desk.
    let mut opponent = Visitor::new(&app);
    opponent.sign_in("thungkula-assoc").await;
    let csrf = csrf_of(&opponent);
    let (response, _) = opponent.get("/desk").await;
    let desk = html(response).await;
    let open = desk
        .split(r#"class="open-to-opposition""#)
        .nth(1)
        .unwrap_or_else(|| panic!("{desk}"))
        .split("</table>")
        .next()
        .unwrap();
    let row = open
        .split("<tr>")
        .find(|row| row.contains("茅台酒"))
        .unwrap_or_else(|| panic!("茅台酒 is open to opposition: {open}"));
    assert!(row.contains("TH — "), "{row}");
    let id: i64 = row
        .split(r#"href="/desk/recognitions/"#)
        .nth(1)
        .and_then(|rest| rest.split('?').next())
        .unwrap_or_else(|| panic!("{row}"))
        .parse()
        .unwrap();
    let path = format!("/desk/recognitions/{id}");
    let filing = format!("{path}/oppositions");
    let before: Value = app
        .get(&format!("/api/v1/recognitions/{id}/oppositions"), None)
        .await
        .json()
        .await
        .unwrap();
    let before = before.as_array().unwrap().len();

    let (response, _) = opponent.get(&path).await;
    assert_eq!(response.status(), 200);
    let page = html(response).await;
    assert!(
        page.contains(r#"action="/desk/recognitions/"#) && page.contains(r#"id="oppose""#),
        "{page}"
    );
    // Its errors by the field; then filed, in the partner office's proceeding.
    let audit = app.audit_count().await;
    let (response, _) = opponent
        .post(&filing, &[("csrf", &csrf), ("grounds", "")])
        .await;
    assert_eq!(response.status(), 422);
    assert!(html(response)
        .await
        .contains(r#"id="oppose-grounds-error""#));
    assert_eq!(app.audit_count().await, audit);
    let (response, _) = opponent
        .post(
            &filing,
            &[
                ("csrf", &csrf),
                (
                    "grounds",
                    "Thai consumers read the name as a generic liquor",
                ),
                ("earlier_rights[0].kind", "generic_term"),
                ("earlier_rights[0].territory", "TH"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{path}?lang=en"));
    let after: Value = app
        .get(&format!("/api/v1/recognitions/{id}/oppositions"), None)
        .await
        .json()
        .await
        .unwrap();
    let after = after.as_array().unwrap();
    assert_eq!(after.len(), before + 1, "{after:?}");
    let filed = after
        .iter()
        .find(|o| o["grounds"] == "Thai consumers read the name as a generic liquor")
        .unwrap();
    assert_eq!(filed["recognition_id"], id);
    assert_eq!(filed["status"], "pending");
    let (response, _) = opponent.get(&path).await;
    assert!(html(response)
        .await
        .contains("Thai consumers read the name as a generic liquor"));

    // The GI's own association is offered no form, and is refused if it sends one.
    let mut applicant = Visitor::new(&app);
    applicant.sign_in("moutai-assoc").await;
    let applicant_csrf = csrf_of(&applicant);
    let (response, _) = applicant.get("/desk").await;
    assert!(!html(response)
        .await
        .contains(&format!(r#"href="{path}?lang=en""#)));
    let (response, _) = applicant.get(&path).await;
    assert!(!html(response).await.contains(r#"id="oppose""#));
    let audit = app.audit_count().await;
    let (response, _) = applicant
        .post(&filing, &[("csrf", &applicant_csrf), ("grounds", "self")])
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.audit_count().await, audit);
}
