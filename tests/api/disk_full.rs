//! A full disk (issue 8, item 3): a SQLite registry on a small tmpfs that fills up
//! answers writes with 507 and `Retry-After` (never `internal_error`), writes nothing
//! half-way, reports not-ready, and recovers by itself once space is freed.
//! Mounting needs privileges; where the test may not mount it says so and passes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use terroir::config::StorageArgs;
use terroir::startup::Application;

use crate::helpers::{server_args, ADMIN_PASSWORD};

/// A tmpfs of `size`, unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let path = dir.path().join("disk");
        std::fs::create_dir(&path).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .output()
            .ok()?;
        mounted
            .status
            .success()
            .then_some(SmallDisk { path, _dir: dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// Writes zeros into `path` until the disk refuses.
fn fill(path: &Path) {
    let mut file = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 16 * 1024];
    while file.write_all(&chunk).is_ok() {}
    let _ = file.sync_all();
}

#[tokio::test]
async fn a_full_disk_is_507_with_retry_after_and_readiness_recovers() {
    let Some(disk) = SmallDisk::mount("3m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let storage = StorageArgs {
        database_url: Some(disk.path.join("terroir.db").display().to_string()),
        data_dir: disk.path.join("data"),
        db_pool_size: 4,
        db_timeout_secs: 3,
    };
    let server = Application::build(storage, server_args()).await.unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.into_server());
    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let admin = login["access_token"].as_str().unwrap().to_string();
    let create_office = |code: String| {
        let client = client.clone();
        let base = base.clone();
        let admin = admin.clone();
        async move {
            client
                .post(format!("{base}/api/v1/offices"))
                .bearer_auth(admin)
                .json(
                    &json!({"code": code, "jurisdiction": "TH", "name": "x".repeat(200),
                              "opposition_period_days": 90, "languages": ["th"]}),
                )
                .send()
                .await
                .unwrap()
        }
    };
    // The audit chain: verified, and its length (one entry per write).
    let audit = || {
        let client = client.clone();
        let base = base.clone();
        let admin = admin.clone();
        async move {
            let report: Value = client
                .get(format!("{base}/api/v1/audit/verify"))
                .bearer_auth(admin)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(report["status"], "ok", "{report}");
            report["entries"].as_i64().unwrap()
        }
    };
    assert_eq!(create_office("DIP".into()).await.status(), 201);
    let entries_before = audit().await;

    let filler = disk.path.join("filler");
    fill(&filler);
    let mut created = 0;
    let mut refusal = None;
    for i in 0..3000 {
        let response = create_office(format!("OFFICE{i}")).await;
        match response.status().as_u16() {
            201 => created += 1,
            _ => {
                refusal = Some(response);
                break;
            }
        }
    }
    let refusal = refusal.expect("writes fail once the disk is full");
    assert_eq!(refusal.status(), 507, "out of space is 507");
    assert!(refusal.headers().contains_key("retry-after"));
    let body: Value = refusal.json().await.unwrap();
    assert_eq!(body["error"]["code"], "insufficient_storage", "{body}");

    let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503, "not ready while writes fail for space");
    assert!(ready.headers().contains_key("retry-after"));
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["error"]["code"], "insufficient_storage", "{body}");
    assert_eq!(
        audit().await,
        entries_before + created,
        "the refused write left nothing behind"
    );

    std::fs::remove_file(&filler).unwrap();
    let mut recovered = false;
    for _ in 0..60 {
        let status = client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .unwrap()
            .status();
        if status == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        recovered,
        "readiness comes back by itself once space is freed"
    );
    assert_eq!(create_office("LAST".into()).await.status(), 201);
    assert_eq!(audit().await, entries_before + created + 1);
}
