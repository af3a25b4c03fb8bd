//! Where the JWT signing secret comes from: `TERROIR_JWT_SECRET`, or a file in the data
//! directory created on first start with mode 0600.

use std::fs;
use std::path::Path;

use super::tokens::{random_token, MIN_SECRET_BYTES};

/// The generated secret's file name in the data folder.
pub const SECRET_FILE: &str = "jwt-secret";

pub fn load_or_create(configured: Option<&str>, data_dir: &Path) -> Result<Vec<u8>, String> {
    if let Some(secret) = configured {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(format!(
                "TERROIR_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes (it is {})",
                secret.len()
            ));
        }
        return Ok(secret.as_bytes().to_vec());
    }
    let path = data_dir.join(SECRET_FILE);
    match fs::read_to_string(&path) {
        Ok(existing) => {
            let existing = existing.trim().to_string();
            if existing.len() < MIN_SECRET_BYTES {
                return Err(format!(
                    "{} holds a secret that is too short",
                    path.display()
                ));
            }
            Ok(existing.into_bytes())
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => create(&path),
        Err(err) => Err(format!("cannot read {}: {err}", path.display())),
    }
}

fn create(path: &Path) -> Result<Vec<u8>, String> {
    let secret = random_token(48);
    crate::private_file::create(path, secret.as_bytes())?;
    tracing::info!(path = %path.display(), "generated a new JWT signing secret");
    Ok(secret.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_then_reused_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(None, dir.path()).unwrap();
        let second = load_or_create(None, dir.path()).unwrap();
        assert_eq!(first, second);
        assert!(first.len() >= MIN_SECRET_BYTES);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(SECRET_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_stored_secret_must_be_long_enough() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SECRET_FILE);
        fs::write(&path, format!("{}\n", "s".repeat(MIN_SECRET_BYTES - 1))).unwrap();
        let refused = load_or_create(None, dir.path()).unwrap_err();
        assert!(refused.contains("too short"), "{refused}");
        fs::write(&path, format!("{}\n", "s".repeat(MIN_SECRET_BYTES))).unwrap();
        assert_eq!(
            load_or_create(None, dir.path()).unwrap(),
            "s".repeat(MIN_SECRET_BYTES).as_bytes()
        );
    }

    #[test]
    fn an_unreadable_secret_file_is_reported_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(SECRET_FILE)).unwrap();
        let refused = load_or_create(None, dir.path()).unwrap_err();
        assert!(refused.starts_with("cannot read"), "{refused}");
    }

    #[test]
    fn configured_secret_must_be_long_enough() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_or_create(Some("too short"), dir.path()).is_err());
        let long = "x".repeat(32);
        assert_eq!(
            load_or_create(Some(&long), dir.path()).unwrap(),
            long.as_bytes()
        );
    }
}
