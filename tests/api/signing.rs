//! Signed evidence (issue 10): every export carries the registry's Ed25519 signature over
//! exactly the bytes sent, which OpenSSL and `terroir verify-export` check offline with
//! the public key of GET /api/v1/keys; a rotation keeps what the old key signed
//! verifiable; the audit head is signed too.

use std::path::Path;
use std::process::Command;

use base64::Engine;
use serde_json::Value;

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};
use crate::recognition::{id_of, partners, submit_ok, th_gi, CN_TH};
use crate::register::{days_from_today, get_ok};

both_backends!(
    exports_are_signed_and_verify_offline_until_a_byte_changes,
    a_rotation_keeps_what_the_old_key_signed_verifiable,
    the_audit_head_is_signed,
    a_configured_key_signs_and_none_is_generated,
);

/// The RFC 8410 example key, as `openssl genpkey -algorithm ed25519` writes one.
const CONFIGURED_KEY: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
-----END PRIVATE KEY-----
";
const CONFIGURED_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
-----END PUBLIC KEY-----
";

struct Signed {
    id: i64,
    body: Vec<u8>,
    signature: String,
    kid: String,
}

async fn signed_export(app: &TestApp, token: &str, query: &str) -> Signed {
    let response = app
        .get(
            &format!("/api/v1/exports/recognitions?{query}"),
            Some(token),
        )
        .await;
    assert_eq!(response.status(), 200, "{query}");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .unwrap_or_else(|| panic!("{query}: no {name}"))
            .to_str()
            .unwrap()
            .to_string()
    };
    let (id, signature, kid) = (
        header("x-export-id").parse().unwrap(),
        header("x-signature"),
        header("x-signature-key-id"),
    );
    Signed {
        id,
        body: response.bytes().await.unwrap().to_vec(),
        signature,
        kid,
    }
}

async fn keys(app: &TestApp) -> Vec<Value> {
    let listed = get_ok(app, "/api/v1/keys", None).await;
    listed["keys"].as_array().unwrap().clone()
}

fn pem_of(keys: &[Value], kid: &str) -> String {
    keys.iter()
        .find(|k| k["kid"] == kid)
        .unwrap_or_else(|| panic!("{kid} is not listed: {keys:?}"))["public_key_pem"]
        .as_str()
        .unwrap()
        .to_string()
}

/// What `openssl pkeyutl -verify -rawin` says of `body`, `signature` (base64) and `pem`.
fn openssl_verifies(dir: &Path, body: &[u8], signature: &str, pem: &str) -> bool {
    std::fs::write(dir.join("file"), body).unwrap();
    std::fs::write(dir.join("pub.pem"), pem).unwrap();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(signature)
        .unwrap();
    std::fs::write(dir.join("sig.bin"), raw).unwrap();
    let run = Command::new("openssl")
        .args([
            "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin",
        ])
        .args(["-in", "file", "-sigfile", "sig.bin"])
        .current_dir(dir)
        .output()
        .expect("openssl runs (Debian package openssl)");
    let said = String::from_utf8_lossy(&run.stdout).to_string();
    assert_eq!(
        run.status.success(),
        said.contains("Signature Verified Successfully"),
        "{said} {}",
        String::from_utf8_lossy(&run.stderr)
    );
    run.status.success()
}

/// What `terroir verify-export` says, with the signature as text.
fn terroir_verifies(dir: &Path, body: &[u8], signature: &str, pem: &str) -> bool {
    std::fs::write(dir.join("file"), body).unwrap();
    std::fs::write(dir.join("pub.pem"), pem).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args([
            "verify-export",
            "file",
            "--signature",
            signature,
            "--key",
            "pub.pem",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    run.status.success()
}

fn flipped(body: &[u8]) -> Vec<u8> {
    let mut changed = body.to_vec();
    let middle = changed.len() / 2;
    changed[middle] ^= 0x01;
    changed
}

async fn some_recognition(app: &TestApp) -> crate::register::World {
    let w = partners(app).await;
    let gi = th_gi(app, &w, "registered").await;
    id_of(&submit_ok(app, &w.th_examiner, CN_TH, gi, "CNIPA", &days_from_today(0)).await);
    w
}

async fn exports_are_signed_and_verify_offline_until_a_byte_changes(app: TestApp) {
    let w = some_recognition(&app).await;
    let listed = keys(&app).await;
    assert_eq!(
        listed.len(),
        1,
        "one key, generated on first start: {listed:?}"
    );
    assert_eq!(listed[0]["alg"], "Ed25519");
    assert!(listed[0]["retired_at"].is_null());
    let kid = listed[0]["kid"].as_str().unwrap().to_string();
    let pem = pem_of(&listed, &kid);
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(app.data_dir.join("signing-key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the private key is the service's alone"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    for format in ["csv", "json", "xlsx"] {
        let export = signed_export(&app, &w.auditor, &format!("format={format}")).await;
        assert_eq!(export.kid, kid, "{format}");
        assert!(
            openssl_verifies(dir.path(), &export.body, &export.signature, &pem),
            "{format}: OpenSSL checks the signature over the bytes sent"
        );
        assert!(terroir_verifies(
            dir.path(),
            &export.body,
            &export.signature,
            &pem
        ));
        let changed = flipped(&export.body);
        assert!(
            !openssl_verifies(dir.path(), &changed, &export.signature, &pem),
            "{format}"
        );
        assert!(
            !terroir_verifies(dir.path(), &changed, &export.signature, &pem),
            "{format}"
        );

        // The record keeps the signature; the replay sends it with the same bytes.
        let record = get_ok(
            &app,
            &format!("/api/v1/exports/{}", export.id),
            Some(&w.auditor),
        )
        .await;
        assert_eq!(record["signature"], export.signature.as_str(), "{format}");
        assert_eq!(record["signature_key_id"], kid.as_str());
        let replay = app
            .get(
                &format!("/api/v1/exports/{}/replay", export.id),
                Some(&w.auditor),
            )
            .await;
        assert_eq!(replay.status(), 200);
        assert_eq!(replay.headers()["x-signature"], export.signature.as_str());
        assert_eq!(replay.headers()["x-signature-key-id"], kid.as_str());
        assert_eq!(replay.bytes().await.unwrap().to_vec(), export.body);
    }

    // The signature file may also be given raw, as OpenSSL writes it.
    let export = signed_export(&app, &w.auditor, "format=csv").await;
    std::fs::write(dir.path().join("file"), &export.body).unwrap();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&export.signature)
        .unwrap();
    std::fs::write(dir.path().join("sig.bin"), raw).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args([
            "verify-export",
            "file",
            "--signature",
            "sig.bin",
            "--key",
            "pub.pem",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains(&kid));
}

async fn a_rotation_keeps_what_the_old_key_signed_verifiable(app: TestApp) {
    let w = some_recognition(&app).await;
    let before = signed_export(&app, &w.auditor, "format=csv").await;
    let old_kid = before.kid.clone();

    let rotate = Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args(["keys", "rotate"])
        .env("TERROIR_DATABASE_URL", &app.database_url)
        .env("TERROIR_DATA_DIR", &app.data_dir)
        .env_remove("TERROIR_SIGNING_KEY")
        .output()
        .unwrap();
    assert!(
        rotate.status.success(),
        "{}",
        String::from_utf8_lossy(&rotate.stderr)
    );

    let listed = keys(&app).await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    let old = listed
        .iter()
        .find(|k| k["kid"] == old_kid.as_str())
        .unwrap();
    assert!(
        old["retired_at"].is_string(),
        "the old key is retired: {old}"
    );
    let new_kid = listed.iter().find(|k| k["retired_at"].is_null()).unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(new_kid, old_kid);

    // The running server signs with the new key, without a restart.
    let after = signed_export(&app, &w.auditor, "format=csv").await;
    assert_eq!(after.kid, new_kid);
    let dir = tempfile::tempdir().unwrap();
    let (old_pem, new_pem) = (pem_of(&listed, &old_kid), pem_of(&listed, &new_kid));
    assert!(openssl_verifies(
        dir.path(),
        &after.body,
        &after.signature,
        &new_pem
    ));
    assert!(!openssl_verifies(
        dir.path(),
        &after.body,
        &after.signature,
        &old_pem
    ));
    // What the old key signed still verifies with its listed public key, replayed too.
    assert!(openssl_verifies(
        dir.path(),
        &before.body,
        &before.signature,
        &old_pem
    ));
    let replay = app
        .get(
            &format!("/api/v1/exports/{}/replay", before.id),
            Some(&w.auditor),
        )
        .await;
    assert_eq!(replay.headers()["x-signature-key-id"], old_kid.as_str());

    // The rotation is in the audit log, and its private key is gone from the data folder.
    let audit = get_ok(&app, "/api/v1/audit?limit=500", Some(&w.auditor)).await;
    let rotation = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "signing_key.rotate")
        .unwrap_or_else(|| panic!("no rotation entry: {audit}"));
    assert_eq!(rotation["payload"]["retired"], old_kid.as_str());
    let on_disk = std::fs::read_to_string(app.data_dir.join("signing-key.pem")).unwrap();
    assert!(
        !on_disk.contains(&old_pem),
        "a private key, not the public one"
    );
}

async fn the_audit_head_is_signed(app: TestApp) {
    let w = some_recognition(&app).await;
    let head = get_ok(&app, "/api/v1/audit/head", Some(&w.auditor)).await;
    let audit = get_ok(&app, "/api/v1/audit?limit=500", Some(&w.auditor)).await;
    let last = audit["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(head["seq"], last["seq"]);
    assert_eq!(head["hash"], last["hash"]);
    assert_eq!(head["recorded_at"], last["recorded_at"]);
    let message = head["message"].as_str().unwrap();
    let expected = format!(
        "{{\"hash\":{},\"recorded_at\":{},\"seq\":{}}}",
        head["hash"], head["recorded_at"], head["seq"]
    );
    assert_eq!(message, expected, "the canonical JSON of what it states");
    let listed = keys(&app).await;
    let pem = pem_of(&listed, head["kid"].as_str().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let signature = head["signature"].as_str().unwrap();
    assert!(openssl_verifies(
        dir.path(),
        message.as_bytes(),
        signature,
        &pem
    ));
    let other = message.replace(&format!("\"seq\":{}", head["seq"]), "\"seq\":1");
    assert!(!openssl_verifies(
        dir.path(),
        other.as_bytes(),
        signature,
        &pem
    ));

    // For auditors and admins, like the log itself.
    let refused = app.get("/api/v1/audit/head", Some(&w.cn_assoc)).await;
    assert_error(refused, 403, "forbidden").await;
    let anonymous = app.get("/api/v1/audit/head", None).await;
    assert_eq!(anonymous.status(), 401);
}

async fn a_configured_key_signs_and_none_is_generated(app: TestApp) {
    // This test's own server, given TERROIR_SIGNING_KEY.
    let Some(configured) = TestApp::spawn_with(app.backend, |server| {
        server.signing_key = Some(CONFIGURED_KEY.into())
    })
    .await
    else {
        return;
    };
    let w = some_recognition(&configured).await;
    let export = signed_export(&configured, &w.auditor, "format=json").await;
    let listed = keys(&configured).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["public_key_pem"], CONFIGURED_PUBLIC);
    assert_eq!(export.kid, listed[0]["kid"].as_str().unwrap());
    let dir = tempfile::tempdir().unwrap();
    assert!(openssl_verifies(
        dir.path(),
        &export.body,
        &export.signature,
        CONFIGURED_PUBLIC
    ));
    assert!(
        !configured.data_dir.join("signing-key.pem").exists(),
        "no key is generated when one is configured"
    );
    // A configured key is rotated by configuring another, not by the command.
    let rotate = Command::new(env!("CARGO_BIN_EXE_terroir"))
        .args(["keys", "rotate"])
        .env("TERROIR_DATABASE_URL", &configured.database_url)
        .env("TERROIR_DATA_DIR", &configured.data_dir)
        .env("TERROIR_SIGNING_KEY", CONFIGURED_KEY)
        .output()
        .unwrap();
    assert!(!rotate.status.success());
    assert!(String::from_utf8_lossy(&rotate.stderr).contains("TERROIR_SIGNING_KEY"));
}
