//! Spawns the real application on port 0, on a fresh database of either backend.

use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::{json, Value};
use terroir::config::{ServerArgs, StorageArgs};
use terroir::db::{Database, DatabaseUrl, PoolSettings};
use terroir::startup::Application;

pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
pub const JWT_SECRET: &str = "test-secret-that-is-at-least-32-bytes-long";
pub const PASSWORD: &str = "a-long-enough-password";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh PostgreSQL database, dropped (with its connections) when the test ends.
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

pub struct TestApp {
    pub backend: Backend,
    pub address: String,
    pub client: Client,
    pub database_url: String,
    pub data_dir: PathBuf,
    /// The server's clock: `clock.set(…)` drives "now" for legal dates.
    pub clock: terroir::clock::Clock,
    _dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

/// A PostgreSQL URL with its database name replaced.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let prefix = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    format!("{prefix}/{name}{query}")
}

/// A new database of the backend, or None when PostgreSQL is not configured.
fn fresh_database(
    backend: Backend,
    dir: &tempfile::TempDir,
) -> Option<(String, Option<PgDatabase>)> {
    match backend {
        Backend::Sqlite => Some((dir.path().join("terroir.db").display().to_string(), None)),
        Backend::Postgres => {
            let admin_url = std::env::var("TERROIR_TEST_POSTGRES_URL").ok()?;
            let name = format!("terroir_test_{}", uuid_like());
            let mut conn = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
                panic!("TERROIR_TEST_POSTGRES_URL is set but unreachable: {e}")
            });
            conn.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create test database");
            let url = with_database(&admin_url, &name);
            Some((url, Some(PgDatabase { admin_url, name })))
        }
    }
}

fn uuid_like() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..16)
        .map(|_| format!("{:x}", rng.gen_range(0..16)))
        .collect()
}

pub fn server_args() -> ServerArgs {
    ServerArgs {
        bind: "127.0.0.1:0".parse().unwrap(),
        jwt_secret: Some(JWT_SECRET.into()),
        admin_password: Some(ADMIN_PASSWORD.into()),
        workers: Some(2),
        ..ServerArgs::default()
    }
}

/// The tests' HTTP client. It drops a kept-alive connection after 2 s idle, well before
/// the server's 5 s keep-alive closes it: reusing one the server is closing at that very
/// moment fails the request (`IncompleteMessage`) on a loaded machine.
fn client() -> Client {
    Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap()
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(
        backend: Backend,
        adjust: impl FnOnce(&mut ServerArgs),
    ) -> Option<TestApp> {
        let dir = tempfile::tempdir().unwrap();
        let (database_url, pg) = fresh_database(backend, &dir)?;
        let mut server = server_args();
        adjust(&mut server);
        Some(Self::start(backend, database_url, dir, pg, server).await)
    }

    async fn start(
        backend: Backend,
        database_url: String,
        dir: tempfile::TempDir,
        pg: Option<PgDatabase>,
        server: ServerArgs,
    ) -> TestApp {
        let storage = StorageArgs {
            database_url: Some(database_url.clone()),
            data_dir: dir.path().join("data"),
            db_pool_size: 4,
            db_timeout_secs: 3,
        };
        let app = Application::build(storage, server)
            .await
            .expect("the app starts");
        let port = app.port();
        let clock = app.clock();
        tokio::spawn(app.into_server());
        TestApp {
            backend,
            address: format!("http://127.0.0.1:{port}"),
            client: client(),
            database_url,
            data_dir: dir.path().join("data"),
            clock,
            _dir: dir,
            _pg: pg,
        }
    }

    /// Another server on this app's database and data folder, as a second instance in
    /// production: its address.
    pub async fn second_server(&self, adjust: impl FnOnce(&mut ServerArgs)) -> String {
        let storage = StorageArgs {
            database_url: Some(self.database_url.clone()),
            data_dir: self.data_dir.clone(),
            db_pool_size: 4,
            db_timeout_secs: 3,
        };
        let mut server = server_args();
        adjust(&mut server);
        let app = Application::build(storage, server)
            .await
            .expect("the second server starts");
        let port = app.port();
        tokio::spawn(app.into_server());
        format!("http://127.0.0.1:{port}")
    }

    /// A connection pool onto the app's database, for tests that inspect or tamper.
    pub fn database(&self) -> Database {
        Database::open(
            &DatabaseUrl::parse(&self.database_url).unwrap(),
            &PoolSettings::default(),
        )
        .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let builder = self.client.request(method, self.url(path));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token).send().await.unwrap()
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::POST, path, token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::PATCH, path, token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post(
            "/api/v1/auth/login",
            None,
            json!({"username": username, "password": password}),
        )
        .await
    }

    /// Logs in and returns the whole token pair.
    pub async fn tokens(&self, username: &str, password: &str) -> Value {
        let response = self.login(username, password).await;
        assert_eq!(response.status(), 200, "login of {username} failed");
        response.json().await.unwrap()
    }

    pub async fn token(&self, username: &str, password: &str) -> String {
        self.tokens(username, password).await["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub async fn admin_token(&self) -> String {
        self.token("admin", ADMIN_PASSWORD).await
    }

    /// Creates an office as admin and returns it. Its weekend is empty: the fixed dates of
    /// the tests predate working days, and tests of calendars give offices their own.
    pub async fn create_office(
        &self,
        admin: &str,
        code: &str,
        jurisdiction: &str,
        period: i32,
    ) -> Value {
        let response = self
            .post(
                "/api/v1/offices",
                Some(admin),
                json!({"code": code, "jurisdiction": jurisdiction, "name": format!("Office {code}"),
                       "opposition_period_days": period, "languages": ["en"], "weekend": []}),
            )
            .await;
        assert_eq!(response.status(), 201, "create office {code}");
        response.json().await.unwrap()
    }

    pub async fn create_association(&self, token: &str, name: &str, office: &str) -> Value {
        let response = self
            .post(
                "/api/v1/associations",
                Some(token),
                json!({"name": name, "office": office}),
            )
            .await;
        assert_eq!(response.status(), 201, "create association {name}");
        response.json().await.unwrap()
    }

    /// Creates a user with `PASSWORD` and returns its access token.
    pub async fn user_token(&self, creator: &str, body: Value) -> String {
        let mut body = body;
        body["password"] = json!(PASSWORD);
        let username = body["username"].as_str().unwrap().to_string();
        let response = self.post("/api/v1/users", Some(creator), body).await;
        assert_eq!(response.status(), 201, "create user {username}");
        self.token(&username, PASSWORD).await
    }

    /// How many audit entries exist: for asserting that a refused request wrote nothing.
    pub async fn audit_count(&self) -> i64 {
        let db = self.database();
        tokio::task::spawn_blocking(move || {
            db.read_blocking(|conn| {
                use diesel::prelude::*;
                use terroir::db::schema::audit_log;
                Ok(audit_log::table.count().get_result::<i64>(conn)?)
            })
            .unwrap()
        })
        .await
        .unwrap()
    }
}

/// One audit entry as stored, for asserting what a write recorded.
#[derive(Debug, PartialEq)]
pub struct AuditTail {
    pub action: String,
    pub actor: Option<String>,
    pub entity_id: Option<String>,
    pub payload: Value,
}

impl TestApp {
    /// The audit entries after the first `after` ones, oldest first.
    pub async fn audit_after(&self, after: i64) -> Vec<AuditTail> {
        let db = self.database();
        tokio::task::spawn_blocking(move || {
            db.read_blocking(|conn| {
                use diesel::prelude::*;
                use terroir::db::schema::audit_log;
                Ok(audit_log::table
                    .filter(audit_log::seq.gt(after))
                    .order(audit_log::seq)
                    .select((
                        audit_log::action,
                        audit_log::actor,
                        audit_log::entity_id,
                        audit_log::payload,
                    ))
                    .load::<(String, Option<String>, Option<String>, String)>(conn)?)
            })
            .unwrap()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|(action, actor, entity_id, payload)| AuditTail {
            action,
            actor,
            entity_id,
            payload: serde_json::from_str(&payload).unwrap(),
        })
        .collect()
    }
}

/// Asserts the JSON error envelope and its code; returns the body.
pub async fn assert_error(response: Response, status: u16, code: &str) -> Value {
    let got = response.status().as_u16();
    let json = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "unexpected status; body: {text}");
    assert!(json, "error responses are JSON");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
    body
}

/// Runs each named `async fn(TestApp)` on SQLite, and on PostgreSQL when
/// `TERROIR_TEST_POSTGRES_URL` is set.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite)
                        .await
                        .unwrap();
                    super::$name(app).await;
                }

                #[tokio::test]
                async fn postgres() {
                    match $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await {
                        Some(app) => super::$name(app).await,
                        None => eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set"),
                    }
                }
            }
        )*
    };
}
