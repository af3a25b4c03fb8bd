//! Ed25519 signatures over whole files, read in pieces: the plain algorithm of RFC 8032
//! (what `openssl pkeyutl -rawin` checks), never the pre-hashed variant, and without
//! holding the file in memory.

use std::cell::RefCell;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::hazmat::{raw_sign_byupdate, ExpandedSecretKey};
use ed25519_dalek::{Digest, Sha512, Signature, SignatureError, VerifyingKey};

use super::key::RegistryKey;

const PIECE: usize = 64 * 1024;

/// The signature of `bytes`, in base64.
pub fn sign_bytes(key: &RegistryKey, bytes: &[u8]) -> String {
    use ed25519_dalek::Signer;
    BASE64.encode(key.signing.sign(bytes).to_bytes())
}

/// The signature of the whole of `file` (read from its start; left at its start), in
/// base64.
pub fn sign_file(key: &RegistryKey, file: &mut File) -> std::io::Result<String> {
    let expanded = ExpandedSecretKey::from(key.signing.as_bytes());
    let failure = RefCell::new(None);
    let file = RefCell::new(file);
    // Ed25519 hashes the message twice (for its nonce, then for its challenge): the file
    // is read from its start each time.
    let signed = raw_sign_byupdate::<Sha512, _>(
        &expanded,
        |digest| {
            feed(&mut file.borrow_mut(), |piece| digest.update(piece)).map_err(|err| {
                *failure.borrow_mut() = Some(err);
                SignatureError::new()
            })
        },
        &key.signing.verifying_key(),
    );
    if let Some(err) = failure.into_inner() {
        return Err(err);
    }
    file.into_inner().seek(SeekFrom::Start(0))?;
    let signature = signed.map_err(std::io::Error::other)?;
    Ok(BASE64.encode(signature.to_bytes()))
}

/// A signature given as base64 text, or as its 64 raw bytes.
pub fn parse_signature(given: &[u8]) -> Result<Signature, String> {
    let raw = match <[u8; 64]>::try_from(given) {
        Ok(raw) => raw.to_vec(),
        Err(_) => BASE64
            .decode(String::from_utf8_lossy(given).trim())
            .map_err(|e| format!("the signature is neither 64 bytes nor base64: {e}"))?,
    };
    let raw: [u8; 64] = raw
        .try_into()
        .map_err(|raw: Vec<u8>| format!("a signature is 64 bytes, not {}", raw.len()))?;
    Ok(Signature::from_bytes(&raw))
}

/// Whether `signature` is the key's signature of the whole of `file`.
pub fn verify_file(
    key: &VerifyingKey,
    file: &mut File,
    signature: &Signature,
) -> Result<bool, String> {
    let Ok(mut verifier) = key.verify_stream(signature) else {
        return Ok(false);
    };
    feed(file, |piece| verifier.update(piece)).map_err(|e| e.to_string())?;
    Ok(verifier.finalize_and_verify().is_ok())
}

fn feed(file: &mut File, mut take: impl FnMut(&[u8])) -> std::io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    let mut buf = vec![0u8; PIECE];
    loop {
        let read = file.read(&mut buf)?;
        if read == 0 {
            return Ok(());
        }
        take(&buf[..read]);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn a_file_signed_in_pieces_verifies_as_its_bytes_do() {
        let key = RegistryKey::generate();
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        let from_file = sign_file(&key, &mut file).unwrap();
        // Deterministic: the same signature as over the bytes held whole.
        assert_eq!(from_file, sign_bytes(&key, &bytes));
        let signature = parse_signature(from_file.as_bytes()).unwrap();
        let public = key.signing.verifying_key();
        assert!(verify_file(&public, &mut file, &signature).unwrap());

        let mut flipped = bytes.clone();
        flipped[123_456] ^= 1;
        let mut other = tempfile::tempfile().unwrap();
        other.write_all(&flipped).unwrap();
        assert!(!verify_file(&public, &mut other, &signature).unwrap());
        let stranger = RegistryKey::generate().signing.verifying_key();
        assert!(!verify_file(&stranger, &mut file, &signature).unwrap());
    }

    #[test]
    fn signatures_are_read_as_base64_or_raw_bytes() {
        let raw = [7u8; 64];
        assert_eq!(parse_signature(&raw).unwrap().to_bytes(), raw);
        let text = BASE64.encode(raw);
        assert_eq!(
            parse_signature(format!("{text}\n").as_bytes())
                .unwrap()
                .to_bytes(),
            raw
        );
        assert!(parse_signature(b"AAAA").is_err());
        assert!(parse_signature(b"not base64 at all!").is_err());
    }
}
