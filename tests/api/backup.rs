//! Backups that restore (issue 8, item 15): a backup taken while writers commit holds
//! every write acknowledged before it began, restores into an empty place with its
//! audit chain verifying, and a copy whose chain does not verify is refused. SQLite
//! through `terroir backup` / `terroir restore`; PostgreSQL through the README's
//! `pg_dump` / `pg_restore` commands (skipped when they are not installed).

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde_json::json;
use terroir::db::schema::offices;
use terroir::db::{Database, DatabaseUrl, PoolSettings};

use crate::helpers::{with_database, Backend, TestApp};

fn terroir(database_url: &str, data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args(args)
        .env("TERROIR_DATABASE_URL", database_url)
        .env("TERROIR_DATA_DIR", data_dir)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Four writers create offices until `backup` has run (and a little after); returns the
/// codes acknowledged (201 received) before the backup began.
async fn backup_under_writes(
    app: &TestApp,
    backup: impl FnOnce() -> Output + Send + 'static,
) -> HashSet<String> {
    let admin = app.admin_token().await;
    let stop = Arc::new(AtomicBool::new(false));
    let acked: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let mut writers = Vec::new();
    for w in 0..4 {
        let (client, url, admin) = (
            app.client.clone(),
            app.url("/api/v1/offices"),
            admin.clone(),
        );
        let (stop, acked) = (stop.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let code = format!("W{w}N{i}");
                i += 1;
                let response = client
                    .post(&url)
                    .bearer_auth(&admin)
                    .json(&json!({"code": code, "jurisdiction": "TH", "name": format!("Office {code}"),
                                  "opposition_period_days": 60, "languages": ["en"]}))
                    .send()
                    .await
                    .unwrap();
                if response.status() == 201 {
                    acked.lock().unwrap().push((code, Instant::now()));
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let began = Instant::now();
    let output = tokio::task::spawn_blocking(backup).await.unwrap();
    assert!(
        output.status.success(),
        "backup: {}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let acked = acked.lock().unwrap();
    let before: HashSet<String> = acked
        .iter()
        .filter(|(_, at)| *at < began)
        .map(|(code, _)| code.clone())
        .collect();
    assert!(
        before.len() >= 4,
        "writes flowed before the backup: {}",
        before.len()
    );
    assert!(
        acked.len() > before.len(),
        "writes went on while the backup ran"
    );
    before
}

/// The office codes of the registry at `url`.
async fn office_codes(url: String) -> HashSet<String> {
    tokio::task::spawn_blocking(move || {
        let db =
            Database::open(&DatabaseUrl::parse(&url).unwrap(), &PoolSettings::default()).unwrap();
        db.read_blocking(|conn| Ok(offices::table.select(offices::code).load::<String>(conn)?))
            .unwrap()
            .into_iter()
            .collect()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_sqlite_backup_under_writes_restores_every_acknowledged_write() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("terroir-backup.db");
    let (source, data_dir, target) = (
        app.database_url.clone(),
        app.data_dir.clone(),
        file.display().to_string(),
    );
    let before = backup_under_writes(&app, move || {
        terroir(&source, &data_dir, &["backup", &target])
    })
    .await;

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the backup is private");
        // A copy that went through other hands may be readable by all: the restored
        // registry is private all the same.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }

    // Restore into an empty place: every write acknowledged before the backup is there.
    let restored = dir.path().join("restored").join("terroir.db");
    let restored_url = restored.display().to_string();
    let data_dir = dir.path().join("restored-data");
    let output = terroir(
        &restored_url,
        &data_dir,
        &["restore", &file.display().to_string()],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("audit entries verify"),
        "{}",
        text(&output.stdout)
    );
    let codes = office_codes(restored_url.clone()).await;
    let missing: Vec<&String> = before.difference(&codes).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, missing: {missing:?}"
    );
    let verify = terroir(&restored_url, &data_dir, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify.stderr));
    // The backup and the restored registry are as private as the registry they copy.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&restored).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the restored registry is private");
        let folder = std::fs::metadata(restored.parent().unwrap()).unwrap();
        assert_eq!(folder.permissions().mode() & 0o777, 0o700);
    }

    // Never over an existing registry, and never over an existing file.
    let again = terroir(
        &restored_url,
        &data_dir,
        &["restore", &file.display().to_string()],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("already exists"),
        "{}",
        text(&again.stderr)
    );
    let over = terroir(
        &app.database_url,
        &app.data_dir,
        &["backup", &file.display().to_string()],
    );
    assert_eq!(over.status.code(), Some(1));

    // A copy whose chain was altered, or cut short, is refused and leaves nothing.
    for (name, tamper, why) in [
        (
            "altered.db",
            "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3",
            "at entry 3",
        ),
        (
            "truncated.db",
            "DELETE FROM audit_log WHERE seq > 5",
            "truncated",
        ),
    ] {
        let copy = dir.path().join(name);
        std::fs::copy(&file, &copy).unwrap();
        let mut conn = diesel::SqliteConnection::establish(&copy.display().to_string()).unwrap();
        conn.batch_execute(tamper).unwrap();
        drop(conn);
        let target = dir.path().join(format!("refused-{name}"));
        let refused = terroir(
            &target.display().to_string(),
            &data_dir,
            &["restore", &copy.display().to_string()],
        );
        assert_eq!(refused.status.code(), Some(1), "{name}");
        let stderr = text(&refused.stderr);
        assert!(
            stderr.contains("does not verify") && stderr.contains(why),
            "{stderr}"
        );
        assert!(!target.exists(), "a refused restore leaves nothing");
        assert!(!Path::new(&format!("{}.restoring", target.display())).exists());
    }

    // Not a backup at all.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    let target = dir.path().join("from-junk.db").display().to_string();
    let refused = terroir(
        &target,
        &data_dir,
        &["restore", &junk.display().to_string()],
    );
    assert_eq!(refused.status.code(), Some(1));
}

fn installed(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The README's PostgreSQL commands: `pg_dump --format=custom` while writers commit,
/// `createdb`, `pg_restore --no-owner`, then `terroir audit verify` on the copy.
#[tokio::test]
async fn a_postgres_dump_under_writes_restores_every_acknowledged_write() {
    if !installed("pg_dump") || !installed("pg_restore") {
        eprintln!("skipped: pg_dump or pg_restore is not installed");
        return;
    }
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("terroir.dump");
    let (source, target) = (app.database_url.clone(), file.display().to_string());
    let before = backup_under_writes(&app, move || {
        Command::new("pg_dump")
            .args(["--format=custom", "--file", &target, &source])
            .output()
            .unwrap()
    })
    .await;

    let admin_url = std::env::var("TERROIR_TEST_POSTGRES_URL").unwrap();
    let name = format!("terroir_restored_{}", std::process::id());
    let mut admin = diesel::PgConnection::establish(&admin_url).unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let restored_url = with_database(&admin_url, &name);
    let output = Command::new("pg_restore")
        .args([
            "--no-owner",
            "--dbname",
            &restored_url,
            &file.display().to_string(),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "pg_restore: {}",
        text(&output.stderr)
    );

    let codes = office_codes(restored_url.clone()).await;
    let missing: Vec<&String> = before.difference(&codes).collect();
    let verify = terroir(&restored_url, &app.data_dir, &["audit", "verify"]);
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .unwrap();
    assert!(
        missing.is_empty(),
        "acknowledged before the dump, missing: {missing:?}"
    );
    assert!(verify.status.success(), "{}", text(&verify.stderr));

    // `terroir backup` points a PostgreSQL user to pg_dump.
    let refused = terroir(
        &app.database_url,
        &app.data_dir,
        &["backup", &dir.path().join("x.db").display().to_string()],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("pg_dump"));
}
