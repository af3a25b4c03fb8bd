//! The role × action matrix of DESIGN §3, walked over HTTP: every role (and anonymous)
//! against every write and every restricted read on offices, associations, users and
//! the audit log. A refused request must leave the audit log untouched.

use std::future::Future;

use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{TestApp, PASSWORD};

both_backends!(
    offices_are_managed_by_admins_only,
    associations_are_managed_within_ones_office,
    office_admin_creates_users_of_its_own_office_only,
    other_roles_cannot_create_users,
    user_lists_are_scoped_to_the_callers_office,
    reading_one_user,
    amending_users,
    nobody_deactivates_themselves,
    audit_log_is_for_admins_and_auditors,
    offices_and_associations_are_public,
    placement_is_validated,
);

/// The setup every test starts from: two offices, an association in each, and one
/// account of every role (the office roles in CNIPA).
struct World {
    admin: String,
    office_admin: String,
    examiner: String,
    association: String,
    auditor: String,
    cnipa_association: i64,
    dip_association: i64,
    ids: Ids,
}

/// Account ids: those of the tokens above, and an examiner of DIP to aim at.
struct Ids {
    admin: i64,
    office_admin: i64,
    examiner: i64,
    association: i64,
    auditor: i64,
    dip_examiner: i64,
}

impl World {
    /// Every authenticated role with its token, for walking the matrix.
    fn roles(&self) -> [(&'static str, &str); 5] {
        [
            ("admin", &self.admin),
            ("office_admin", &self.office_admin),
            ("examiner", &self.examiner),
            ("association", &self.association),
            ("auditor", &self.auditor),
        ]
    }
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin_token().await;
    app.create_office(&admin, "CNIPA", "CN", 60).await;
    app.create_office(&admin, "DIP", "TH", 90).await;
    let cnipa_association = app
        .create_association(&admin, "Longjing Tea Association", "CNIPA")
        .await["id"]
        .as_i64()
        .unwrap();
    let dip_association = app
        .create_association(&admin, "Doi Tung Coffee Association", "DIP")
        .await["id"]
        .as_i64()
        .unwrap();
    let office_admin = app
        .user_token(
            &admin,
            json!({"username": "cn-admin", "role": "office_admin", "office": "CNIPA"}),
        )
        .await;
    let examiner = app
        .user_token(
            &admin,
            json!({"username": "cn-examiner", "role": "examiner", "office": "CNIPA"}),
        )
        .await;
    let association = app
        .user_token(
            &admin,
            json!({"username": "longjing", "role": "association", "association_id": cnipa_association}),
        )
        .await;
    let auditor = app
        .user_token(&admin, json!({"username": "auditor", "role": "auditor"}))
        .await;
    let dip_examiner = create_user(
        app,
        &admin,
        json!({"username": "th-examiner", "role": "examiner", "office": "DIP"}),
    )
    .await;
    let ids = Ids {
        admin: me(app, &admin).await,
        office_admin: me(app, &office_admin).await,
        examiner: me(app, &examiner).await,
        association: me(app, &association).await,
        auditor: me(app, &auditor).await,
        dip_examiner,
    };
    World {
        admin,
        office_admin,
        examiner,
        association,
        auditor,
        cnipa_association,
        dip_association,
        ids,
    }
}

/// The caller's own user id.
async fn me(app: &TestApp, token: &str) -> i64 {
    let response = app.get("/api/v1/me", Some(token)).await;
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Creates a user (with the test password) and returns its id.
async fn create_user(app: &TestApp, token: &str, mut body: Value) -> i64 {
    body["password"] = json!(PASSWORD);
    let response = app.post("/api/v1/users", Some(token), body.clone()).await;
    let status = response.status().as_u16();
    let created: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "create user {body}: {created}");
    created["id"].as_i64().unwrap()
}

fn user_body(username: &str, extra: Value) -> Value {
    let mut body = json!({"username": username, "password": PASSWORD});
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

/// The error code a refusal with this status carries.
fn code_of(status: u16) -> &'static str {
    match status {
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        409 => "cannot_change_self",
        422 => "validation_failed",
        other => panic!("no code known for {other}"),
    }
}

/// Asserts the status, and for an error the JSON envelope and its code; returns the body.
async fn expect(response: Response, status: u16, what: &str) -> Value {
    let actual = response.status().as_u16();
    let is_json = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "{what}: {text}");
    assert!(is_json, "{what}: the response is not JSON: {text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    if status >= 400 {
        assert_eq!(body["error"]["code"], code_of(status), "{what}: {body}");
        assert!(body["error"]["message"].is_string(), "{what}: {body}");
    }
    body
}

/// Sends a request that must be refused with `status`, and checks that it wrote nothing.
async fn refused(
    app: &TestApp,
    status: u16,
    what: &str,
    request: impl Future<Output = Response>,
) -> Value {
    let before = app.audit_count().await;
    let body = expect(request.await, status, what).await;
    assert_eq!(
        app.audit_count().await,
        before,
        "{what}: a refused request wrote to the audit log"
    );
    body
}

/// Sends a write that must succeed with `status`, and checks that it was audited once.
async fn allowed(
    app: &TestApp,
    status: u16,
    what: &str,
    request: impl Future<Output = Response>,
) -> Value {
    let before = app.audit_count().await;
    let body = expect(request.await, status, what).await;
    assert_eq!(
        app.audit_count().await,
        before + 1,
        "{what}: a write must be audited once"
    );
    body
}

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> Response {
    app.request(method, path, token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn names_field(body: &Value, field: &str) -> bool {
    body["error"]["details"]
        .as_array()
        .is_some_and(|details| details.iter().any(|d| d["field"] == field))
}

async fn offices_are_managed_by_admins_only(app: TestApp) {
    let w = world(&app).await;
    let office = |code: &str| {
        json!({"code": code, "jurisdiction": "EU", "name": "European Union Intellectual Property Office",
               "opposition_period_days": 90, "languages": ["en", "fr"]})
    };

    allowed(
        &app,
        201,
        "admin creates an office",
        app.post("/api/v1/offices", Some(&w.admin), office("EUIPO")),
    )
    .await;
    for (role, token) in w.roles().into_iter().skip(1) {
        let what = format!("{role} creates an office");
        refused(
            &app,
            403,
            &what,
            app.post("/api/v1/offices", Some(token), office("OTHER")),
        )
        .await;
    }
    refused(
        &app,
        401,
        "anonymous creates an office",
        app.post("/api/v1/offices", None, office("OTHER")),
    )
    .await;

    let rename = json!({"name": "China National Intellectual Property Administration"});
    let body = allowed(
        &app,
        200,
        "admin amends CNIPA",
        app.patch("/api/v1/offices/CNIPA", Some(&w.admin), rename.clone()),
    )
    .await;
    assert_eq!(body["name"], rename["name"]);
    let stolen = json!({"name": "Taken over", "opposition_period_days": 1});
    for (role, token) in w.roles().into_iter().skip(1) {
        let what = format!("{role} amends CNIPA");
        refused(
            &app,
            403,
            &what,
            app.patch("/api/v1/offices/CNIPA", Some(token), stolen.clone()),
        )
        .await;
    }
    refused(
        &app,
        401,
        "anonymous amends CNIPA",
        app.patch("/api/v1/offices/CNIPA", None, stolen),
    )
    .await;

    // Nothing refused reached the data.
    let cnipa = expect(
        app.get("/api/v1/offices/CNIPA", None).await,
        200,
        "read CNIPA",
    )
    .await;
    assert_eq!(cnipa["name"], rename["name"]);
    assert_eq!(cnipa["opposition_period_days"], 60);
    assert_eq!(cnipa["version"], 2);
    let list = expect(app.get("/api/v1/offices", None).await, 200, "list offices").await;
    let codes: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CNIPA", "DIP", "EUIPO"]);
}

async fn associations_are_managed_within_ones_office(app: TestApp) {
    let w = world(&app).await;
    let association = |name: &str, office: &str| json!({"name": name, "office": office});

    for office in ["CNIPA", "DIP"] {
        let what = format!("admin creates an association in {office}");
        let body = allowed(
            &app,
            201,
            &what,
            app.post(
                "/api/v1/associations",
                Some(&w.admin),
                association("By the admin", office),
            ),
        )
        .await;
        assert_eq!(body["office"], office);
    }
    allowed(
        &app,
        201,
        "office_admin creates an association in its own office",
        app.post(
            "/api/v1/associations",
            Some(&w.office_admin),
            association("By the office admin", "CNIPA"),
        ),
    )
    .await;
    refused(
        &app,
        403,
        "office_admin creates an association in another office",
        app.post(
            "/api/v1/associations",
            Some(&w.office_admin),
            association("By the office admin", "DIP"),
        ),
    )
    .await;
    for (role, token) in w.roles().into_iter().skip(2) {
        for office in ["CNIPA", "DIP"] {
            let what = format!("{role} creates an association in {office}");
            refused(
                &app,
                403,
                &what,
                app.post(
                    "/api/v1/associations",
                    Some(token),
                    association("Nope", office),
                ),
            )
            .await;
        }
    }
    for office in ["CNIPA", "DIP"] {
        let what = format!("anonymous creates an association in {office}");
        refused(
            &app,
            401,
            &what,
            app.post("/api/v1/associations", None, association("Nope", office)),
        )
        .await;
    }

    // Amending an association of DIP: only the admin may.
    let dip_path = format!("/api/v1/associations/{}", w.dip_association);
    let cnipa_path = format!("/api/v1/associations/{}", w.cnipa_association);
    let change = json!({"contact_email": "hijack@example.com"});
    for (role, token) in w.roles().into_iter().skip(1) {
        let what = format!("{role} amends the DIP association");
        refused(
            &app,
            403,
            &what,
            app.patch(&dip_path, Some(token), change.clone()),
        )
        .await;
    }
    refused(
        &app,
        401,
        "anonymous amends the DIP association",
        app.patch(&dip_path, None, change.clone()),
    )
    .await;
    let before = expect(
        app.get(&dip_path, None).await,
        200,
        "read the DIP association",
    )
    .await;
    assert_eq!(before["contact_email"], Value::Null);
    assert_eq!(before["version"], 1);
    allowed(
        &app,
        200,
        "admin amends the DIP association",
        app.patch(
            &dip_path,
            Some(&w.admin),
            json!({"contact_email": "info@example.th"}),
        ),
    )
    .await;
    // ... and the office admin its own office's association.
    allowed(
        &app,
        200,
        "office_admin amends the CNIPA association",
        app.patch(
            &cnipa_path,
            Some(&w.office_admin),
            json!({"contact_phone": "+86 571 0000 0000"}),
        ),
    )
    .await;
    for (role, token) in w.roles().into_iter().skip(2) {
        let what = format!("{role} amends the CNIPA association");
        refused(
            &app,
            403,
            &what,
            app.patch(&cnipa_path, Some(token), change.clone()),
        )
        .await;
    }
    let after = expect(
        app.get(&dip_path, None).await,
        200,
        "read the DIP association",
    )
    .await;
    assert_eq!(after["contact_email"], "info@example.th");
    assert_eq!(after["version"], 2);

    let list = expect(
        app.get("/api/v1/associations", None).await,
        200,
        "list associations",
    )
    .await;
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"Nope"), "{names:?}");
    assert_eq!(names.len(), 5, "{names:?}");
}

async fn office_admin_creates_users_of_its_own_office_only(app: TestApp) {
    let w = world(&app).await;
    let token = Some(w.office_admin.as_str());

    for (username, extra) in [
        (
            "cn-examiner-2",
            json!({"role": "examiner", "office": "CNIPA"}),
        ),
        (
            "cn-admin-2",
            json!({"role": "office_admin", "office": "CNIPA"}),
        ),
        (
            "longjing-2",
            json!({"role": "association", "association_id": w.cnipa_association}),
        ),
    ] {
        let what = format!("office_admin of CNIPA creates {extra}");
        let body = allowed(
            &app,
            201,
            &what,
            app.post("/api/v1/users", token, user_body(username, extra)),
        )
        .await;
        assert_eq!(body["office"], "CNIPA", "{what}: {body}");
        assert_eq!(body["username"], username);
        assert!(
            body.get("password_hash").is_none() && body.get("password").is_none(),
            "{body}"
        );
        // The new account works.
        assert_eq!(app.login(username, PASSWORD).await.status(), 200, "{what}");
    }

    for (username, extra) in [
        (
            "th-examiner-2",
            json!({"role": "examiner", "office": "DIP"}),
        ),
        (
            "th-admin-2",
            json!({"role": "office_admin", "office": "DIP"}),
        ),
        ("new-admin", json!({"role": "admin"})),
        ("new-auditor", json!({"role": "auditor"})),
        (
            "doitung",
            json!({"role": "association", "association_id": w.dip_association}),
        ),
    ] {
        let what = format!("office_admin of CNIPA creates {extra}");
        refused(
            &app,
            403,
            &what,
            app.post("/api/v1/users", token, user_body(username, extra)),
        )
        .await;
        assert_eq!(
            app.login(username, PASSWORD).await.status(),
            401,
            "{what}: the account exists"
        );
    }

    // The admin may create any of them.
    for (username, extra) in [
        (
            "th-examiner-3",
            json!({"role": "examiner", "office": "DIP"}),
        ),
        ("new-admin-3", json!({"role": "admin"})),
        ("new-auditor-3", json!({"role": "auditor"})),
        (
            "doitung-3",
            json!({"role": "association", "association_id": w.dip_association}),
        ),
    ] {
        let what = format!("admin creates {extra}");
        allowed(
            &app,
            201,
            &what,
            app.post("/api/v1/users", Some(&w.admin), user_body(username, extra)),
        )
        .await;
    }
}

async fn other_roles_cannot_create_users(app: TestApp) {
    let w = world(&app).await;
    let bodies = [
        json!({"role": "examiner", "office": "CNIPA"}),
        json!({"role": "association", "association_id": w.cnipa_association}),
        json!({"role": "auditor"}),
        json!({"role": "admin"}),
    ];
    for (role, token) in w.roles().into_iter().skip(2) {
        for (i, extra) in bodies.iter().enumerate() {
            let what = format!("{role} creates {extra}");
            let username = format!("made-by-{role}-{i}");
            refused(
                &app,
                403,
                &what,
                app.post(
                    "/api/v1/users",
                    Some(token),
                    user_body(&username, extra.clone()),
                ),
            )
            .await;
        }
    }
    refused(
        &app,
        401,
        "anonymous creates an examiner",
        app.post(
            "/api/v1/users",
            None,
            user_body("made-by-nobody", bodies[0].clone()),
        ),
    )
    .await;
    let all = expect(
        app.get("/api/v1/users", Some(&w.admin)).await,
        200,
        "admin lists users",
    )
    .await;
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| !u["username"].as_str().unwrap().starts_with("made-by-")),
        "{all}"
    );
}

/// Every user of a list, following its cursor.
async fn all_users(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?limit=2&cursor={c}{query}"),
            None => format!("/api/v1/users?limit=2{query}"),
        };
        let page = expect(app.get(&path, Some(token)).await, 200, &path).await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return items,
        }
    }
}

async fn user_lists_are_scoped_to_the_callers_office(app: TestApp) {
    let w = world(&app).await;
    // admin, cn-admin, cn-examiner, longjing, auditor, th-examiner.
    let everyone = [
        "admin",
        "cn-admin",
        "cn-examiner",
        "longjing",
        "auditor",
        "th-examiner",
    ];
    for (role, token) in [("admin", &w.admin), ("auditor", &w.auditor)] {
        let users = all_users(&app, token, "").await;
        let names: Vec<&str> = users
            .iter()
            .map(|u| u["username"].as_str().unwrap())
            .collect();
        assert_eq!(names, everyone, "{role} sees every user, in id order");
        assert!(
            users.iter().all(|u| u.get("password_hash").is_none()),
            "{role}"
        );
        let dip = all_users(&app, token, "&office=DIP").await;
        let names: Vec<&str> = dip
            .iter()
            .map(|u| u["username"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["th-examiner"], "{role} filters by office");
    }

    let own = all_users(&app, &w.office_admin, "").await;
    let names: Vec<&str> = own
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["cn-admin", "cn-examiner", "longjing"],
        "the office admin sees its office only"
    );
    assert!(own.iter().all(|u| u["office"] == "CNIPA"), "{own:?}");
    let own_filtered = all_users(&app, &w.office_admin, "&office=CNIPA").await;
    assert_eq!(own_filtered, own);

    refused(
        &app,
        403,
        "office_admin lists DIP users",
        app.get("/api/v1/users?office=DIP", Some(&w.office_admin)),
    )
    .await;
    for (role, token) in [("examiner", &w.examiner), ("association", &w.association)] {
        let what = format!("{role} lists users");
        refused(&app, 403, &what, app.get("/api/v1/users", Some(token))).await;
        let what = format!("{role} lists its office's users");
        refused(
            &app,
            403,
            &what,
            app.get("/api/v1/users?office=CNIPA", Some(token)),
        )
        .await;
    }
    refused(
        &app,
        401,
        "anonymous lists users",
        app.get("/api/v1/users", None),
    )
    .await;
}

async fn reading_one_user(app: TestApp) {
    let w = world(&app).await;
    let path = |id: i64| format!("/api/v1/users/{id}");

    // Everyone reads themselves.
    for ((role, token), id) in w.roles().into_iter().zip([
        w.ids.admin,
        w.ids.office_admin,
        w.ids.examiner,
        w.ids.association,
        w.ids.auditor,
    ]) {
        let what = format!("{role} reads itself");
        let body = expect(app.get(&path(id), Some(token)).await, 200, &what).await;
        assert_eq!(body["id"], id, "{what}");
        assert_eq!(body["role"], role, "{what}");
    }

    // The office admin reads its office's users, never another office's nor officeless ones.
    for id in [w.ids.examiner, w.ids.association] {
        let body = expect(
            app.get(&path(id), Some(&w.office_admin)).await,
            200,
            "office_admin reads CNIPA user",
        )
        .await;
        assert_eq!(body["office"], "CNIPA");
    }
    for (label, id) in [
        ("a DIP examiner", w.ids.dip_examiner),
        ("the admin", w.ids.admin),
        ("the auditor", w.ids.auditor),
    ] {
        let what = format!("office_admin of CNIPA reads {label}");
        refused(&app, 403, &what, app.get(&path(id), Some(&w.office_admin))).await;
    }
    // Examiners and associations read only themselves.
    for (role, token) in [("examiner", &w.examiner), ("association", &w.association)] {
        for id in [w.ids.office_admin, w.ids.dip_examiner, w.ids.admin] {
            let what = format!("{role} reads user {id}");
            refused(&app, 403, &what, app.get(&path(id), Some(token))).await;
        }
    }
    // Admins and auditors read anyone.
    for (role, token) in [("admin", &w.admin), ("auditor", &w.auditor)] {
        let what = format!("{role} reads a DIP examiner");
        expect(
            app.get(&path(w.ids.dip_examiner), Some(token)).await,
            200,
            &what,
        )
        .await;
    }
    refused(
        &app,
        401,
        "anonymous reads a user",
        app.get(&path(w.ids.examiner), None),
    )
    .await;
}

async fn amending_users(app: TestApp) {
    let w = world(&app).await;
    let path = |id: i64| format!("/api/v1/users/{id}");
    let examiner = path(w.ids.examiner);

    let body = allowed(
        &app,
        200,
        "office_admin renames a CNIPA examiner",
        app.patch(
            &examiner,
            Some(&w.office_admin),
            json!({"display_name": "Wang Fang"}),
        ),
    )
    .await;
    assert_eq!(body["display_name"], "Wang Fang");
    assert_eq!(body["version"], 2);
    // A rename keeps the examiner's sessions.
    assert_eq!(app.get("/api/v1/me", Some(&w.examiner)).await.status(), 200);

    for (what, change) in [
        (
            "office_admin moves a CNIPA examiner to DIP",
            json!({"office": "DIP"}),
        ),
        (
            "office_admin promotes a CNIPA examiner to admin",
            json!({"role": "admin"}),
        ),
        (
            "office_admin makes a CNIPA examiner an auditor",
            json!({"role": "auditor"}),
        ),
        (
            "office_admin moves a CNIPA examiner into the DIP association",
            json!({"role": "association", "association_id": w.dip_association}),
        ),
    ] {
        refused(
            &app,
            403,
            what,
            app.patch(&examiner, Some(&w.office_admin), change),
        )
        .await;
    }
    for (label, id) in [
        ("a DIP examiner", w.ids.dip_examiner),
        ("the admin", w.ids.admin),
        ("the auditor", w.ids.auditor),
    ] {
        let what = format!("office_admin of CNIPA renames {label}");
        refused(
            &app,
            403,
            &what,
            app.patch(
                &path(id),
                Some(&w.office_admin),
                json!({"display_name": "Mine now"}),
            ),
        )
        .await;
        let what = format!("office_admin of CNIPA deactivates {label}");
        refused(
            &app,
            403,
            &what,
            app.patch(&path(id), Some(&w.office_admin), json!({"active": false})),
        )
        .await;
    }
    // Examiners, associations and auditors amend nobody else.
    for (role, token) in w.roles().into_iter().skip(2) {
        for id in [w.ids.office_admin, w.ids.dip_examiner] {
            let what = format!("{role} renames user {id}");
            refused(
                &app,
                403,
                &what,
                app.patch(&path(id), Some(token), json!({"display_name": "x"})),
            )
            .await;
        }
    }
    refused(
        &app,
        401,
        "anonymous renames a user",
        app.patch(&examiner, None, json!({"display_name": "x"})),
    )
    .await;

    // Nothing refused changed the examiner: still a CNIPA examiner at version 2, still signed in.
    let current = expect(
        app.get(&examiner, Some(&w.admin)).await,
        200,
        "read the examiner",
    )
    .await;
    assert_eq!(current["role"], "examiner");
    assert_eq!(current["office"], "CNIPA");
    assert_eq!(current["display_name"], "Wang Fang");
    assert_eq!(current["version"], 2);
    assert_eq!(app.get("/api/v1/me", Some(&w.examiner)).await.status(), 200);
    let dip = expect(
        app.get(&path(w.ids.dip_examiner), Some(&w.admin)).await,
        200,
        "read the DIP examiner",
    )
    .await;
    assert_eq!(dip["display_name"], "th-examiner");
    assert_eq!(dip["active"], true);
    assert_eq!(dip["version"], 1);

    // The admin may move it.
    let moved = allowed(
        &app,
        200,
        "admin moves the examiner to DIP",
        app.patch(&examiner, Some(&w.admin), json!({"office": "DIP"})),
    )
    .await;
    assert_eq!(moved["office"], "DIP");
    // ... which ends its sessions, and puts it out of the CNIPA office admin's reach.
    assert_eq!(app.get("/api/v1/me", Some(&w.examiner)).await.status(), 401);
    refused(
        &app,
        403,
        "office_admin renames the moved examiner",
        app.patch(
            &examiner,
            Some(&w.office_admin),
            json!({"display_name": "Back"}),
        ),
    )
    .await;
}

async fn nobody_deactivates_themselves(app: TestApp) {
    let w = world(&app).await;
    let path = |id: i64| format!("/api/v1/users/{id}");
    // Those who may manage accounts are stopped by the self-protection rule ...
    for (role, token, id) in [
        ("admin", &w.admin, w.ids.admin),
        ("office_admin", &w.office_admin, w.ids.office_admin),
    ] {
        let what = format!("{role} deactivates itself");
        let body = refused(
            &app,
            409,
            &what,
            send(
                &app,
                Method::PATCH,
                &path(id),
                Some(token),
                json!({"active": false}),
            ),
        )
        .await;
        assert_eq!(body["error"]["code"], "cannot_change_self");
        let what = format!("{role} changes its own role");
        refused(
            &app,
            409,
            &what,
            app.patch(
                &path(id),
                Some(token),
                json!({"role": "examiner", "office": "CNIPA"}),
            ),
        )
        .await;
    }
    // ... the others may not manage accounts at all, their own included: 403.
    for (role, token, id) in [
        ("examiner", &w.examiner, w.ids.examiner),
        ("association", &w.association, w.ids.association),
        ("auditor", &w.auditor, w.ids.auditor),
    ] {
        let what = format!("{role} deactivates itself");
        refused(
            &app,
            403,
            &what,
            app.patch(&path(id), Some(token), json!({"active": false})),
        )
        .await;
    }
    // All of them are still active and signed in.
    for (role, token) in w.roles() {
        let me = expect(app.get("/api/v1/me", Some(token)).await, 200, role).await;
        assert_eq!(me["active"], true, "{role}");
    }
}

async fn audit_log_is_for_admins_and_auditors(app: TestApp) {
    let w = world(&app).await;
    for path in ["/api/v1/audit", "/api/v1/audit/verify"] {
        for (role, token) in [("admin", &w.admin), ("auditor", &w.auditor)] {
            let what = format!("{role} GET {path}");
            let body = expect(app.get(path, Some(token)).await, 200, &what).await;
            if path == "/api/v1/audit" {
                assert!(
                    !body["items"].as_array().unwrap().is_empty(),
                    "{what}: {body}"
                );
            }
        }
        for (role, token) in w
            .roles()
            .into_iter()
            .skip(1)
            .filter(|(role, _)| *role != "auditor")
        {
            let what = format!("{role} GET {path}");
            refused(&app, 403, &what, app.get(path, Some(token))).await;
        }
        let what = format!("anonymous GET {path}");
        refused(&app, 401, &what, app.get(path, None)).await;
    }
    // Reading the log is not a write.
    let before = app.audit_count().await;
    app.get("/api/v1/audit", Some(&w.auditor)).await;
    app.get("/api/v1/audit/verify", Some(&w.auditor)).await;
    assert_eq!(app.audit_count().await, before);
}

async fn offices_and_associations_are_public(app: TestApp) {
    let w = world(&app).await;
    let offices = expect(
        app.get("/api/v1/offices", None).await,
        200,
        "anonymous lists offices",
    )
    .await;
    assert_eq!(offices["items"].as_array().unwrap().len(), 2);
    expect(
        app.get("/api/v1/offices/DIP", None).await,
        200,
        "anonymous reads DIP",
    )
    .await;
    let associations = expect(
        app.get("/api/v1/associations", None).await,
        200,
        "anonymous lists associations",
    )
    .await;
    assert_eq!(associations["items"].as_array().unwrap().len(), 2);
    let cnipa = expect(
        app.get("/api/v1/associations?office=CNIPA", None).await,
        200,
        "filtered",
    )
    .await;
    let items = cnipa["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], w.cnipa_association);
    let path = format!("/api/v1/associations/{}", w.dip_association);
    expect(
        app.get(&path, None).await,
        200,
        "anonymous reads an association",
    )
    .await;
    // Every role reads them too.
    for (role, token) in w.roles() {
        expect(app.get("/api/v1/offices", Some(token)).await, 200, role).await;
        expect(
            app.get("/api/v1/associations", Some(token)).await,
            200,
            role,
        )
        .await;
    }
}

async fn placement_is_validated(app: TestApp) {
    let w = world(&app).await;
    for (what, extra, field) in [
        (
            "an examiner without office",
            json!({"role": "examiner"}),
            "office",
        ),
        (
            "an office admin without office",
            json!({"role": "office_admin"}),
            "office",
        ),
        (
            "an association user without association",
            json!({"role": "association"}),
            "association_id",
        ),
        (
            "an admin with an office",
            json!({"role": "admin", "office": "CNIPA"}),
            "office",
        ),
        (
            "an auditor with an office",
            json!({"role": "auditor", "office": "CNIPA"}),
            "office",
        ),
        (
            "an examiner of no office",
            json!({"role": "examiner", "office": "NOPE"}),
            "office",
        ),
        (
            "an examiner with an association",
            json!({"role": "examiner", "office": "CNIPA", "association_id": w.cnipa_association}),
            "association_id",
        ),
        (
            "an association user of no association",
            json!({"role": "association", "association_id": 999_999}),
            "association_id",
        ),
        (
            "an association user placed in another office",
            json!({"role": "association", "association_id": w.cnipa_association, "office": "DIP"}),
            "office",
        ),
    ] {
        let body = refused(
            &app,
            422,
            what,
            app.post(
                "/api/v1/users",
                Some(&w.admin),
                user_body("misplaced", extra),
            ),
        )
        .await;
        assert!(names_field(&body, field), "{what}: {body}");
    }
    assert_eq!(app.login("misplaced", PASSWORD).await.status(), 401);
}
