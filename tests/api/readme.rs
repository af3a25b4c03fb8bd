//! The README's walk-through, run as written: its ```sh blocks from "A first session
//! with curl" to the end of "Importing a register", concatenated and run by bash against a
//! server the test starts on port 0. The only changes: the line that starts the server
//! is left out (the test started it, with the README's admin password) and the base URL
//! is the test server's. `terroir` is the binary under test.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::helpers::{Backend, TestApp};

const README: &str = include_str!("../../README.md");
const BASE_URL: &str = "http://127.0.0.1:8080";
const FIRST: &str = "## A first session with curl";
/// A section between them that runs on a database of its own.
const SKIPPED: &str = "## Try the demonstration";
const LAST: &str = "## Importing a register";
/// Stops the server the README started (the test stops its own).
const STOP: &str = "kill %1";

/// The ```sh blocks of the walk-through, in order.
fn walkthrough_blocks() -> Vec<String> {
    let start = README.find(FIRST).expect("the README has its curl session");
    let last = README
        .find(LAST)
        .expect("the README has its import section");
    let end = README[last + LAST.len()..]
        .find("\n## ")
        .map_or(README.len(), |i| last + LAST.len() + i);
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    let mut skipping = false;
    for line in README[start..end].lines() {
        if line.starts_with("## ") {
            skipping = line.trim_end() == SKIPPED;
        }
        if skipping {
            continue;
        }
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// The README's server start line (`… TERROIR_ADMIN_PASSWORD='…' terroir &`).
fn is_server_start(line: &str) -> bool {
    let line = line.trim();
    line.ends_with("terroir &")
        && line
            .split_whitespace()
            .all(|word| word == "terroir" || word == "&" || word.starts_with("TERROIR_"))
}

fn admin_password(start_line: &str) -> String {
    let (_, rest) = start_line
        .split_once("TERROIR_ADMIN_PASSWORD='")
        .expect("the README starts the server with TERROIR_ADMIN_PASSWORD");
    rest.split('\'').next().unwrap().to_string()
}

fn require(tool: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "the README's examples need {tool}: install it (apt-get install {tool})"
    );
}

async fn run_the_walkthrough(backend: Backend) {
    for tool in ["bash", "curl", "jq", "sha256sum"] {
        require(tool);
    }
    let blocks = walkthrough_blocks();
    assert!(
        blocks.len() >= 4,
        "the walk-through has its blocks: {blocks:?}"
    );
    let script = blocks.concat();
    assert!(
        !script.contains("terroir demo"),
        "the demonstration is not part of the walk-through"
    );
    let starts: Vec<&str> = script.lines().filter(|l| is_server_start(l)).collect();
    assert_eq!(starts.len(), 1, "the README starts one server: {starts:?}");
    let password = admin_password(starts[0]);

    let Some(app) = TestApp::spawn_with(backend, |server| {
        server.admin_password = Some(password.clone());
    })
    .await
    else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    assert_eq!(
        script.lines().filter(|l| l.trim() == STOP).count(),
        1,
        "the README stops the server it started"
    );
    let script: String = script
        .lines()
        .filter(|l| !is_server_start(l) && l.trim() != STOP)
        .map(|l| l.replace(BASE_URL, &app.address) + "\n")
        .collect();
    assert!(!script.contains("8080"), "every URL is the test server's");

    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_terroir"), bin.join("terroir")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    // The README's commands run in a clone of the repository: its datasets are there.
    std::os::unix::fs::symlink(
        concat!(env!("CARGO_MANIFEST_DIR"), "/datasets"),
        work.join("datasets"),
    )
    .unwrap();
    let full =
        format!("set -euo pipefail\n{script}\necho \"walked GI=$GI REC=$REC EXPORT=$EXPORT\"\n");

    let database_url = app.database_url.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("bash")
            .args(["-c", &full])
            .current_dir(&work)
            .env("PATH", path)
            // The walk-through's `terroir` commands reach the test server's database.
            .env("TERROIR_DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        out.status.success(),
        "the walk-through fails: {:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    check_outcome(&app, &stdout, &stderr, dir.path()).await;
}

async fn check_outcome(app: &TestApp, stdout: &str, stderr: &str, dir: &Path) {
    let context = format!("--- stdout\n{stdout}\n--- stderr\n{stderr}");
    // The one failure the README announces, and no other.
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("deadline_not_passed"))
            .count(),
        1,
        "{context}"
    );
    for unexpected in [
        "\"unauthorized\"",
        "\"forbidden\"",
        "\"validation_failed\"",
        "\"not_found\"",
        "\"invalid_transition\"",
    ] {
        assert!(!stdout.contains(unexpected), "{unexpected} in {context}");
    }
    // The decision letter comes back as it was filed.
    assert!(
        stdout.contains("DIP decision: Longjing tea is protected in Thailand."),
        "{context}"
    );
    // The CLI's export gives the bytes the API gave; the chain verifies both ways.
    assert!(stdout.contains("identical"), "{context}");
    assert!(
        stdout.contains("\"status\":\"ok\""),
        "the API verifies: {context}"
    );
    assert!(
        stdout.contains("ok: 30 entries verify; head hash"),
        "terroir audit verify: {context}"
    );
    let walked = stdout
        .lines()
        .find_map(|l| l.strip_prefix("walked "))
        .expect("the script ran to its end");
    for (name, value) in walked.split(' ').filter_map(|kv| kv.split_once('=')) {
        assert!(
            value.parse::<i64>().is_ok(),
            "{name} is an id: {walked}\n{context}"
        );
    }
    // The digest the export record gives is the digest of the bytes received.
    let recorded = stdout
        .lines()
        .filter_map(|l| l.get(l.len().saturating_sub(64)..))
        .find(|tail| tail.len() == 64 && tail.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(|| panic!("the export record's sha256 is printed: {context}"));
    assert!(
        stdout.contains(&format!("{recorded}  cn-th-2026-10-01.csv")),
        "{context}"
    );
    let csv = std::fs::read_to_string(dir.join("work/cn-th-2026-10-01.csv")).unwrap();
    assert!(csv.contains("龙井茶"), "{csv}");

    // What the walk-through built: a registered 龙井茶, protected in Thailand.
    let found: Value = app
        .get("/api/v1/gis?q=longjing", None)
        .await
        .json()
        .await
        .unwrap();
    // One 龙井茶: the EU register's PDO-CN-0621 became the EU's recognition of it.
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
    let gi = &found["items"][0];
    assert_eq!(gi["status"], "registered", "{found}");
    let link = stdout
        .lines()
        .find(|l| l.starts_with("PDO-CN-0621 -> recognition "))
        .unwrap_or_else(|| panic!("the import reports its links: {context}"));
    assert!(
        link.ends_with(&format!(
            "by EU under EU-CN of GI {} at CNIPA (linked)",
            gi["id"]
        )),
        "{link}"
    );
    let protection: Value = app
        .get(&format!("/api/v1/gis/{}/protection", gi["id"]), None)
        .await
        .json()
        .await
        .unwrap();
    let partners: Vec<&Value> = protection["territories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["partner"])
        .collect();
    assert_eq!(partners, ["DIP", "EU"], "{protection}");
    // DIP's partial protection: every name but the English translation.
    let thailand = &protection["territories"][0];
    assert_eq!(thailand["status"], "protected", "{protection}");
    assert_eq!(
        thailand["protected_names"],
        serde_json::json!(["龙井茶", "Longjing cha"])
    );
    assert_eq!(thailand["excluded_names"][0]["name"], "Dragon Well tea");
    // The plain import went to a registry of its own.
    assert!(dir.join("work/eu/terroir.db").is_file());
    let skipped = std::fs::read_to_string(dir.join("work/skipped.txt")).unwrap();
    assert_eq!(skipped.lines().count(), 3705, "{skipped}");
    let recognitions: Value = app
        .get("/api/v1/recognitions?partner=DIP&status=protected", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        recognitions["items"][0]["gi_id"], gi["id"],
        "{recognitions}"
    );
    // Machine-readable fields are JSON, not strings holding JSON.
    let events: Value = app
        .get(&format!("/api/v1/gis/{}/events", gi["id"]), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events[0]["event_type"], "create", "{events}");
    assert!(events[0]["details"]["names"].is_array(), "{events}");
}

#[tokio::test]
async fn the_readme_walkthrough_runs_as_written_on_sqlite() {
    run_the_walkthrough(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_readme_walkthrough_runs_as_written_on_postgres() {
    run_the_walkthrough(Backend::Postgres).await;
}

#[test]
fn the_server_start_line_is_recognised() {
    assert!(is_server_start(
        "TERROIR_ADMIN_PASSWORD='change-me-right-now' terroir &"
    ));
    assert!(!is_server_start("terroir audit verify"));
    assert!(!is_server_start("curl -s http://x &"));
    assert_eq!(
        admin_password("TERROIR_ADMIN_PASSWORD='change-me-right-now' terroir &"),
        "change-me-right-now"
    );
}
