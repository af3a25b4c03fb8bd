use std::time::Duration;

use serde_json::{json, Value};
use terroir::config::StorageArgs;
use terroir::startup::Application;

use crate::both_backends;
use crate::helpers::{assert_error, server_args, Backend, TestApp};

both_backends!(
    health_ready_and_metrics,
    openapi_is_served_and_docs_work_offline,
    concurrent_writers_all_succeed_and_chain_stays_linear,
    a_read_is_answered_while_writes_queue,
    migrations_revert_and_reapply,
);

#[test]
fn checked_in_openapi_matches_the_code() {
    let generated = terroir::api::docs::openapi_yaml().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml");
    if std::env::var("UPDATE_OPENAPI").is_ok() {
        std::fs::write(path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "openapi.yaml is stale: regenerate it with `cargo run -- openapi > openapi.yaml` \
         (or `UPDATE_OPENAPI=1 cargo test --test api openapi`) and commit it"
    );
}

/// A client generated from the document alone must find every schema it refers to.
#[test]
fn every_reference_in_the_openapi_document_resolves() {
    use utoipa::OpenApi;
    let doc = serde_json::to_value(terroir::api::docs::ApiDoc::openapi()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut missing = Vec::new();
    let mut stack = vec![&doc];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let name = reference.trim_start_matches("#/components/schemas/");
                    if !schemas.contains_key(name) {
                        missing.push(reference.clone());
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    assert!(missing.is_empty(), "unresolvable references: {missing:?}");
}

/// The enums the document lists are the values the API sends and accepts.
#[test]
fn openapi_enums_are_the_wire_names() {
    use terroir::domain::{gi, gi_status, recognition_status};
    use utoipa::OpenApi;
    let doc = serde_json::to_value(terroir::api::docs::ApiDoc::openapi()).unwrap();
    for (schema, names) in [
        ("NameKind", gi::NameKind::NAMES),
        ("GiType", gi::GiType::NAMES),
        ("ProductType", gi::ProductType::NAMES),
        ("GiStatus", gi_status::GiStatus::NAMES),
        (
            "RecognitionStatus",
            recognition_status::RecognitionStatus::NAMES,
        ),
    ] {
        let listed: Vec<&str> = doc["components"]["schemas"][schema]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{schema} is an enum schema"))
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(listed, names, "{schema}");
    }
}

async fn health_ready_and_metrics(app: TestApp) {
    assert_eq!(app.get("/healthz", None).await.status(), 200);
    let ready: Value = app.get("/readyz", None).await.json().await.unwrap();
    assert_eq!(ready["status"], "ready");
    let expected = match app.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(ready["database"], expected);
    app.get("/api/v1/offices", None).await;
    app.get("/api/v1/no-such-thing", None).await;
    // Counted by route, never by path: an API route, a web page's, a wrong method's.
    app.get("/api/v1/gis/7", None).await;
    app.get("/api/v1/gis/8", None).await;
    app.get("/gis/7", None).await;
    app.request(reqwest::Method::DELETE, "/api/v1/offices", None)
        .send()
        .await
        .unwrap();
    let response = app.get("/metrics", None).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = response.text().await.unwrap();
    assert!(
        text.contains(
            r#"terroir_http_requests_total{method="GET",route="/api/v1/offices",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"route="unmatched",status="404"} 1"#),
        "{text}"
    );
    for series in [
        r#"{method="GET",route="/api/v1/gis/{id}",status="404"} 2"#,
        r#"{method="GET",route="/gis/{id}",status="404"} 1"#,
        r#"{method="DELETE",route="/api/v1/offices",status="405"} 1"#,
    ] {
        assert!(text.contains(series), "{series} in {text}");
    }
    assert!(!text.contains("/api/v1/gis/7"), "{text}");
    assert!(text.contains("terroir_http_request_duration_seconds_bucket"));
    assert!(text.contains(r#"terroir_db_pool_connections{pool="read"}"#));
    // Every response carries its request id.
    let response = app.get("/healthz", None).await;
    assert_eq!(
        response.headers()["x-request-id"].to_str().unwrap().len(),
        36
    );
}

async fn openapi_is_served_and_docs_work_offline(app: TestApp) {
    let doc: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(doc["info"]["title"], "Terroir");
    assert!(doc["paths"]["/api/v1/auth/login"]["post"].is_object());
    let page = app.get("/docs/", None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("swagger"),
        "the interactive docs are served from the binary"
    );
    assert!(
        !html.contains("https://"),
        "the docs page loads nothing from the internet"
    );
    let bundle = app.get("/docs/swagger-ui-bundle.js", None).await;
    assert_eq!(bundle.status(), 200);
}

async fn concurrent_writers_all_succeed_and_chain_stays_linear(app: TestApp) {
    let admin = app.admin_token().await;
    app.create_office(&admin, "CNIPA", "CN", 60).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let client = app.client.clone();
        let url = app.url("/api/v1/associations");
        let admin = admin.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(admin)
                .json(&json!({"name": format!("Tea growers' cooperative {i}"), "office": "CNIPA"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(
            task.await.unwrap(),
            201,
            "no writer sees 'database is locked'"
        );
    }
    let list: Value = app
        .get("/api/v1/associations?limit=100", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 40);
    let report: Value = app
        .get("/api/v1/audit/verify", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["status"], "ok", "{report}");
    assert_eq!(report["entries"], 3 + 40);
}

async fn migrations_revert_and_reapply(app: TestApp) {
    let db = app.database();
    tokio::task::spawn_blocking(move || {
        let mut conn = db.connection().unwrap();
        let reverted = terroir::db::migrations::revert_all(&mut conn).unwrap();
        assert!(reverted >= 1);
        let applied = terroir::db::migrations::run_pending(&mut conn).unwrap();
        assert_eq!(applied.len(), reverted, "every down.sql reverts its up.sql");
    })
    .await
    .unwrap();
}

/// Two server processes on one PostgreSQL database write at once: the audit chain stays
/// one linear chain.
#[tokio::test]
async fn two_instances_on_one_postgres_keep_one_chain() {
    let Some(first) = TestApp::spawn(Backend::Postgres).await else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    let storage = StorageArgs {
        database_url: Some(first.database_url.clone()),
        data_dir: first.data_dir.clone(),
        db_pool_size: 4,
        db_timeout_secs: 3,
    };
    let second = Application::build(storage, server_args()).await.unwrap();
    let second_address = format!("http://127.0.0.1:{}", second.port());
    tokio::spawn(second.into_server());

    let admin = first.admin_token().await;
    first.create_office(&admin, "CNIPA", "CN", 60).await;
    let mut tasks = Vec::new();
    for i in 0..30 {
        let base = if i % 2 == 0 {
            first.address.clone()
        } else {
            second_address.clone()
        };
        let client = first.client.clone();
        let admin = admin.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(format!("{base}/api/v1/associations"))
                .bearer_auth(admin)
                .json(&json!({"name": format!("Association {i}"), "office": "CNIPA"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 201);
    }
    let report: Value = first
        .get("/api/v1/audit/verify", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["status"], "ok", "{report}");
    assert_eq!(report["entries"], 3 + 30);
}

/// A PostgreSQL server that goes away gives 503 (never a hang or a 500), and the
/// service recovers by itself when it returns. A TCP relay in front of the real server
/// plays the outage.
#[tokio::test]
async fn database_outage_gives_503_and_recovers() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    let relay = relay::Relay::start(postgres_address()).await;
    let relayed_url = app
        .database_url
        .replace(&postgres_address(), &relay.address());
    let storage = StorageArgs {
        database_url: Some(relayed_url),
        data_dir: app.data_dir.clone(),
        db_pool_size: 2,
        db_timeout_secs: 2,
    };
    let server = Application::build(storage, server_args()).await.unwrap();
    let address = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.into_server());
    let client = reqwest::Client::new();
    let get = |path: &'static str| {
        let client = client.clone();
        let address = address.clone();
        async move { client.get(format!("{address}{path}")).send().await.unwrap() }
    };
    assert_eq!(get("/readyz").await.status(), 200);

    relay.stop().await;
    assert_error(get("/readyz").await, 503, "service_unavailable").await;
    let offices = get("/api/v1/offices").await;
    assert!(offices.headers().contains_key("retry-after"));
    assert_error(offices, 503, "service_unavailable").await;

    relay.resume().await;
    let mut recovered = false;
    for _ in 0..20 {
        if get("/readyz").await.status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(recovered, "the service recovers when the database returns");
    assert_eq!(get("/api/v1/offices").await.status(), 200);
}

/// host:port of the PostgreSQL server in TERROIR_TEST_POSTGRES_URL.
pub(crate) fn postgres_address() -> String {
    let url = std::env::var("TERROIR_TEST_POSTGRES_URL").unwrap();
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let host_part = after_scheme.split('/').next().unwrap();
    let host_port = host_part.rsplit_once('@').map_or(host_part, |(_, h)| h);
    if host_port.contains(':') {
        host_port.to_string()
    } else {
        format!("{host_port}:5432")
    }
}

pub(crate) mod relay {
    use std::sync::{Arc, Mutex};

    use tokio::net::{TcpListener, TcpStream};
    use tokio::task::JoinHandle;

    /// Forwards loopback connections to the database; `stop` cuts every connection and
    /// refuses new ones, `resume` listens again on the same port.
    pub struct Relay {
        target: String,
        port: u16,
        tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
    }

    impl Relay {
        pub async fn start(target: String) -> Relay {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let relay = Relay {
                target,
                port,
                tasks: Arc::default(),
            };
            relay.accept(listener);
            relay
        }

        pub fn address(&self) -> String {
            format!("127.0.0.1:{}", self.port)
        }

        fn accept(&self, listener: TcpListener) {
            let target = self.target.clone();
            let tasks = self.tasks.clone();
            let acceptor = tokio::spawn(async move {
                while let Ok((mut inbound, _)) = listener.accept().await {
                    let target = target.clone();
                    let connection = tokio::spawn(async move {
                        if let Ok(mut outbound) = TcpStream::connect(target).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    });
                    tasks.lock().unwrap().push(connection);
                }
            });
            self.tasks.lock().unwrap().push(acceptor);
        }

        pub async fn stop(&self) {
            for task in self.tasks.lock().unwrap().drain(..) {
                task.abort();
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }

        pub async fn resume(&self) {
            let listener = TcpListener::bind(self.address()).await.unwrap();
            self.accept(listener);
        }
    }
}

fn terroir(app: &TestApp, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_terroir"));
    command
        .args(args)
        .env("TERROIR_DATABASE_URL", &app.database_url)
        .env("TERROIR_DATA_DIR", &app.data_dir);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

both_backends!(command_line_adds_admins_and_auditors_only);

async fn command_line_adds_admins_and_auditors_only(app: TestApp) {
    let migrated = terroir(&app, &["migrate"], &[]);
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );

    let added = terroir(
        &app,
        &["user", "add", "second-auditor", "--role", "auditor"],
        &[("TERROIR_NEW_USER_PASSWORD", "auditor-password-1")],
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let me: Value = app
        .get(
            "/api/v1/me",
            Some(&app.token("second-auditor", "auditor-password-1").await),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "auditor");

    let generated = terroir(&app, &["user", "add", "third-admin"], &[]);
    let printed = String::from_utf8_lossy(&generated.stdout);
    let password = printed
        .lines()
        .find_map(|line| line.strip_prefix("password: "))
        .expect("a generated password is printed");
    assert_eq!(app.login("third-admin", password).await.status(), 200);

    for (args, why) in [
        (
            vec!["user", "add", "an-examiner", "--role", "examiner"],
            "office roles go through the API",
        ),
        (
            vec!["user", "add", "Bad Name", "--role", "admin"],
            "usernames are checked",
        ),
        (
            vec!["user", "add", "second-auditor", "--role", "auditor"],
            "usernames are unique",
        ),
    ] {
        let refused = terroir(
            &app,
            &args,
            &[("TERROIR_NEW_USER_PASSWORD", "auditor-password-1")],
        );
        assert_eq!(refused.status.code(), Some(1), "{why}");
        assert!(
            String::from_utf8_lossy(&refused.stderr).starts_with("error: "),
            "{why}"
        );
    }
    let short = terroir(
        &app,
        &["user", "add", "short-password", "--role", "admin"],
        &[("TERROIR_NEW_USER_PASSWORD", "short")],
    );
    assert_eq!(short.status.code(), Some(1), "the password policy applies");
}

/// The binary itself: JSON log lines carrying the request id, the first admin's
/// generated password printed once, and a clean exit on SIGTERM.
#[test]
fn the_server_logs_json_with_request_ids_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("TERROIR_DATABASE_URL", dir.path().join("t.db"))
        .env("TERROIR_DATA_DIR", dir.path().join("data"))
        .env("TERROIR_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env_remove("TERROIR_ADMIN_PASSWORD")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A watchdog: a server that never logs what is awaited must not hang the suite.
    let watched = child.id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(60));
        let _ = Command::new("kill").args(["-KILL", &watched]).status();
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut stderr = BufReader::new(child.stderr.take().unwrap());

    // The generated password, once, on standard output.
    let mut password = None;
    let mut line = String::new();
    while password.is_none() && stdout.read_line(&mut line).unwrap() > 0 {
        password = line.trim().strip_prefix("password: ").map(str::to_string);
        line.clear();
    }
    let password = password.expect("the first admin's password is printed");

    // Every log line is JSON; the "serving" one names the port.
    let mut port = None;
    while port.is_none() {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "the server logs before it serves"
        );
        let entry: Value = serde_json::from_str(line.trim()).expect("log lines are JSON");
        port = entry["port"].as_u64();
    }
    let base = format!("http://127.0.0.1:{}", port.unwrap());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let status = runtime.block_on(async {
        let client = reqwest::Client::new();
        let login = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": "admin", "password": password}))
            .send()
            .await
            .unwrap();
        login.status().as_u16()
    });
    assert_eq!(status, 200, "the printed password works");

    // The request's log line carries its request id, its route (never the raw path
    // alone), its method and the peer's address.
    let mut span = Value::Null;
    while span["request_id"].is_null() {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0);
        let entry: Value = serde_json::from_str(line.trim()).expect("log lines are JSON");
        span = entry["span"].clone();
    }
    assert_eq!(span["request_id"].as_str().unwrap().len(), 36);
    assert_eq!(span["http.route"], "/api/v1/auth/login", "{span}");
    assert_eq!(span["http.method"], "POST", "{span}");
    assert_eq!(span["http.client_ip"], "127.0.0.1", "{span}");

    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "SIGTERM stops the server cleanly: {exit:?}");
}

/// Writes have connections of their own. They run one at a time (each holds the write
/// lock to its end), so a burst of them queues; if the queue held the connections reads
/// need (PostgreSQL's writes once shared the read pool), reads would wait behind every
/// write, as they did behind a storm of logins. Here the read pool has one connection and
/// three writes of 400 ms each are queued: a read is answered while the first still runs.
async fn a_read_is_answered_while_writes_queue(app: TestApp) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use terroir::db::{Database, DatabaseUrl, PoolSettings};

    let settings = PoolSettings {
        max_connections: 1,
        checkout_timeout: Duration::from_secs(30),
    };
    let db = Database::open(&DatabaseUrl::parse(&app.database_url).unwrap(), &settings).unwrap();
    let written = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..3)
        .map(|_| {
            let (db, written) = (db.clone(), Arc::clone(&written));
            std::thread::spawn(move || {
                db.write_blocking(|_| {
                    std::thread::sleep(Duration::from_millis(400));
                    Ok(())
                })
                .unwrap();
                written.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let reader = db.clone();
    let answer = tokio::task::spawn_blocking(move || {
        reader.read_blocking(|conn| {
            use diesel::prelude::*;
            Ok(
                diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
                    .get_result::<i32>(conn)?,
            )
        })
    })
    .await
    .unwrap()
    .unwrap();
    let writes_done = written.load(Ordering::SeqCst);
    for writer in writers {
        writer.join().unwrap();
    }
    assert_eq!(answer, 1);
    assert_eq!(writes_done, 0, "the read waited for a write to end");
    assert_eq!(written.load(Ordering::SeqCst), 3);
}
