//! Ed25519 signatures over whole files, read in pieces: the plain algorithm of RFC 8032
//! (what `openssl pkeyutl -rawin` checks), never the pre-hashed variant, and without
//! holding the file in memory.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use curve25519_dalek::{EdwardsPoint, Scalar};
use ed25519_dalek::hazmat::ExpandedSecretKey;
use ed25519_dalek::{Digest, Sha512, Signature, VerifyingKey};

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
    let mut signer = FileSigner::new(key);
    feed(file, |piece| signer.update(piece))?;
    signer.finish(file)
}

/// The signature of a file as it is written. Ed25519 hashes the message twice: for its
/// nonce (with the key's secret prefix), then, with the nonce's point, for its challenge
/// (RFC 8032, 5.1.6). The first pass takes the bytes as they are written
/// ([`FileSigner::update`]), so that only the second reads the file again; the
/// signature is the one the whole message held in memory would get.
pub struct FileSigner {
    expanded: ExpandedSecretKey,
    verifying: VerifyingKey,
    nonce: Sha512,
}

impl FileSigner {
    pub fn new(key: &RegistryKey) -> Self {
        let expanded = ExpandedSecretKey::from(key.signing.as_bytes());
        let mut nonce = Sha512::new();
        nonce.update(expanded.hash_prefix);
        Self {
            expanded,
            verifying: key.signing.verifying_key(),
            nonce,
        }
    }

    /// The next bytes of the message, in order.
    pub fn update(&mut self, bytes: &[u8]) {
        self.nonce.update(bytes);
    }

    /// The signature, in base64, of the bytes given to `update`, which must be the whole
    /// of `file` (read from its start; left at its start).
    pub fn finish(self, file: &mut File) -> std::io::Result<String> {
        let r = Scalar::from_hash(self.nonce);
        let point = EdwardsPoint::mul_base(&r).compress();
        let mut challenge = Sha512::new();
        challenge.update(point.as_bytes());
        challenge.update(self.verifying.as_bytes());
        feed(file, |piece| challenge.update(piece))?;
        file.seek(SeekFrom::Start(0))?;
        let k = Scalar::from_hash(challenge);
        let s = k * self.expanded.scalar + r;
        let mut signature = [0u8; 64];
        signature[..32].copy_from_slice(point.as_bytes());
        signature[32..].copy_from_slice(s.as_bytes());
        Ok(BASE64.encode(signature))
    }
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
        // The same when the nonce's pass takes the bytes as they are written, in pieces
        // of any size.
        let mut written = FileSigner::new(&key);
        for piece in bytes.chunks(7_919) {
            written.update(piece);
        }
        assert_eq!(written.finish(&mut file).unwrap(), from_file);
        let mut empty = tempfile::tempfile().unwrap();
        assert_eq!(
            FileSigner::new(&key).finish(&mut empty).unwrap(),
            sign_bytes(&key, b"")
        );
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
