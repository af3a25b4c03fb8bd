//! Webhooks (issue 15): an office subscribes for its partner systems, an association for
//! its GIs; each matching change is written to the outbox with the change and POSTed
//! signed by a worker, retried with backoff, logged, delivered at least once across
//! kill -9 and by one of two instances at a time; URLs that lead inside are refused.

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};
use terroir::config::StorageArgs;
use terroir::startup::Application;

use crate::helpers::{assert_error, server_args, Backend, TestApp};
use crate::recognition::{partners, r_act, r_act_ok, recognition_in, CN_TH};
use crate::register::{act_ok, create_gi_id, expect, longjing, World, EXAMINED_ON, FILED_ON};
use crate::webhook_receiver::{Receiver, Reply};

const PATIENCE: Duration = Duration::from_secs(30);

/// `both_backends!` for apps that may deliver to loopback receivers, retrying fast.
macro_rules! both_backends_allowing_private {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use crate::helpers::{Backend, TestApp};

                async fn spawn(backend: Backend) -> Option<TestApp> {
                    TestApp::spawn_with(backend, |s| {
                        s.webhook_allow_private = true;
                        s.webhook_first_retry_secs = 1;
                        s.webhook_retry_for_secs = 4;
                        s.webhook_timeout_secs = 2;
                        s.webhook_poll_millis = 100;
                    })
                    .await
                }

                #[tokio::test]
                async fn sqlite() {
                    super::$name(spawn(Backend::Sqlite).await.unwrap()).await;
                }

                #[tokio::test]
                async fn postgres() {
                    match spawn(Backend::Postgres).await {
                        Some(app) => super::$name(app).await,
                        None => eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set"),
                    }
                }
            }
        )*
    };
}

async fn office_admin(app: &TestApp, w: &World, office: &str) -> String {
    app.user_token(
        &w.admin,
        json!({"username": format!("{}-admin", office.to_lowercase()), "role": "office_admin", "office": office}),
    )
    .await
}

async fn subscribe(app: &TestApp, token: &str, body: Value) -> Value {
    expect(
        app.post("/api/v1/subscriptions", Some(token), body).await,
        201,
    )
    .await
}

async fn deliveries(app: &TestApp, token: &str, subscription: i64) -> Vec<Value> {
    let page = expect(
        app.get(
            &format!("/api/v1/subscriptions/{subscription}/deliveries?limit=500"),
            Some(token),
        )
        .await,
        200,
    )
    .await;
    page["items"].as_array().unwrap().clone()
}

/// Waits until every delivery of `subscription` is finished, and returns them.
async fn settled(app: &TestApp, token: &str, subscription: i64, count: usize) -> Vec<Value> {
    let started = std::time::Instant::now();
    loop {
        let items = deliveries(app, token, subscription).await;
        let done = items.iter().all(|d| d["status"] != "pending");
        if (items.len() >= count && done) || started.elapsed() > PATIENCE {
            return items;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn events_of(received: &[crate::webhook_receiver::Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| r.json()["event"].as_str().unwrap().to_string())
        .collect()
}

both_backends_allowing_private!(a_partner_system_receives_signed_deliveries);

async fn a_partner_system_receives_signed_deliveries(app: TestApp) {
    let w = partners(&app).await;
    let dip_admin = office_admin(&app, &w, "DIP").await;
    let dip_system = Receiver::start(vec![]).await;
    let association = Receiver::start(vec![]).await;
    let dip = subscribe(
        &app,
        &dip_admin,
        json!({"url": dip_system.url, "events": ["recognition.*"], "programme": CN_TH,
               "description": "DIP examination system"}),
    )
    .await;
    let secret = dip["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_") && secret.len() > 40, "{dip}");
    assert_eq!(dip["office"], "DIP");
    assert_eq!(dip["events"], json!(["recognition.*"]));
    let longjing = subscribe(
        &app,
        &w.cn_assoc,
        json!({"url": association.url, "events": ["gi.status_changed"]}),
    )
    .await;
    assert_eq!(longjing["association_id"], w.cn_association);

    let (gi, recognition) = recognition_in(&app, &w, "published").await;
    r_act_ok(&app, &w.th_examiner, recognition, "refuse", "2026-09-01").await;

    // DIP hears of the recognition's every step, in order, signed with its secret.
    let received = dip_system.wait_for(4, PATIENCE).await;
    assert_eq!(
        events_of(&received),
        [
            "recognition.submit",
            "recognition.start_examination",
            "recognition.publish",
            "recognition.refuse"
        ]
    );
    for r in &received {
        assert!(r.signed_with(&secret), "{:?}", r.headers);
        assert!(!r.signed_with("whsec_someone-else"));
        let body = r.json();
        assert_eq!(r.header("x-terroir-event-id"), body["id"].to_string());
        assert_eq!(r.header("content-type"), "application/json");
        let sent_at: i64 = r.header("x-terroir-timestamp").parse().unwrap();
        assert!((chrono::Utc::now().timestamp() - sent_at).abs() < 120);
        assert_eq!(body["gi_id"], gi);
        assert_eq!(body["entity_id"], recognition);
        assert_eq!(body["subscription_id"], dip["id"]);
        assert_eq!(
            body["links"]["recognition"],
            format!("/api/v1/recognitions/{recognition}")
        );
    }
    let refusal = received[3].json();
    assert_eq!(refusal["to_status"], "refused");
    assert_eq!(refusal["effective_on"], "2026-09-01");
    assert_eq!(
        refusal["recorded_late"], true,
        "dated months before it was recorded"
    );
    assert!(refusal["grounds"].as_str().is_some_and(|g| !g.is_empty()));
    assert_eq!(
        refusal["names"],
        json!(["recognition.refuse", "recognition.status_changed"])
    );

    // The association hears of its GI's status at home only: filed, examined,
    // published, registered; nothing of the recognition, no opposition or creation.
    let heard = association.wait_for(4, PATIENCE).await;
    assert_eq!(
        events_of(&heard),
        [
            "gi.file",
            "gi.start_examination",
            "gi.publish",
            "gi.register"
        ]
    );
    assert!(heard
        .iter()
        .all(|r| r.signed_with(longjing["secret"].as_str().unwrap())));

    // The delivery log shows each delivery and its attempt, newest first.
    let log = settled(&app, &dip_admin, dip["id"].as_i64().unwrap(), 4).await;
    assert_eq!(log.len(), 4, "{log:?}");
    assert_eq!(log[0]["event"], "recognition.refuse");
    for d in &log {
        assert_eq!(d["status"], "delivered", "{d}");
        assert_eq!(d["attempts"], 1);
        assert_eq!(d["attempt_log"][0]["response_status"], 200);
        assert_eq!(d["attempt_log"][0]["error"], Value::Null);
    }
    // Nothing was delivered twice.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(dip_system.received().len(), 4);

    // The README's Python receiver accepts a real delivery and refuses a forged one.
    assert_eq!(
        python_verifies(&secret, &received[3], &received[3].body),
        "True"
    );
    let forged = received[3].body.replace("refused", "protected");
    assert_eq!(python_verifies(&secret, &received[3], &forged), "False");
}

/// Runs the README's `verify` on a delivery's headers with `body`.
fn python_verifies(
    secret: &str,
    delivery: &crate::webhook_receiver::Received,
    body: &str,
) -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let snippet = readme
        .split("```python\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a Python receiver");
    let headers = json!({
        "X-Terroir-Timestamp": delivery.header("x-terroir-timestamp"),
        "X-Terroir-Signature": delivery.header("x-terroir-signature"),
    });
    let program = format!(
        "{snippet}\nimport json, sys\nprint(verify({secret:?}, json.loads({headers:?}), sys.stdin.buffer.read()))\n",
        headers = headers.to_string()
    );
    let mut child = Command::new("python3")
        .args(["-c", &program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

both_backends_allowing_private!(a_subscription_for_one_gi_hears_of_that_gi_only);

/// The subscriber is right (the GIs are both its office's) but the filter is not: a
/// change to another GI of the office is not delivered.
async fn a_subscription_for_one_gi_hears_of_that_gi_only(app: TestApp) {
    let w = partners(&app).await;
    let receiver = Receiver::start(vec![]).await;
    let one = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    let other = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, one, "file", FILED_ON).await;
    let cn_admin = office_admin(&app, &w, "CNIPA").await;
    let subscription = subscribe(
        &app,
        &cn_admin,
        json!({"url": receiver.url, "events": ["*"], "gi_id": one}),
    )
    .await;
    let id = subscription["id"].as_i64().unwrap();
    act_ok(&app, &w.cn_assoc, other, "file", FILED_ON).await;
    act_ok(
        &app,
        &w.cn_examiner,
        other,
        "start_examination",
        EXAMINED_ON,
    )
    .await;
    assert_eq!(deliveries(&app, &cn_admin, id).await, Vec::<Value>::new());
    act_ok(&app, &w.cn_examiner, one, "start_examination", EXAMINED_ON).await;
    let heard = deliveries(&app, &cn_admin, id).await;
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert!(
        heard[0]["event"].as_str().unwrap().starts_with("gi."),
        "{heard:?}"
    );
}

both_backends_allowing_private!(a_failing_receiver_gets_its_retries_then_is_given_up);

async fn a_failing_receiver_gets_its_retries_then_is_given_up(app: TestApp) {
    let w = partners(&app).await;
    let dip_admin = office_admin(&app, &w, "DIP").await;
    let flaky = Receiver::start(vec![Reply::Status(500), Reply::Status(503)]).await;
    let broken = Receiver::start(vec![Reply::Status(500); 20]).await;
    let flaky_id = subscribe(
        &app,
        &dip_admin,
        json!({"url": flaky.url, "events": ["recognition.submit"]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let broken_id = subscribe(
        &app,
        &dip_admin,
        json!({"url": broken.url, "events": ["recognition.submit"]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    recognition_in(&app, &w, "submitted").await;

    // Fails twice, then succeeds: three requests, the waits doubling (1 s, then 2 s).
    let received = flaky.wait_for(3, PATIENCE).await;
    assert_eq!(received.len(), 3);
    let ids: Vec<&str> = received
        .iter()
        .map(|r| r.header("x-terroir-event-id"))
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "one event: {ids:?}");
    let first_wait = received[1].at - received[0].at;
    let second_wait = received[2].at - received[1].at;
    assert!(first_wait >= Duration::from_millis(900), "{first_wait:?}");
    assert!(
        second_wait >= Duration::from_millis(1900),
        "{second_wait:?}"
    );
    let log = settled(&app, &dip_admin, flaky_id, 1).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["status"], "delivered");
    let statuses: Vec<&Value> = log[0]["attempt_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["response_status"])
        .collect();
    assert_eq!(statuses, [&json!(500), &json!(503), &json!(200)]);

    // Always failing: retried until the window (4 s here) closes, then failed.
    let log = settled(&app, &dip_admin, broken_id, 1).await;
    assert_eq!(log[0]["status"], "failed", "{log:?}");
    let attempts = log[0]["attempt_log"].as_array().unwrap();
    // At 0 s, 1 s, 3 s and 4 s (the last at the window's end).
    assert_eq!(attempts.len(), 4, "{attempts:?}");
    assert!(attempts
        .iter()
        .all(|a| a["response_status"] == 500 && a["error"].is_string()));
    assert_eq!(log[0]["attempts"], 4);
    assert!(log[0]["finished_at"].is_string());
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(broken.received().len(), 4, "nothing after giving up");

    // The failed filter finds it.
    let failed = expect(
        app.get(
            &format!("/api/v1/subscriptions/{broken_id}/deliveries?status=failed"),
            Some(&dip_admin),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(failed["items"].as_array().unwrap().len(), 1);
}

crate::both_backends!(a_subscription_names_only_a_gi_its_subscriber_is_concerned_with);

/// `gi_id` narrows a subscription to a GI its subscriber is concerned with: for an
/// office, one it registered or is a partner of; for an association, one it applied for.
async fn a_subscription_names_only_a_gi_its_subscriber_is_concerned_with(app: TestApp) {
    let w = partners(&app).await;
    let dip_admin = office_admin(&app, &w, "DIP").await;
    let (partnered, _) = recognition_in(&app, &w, "published").await;
    let unpartnered = create_gi_id(&app, &w.cn_assoc, longjing(w.cn_association)).await;
    act_ok(&app, &w.cn_assoc, unpartnered, "file", FILED_ON).await;
    let for_gi = |gi_id: i64| json!({"url": "https://203.0.114.7/terroir-hooks", "events": ["*"], "gi_id": gi_id});
    let refused = |token: &str, gi_id: i64| {
        let app = &app;
        let body = for_gi(gi_id);
        let token = token.to_string();
        async move {
            let error = assert_error(
                app.post("/api/v1/subscriptions", Some(&token), body).await,
                422,
                "validation_failed",
            )
            .await;
            assert_eq!(error["error"]["details"][0]["field"], "gi_id", "{error}");
        }
    };
    // DIP is the partner of one Chinese GI's recognition, and of nothing of the other.
    subscribe(&app, &dip_admin, for_gi(partnered)).await;
    refused(&dip_admin, unpartnered).await;
    // The Chinese association applied for both; the Thai one for neither.
    subscribe(&app, &w.cn_assoc, for_gi(partnered)).await;
    subscribe(&app, &w.cn_assoc, for_gi(unpartnered)).await;
    refused(&w.th_assoc, partnered).await;
    // An administrator is told who subscribes instead.
    let error = assert_error(
        app.post("/api/v1/subscriptions", Some(&w.admin), for_gi(partnered))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("an administrator has no partner system of its own"),
        "{error}"
    );
}

crate::both_backends!(subscriptions_are_checked_scoped_and_cancellable);

async fn subscriptions_are_checked_scoped_and_cancellable(app: TestApp) {
    let w = partners(&app).await;
    let dip_admin = office_admin(&app, &w, "DIP").await;
    let eu_admin = office_admin(&app, &w, "EUIPO").await;
    let public = "https://203.0.114.7/terroir-hooks";
    let good = json!({"url": public, "events": ["recognition.*"]});
    let before = app.audit_count().await;

    // Who may subscribe.
    assert_error(
        app.post("/api/v1/subscriptions", None, good.clone()).await,
        401,
        "unauthorized",
    )
    .await;
    for token in [&w.th_examiner, &w.auditor, &w.admin] {
        assert_error(
            app.post("/api/v1/subscriptions", Some(token), good.clone())
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    // Examiners are refused before the body is read.
    assert_error(
        app.post(
            "/api/v1/subscriptions",
            Some(&w.th_examiner),
            json!({"url": 7}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    // URLs that lead inside, or are not http(s), and events that do not exist.
    for (url, field) in [
        ("http://127.0.0.1:8080/hook", "url"),
        ("http://localhost/hook", "url"),
        ("http://10.0.0.8/hook", "url"),
        ("http://169.254.169.254/latest/meta-data", "url"),
        ("http://[::1]/hook", "url"),
        ("http://[::ffff:192.168.0.1]/hook", "url"),
        ("ftp://203.0.114.7/hook", "url"),
        ("https://user:pw@203.0.114.7/hook", "url"),
        ("not a url", "url"),
    ] {
        let body = assert_error(
            app.post(
                "/api/v1/subscriptions",
                Some(&dip_admin),
                json!({"url": url, "events": ["*"]}),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(body["error"]["details"][0]["field"], field, "{url}: {body}");
    }
    for (body, field) in [
        (
            json!({"url": public, "events": ["recognition.nothing"]}),
            "events",
        ),
        (json!({"url": public, "events": ["trademark.*"]}), "events"),
        (json!({"url": public, "events": []}), "events"),
        (
            json!({"url": public, "events": ["*"], "programme": "NOPE"}),
            "programme",
        ),
        (
            json!({"url": public, "events": ["*"], "partner": "NOPE"}),
            "partner",
        ),
        // EUIPO is no party to CN-TH.
        (
            json!({"url": public, "events": ["*"], "programme": CN_TH}),
            "programme",
        ),
        (
            json!({"url": public, "events": ["*"], "gi_id": 999_999}),
            "gi_id",
        ),
    ] {
        let error = assert_error(
            app.post("/api/v1/subscriptions", Some(&eu_admin), body.clone())
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(
            error["error"]["details"][0]["field"], field,
            "{body}: {error}"
        );
    }
    assert_error(
        app.post(
            "/api/v1/subscriptions",
            Some(&dip_admin),
            json!({"url": public, "events": ["*"], "secret": "mine"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(app.audit_count().await, before, "refusals change nothing");

    // One subscription each: DIP (as partner), the Longjing association, the other
    // CNIPA association.
    let dip = subscribe(&app, &dip_admin, good.clone()).await;
    let own = subscribe(&app, &w.cn_assoc, json!({"url": public, "events": ["*"]})).await;
    let other = subscribe(
        &app,
        &w.cn_other_assoc,
        json!({"url": public, "events": ["*"]}),
    )
    .await;
    let id = |v: &Value| v["id"].as_i64().unwrap();
    let entries = app.audit_after(before).await;
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e.action == "subscription.create"));
    assert!(
        entries
            .iter()
            .all(|e| !e.payload.to_string().contains("whsec_")),
        "the secret is never in the audit log"
    );
    // The secret is shown once.
    let read = expect(
        app.get(
            &format!("/api/v1/subscriptions/{}", id(&dip)),
            Some(&dip_admin),
        )
        .await,
        200,
    )
    .await;
    assert!(read.get("secret").is_none(), "{read}");

    let (_, recognition) = recognition_in(&app, &w, "submitted").await;
    // A refused change writes no delivery: DIP cannot withdraw (the origin does).
    assert_eq!(
        r_act(
            &app,
            &w.th_examiner,
            recognition,
            json!({"action": "withdraw", "effective_on": "2026-05-11"})
        )
        .await
        .status(),
        403
    );
    let dip_log = deliveries(&app, &dip_admin, id(&dip)).await;
    let events: Vec<&str> = dip_log
        .iter()
        .map(|d| d["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        ["recognition.submit"],
        "DIP hears of its recognition only"
    );
    let own_log = deliveries(&app, &w.cn_assoc, id(&own)).await;
    assert!(own_log.len() >= 5, "its GI at home and abroad: {own_log:?}");
    assert!(own_log.iter().any(|d| d["event"] == "recognition.submit"));
    assert!(own_log.iter().any(|d| d["event"] == "gi.register"));
    assert_eq!(
        deliveries(&app, &w.cn_other_assoc, id(&other)).await.len(),
        0,
        "nothing of another association's GI"
    );

    // Reading and cancelling belong to the owner (and admins; auditors read).
    let dip_path = format!("/api/v1/subscriptions/{}", id(&dip));
    for token in [&eu_admin, &w.cn_assoc, &w.th_examiner] {
        let status = app.get(&dip_path, Some(token)).await.status();
        assert_eq!(status, 403);
        let status = app
            .get(&format!("{dip_path}/deliveries"), Some(token))
            .await
            .status();
        assert_eq!(status, 403);
    }
    assert_eq!(app.get(&dip_path, Some(&w.auditor)).await.status(), 200);
    let listed = |token: String| {
        let app = &app;
        async move {
            let page = expect(app.get("/api/v1/subscriptions", Some(&token)).await, 200).await;
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(dip_admin.clone()).await, [id(&dip)]);
    assert_eq!(listed(w.cn_assoc.clone()).await, [id(&own)]);
    assert_eq!(listed(w.admin.clone()).await.len(), 3);
    assert_eq!(
        app.request(reqwest::Method::DELETE, &dip_path, Some(&eu_admin))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        app.request(reqwest::Method::DELETE, &dip_path, Some(&dip_admin))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    let cancelled = expect(app.get(&dip_path, Some(&dip_admin)).await, 200).await;
    assert_eq!(cancelled["active"], false);
    // Its pending delivery is cancelled, and later changes are not delivered to it.
    r_act_ok(
        &app,
        &w.th_examiner,
        recognition,
        "start_examination",
        "2026-05-20",
    )
    .await;
    let dip_log = deliveries(&app, &dip_admin, id(&dip)).await;
    assert_eq!(dip_log.len(), 1);
    assert!(["cancelled", "delivered", "failed"].contains(&dip_log[0]["status"].as_str().unwrap()));
    assert_eq!(
        app.get("/api/v1/subscriptions/999999", Some(&w.admin))
            .await
            .status(),
        404
    );
}

crate::both_backends!(a_url_that_leads_inside_is_refused_at_delivery_too);

/// A subscription whose name came to resolve inside after it was made (simulated by
/// writing its row directly): the worker refuses to connect and logs why.
async fn a_url_that_leads_inside_is_refused_at_delivery_too(app: TestApp) {
    let w = partners(&app).await;
    let dip_admin = office_admin(&app, &w, "DIP").await;
    let inside = Receiver::start(vec![]).await;
    let dip = subscribe(
        &app,
        &dip_admin,
        json!({"url": "https://203.0.114.7/hooks", "events": ["recognition.submit"]}),
    )
    .await;
    let id = dip["id"].as_i64().unwrap();
    let url = inside.url.clone();
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        db.write_blocking(|conn| {
            use diesel::prelude::*;
            use terroir::db::schema::subscriptions;
            diesel::update(subscriptions::table.find(id))
                .set(subscriptions::url.eq(url))
                .execute(conn)?;
            Ok(())
        })
        .unwrap()
    })
    .await
    .unwrap();
    recognition_in(&app, &w, "submitted").await;
    let started = std::time::Instant::now();
    let attempt = loop {
        let log = deliveries(&app, &dip_admin, id).await;
        if let Some(attempt) = log.first().and_then(|d| d["attempt_log"].get(0)) {
            break attempt.clone();
        }
        assert!(started.elapsed() < PATIENCE, "no attempt: {log:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(attempt["response_status"], Value::Null, "{attempt}");
    assert!(
        attempt["error"].as_str().unwrap().contains("127.0.0.1"),
        "{attempt}"
    );
    assert!(
        inside.received().is_empty(),
        "no request reached the inside"
    );
}

/// The storage of a second server process or instance on `app`'s database.
fn storage_of(app: &TestApp, data_dir: &std::path::Path) -> StorageArgs {
    StorageArgs {
        database_url: Some(app.database_url.clone()),
        data_dir: data_dir.to_path_buf(),
        db_pool_size: 4,
        db_timeout_secs: 3,
    }
}

/// An app that makes changes but delivers nothing itself.
async fn writer_only(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, |s| {
        s.webhook_allow_private = true;
        s.webhook_poll_millis = 0;
    })
    .await
}

#[tokio::test]
async fn kill_9_mid_delivery_still_delivers_sqlite() {
    kill_9_mid_delivery_still_delivers(writer_only(Backend::Sqlite).await.unwrap()).await;
}

#[tokio::test]
async fn kill_9_mid_delivery_still_delivers_postgres() {
    match writer_only(Backend::Postgres).await {
        Some(app) => kill_9_mid_delivery_still_delivers(app).await,
        None => eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set"),
    }
}

/// A server process claims the delivery and is killed -9 while the receiver holds the
/// request; another instance delivers it once the claim lapses.
async fn kill_9_mid_delivery_still_delivers(app: TestApp) {
    let w = partners(&app).await;
    let dip_admin = office_admin(&app, &w, "DIP").await;
    let receiver = Receiver::start(vec![Reply::Hang]).await;
    let dip = subscribe(
        &app,
        &dip_admin,
        json!({"url": receiver.url, "events": ["recognition.submit"]}),
    )
    .await;
    // The change is committed; nobody has delivered it yet.
    recognition_in(&app, &w, "submitted").await;
    let id = dip["id"].as_i64().unwrap();
    assert_eq!(
        deliveries(&app, &dip_admin, id).await[0]["status"],
        "pending"
    );

    let dir = tempfile::tempdir().unwrap();
    let mut process = Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("TERROIR_DATABASE_URL", &app.database_url)
        .env("TERROIR_DATA_DIR", dir.path())
        .env("TERROIR_JWT_SECRET", crate::helpers::JWT_SECRET)
        .env("TERROIR_WEBHOOK_ALLOW_PRIVATE", "true")
        .env("TERROIR_WEBHOOK_TIMEOUT_SECS", "2")
        .env("TERROIR_WEBHOOK_POLL_MILLIS", "100")
        .env("TERROIR_SWEEP_INTERVAL_SECS", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let held = receiver.wait_for(1, PATIENCE).await;
    assert_eq!(held.len(), 1, "the process attempts the delivery");
    process.kill().unwrap(); // SIGKILL
    process.wait().unwrap();
    let claimed = deliveries(&app, &dip_admin, id).await;
    assert_eq!(claimed[0]["status"], "pending");
    assert_eq!(claimed[0]["attempts"], 1, "{claimed:?}");
    assert_eq!(
        claimed[0]["attempt_log"],
        json!([]),
        "the attempt never ended"
    );

    // Another instance takes over when the claim lapses (2 × 2 s + 5 s here).
    let mut server = server_args();
    server.webhook_allow_private = true;
    server.webhook_poll_millis = 100;
    let other = Application::build(storage_of(&app, dir.path()), server)
        .await
        .unwrap();
    tokio::spawn(other.into_server());
    let received = receiver.wait_for(2, PATIENCE).await;
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].header("x-terroir-event-id"),
        received[1].header("x-terroir-event-id"),
        "the same event, so the receiver can tell it has seen it"
    );
    let log = settled(&app, &dip_admin, id, 1).await;
    assert_eq!(log[0]["status"], "delivered", "{log:?}");
    assert_eq!(log[0]["attempts"], 2);
}

#[tokio::test]
async fn two_instances_deliver_each_event_once_sqlite() {
    two_instances_deliver_each_event_once(writer_only(Backend::Sqlite).await.unwrap()).await;
}

#[tokio::test]
async fn two_instances_deliver_each_event_once_postgres() {
    match writer_only(Backend::Postgres).await {
        Some(app) => two_instances_deliver_each_event_once(app).await,
        None => eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set"),
    }
}

async fn two_instances_deliver_each_event_once(app: TestApp) {
    let w = partners(&app).await;
    // Slow answers keep claims open while the other instance looks.
    let receiver = Receiver::start_slow(vec![], Duration::from_millis(300)).await;
    let subscription = subscribe(
        &app,
        &w.cn_assoc,
        json!({"url": receiver.url, "events": ["*"]}),
    )
    .await;
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for dir in &dirs {
        let mut server = server_args();
        server.webhook_allow_private = true;
        server.webhook_poll_millis = 20;
        let instance = Application::build(storage_of(&app, dir.path()), server)
            .await
            .unwrap();
        tokio::spawn(instance.into_server());
    }
    // Changes while both instances poll.
    for _ in 0..3 {
        recognition_in(&app, &w, "published").await;
    }
    let pending = deliveries(&app, &w.cn_assoc, subscription["id"].as_i64().unwrap()).await;
    assert!(pending.len() >= 20, "{}", pending.len());
    let received = receiver.wait_for(pending.len(), PATIENCE).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut times: HashMap<String, usize> = HashMap::new();
    for r in receiver.received() {
        *times
            .entry(r.header("x-terroir-event-id").to_string())
            .or_default() += 1;
    }
    assert_eq!(received.len(), pending.len());
    assert_eq!(times.len(), pending.len(), "every event");
    assert!(times.values().all(|n| *n == 1), "once each: {times:?}");
}
