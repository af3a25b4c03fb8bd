//! The administrators' desk beyond creating associations and users: an admin creates an
//! office, renames an association, changes a user's role, deactivates and reactivates a
//! user — through the API's use cases and permission checks; an office admin is refused
//! what lies outside its office.

use serde_json::Value;

use super::web_desk::{csrf_of, html, location, Visitor};
use super::web_pages::{load_demo, DEMO_PASSWORD as PASSWORD};
use crate::both_backends;
use crate::helpers::TestApp;

both_backends!(
    an_admin_creates_an_office_and_changes_associations_and_users,
    an_office_admin_changes_only_its_own,
);

async fn admin_token(app: &TestApp) -> String {
    app.tokens("demo-admin", PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn user(app: &TestApp, token: &str, username: &str) -> Value {
    let users: Value = app
        .get("/api/v1/users?limit=200", Some(token))
        .await
        .json()
        .await
        .unwrap();
    users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap_or_else(|| panic!("{username} in {users}"))
        .clone()
}

async fn association(app: &TestApp, name_part: &str) -> Value {
    let listed: Value = app
        .get("/api/v1/associations?limit=100", None)
        .await
        .json()
        .await
        .unwrap();
    listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"].as_str().unwrap().contains(name_part))
        .unwrap_or_else(|| panic!("{name_part} in {listed}"))
        .clone()
}

/// Posts `form` (with the CSRF token) and expects `status`; for a 4xx, the page.
async fn post(visitor: &mut Visitor<'_>, path: &str, form: &[(&str, &str)], status: u16) -> String {
    let csrf = csrf_of(visitor);
    let mut form = form.to_vec();
    form.push(("csrf", &csrf));
    let (response, _) = visitor.post(path, &form).await;
    assert_eq!(response.status(), status, "{path} {form:?}");
    if status == 303 {
        assert_eq!(location(&response), "/desk?lang=en");
        String::new()
    } else {
        html(response).await
    }
}

async fn an_admin_creates_an_office_and_changes_associations_and_users(app: TestApp) {
    load_demo(&app).await;
    let token = admin_token(&app).await;
    let mut admin = Visitor::new(&app);
    admin.sign_in("demo-admin").await;
    let (response, _) = admin.get("/desk").await;
    let desk = html(response).await;
    for form in ["new-office", "edit-association", "edit-user"] {
        assert!(desk.contains(&format!(r#"id="{form}""#)), "{form}: {desk}");
    }
    assert!(desk.contains(r#"<label for="office-code">Code<input type="text" id="office-code""#));
    assert!(desk.contains(r#"<label for="edit-user-role">Role<select id="edit-user-role""#));

    // An office: the API's errors by their fields; then created.
    let audit = app.audit_count().await;
    let page = post(
        &mut admin,
        "/desk/offices",
        &[("code", "x"), ("jurisdiction", "MY"), ("name", "MyIPO")],
        422,
    )
    .await;
    assert!(page.contains(r#"id="office-code-error""#), "{page}");
    assert!(page.contains(r#"value="MyIPO""#), "what was typed is kept");
    assert_eq!(app.audit_count().await, audit);
    post(
        &mut admin,
        "/desk/offices",
        &[
            ("code", "MYIPO"),
            ("jurisdiction", "MY"),
            ("name", "Intellectual Property Corporation of Malaysia"),
            ("opposition_period", "P2M"),
            ("time_zone", "Asia/Kuala_Lumpur"),
        ],
        303,
    )
    .await;
    let office: Value = app
        .get("/api/v1/offices/MYIPO", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(office["jurisdiction"], "MY", "{office}");
    assert_eq!(office["time_zone"], "Asia/Kuala_Lumpur");

    // Rename an association; a contact that is no e-mail address is refused by its field.
    let longjing = association(&app, "Longjing").await;
    let id = longjing["id"].to_string();
    let page = post(
        &mut admin,
        "/desk/associations/edit",
        &[("association_id", &id), ("contact_email", "not an address")],
        422,
    )
    .await;
    assert!(
        page.contains(r#"id="edit-association-contact_email-error""#),
        "{page}"
    );
    post(
        &mut admin,
        "/desk/associations/edit",
        &[
            ("association_id", &id),
            ("name", "West Lake Longjing Tea Producers"),
            ("contact_email", ""),
        ],
        303,
    )
    .await;
    let renamed = association(&app, "West Lake Longjing Tea Producers").await;
    assert_eq!(renamed["id"], longjing["id"]);
    assert_eq!(
        renamed["contact_email"], longjing["contact_email"],
        "an empty field is left as it was"
    );
    // No association chosen: said by the field.
    let page = post(&mut admin, "/desk/associations/edit", &[("name", "X")], 422).await;
    assert!(
        page.contains(r#"id="edit-association-association_id-error""#),
        "{page}"
    );

    // Deactivate a user: its session ends at once; reactivate it: it signs in again.
    let pinggu = user(&app, &token, "pinggu-assoc").await;
    let pinggu_id = pinggu["id"].to_string();
    let mut member = Visitor::new(&app);
    member.sign_in("pinggu-assoc").await;
    post(
        &mut admin,
        "/desk/users/edit",
        &[("user_id", &pinggu_id), ("active", "false"), ("role", "")],
        303,
    )
    .await;
    assert_eq!(user(&app, &token, "pinggu-assoc").await["active"], false);
    assert_eq!(
        user(&app, &token, "pinggu-assoc").await["role"],
        "association",
        "the role is left"
    );
    let (response, _) = member.get("/desk").await;
    assert_eq!(
        response.status(),
        303,
        "the deactivated user's session is over"
    );
    let (response, _) = admin.get("/desk").await;
    assert!(html(response)
        .await
        .contains(r#"<tr class="inactive"><td>pinggu-assoc</td>"#));
    post(
        &mut admin,
        "/desk/users/edit",
        &[("user_id", &pinggu_id), ("active", "true")],
        303,
    )
    .await;
    let mut member = Visitor::new(&app);
    member.sign_in("pinggu-assoc").await;

    // A role changed, through the API's placement rules: an examiner becomes its office's
    // admin; an association user cannot become an examiner without an office.
    let examiner = user(&app, &token, "cnipa-examiner").await["id"].to_string();
    post(
        &mut admin,
        "/desk/users/edit",
        &[
            ("user_id", &examiner),
            ("role", "office_admin"),
            ("display_name", "Wang Li"),
        ],
        303,
    )
    .await;
    let changed = user(&app, &token, "cnipa-examiner").await;
    assert_eq!(changed["role"], "office_admin", "{changed}");
    assert_eq!(changed["display_name"], "Wang Li");
    let audit = app.audit_count().await;
    let page = post(
        &mut admin,
        "/desk/users/edit",
        &[("user_id", &pinggu_id), ("role", "nobody")],
        422,
    )
    .await;
    assert!(page.contains(r#"id="edit-user-role-error""#), "{page}");
    assert_eq!(app.audit_count().await, audit);
}

async fn an_office_admin_changes_only_its_own(app: TestApp) {
    load_demo(&app).await;
    let token = admin_token(&app).await;
    let mut office_admin = Visitor::new(&app);
    office_admin.sign_in("cnipa-admin").await;
    let (response, _) = office_admin.get("/desk").await;
    let desk = html(response).await;
    assert!(
        !desk.contains(r#"id="new-office""#),
        "only admins create offices"
    );
    assert!(desk.contains(r#"id="edit-user""#) && desk.contains(r#"id="edit-association""#));
    let audit = app.audit_count().await;
    post(
        &mut office_admin,
        "/desk/offices",
        &[("code", "MYIPO"), ("jurisdiction", "MY"), ("name", "MyIPO")],
        403,
    )
    .await;
    // Another office's association and user: refused, unchanged.
    let thai = association(&app, "Thung Kula").await;
    post(
        &mut office_admin,
        "/desk/associations/edit",
        &[
            ("association_id", &thai["id"].to_string()),
            ("name", "Renamed"),
        ],
        403,
    )
    .await;
    assert_eq!(association(&app, "Thung Kula").await["name"], thai["name"]);
    let dip = user(&app, &token, "dip-examiner").await;
    post(
        &mut office_admin,
        "/desk/users/edit",
        &[("user_id", &dip["id"].to_string()), ("active", "false")],
        403,
    )
    .await;
    assert_eq!(user(&app, &token, "dip-examiner").await["active"], true);
    // Its own office's user: changed.
    let own = user(&app, &token, "longjing-assoc").await;
    post(
        &mut office_admin,
        "/desk/users/edit",
        &[
            ("user_id", &own["id"].to_string()),
            ("display_name", "Longjing desk"),
        ],
        303,
    )
    .await;
    assert_eq!(
        user(&app, &token, "longjing-assoc").await["display_name"],
        "Longjing desk"
    );
    assert_eq!(app.audit_count().await, audit + 1);
    // An examiner is refused the forms altogether.
    let mut examiner = Visitor::new(&app);
    examiner.sign_in("dip-examiner").await;
    let audit = app.audit_count().await;
    post(
        &mut examiner,
        "/desk/users/edit",
        &[("user_id", &own["id"].to_string()), ("active", "false")],
        403,
    )
    .await;
    assert_eq!(app.audit_count().await, audit);
}
