//! Signing in to the web pages and the examiner's desk, on the CN–TH demonstration:
//! the API's accounts, an HttpOnly SameSite=Strict session cookie, a CSRF token on every
//! form that changes something, the API's work list with its permission check, and a
//! sign-out that revokes the session.

use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{redirect, Client, Response};
use serde_json::Value;

use super::web_pages::{load_demo, DEMO_PASSWORD as PASSWORD};
use crate::both_backends;
use crate::helpers::TestApp;

both_backends!(
    an_examiner_signs_in_works_the_list_and_signs_out,
    the_desk_refuses_who_the_api_refuses,
    an_examiner_decides_a_recognition_through_its_forms,
    a_gi_is_filed_examined_and_registered_through_its_forms,
    an_association_drafts_and_files_through_its_desk,
    an_auditor_issues_and_downloads_a_signed_export,
    an_office_admin_creates_an_association_and_a_user,
);

/// A browser's cookie jar, by hand: the tests read every Set-Cookie.
#[derive(Default)]
pub struct Jar(pub Vec<(String, String)>);

impl Jar {
    /// Takes the response's cookies; returns their Set-Cookie lines.
    pub fn take(&mut self, response: &Response) -> Vec<String> {
        let lines: Vec<String> = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        for line in &lines {
            let (name, value) = line.split(';').next().unwrap().split_once('=').unwrap();
            self.0.retain(|(n, _)| n != name);
            if !line.contains("Max-Age=0") {
                self.0.push((name.to_string(), value.to_string()));
            }
        }
        lines
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header(&self) -> String {
        self.0
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

pub struct Visitor<'a> {
    app: &'a TestApp,
    client: Client,
    pub jar: Jar,
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        let client = Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            app,
            client,
            jar: Jar::default(),
        }
    }

    pub async fn get(&mut self, path: &str) -> (Response, Vec<String>) {
        let response = self
            .client
            .get(self.app.url(path))
            .header(COOKIE, self.jar.header())
            .send()
            .await
            .unwrap();
        let set = self.jar.take(&response);
        (response, set)
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> (Response, Vec<String>) {
        let response = self
            .client
            .post(self.app.url(path))
            .header(COOKIE, self.jar.header())
            .form(form)
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), 500);
        let set = self.jar.take(&response);
        (response, set)
    }

    /// Opens the sign-in form and returns its CSRF token.
    pub async fn login_form(&mut self) -> String {
        let (response, _) = self.get("/login").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let html = response.text().await.unwrap();
        let token = html
            .split(r#"name="csrf" value=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("a CSRF field in {html}"))
            .to_string();
        assert_eq!(
            Some(token.as_str()),
            self.jar.get("terroir_csrf"),
            "double submit"
        );
        token
    }

    pub async fn sign_in(&mut self, username: &str) {
        let csrf = self.login_form().await;
        let (response, _) = self
            .post(
                "/login",
                &[
                    ("csrf", &csrf),
                    ("username", username),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "{username} signs in");
        assert!(self.jar.get("terroir_session").is_some());
    }
}

pub fn location(response: &Response) -> &str {
    response.headers()[LOCATION].to_str().unwrap()
}

pub async fn html(response: Response) -> String {
    assert!(response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    response.text().await.unwrap()
}

async fn an_examiner_signs_in_works_the_list_and_signs_out(app: TestApp) {
    load_demo(&app).await;
    let mut visitor = Visitor::new(&app);
    // Not signed in: the desk sends you to the sign-in form.
    let (response, _) = visitor.get("/desk").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login?lang=en");

    // The form: labelled fields, a CSRF token in a cookie scripts cannot read.
    let (response, set) = visitor.get("/login?lang=th").await;
    let csrf_cookie = set.iter().find(|c| c.starts_with("terroir_csrf=")).unwrap();
    assert!(
        csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Strict"),
        "{csrf_cookie}"
    );
    let form = html(response).await;
    assert!(form.contains(r#"<html lang="th">"#));
    assert!(
        form.contains(r#"<label>ชื่อผู้ใช้<input type="text" name="username""#),
        "{form}"
    );
    assert!(form.contains(r#"<label>รหัสผ่าน<input type="password" name="password""#));
    let csrf = visitor.login_form().await;

    // Without the token, with another token, or with a wrong password: no session.
    for (token, password, status) in [
        ("", PASSWORD, 403),
        ("0".repeat(64).as_str(), PASSWORD, 403),
        (csrf.as_str(), "not-the-password", 401),
    ] {
        let (response, set) = visitor
            .post(
                "/login",
                &[
                    ("csrf", token),
                    ("username", "dip-examiner"),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(response.status(), status);
        assert!(
            !set.iter().any(|c| c.starts_with("terroir_session=")),
            "{set:?}"
        );
        let page = html(response).await;
        if status == 401 {
            assert!(page.contains("Wrong username or password."), "{page}");
            assert!(
                page.contains(r#"value="dip-examiner""#),
                "the username is kept"
            );
        }
    }

    // Signing in: the session in an HttpOnly, SameSite=Strict cookie; on to the desk.
    let (response, set) = visitor
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", "dip-examiner"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/desk?lang=en");
    let session = set
        .iter()
        .find(|c| c.starts_with("terroir_session="))
        .unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(session.contains(attribute), "{session}");
    }
    let token = visitor.jar.get("terroir_session").unwrap().to_string();

    // The desk: the API's work list, in its order (by deadline), the overdue marked.
    let (response, _) = visitor.get("/desk").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let desk = html(response).await;
    assert!(desk.contains("<strong>dip-examiner</strong>"), "{desk}");
    let api: Vec<Value> = app
        .get("/api/v1/worklist", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let rows: Vec<&str> = desk
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("<tr")
        .skip(1)
        .collect();
    assert_eq!(rows.len(), api.len(), "{desk}");
    assert!(
        api.iter().any(|item| item["overdue"] == true),
        "the demo has an overdue item"
    );
    for (row, item) in rows.iter().zip(&api) {
        assert!(
            row.contains(item["name"].as_str().unwrap()),
            "{row} vs {item}"
        );
        assert_eq!(
            row.starts_with(r#" class="overdue""#),
            item["overdue"] == true,
            "{row}"
        );
        assert_eq!(row.contains("overdue-mark"), item["overdue"] == true);
    }
    assert!(
        rows[0].contains("镇江香醋") && rows[0].contains("overdue"),
        "{}",
        rows[0]
    );

    // Signing out needs the token too; then the session is revoked, not only forgotten.
    let (response, _) = visitor.post("/logout", &[("csrf", "nope")]).await;
    assert_eq!(response.status(), 403);
    let (response, _) = visitor.get("/desk").await;
    assert_eq!(response.status(), 200, "still signed in");
    let (response, set) = visitor.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), 303);
    assert!(
        set.iter()
            .any(|c| c.starts_with("terroir_session=;") && c.contains("Max-Age=0")),
        "{set:?}"
    );
    let (response, _) = visitor.get("/desk").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        app.get("/api/v1/worklist", Some(&token)).await.status(),
        401
    );
    // A stolen cookie is no use after sign-out either.
    visitor.jar.0.push(("terroir_session".into(), token));
    let (response, _) = visitor.get("/desk").await;
    assert_eq!(response.status(), 303);
}

async fn the_desk_refuses_who_the_api_refuses(app: TestApp) {
    load_demo(&app).await;
    // Each role has its own desk: an admin's has no work list (the API refuses it one).
    let mut visitor = Visitor::new(&app);
    visitor.sign_in("demo-admin").await;
    let (response, _) = visitor.get("/desk").await;
    assert_eq!(response.status(), 200);
    let page = html(response).await;
    assert!(
        !page.contains("Work list") && page.contains(r#"id="new-association""#),
        "{page}"
    );
    assert!(
        page.contains(r#"action="/logout""#),
        "the admin may sign out"
    );
    let token = visitor.jar.get("terroir_session").unwrap();
    assert_eq!(app.get("/api/v1/worklist", Some(token)).await.status(), 403);
    // A forged session cookie is no session.
    let mut visitor = Visitor::new(&app);
    visitor
        .jar
        .0
        .push(("terroir_session".into(), "forged.token.value".into()));
    let (response, _) = visitor.get("/desk").await;
    assert_eq!(response.status(), 303);
}

async fn recognition(app: &TestApp, id: &str) -> Value {
    app.get(&format!("/api/v1/recognitions/{id}"), None)
        .await
        .json()
        .await
        .unwrap()
}

async fn an_examiner_decides_a_recognition_through_its_forms(app: TestApp) {
    load_demo(&app).await;
    let mut examiner = Visitor::new(&app);
    examiner.sign_in("dip-examiner").await;
    let csrf = examiner.jar.get("terroir_csrf").unwrap().to_string();
    // The overdue 镇江香醋, first on the work list, opens on its own page.
    let (response, _) = examiner.get("/desk").await;
    let desk = html(response).await;
    let first = desk
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(first.contains("镇江香醋"), "{first}");
    let id = first
        .split(r#"href="/desk/recognitions/"#)
        .nth(1)
        .and_then(|rest| rest.split('?').next())
        .unwrap_or_else(|| panic!("a link to the recognition in {first}"))
        .to_string();
    let path = format!("/desk/recognitions/{id}");
    assert_eq!(recognition(&app, &id).await["status"], "submitted");
    let (response, _) = examiner.get(&path).await;
    assert_eq!(response.status(), 200);
    let page = html(response).await;
    // The actions its status allows, each a form with labelled fields.
    for form in ["act-start_examination", "act-refuse"] {
        assert!(page.contains(&format!(r#"id="{form}""#)), "{form}: {page}");
    }
    // Only those the caller's role may take: withdrawing is the origin's.
    assert!(!page.contains(r#"id="act-protect""#));
    assert!(!page.contains(r#"id="act-withdraw""#), "{page}");
    assert!(page.contains(r#"<label for="refuse-grounds">Grounds<textarea id="refuse-grounds""#));

    // The API's errors, next to the field they name; nothing written.
    let audit = app.audit_count().await;
    for (form, field, status, message) in [
        (
            vec![("action", "refuse")],
            "refuse-grounds",
            422,
            "are required to refuse",
        ),
        (
            vec![
                ("action", "refuse"),
                ("grounds", "generic term"),
                ("effective_on", "2026-02-30"),
            ],
            "refuse-effective_on",
            422,
            "",
        ),
    ] {
        let mut form = form;
        form.push(("csrf", &csrf));
        let (response, _) = examiner.post(&path, &form).await;
        assert_eq!(response.status(), status);
        let page = html(response).await;
        let error = page
            .split(&format!(r#"id="{field}-error""#))
            .nth(1)
            .unwrap_or_else(|| panic!("an error by {field}: {page}"));
        assert!(error.contains(message), "{error}");
        assert!(
            page.contains(&format!(r#"id="{field}" "#))
                || page.contains(&format!(r#"id="{field}""#))
        );
    }
    // A transition the status does not allow: the API's 409, above the form.
    let (response, _) = examiner
        .post(&path, &[("csrf", &csrf), ("action", "protect")])
        .await;
    assert_eq!(response.status(), 409);
    assert!(html(response)
        .await
        .contains("does not allow action `protect`"));
    // Without the CSRF token: refused.
    let (response, _) = examiner
        .post(&path, &[("action", "start_examination")])
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.audit_count().await, audit, "nothing was written");
    assert_eq!(recognition(&app, &id).await["status"], "submitted");

    // Examine, publish, and after DIP's 90 days protect with a limitation.
    let today = dip_today(&app);
    for form in [
        vec![("action", "start_examination")],
        vec![("action", "publish"), ("effective_on", &today.to_string())],
    ] {
        let mut form = form;
        form.push(("csrf", &csrf));
        let (response, _) = examiner.post(&path, &form).await;
        assert_eq!(response.status(), 303, "{form:?}");
        assert_eq!(location(&response), format!("{path}?lang=en"));
    }
    assert_eq!(recognition(&app, &id).await["status"], "published");
    // The partner's origin examiner may not protect it (the use case's own check).
    let mut origin = Visitor::new(&app);
    origin.sign_in("cnipa-examiner").await;
    let origin_csrf = origin.jar.get("terroir_csrf").unwrap().to_string();
    let (response, _) = origin.get(&path).await;
    let page = html(response).await;
    assert!(page.contains(r#"id="act-withdraw""#), "{page}");
    assert!(!page.contains(r#"id="act-protect""#) && !page.contains(r#"id="act-refuse""#));
    let (response, _) = origin
        .post(&path, &[("csrf", &origin_csrf), ("action", "protect")])
        .await;
    assert_eq!(response.status(), 403);
    app.clock.set(app.clock.now() + chrono::Duration::days(120));
    let (response, _) = examiner
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("action", "protect"),
                ("limitations", "the name in Thai script only"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let after = recognition(&app, &id).await;
    assert_eq!(after["status"], "protected", "{after}");
    assert_eq!(after["limitations"], "the name in Thai script only");
    let (response, _) = examiner.get(&path).await;
    let page = html(response).await;
    assert!(page.contains("status-protected"));
    // An auditor sees the recognition but is offered no action.
    let mut auditor = Visitor::new(&app);
    auditor.sign_in("auditor").await;
    let (response, _) = auditor.get(&path).await;
    assert_eq!(response.status(), 200);
    let page = html(response).await;
    assert!(!page.contains(r#"class="action""#), "{page}");
}

pub async fn gi(app: &TestApp, id: i64) -> Value {
    let token = app.tokens("cnipa-examiner", PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    app.get(&format!("/api/v1/gis/{id}"), Some(&token))
        .await
        .json()
        .await
        .unwrap()
}

/// The CSRF token the visitor's forms carry.
pub fn csrf_of(visitor: &Visitor) -> String {
    visitor.jar.get("terroir_csrf").unwrap().to_string()
}

async fn a_gi_is_filed_examined_and_registered_through_its_forms(app: TestApp) {
    load_demo(&app).await;
    let registered = super::web_pages::gi_id(&app, "龙井茶").await;
    // The Longjing association drafts a second 龙井茶 (through the API).
    let token = app.tokens("longjing-assoc", PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut body = super::register::longjing(0);
    body.as_object_mut().unwrap().remove("association_id");
    let draft: Value =
        super::register::expect(app.post("/api/v1/gis", Some(&token), body).await, 201).await;
    let id = draft["id"].as_i64().unwrap();
    let path = format!("/desk/gis/{id}");

    // The association is offered filing and withdrawal, nothing of the examiner's.
    let mut association = Visitor::new(&app);
    association.sign_in("longjing-assoc").await;
    let csrf = csrf_of(&association);
    let (response, _) = association.get(&path).await;
    assert_eq!(response.status(), 200);
    let page = html(response).await;
    assert!(
        page.contains(r#"id="act-file""#) && page.contains(r#"id="act-withdraw""#),
        "{page}"
    );
    assert!(!page.contains(r#"id="act-start_examination""#));
    let (response, _) = association
        .post(&path, &[("csrf", &csrf), ("action", "file")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{path}?lang=en"));
    assert_eq!(gi(&app, id).await["status"], "filed");
    // Filing reported the homonym; the page lists it.
    let (response, _) = association.get(&path).await;
    let page = html(response).await;
    let reported = page
        .split(r#"class="conflicts""#)
        .nth(1)
        .unwrap_or_else(|| panic!("{page}"));
    assert!(
        reported.contains(&format!(r#"href="/gis/{registered}?lang=en""#)),
        "{reported}"
    );
    // An examiner's action, submitted anyway: a 403 page, nothing written.
    let audit = app.audit_count().await;
    let (response, _) = association
        .post(&path, &[("csrf", &csrf), ("action", "start_examination")])
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(gi(&app, id).await["status"], "filed");

    // The examiner finds it on the work list and takes it to publication.
    let mut examiner = Visitor::new(&app);
    examiner.sign_in("cnipa-examiner").await;
    let csrf = csrf_of(&examiner);
    let (response, _) = examiner.get("/desk").await;
    assert!(html(response)
        .await
        .contains(&format!(r#"href="{path}?lang=en""#)));
    let (response, _) = examiner.get(&path).await;
    let page = html(response).await;
    assert!(page.contains(r#"id="act-start_examination""#) && !page.contains(r#"id="act-file""#));
    for form in [
        vec![("action", "start_examination")],
        vec![
            ("action", "publish"),
            ("publication_reference", "CNIPA Gazette 2026/48, p. 12"),
        ],
    ] {
        let mut form = form;
        form.push(("csrf", &csrf));
        let (response, _) = examiner.post(&path, &form).await;
        assert_eq!(response.status(), 303, "{form:?}");
    }
    assert_eq!(gi(&app, id).await["status"], "published");

    // Registering the homonym: the API's 409, with the protected GI to acknowledge.
    app.clock.set(app.clock.now() + chrono::Duration::days(400));
    let (response, _) = examiner
        .post(&path, &[("csrf", &csrf), ("action", "register")])
        .await;
    assert_eq!(response.status(), 409);
    let page = html(response).await;
    let checkbox = format!(r#"id="register-acknowledge-{registered}""#);
    assert!(page.contains(&checkbox), "{page}");
    assert!(page.contains(&format!(
        r#"<label for="register-acknowledge-{registered}">"#
    )));
    // Acknowledged without grounds: the grounds are asked for, next to their field.
    let registered_text = registered.to_string();
    let (response, _) = examiner
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("action", "register"),
                ("acknowledge_conflicts", &registered_text),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = html(response).await;
    assert!(
        page.split(r#"id="register-grounds-error""#)
            .nth(1)
            .is_some(),
        "{page}"
    );
    assert!(
        page.contains(" checked"),
        "the acknowledgement is kept: {page}"
    );
    assert_eq!(gi(&app, id).await["status"], "published");
    let (response, _) = examiner
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("action", "register"),
                ("acknowledge_conflicts", &registered_text),
                (
                    "grounds",
                    "a homonym from another county, labelled with its county",
                ),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(gi(&app, id).await["status"], "registered");
}

async fn an_association_drafts_and_files_through_its_desk(app: TestApp) {
    load_demo(&app).await;
    let mut association = Visitor::new(&app);
    association.sign_in("longjing-assoc").await;
    let csrf = csrf_of(&association);
    // Its own GIs, with their status at home and per territory; not another's.
    let (response, _) = association.get("/desk").await;
    assert_eq!(response.status(), 200);
    let desk = html(response).await;
    let own = desk
        .split(r#"class="own-gis""#)
        .nth(1)
        .unwrap_or_else(|| panic!("{desk}"));
    let own = own.split("</table>").next().unwrap();
    assert!(
        own.contains("龙井茶") && own.contains("status-registered"),
        "{own}"
    );
    assert!(!own.contains("平谷"), "{own}");
    assert!(desk.contains(r#"<label for="draft-names[0].script">Script<input type="text" id="draft-names[0].script""#), "{desk}");

    // A form the API refuses: its errors by their fields, the names' on their rows.
    let audit = app.audit_count().await;
    let (response, _) = association
        .post(
            "/desk/gis",
            &[
                ("csrf", &csrf),
                ("gi_type", "pdo"),
                ("product_type", "food"),
                ("product_class", "1.8"),
                ("names[0].kind", "original"),
                ("names[1].text", "西湖龙井"),
                ("names[1].kind", "original"),
                ("area_description", "West Lake district, Hangzhou"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = html(response).await;
    // The API's first error: the second row's missing language (sent as names[0]).
    assert!(page.contains(r#"id="draft-names[1].lang-error""#), "{page}");
    assert!(page.contains(r#"aria-describedby="draft-names[1].lang-error""#));
    assert!(page.contains("西湖龙井"), "what was typed is kept");
    assert_eq!(app.audit_count().await, audit, "nothing was written");

    // A draft, then filed from its page.
    let (response, _) = association
        .post(
            "/desk/gis",
            &[
                ("csrf", &csrf),
                ("gi_type", "pdo"),
                ("product_type", "food"),
                ("product_class", "1.8"),
                ("names[0].text", "西湖龙井"),
                ("names[0].lang", "zh"),
                ("names[0].script", "Hans"),
                ("names[0].kind", "original"),
                ("names[1].kind", "original"),
                ("area_description", "West Lake district, Hangzhou"),
                (
                    "specification.product_description",
                    "Flat, jade-green tea leaves",
                ),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let path = location(&response).split('?').next().unwrap().to_string();
    let id: i64 = path.strip_prefix("/desk/gis/").unwrap().parse().unwrap();
    let draft = gi(&app, id).await;
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["names"][0]["text"], "西湖龙井");
    assert_eq!(draft["names"].as_array().unwrap().len(), 1);
    let (response, _) = association.get("/desk").await;
    assert!(html(response)
        .await
        .contains(&format!(r#"href="{path}?lang=en""#)));
    // Edited from its page (the version read goes along, as If-Match would).
    let (response, _) = association.get(&path).await;
    let page = html(response).await;
    let form = page
        .split(r#"id="edit""#)
        .nth(1)
        .unwrap_or_else(|| panic!("{page}"));
    assert!(
        form.contains(r#"name="names[0].text" value="西湖龙井""#),
        "{form}"
    );
    let version = draft["version"].to_string();
    let form: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("version", &version),
        ("gi_type", "pdo"),
        ("product_type", "food"),
        ("product_class", "1.8"),
        ("names[0].text", "西湖龙井"),
        ("names[0].lang", "zh"),
        ("names[0].script", "Hans"),
        ("names[0].kind", "original"),
        ("names[1].text", "Xihu Longjing"),
        ("names[1].lang", "zh-Latn"),
        ("names[1].script", "Latn"),
        ("names[1].kind", "transliteration"),
        ("names[1].romanization", "pinyin"),
        ("area_description", "West Lake district, Hangzhou"),
        (
            "specification.product_description",
            "Flat, jade-green tea leaves",
        ),
    ];
    let (response, _) = association.post(&format!("{path}/draft"), &form).await;
    assert_eq!(response.status(), 303);
    let edited = gi(&app, id).await;
    assert_eq!(edited["names"].as_array().unwrap().len(), 2, "{edited}");
    assert_eq!(edited["names"][1]["text"], "Xihu Longjing");
    // With the version read before that edit: the API's 412, nothing changed.
    let (response, _) = association.post(&format!("{path}/draft"), &form).await;
    assert_eq!(response.status(), 412);
    assert_eq!(gi(&app, id).await["version"], edited["version"]);
    let (response, _) = association
        .post(&path, &[("csrf", &csrf), ("action", "file")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(gi(&app, id).await["status"], "filed");

    // Whoever may not apply is refused with a 403 page.
    let mut auditor = Visitor::new(&app);
    auditor.sign_in("auditor").await;
    let auditor_csrf = csrf_of(&auditor);
    let audit = app.audit_count().await;
    let (response, _) = auditor
        .post("/desk/gis", &[("csrf", &auditor_csrf), ("gi_type", "pdo")])
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.audit_count().await, audit);
}

/// The text of the element that follows `marker` in `page`.
fn text_after<'p>(page: &'p str, marker: &str) -> &'p str {
    page.split(marker)
        .nth(1)
        .and_then(|rest| rest.split('>').nth(1))
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("{marker} in {page}"))
}

async fn an_auditor_issues_and_downloads_a_signed_export(app: TestApp) {
    use sha2::{Digest, Sha256};
    load_demo(&app).await;
    let mut auditor = Visitor::new(&app);
    auditor.sign_in("auditor").await;
    let csrf = csrf_of(&auditor);
    let token = auditor.jar.get("terroir_session").unwrap().to_string();
    // The desk: the audit chain's verification, and the export form.
    let (response, _) = auditor.get("/desk").await;
    assert_eq!(response.status(), 200);
    let desk = html(response).await;
    let verified: Value = app
        .get("/api/v1/audit/verify", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        desk.contains(&format!(
            r#"<dd class="chain-status">{}</dd>"#,
            verified["status"].as_str().unwrap()
        )),
        "{desk}"
    );
    assert!(
        desk.contains(&format!("<dd>{}</dd>", verified["entries"])),
        "{desk}"
    );
    assert!(desk.contains(r#"<label for="export-as_of">"#) && desk.contains(r#"id="export-form""#));

    // A date that is no date: the API's error by the field; no export recorded.
    let audit = app.audit_count().await;
    let (response, _) = auditor
        .post(
            "/desk/exports",
            &[("csrf", &csrf), ("format", "csv"), ("as_of", "2026-13-40")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = html(response).await;
    assert!(page.contains(r#"id="export-as_of-error""#), "{page}");
    assert_eq!(app.audit_count().await, audit);

    // Issued: the record on the page, the file behind its link, the digest the same.
    let (response, _) = auditor
        .post(
            "/desk/exports",
            &[
                ("csrf", &csrf),
                ("format", "csv"),
                ("partner", "DIP"),
                ("programme", ""),
                ("status", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let page = html(response).await;
    let id = text_after(&page, r#"class="export-id""#).to_string();
    let sha = text_after(&page, r#"class="sha256""#).to_string();
    let signature = text_after(&page, r#"class="signature""#).to_string();
    let record: Value = app
        .get(&format!("/api/v1/exports/{id}"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(record["sha256"], sha, "{record}");
    assert_eq!(record["signature"], signature);
    assert_eq!(record["query"]["partner"], "DIP");
    let link = format!("/desk/exports/{id}/file");
    assert!(page.contains(&format!(r#"href="{link}""#)), "{page}");
    let (response, _) = auditor.get(&link).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert_eq!(response.headers()["x-content-sha256"], sha.as_str());
    assert_eq!(response.headers()["x-signature"], signature.as_str());
    let bytes = response.bytes().await.unwrap();
    assert_eq!(hex::encode(Sha256::digest(&bytes)), sha);
    assert!(String::from_utf8_lossy(&bytes).contains("DIP"));

    // An association may not export, nor download another's export.
    let mut association = Visitor::new(&app);
    association.sign_in("longjing-assoc").await;
    let association_csrf = csrf_of(&association);
    let audit = app.audit_count().await;
    let (response, _) = association
        .post(
            "/desk/exports",
            &[("csrf", &association_csrf), ("format", "csv")],
        )
        .await;
    assert_eq!(response.status(), 403);
    let (response, _) = association.get(&link).await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.audit_count().await, audit);
}

async fn an_office_admin_creates_an_association_and_a_user(app: TestApp) {
    load_demo(&app).await;
    let mut admin = Visitor::new(&app);
    admin.sign_in("cnipa-admin").await;
    let csrf = csrf_of(&admin);
    let token = admin.jar.get("terroir_session").unwrap().to_string();
    // Below the work list: the offices, its office's associations and users, the forms.
    let (response, _) = admin.get("/desk").await;
    assert_eq!(response.status(), 200);
    let desk = html(response).await;
    assert!(
        desk.contains("Hangzhou West Lake Longjing Tea Association"),
        "{desk}"
    );
    assert!(
        desk.contains(
            r#"<label for="association-name">Name<input type="text" id="association-name""#
        ),
        "{desk}"
    );
    assert!(desk.contains(r#"id="new-user""#));
    // An association of another office: refused by the use case, nothing written.
    let audit = app.audit_count().await;
    let (response, _) = admin
        .post(
            "/desk/associations",
            &[
                ("csrf", &csrf),
                ("name", "Chiang Rai growers"),
                ("office", "DIP"),
            ],
        )
        .await;
    assert_eq!(response.status(), 403);
    // No name: the API's error next to the field.
    let (response, _) = admin
        .post(
            "/desk/associations",
            &[("csrf", &csrf), ("office", "CNIPA")],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(html(response)
        .await
        .contains(r#"id="association-name-error""#));
    assert_eq!(app.audit_count().await, audit);
    // Created, and listed as the API lists it.
    let (response, _) = admin
        .post(
            "/desk/associations",
            &[
                ("csrf", &csrf),
                ("name", "Anji White Tea Association"),
                ("office", "CNIPA"),
                ("contact_email", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/desk?lang=en");
    // The language switch of a form sent back links to its path: the desk again.
    let (response, _) = admin.get("/desk/associations?lang=th").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/desk?lang=th");
    let listed: Value = app
        .get("/api/v1/associations?office=CNIPA", None)
        .await
        .json()
        .await
        .unwrap();
    let created = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Anji White Tea Association")
        .unwrap_or_else(|| panic!("{listed}"))
        .clone();
    let (response, _) = admin.get("/desk").await;
    assert!(html(response).await.contains("Anji White Tea Association"));
    // A user of that association, through the API's user rules.
    let association_id = created["id"].to_string();
    let (response, _) = admin
        .post(
            "/desk/users",
            &[
                ("csrf", &csrf),
                ("username", "anji-assoc"),
                ("password", "a long enough password"),
                ("role", "association"),
                ("office", "CNIPA"),
                ("association_id", &association_id),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let users: Value = app
        .get("/api/v1/users?limit=100", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        users["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["username"] == "anji-assoc"),
        "{users}"
    );
    // An office admin may not create an admin.
    let (response, _) = admin
        .post(
            "/desk/users",
            &[
                ("csrf", &csrf),
                ("username", "root2"),
                ("password", "a long enough password"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(response.status(), 403);
    // An examiner is refused the form altogether.
    let mut examiner = Visitor::new(&app);
    examiner.sign_in("cnipa-examiner").await;
    let examiner_csrf = csrf_of(&examiner);
    let (response, _) = examiner
        .post(
            "/desk/associations",
            &[("csrf", &examiner_csrf), ("name", "X"), ("office", "CNIPA")],
        )
        .await;
    assert_eq!(response.status(), 403);
}

/// Today in DIP's time zone (the demo's `Asia/Bangkok`), the date its acts are checked
/// against: from 17:00 UTC on, a day after UTC's.
pub fn dip_today(app: &TestApp) -> chrono::NaiveDate {
    app.clock
        .now()
        .with_timezone(&chrono_tz::Asia::Bangkok)
        .date_naive()
}
