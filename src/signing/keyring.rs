//! Which key this instance signs with, and the public keys every instance publishes.
//!
//! The key is `TERROIR_SIGNING_KEY` (PKCS#8 PEM) or the file `signing-key.pem` in the
//! data folder, generated on first start with mode 0600. Its public half is registered
//! in the database, so that every instance lists every key any of them signs with, and
//! an export still verifies after its key was rotated away.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::Utc;
use serde_json::json;

use super::key::{RegistryKey, ALGORITHM};
use crate::audit::{AuditActor, AuditRecord};
use crate::db::{AnyConnection, Database};
use crate::error::AppError;
use crate::store::audit;
use crate::store::signing_keys::{self, PublicKeyRecord};

/// The generated key's file name in the data folder.
pub const KEY_FILE: &str = "signing-key.pem";

enum Source {
    Configured,
    File(PathBuf),
}

/// The key this instance signs with.
pub struct Signer {
    source: Source,
    current: Mutex<RegistryKey>,
}

impl Signer {
    /// The configured key, or the data folder's (created when there is none), registered
    /// in the database. Blocking.
    pub fn open(db: &Database, configured: Option<&str>, data_dir: &Path) -> Result<Self, String> {
        let (source, key) = match configured {
            Some(pem) => (
                Source::Configured,
                RegistryKey::from_pkcs8_pem(pem)
                    .map_err(|e| format!("TERROIR_SIGNING_KEY: {e}"))?,
            ),
            None => {
                let path = data_dir.join(KEY_FILE);
                let key = load_or_create(&path)?;
                (Source::File(path), key)
            }
        };
        register(db, &key).map_err(|e| e.to_string())?;
        Ok(Self {
            source,
            current: Mutex::new(key),
        })
    }

    /// The key to sign with now. A key file replaced by `terroir keys rotate` is picked
    /// up here, without a restart. Blocking.
    pub fn key(&self, db: &Database) -> Result<RegistryKey, AppError> {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Source::File(path) = &self.source {
            let on_disk = read(path).map_err(AppError::internal)?;
            if on_disk.kid != current.kid {
                register(db, &on_disk)?;
                *current = on_disk;
            }
        }
        Ok(current.clone())
    }
}

/// What `terroir keys rotate` did.
pub struct Rotation {
    pub retired: String,
    pub created: String,
}

/// Replaces the data folder's key with a new one: the old one is retired (still listed,
/// so that what it signed still verifies) and its private half destroyed. Blocking.
pub fn rotate(db: &Database, data_dir: &Path, who: &AuditActor) -> Result<Rotation, String> {
    let path = data_dir.join(KEY_FILE);
    let old = load_or_create(&path)?;
    register(db, &old).map_err(|e| e.to_string())?;
    let new = RegistryKey::generate();
    crate::private_file::replace(&path, new.to_pkcs8_pem()?.as_bytes())?;
    let now = Utc::now().naive_utc();
    db.write_blocking(|conn| {
        signing_keys::insert(conn, &public_record(&new))?;
        signing_keys::retire(conn, &old.kid, now)?;
        audit::append(
            conn,
            AuditRecord::new(
                who,
                "signing_key.rotate",
                "signing_key",
                &new.kid,
                json!({ "retired": old.kid, "created": new.kid }),
            ),
        )?;
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    Ok(Rotation {
        retired: old.kid,
        created: new.kid,
    })
}

/// Every key, oldest first.
pub fn public_keys(conn: &mut AnyConnection) -> Result<Vec<PublicKeyRecord>, AppError> {
    signing_keys::all(conn)
}

fn load_or_create(path: &Path) -> Result<RegistryKey, String> {
    if path.exists() {
        return read(path);
    }
    let key = RegistryKey::generate();
    crate::private_file::create(path, key.to_pkcs8_pem()?.as_bytes())?;
    tracing::info!(path = %path.display(), kid = %key.kid, "generated a new signing key");
    Ok(key)
}

fn read(path: &Path) -> Result<RegistryKey, String> {
    let pem = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    RegistryKey::from_pkcs8_pem(&pem).map_err(|e| format!("{}: {e}", path.display()))
}

fn public_record(key: &RegistryKey) -> PublicKeyRecord {
    PublicKeyRecord {
        kid: key.kid.clone(),
        alg: ALGORITHM.into(),
        public_key_pem: key.public_key_pem(),
        created_at: Utc::now().naive_utc(),
        retired_at: None,
    }
}

/// Lists the key's public half, once; a retired key cannot sign again.
fn register(db: &Database, key: &RegistryKey) -> Result<(), AppError> {
    let known = |db: &Database| db.read_blocking(|conn| signing_keys::by_kid(conn, &key.kid));
    let record = match known(db)? {
        Some(record) => record,
        // Two instances given the same key may both insert it: one wins, both go on.
        None => match db.write_blocking(|conn| signing_keys::insert(conn, &public_record(key))) {
            Ok(()) => return Ok(()),
            Err(err) => known(db)?.ok_or(err)?,
        },
    };
    if record.retired_at.is_some() {
        return Err(AppError::internal(format!(
            "the signing key {} was retired: give the service a new one",
            key.kid
        )));
    }
    Ok(())
}
