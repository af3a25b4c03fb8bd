//! One Ed25519 key: generated, read and written as PKCS#8 PEM, named by its public key.

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The only algorithm the registry signs with.
pub const ALGORITHM: &str = "Ed25519";

/// A signing key and its id.
#[derive(Clone)]
pub struct RegistryKey {
    pub kid: String,
    pub signing: SigningKey,
}

impl RegistryKey {
    pub fn generate() -> Self {
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        Self::from_signing(SigningKey::from_bytes(&seed))
    }

    /// A private key as OpenSSL writes it (`openssl genpkey -algorithm ed25519`).
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, String> {
        SigningKey::from_pkcs8_pem(pem.trim())
            .map(Self::from_signing)
            .map_err(|e| format!("not an Ed25519 private key in PKCS#8 PEM: {e}"))
    }

    pub fn to_pkcs8_pem(&self) -> Result<String, String> {
        self.signing
            .to_pkcs8_pem(LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|e| format!("cannot encode the signing key: {e}"))
    }

    /// The public half as SubjectPublicKeyInfo PEM (what `openssl pkey -pubout` writes).
    pub fn public_key_pem(&self) -> String {
        public_key_pem(&self.signing.verifying_key())
    }

    fn from_signing(signing: SigningKey) -> Self {
        Self {
            kid: kid_of(&signing.verifying_key()),
            signing,
        }
    }
}

pub fn public_key_pem(key: &VerifyingKey) -> String {
    key.to_public_key_pem(LineEnding::LF)
        .expect("an Ed25519 public key always encodes")
}

pub fn public_key_from_pem(pem: &str) -> Result<VerifyingKey, String> {
    VerifyingKey::from_public_key_pem(pem.trim())
        .map_err(|e| format!("not an Ed25519 public key in SPKI PEM: {e}"))
}

/// A key's id follows from the key itself, so that instances given the same key agree
/// on its name without asking each other.
pub fn kid_of(key: &VerifyingKey) -> String {
    let digest = Sha256::digest(key.as_bytes());
    format!("ed25519-{}", hex::encode(&digest[..8]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trips_and_names_the_key_by_its_public_half() {
        let key = RegistryKey::generate();
        let again = RegistryKey::from_pkcs8_pem(&key.to_pkcs8_pem().unwrap()).unwrap();
        assert_eq!(again.kid, key.kid);
        assert!(key.kid.starts_with("ed25519-") && key.kid.len() == 8 + 16);
        let public = public_key_from_pem(&key.public_key_pem()).unwrap();
        assert_eq!(kid_of(&public), key.kid);
        assert_ne!(RegistryKey::generate().kid, key.kid);
    }

    #[test]
    fn reads_a_key_openssl_wrote() {
        // `openssl genpkey -algorithm ed25519` (the RFC 8410 example key).
        let pem = "-----BEGIN PRIVATE KEY-----\n\
MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n\
-----END PRIVATE KEY-----\n";
        let key = RegistryKey::from_pkcs8_pem(pem).unwrap();
        assert_eq!(
            key.public_key_pem(),
            "-----BEGIN PUBLIC KEY-----\n\
MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n\
-----END PUBLIC KEY-----\n"
        );
        assert!(RegistryKey::from_pkcs8_pem(
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"
        )
        .is_err());
    }
}
