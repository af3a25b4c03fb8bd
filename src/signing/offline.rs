//! `terroir verify-export`: checking a file against a signature and a public key, with
//! nothing but the three (no database, no network), as a partner or a court would.

use std::path::Path;

use super::key::{kid_of, public_key_from_pem};
use super::signature::{parse_signature, verify_file};

/// `signature` is the base64 text itself, or a file holding it or the 64 raw bytes.
/// Ok names the key that signed; Err says why the file does not verify.
pub fn verify_export(file: &Path, signature: &str, key: &Path) -> Result<String, String> {
    let given = match Path::new(signature).is_file() {
        true => std::fs::read(signature).map_err(|e| format!("cannot read {signature}: {e}"))?,
        false => signature.as_bytes().to_vec(),
    };
    let signature = parse_signature(&given)?;
    let pem =
        std::fs::read_to_string(key).map_err(|e| format!("cannot read {}: {e}", key.display()))?;
    let key = public_key_from_pem(&pem).map_err(|e| format!("{}: {e}", key.display()))?;
    let mut body =
        std::fs::File::open(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    if verify_file(&key, &mut body, &signature)? {
        Ok(kid_of(&key))
    } else {
        Err(format!(
            "{} does NOT verify: it is not the file this key signed",
            file.display()
        ))
    }
}
