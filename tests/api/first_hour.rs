//! What a newcomer and an office's IT team meet first: settings that do what they say,
//! commands that refuse a missing registry, secrets that stay secret.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};
use terroir::auth::bootstrap::{ensure_admin, Bootstrap};

use crate::both_backends;
use crate::helpers::{TestApp, ADMIN_PASSWORD};

fn terroir(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_terroir"));
    command.current_dir(dir).args(args);
    for name in [
        "TERROIR_DATABASE_URL",
        "TERROIR_DATA_DIR",
        "TERROIR_CONFIG",
        "TERROIR_METRICS_TOKEN",
        "TERROIR_ADMIN_PASSWORD",
        "TERROIR_JWT_SECRET",
        "TERROIR_DB_POOL_SIZE",
        "TERROIR_BIND",
    ] {
        command.env_remove(name);
    }
    command.env("RUST_LOG", "warn");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

#[test]
fn commands_that_read_a_registry_refuse_a_path_without_one() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["audit", "verify"],
        vec!["sweep"],
        vec!["export", "--format", "csv", "-o", "out.csv"],
        vec!["user", "add", "someone", "--role", "auditor"],
        vec!["holidays", "import", "CNIPA", "cn.ics"],
        vec!["backup", "copy.db"],
    ] {
        let out = terroir(dir.path(), &args, &[("TERROIR_DATA_DIR", "elsewhere")]);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("no database at elsewhere/terroir.db")
                || err.contains("no registry at elsewhere/terroir.db"),
            "{args:?}: {err}"
        );
        assert!(!text(&out.stdout).contains("ok"), "{args:?}");
    }
    let out = terroir(
        dir.path(),
        &["audit", "verify"],
        &[("TERROIR_DATABASE_URL", "sqlite://missing.db")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("missing.db"));
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing was created"
    );
}

#[test]
fn the_data_dir_holds_the_default_database_and_migrate_says_what_it_applied() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("TERROIR_DATA_DIR", "registry")];
    let first = terroir(dir.path(), &["migrate"], &env);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let said = text(&first.stdout);
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count();
    assert!(
        said.contains(&format!(
            "sqlite://registry/terroir.db: applied {migrations} migration(s)"
        )),
        "{said}"
    );
    assert!(said.contains("20261121000001"), "{said}");
    assert!(dir.path().join("registry/terroir.db").is_file());
    assert!(!dir.path().join("data").exists(), "nothing in ./data");

    let again = terroir(dir.path(), &["migrate"], &env);
    assert!(text(&again.stdout).contains("no pending migrations"));

    let verified = terroir(dir.path(), &["audit", "verify"], &env);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(text(&verified.stdout).starts_with("ok: 0 entries verify"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &str| {
            std::fs::metadata(dir.path().join(p))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode("registry"), 0o700);
        assert_eq!(mode("registry/terroir.db"), 0o600);
    }
}

/// The SQLite file is created 0600 whatever the umask, and SQLite gives its WAL and
/// shared-memory files the file's mode: none of the three is readable by others while
/// the server runs.
#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_file_and_its_wal_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite)
        .await
        .unwrap();
    // A write, so that the WAL holds something while the pool keeps it open.
    assert_eq!(app.login("admin", ADMIN_PASSWORD).await.status(), 200);
    let db = std::path::PathBuf::from(&app.database_url);
    for suffix in ["", "-wal", "-shm"] {
        let path = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
        let mode = std::fs::metadata(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{}", path.display());
    }
}

#[test]
fn a_weak_password_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("TERROIR_DATA_DIR", "d")];
    assert!(terroir(dir.path(), &["migrate"], &env).status.success());
    for (password, reason) in [
        ("short", "must be at least 12 characters long"),
        ("carol-the-auditor", "must not be the username"),
    ] {
        let out = terroir(
            dir.path(),
            &["user", "add", "carol-the-auditor", "--role", "auditor"],
            &[
                ("TERROIR_DATA_DIR", "d"),
                ("TERROIR_NEW_USER_PASSWORD", password),
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!("the password was refused: it {reason}")),
            "{err}"
        );
    }
}

#[test]
fn the_settings_file_is_overridden_by_environment_and_flags_and_secrets_are_masked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("terroir.toml"),
        "bind = \"0.0.0.0:9000\"\ndb_pool_size = 3\nlogin_max_failures = 7\n\
         metrics_token = \"file-metrics-secret\"\n\
         database_url = \"postgres://terroir:file-db-secret@db:5432/terroir\"\n\
         trusted_proxies = [\"10.0.0.5\", \"10.0.0.6\"]\n",
    )
    .unwrap();
    let out = terroir(
        dir.path(),
        &["config", "--bind", "127.0.0.1:7000"],
        &[
            ("TERROIR_DB_POOL_SIZE", "4"),
            (
                "TERROIR_JWT_SECRET",
                "an-environment-secret-of-32-bytes-or-more",
            ),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("# settings file: terroir.toml"), "{shown}");
    assert!(
        shown.contains("bind = \"127.0.0.1:7000\""),
        "flags win: {shown}"
    );
    assert!(
        shown.contains("db_pool_size = 4"),
        "the environment wins: {shown}"
    );
    assert!(
        shown.contains("login_max_failures = 7"),
        "the file counts: {shown}"
    );
    assert!(shown.contains("trusted_proxies = [\"10.0.0.5\", \"10.0.0.6\"]"));
    assert!(shown.contains("database_url = \"postgres://terroir:***@db:5432/terroir\""));
    assert!(shown.contains("metrics_token = \"***\""));
    assert!(shown.contains("jwt_secret = \"***\""));
    assert!(!shown.contains("secret@") && !shown.contains("environment-secret"));
    assert!(!shown.contains("file-metrics-secret"));

    // A named file must exist; an unknown key is refused by name.
    let missing = terroir(dir.path(), &["config"], &[("TERROIR_CONFIG", "nope.toml")]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("nope.toml"));
    std::fs::write(dir.path().join("typo.toml"), "bnid = \"x\"\n").unwrap();
    let typo = terroir(dir.path(), &["--config", "typo.toml", "config"], &[]);
    assert_eq!(typo.status.code(), Some(1));
    assert!(text(&typo.stderr).contains("unknown setting \"bnid\""));
}

#[test]
fn a_postgres_password_never_reaches_the_log_or_the_error() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens on port 9: the connection fails, and says so without the password.
    let out = terroir(
        dir.path(),
        &["audit", "verify"],
        &[(
            "TERROIR_DATABASE_URL",
            "postgres://terroir:pg-secret-word@127.0.0.1:9/terroir?connect_timeout=1",
        )],
    );
    assert_eq!(out.status.code(), Some(1));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        all.contains("postgres://terroir:***@127.0.0.1:9/terroir"),
        "{all}"
    );
    assert!(!all.contains("pg-secret-word"), "{all}");

    let help = terroir(
        dir.path(),
        &["--help"],
        &[("TERROIR_DATABASE_URL", "postgres://u:pg-secret-word@h/db")],
    );
    assert!(!text(&help.stdout).contains("pg-secret-word"));
}

both_backends!(
    the_admin_password_is_ignored_once_users_exist,
    metrics_can_require_a_token,
    throttling_counts_the_client_a_trusted_proxy_reports,
    swagger_ui_asks_no_outside_validator,
);

async fn the_admin_password_is_ignored_once_users_exist(app: TestApp) {
    let db = app.database();
    let outcome =
        tokio::task::spawn_blocking(move || ensure_admin(&db, Some("a-different-password")))
            .await
            .unwrap()
            .unwrap();
    assert_eq!(outcome, Bootstrap::PasswordIgnored);
    assert_eq!(app.login("admin", ADMIN_PASSWORD).await.status(), 200);
    assert_eq!(
        app.login("admin", "a-different-password").await.status(),
        401
    );
}

async fn metrics_can_require_a_token(app: TestApp) {
    // The default app: open.
    assert_eq!(app.get("/metrics", None).await.status(), 200);
    let guarded = TestApp::spawn_with(app.backend, |server| {
        server.metrics_token = Some("metrics-token-of-the-office".into());
    })
    .await
    .unwrap();
    let refused = guarded.get("/metrics", None).await;
    assert_eq!(refused.status(), 401);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    assert_eq!(
        guarded.get("/metrics", Some("wrong-token")).await.status(),
        401
    );
    let allowed = guarded
        .get("/metrics", Some("metrics-token-of-the-office"))
        .await;
    assert_eq!(allowed.status(), 200);
    assert!(allowed
        .text()
        .await
        .unwrap()
        .contains("terroir_http_requests_total"));
}

async fn failed_login(app: &TestApp, forwarded_for: &str, username: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"username": username, "password": "not-the-password"}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn throttling_counts_the_client_a_trusted_proxy_reports(app: TestApp) {
    // Without trusted proxies the header is ignored: every request is 127.0.0.1's.
    let direct = TestApp::spawn_with(app.backend, |server| server.login_max_failures = 2)
        .await
        .unwrap();
    assert_eq!(failed_login(&direct, "203.0.113.1", "user-a").await, 401);
    assert_eq!(failed_login(&direct, "203.0.113.2", "user-b").await, 401);
    assert_eq!(
        failed_login(&direct, "203.0.113.3", "user-c").await,
        429,
        "a forged X-Forwarded-For does not escape throttling"
    );

    let proxied = TestApp::spawn_with(app.backend, |server| {
        server.login_max_failures = 2;
        server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await
    .unwrap();
    assert_eq!(failed_login(&proxied, "203.0.113.1", "user-a").await, 401);
    assert_eq!(failed_login(&proxied, "203.0.113.1", "user-b").await, 401);
    assert_eq!(
        failed_login(&proxied, "203.0.113.1", "user-c").await,
        429,
        "the reported client is throttled"
    );
    assert_eq!(
        failed_login(&proxied, "203.0.113.2", "user-d").await,
        401,
        "another client behind the same proxy is not"
    );
    assert_eq!(
        failed_login(&proxied, "203.0.113.1, 203.0.113.2", "user-e").await,
        401,
        "the proxy's own entry (rightmost) counts, not what the client wrote"
    );
}

async fn swagger_ui_asks_no_outside_validator(app: TestApp) {
    let script = app.get("/docs/swagger-initializer.js", None).await;
    assert_eq!(script.status(), 200);
    let script = script.text().await.unwrap();
    assert!(script.contains("\"validatorUrl\": \"none\""), "{script}");
}

#[test]
fn every_setting_in_help_is_in_the_readme_configuration_table() {
    let readme = include_str!("../../README.md");
    let table = &readme[readme.find("## Configuration").unwrap()..];
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    // Every command's --help, subcommands' included (`user add`, `holidays import`, …).
    let mut pending: Vec<Vec<String>> = vec![Vec::new()];
    let mut visited = 0;
    while let Some(command) = pending.pop() {
        visited += 1;
        let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
        args.push("--help");
        let help = text(&terroir(dir.path(), &args, &[]).stdout);
        for part in help.split("[env: ").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                .collect();
            names.push(name);
        }
        if let Some((_, listed)) = help.split_once("Commands:\n") {
            for line in listed.lines().take_while(|l| l.starts_with("  ")) {
                let sub = line.split_whitespace().next().unwrap();
                if sub != "help" {
                    let mut deeper = command.clone();
                    deeper.push(sub.to_string());
                    pending.push(deeper);
                }
            }
        }
    }
    assert!(visited > 15, "every command was read: {visited}");
    assert!(names.contains(&"TERROIR_WORKERS".to_string()), "{names:?}");
    for name in names {
        assert!(
            table.contains(&format!("`{name}`")),
            "{name} is in --help but not in the README's configuration table"
        );
    }
}

/// deploy/postgres-setup.sql's service role reads and writes rows but creates nothing:
/// on an up-to-date database the server starts with it (no migration bookkeeping is
/// created), and the audit log can be made append-only for it.
#[tokio::test]
async fn the_server_runs_as_a_postgres_role_that_cannot_create_tables() {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, PgConnection};
    use terroir::config::StorageArgs;

    let Some(app) = TestApp::spawn(crate::helpers::Backend::Postgres).await else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    let role = format!("terroir_app_{}", std::process::id());
    let mut owner = PgConnection::establish(&app.database_url).unwrap();
    owner
        .batch_execute(&format!(
            "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN PASSWORD 'role-secret-1';
             REVOKE CREATE ON SCHEMA public FROM PUBLIC;
             GRANT USAGE ON SCHEMA public TO {role};
             GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
             GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
             REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {role};
             REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON __diesel_schema_migrations FROM {role};"
        ))
        .unwrap();
    let (scheme, rest) = app.database_url.split_once("://").unwrap();
    let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let limited_url = format!("{scheme}://{role}:role-secret-1@{host}");

    let storage = StorageArgs {
        database_url: Some(limited_url.clone()),
        data_dir: app.data_dir.clone(),
        db_pool_size: 2,
        db_timeout_secs: 3,
    };
    let limited = terroir::startup::Application::build(storage, crate::helpers::server_args())
        .await
        .expect("the service role starts the server on an up-to-date database");
    let port = limited.port();
    tokio::spawn(limited.into_server());
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200, "it reads and writes (sessions, audit)");
    let mut limited_conn = PgConnection::establish(&limited_url).unwrap();
    assert!(
        limited_conn.batch_execute("DELETE FROM audit_log").is_err(),
        "the audit log is append-only for the service role"
    );
    drop(limited_conn);
    owner
        .batch_execute(&format!(
            "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role};
             REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role};
             REVOKE ALL ON SCHEMA public FROM {role};"
        ))
        .unwrap();
    drop(owner);
    drop(app);
    if let Ok(admin) = std::env::var("TERROIR_TEST_POSTGRES_URL") {
        if let Ok(mut conn) = PgConnection::establish(&admin) {
            let _ = conn.batch_execute(&format!("DROP ROLE IF EXISTS {role}"));
        }
    }
}

/// A TCP proxy to `upstream` on a port of its own, which the test can cut: every
/// connection through it, and the port itself, close at once.
struct CuttableProxy {
    port: u16,
    tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl CuttableProxy {
    async fn start(upstream: String) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let tasks = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let held = tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let pipe = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                held.lock().unwrap().push(pipe);
            }
        });
        tasks.lock().unwrap().push(accept);
        Self { port, tasks }
    }

    fn cut(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

/// `terroir serve` on PostgreSQL with a password in the URL: neither its start-up lines
/// nor, once the database goes away, the pool's errors, the readiness failures and the
/// requests' 503s show the password.
#[tokio::test]
async fn serve_never_logs_the_postgres_password() {
    let Some(app) = TestApp::spawn(crate::helpers::Backend::Postgres).await else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    // postgres://USER[:PASSWORD]@HOST:PORT/DB?…: the same database through the proxy,
    // with a password (the test server trusts local connections; one it already
    // requires is kept and looked for instead).
    let (scheme, rest) = app.database_url.split_once("://").unwrap();
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let (userinfo, upstream) = authority
        .rsplit_once('@')
        .unwrap_or(("postgres", authority));
    let (user, password) = userinfo
        .split_once(':')
        .unwrap_or((userinfo, "pg-secret-word-1"));
    let proxy = CuttableProxy::start(upstream.to_string()).await;
    let url = format!(
        "{scheme}://{user}:{password}@127.0.0.1:{}{path}",
        proxy.port
    );

    let dir = tempfile::tempdir().unwrap();
    let serving = Serving::start(
        dir.path(),
        &[
            ("TERROIR_DATABASE_URL", url.as_str()),
            ("TERROIR_DB_TIMEOUT_SECS", "1"),
        ],
    )
    .await;
    let (base, client, ready) = (&serving.base, &serving.client, serving.ready);
    let up = client.get(format!("{base}/api/v1/gis")).send().await;

    proxy.cut();
    let mut statuses = Vec::new();
    for path in ["/readyz", "/api/v1/gis", "/readyz"] {
        let r = client.get(format!("{base}{path}")).send().await.unwrap();
        statuses.push(r.status().as_u16());
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    }
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    statuses.push(login.status().as_u16());
    let logged = serving.stop();

    assert!(ready, "the server came up: {logged}");
    assert_eq!(up.unwrap().status(), 200, "{logged}");
    assert_eq!(statuses, [503, 503, 503, 503], "{logged}");
    assert!(
        logged.contains(&format!("{user}:***@127.0.0.1:{}", proxy.port)),
        "the start-up line names the database, masked: {logged}"
    );
    assert!(
        logged.contains("database unreachable"),
        "the outage was logged: {logged}"
    );
    assert!(!logged.contains(password), "{logged}");
}

/// `terroir serve` run as a process, its standard output and error in one log file.
struct Serving {
    child: std::process::Child,
    log: std::path::PathBuf,
    base: String,
    client: reqwest::Client,
    /// Whether /readyz answered 200 within 15 s.
    ready: bool,
}

impl Serving {
    async fn start(dir: &Path, env: &[(&str, &str)]) -> Self {
        let log = dir.join("serve.log");
        let file = std::fs::File::create(&log).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_terroir"));
        command
            .arg("serve")
            .current_dir(dir)
            .env_remove("TERROIR_CONFIG")
            .env_remove("TERROIR_DATABASE_URL")
            .env("TERROIR_DATA_DIR", dir.join("data"))
            .env("TERROIR_BIND", format!("127.0.0.1:{port}"))
            .env("TERROIR_SWEEP_INTERVAL_SECS", "0")
            .env("RUST_LOG", "info")
            .stdout(file.try_clone().unwrap())
            .stderr(file);
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command.spawn().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let mut ready = false;
        for _ in 0..60 {
            if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
                ready = r.status() == 200;
                if ready {
                    break;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        Self {
            child,
            log,
            base,
            client,
            ready,
        }
    }

    /// Stops the server; what it logged.
    fn stop(mut self) -> String {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        std::fs::read_to_string(&self.log).unwrap()
    }
}

/// The README's trap: a second start with TERROIR_ADMIN_PASSWORD on a registry that has
/// users says that the password is ignored, and why.
#[tokio::test]
async fn serve_warns_when_the_admin_password_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let first = Serving::start(dir.path(), &[]).await;
    let first_ready = first.ready;
    let logged = first.stop();
    assert!(first_ready, "{logged}");
    assert!(logged.contains("username: admin"), "{logged}");
    assert!(!logged.contains("is set but ignored"), "{logged}");

    let second = Serving::start(
        dir.path(),
        &[("TERROIR_ADMIN_PASSWORD", "change-me-right-now")],
    )
    .await;
    let login = second
        .client
        .post(format!("{}/api/v1/auth/login", second.base))
        .json(&json!({"username": "admin", "password": "change-me-right-now"}))
        .send()
        .await
        .unwrap()
        .status();
    let logged = second.stop();
    assert_eq!(login, 401, "{logged}");
    assert!(
        logged
            .contains("TERROIR_ADMIN_PASSWORD is set but ignored: this database already has users"),
        "{logged}"
    );
}

/// The README and docs/ cite only documents the repository holds: every relative link,
/// and every `*.md` they name, exists.
#[test]
fn the_documents_cite_only_documents_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut documents = vec![root.join("README.md"), root.join("BENCHMARKS.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        // The documents, not the folders beside them (docs/screenshots/).
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            documents.push(path);
        }
    }
    let mut cited = 0;
    for document in &documents {
        let text = std::fs::read_to_string(document).unwrap();
        let folder = document.parent().unwrap();
        // Markdown links: relative to the document.
        for part in text.split("](").skip(1) {
            let target = part.split(')').next().unwrap();
            let target = target.split('#').next().unwrap();
            if target.is_empty() || target.contains("://") {
                continue;
            }
            cited += 1;
            assert!(
                folder.join(target).exists(),
                "{} links to {target}, which is not in the repository",
                document.display()
            );
        }
        // Documents named in the text (`docs/deploy.md`, DESIGN.md): from the root, or
        // beside the document.
        for word in text.split(|c: char| !(c.is_alphanumeric() || "_-./".contains(c))) {
            let Some(name) = word.strip_suffix(".md") else {
                continue;
            };
            if name.is_empty() || word.starts_with('.') || word.contains("//") {
                continue;
            }
            cited += 1;
            assert!(
                root.join(word).exists() || folder.join(word).exists(),
                "{} names {word}, which is not in the repository",
                document.display()
            );
        }
    }
    assert!(cited > 10, "the documents cite each other: {cited}");
}

/// An auditor pointed at the wrong PostgreSQL database (one that exists but holds no
/// registry), or at an empty file, is told so: exit 1 naming it, nothing created there.
#[test]
fn commands_that_read_a_registry_refuse_a_database_without_one() {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, PgConnection};

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.db"), b"").unwrap();
    let out = terroir(
        dir.path(),
        &["audit", "verify"],
        &[("TERROIR_DATABASE_URL", "empty.db")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no registry in the database sqlite://empty.db"),
        "{}",
        text(&out.stderr)
    );

    let Ok(admin_url) = std::env::var("TERROIR_TEST_POSTGRES_URL") else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    let name = format!("terroir_not_a_registry_{}", std::process::id());
    let mut admin = PgConnection::establish(&admin_url).unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let url = crate::helpers::with_database(&admin_url, &name);
    let mut outcomes = Vec::new();
    for args in [
        vec!["audit", "verify"],
        vec!["export", "--format", "csv", "-o", "out.csv"],
        vec!["user", "add", "someone", "--role", "auditor"],
    ] {
        let out = terroir(dir.path(), &args, &[("TERROIR_DATABASE_URL", &url)]);
        outcomes.push((
            args,
            out.status.code(),
            text(&out.stderr),
            text(&out.stdout),
        ));
    }
    let mut empty = PgConnection::establish(&url).unwrap();
    let tables: i64 = diesel::RunQueryDsl::get_result(
        diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
        ),
        &mut empty,
    )
    .unwrap();
    drop(empty);
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();

    for (args, code, stderr, stdout) in outcomes {
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("no registry in the database") && stderr.contains(&name),
            "{args:?}: {stderr}"
        );
        assert!(!stdout.contains("ok"), "{args:?}: {stdout}");
    }
    assert_eq!(tables, 0, "nothing was created in the database");
}
