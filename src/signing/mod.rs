//! The registry's Ed25519 signatures: over the exact bytes of every export and over the
//! audit head, so that a partner or a court can check offline, with the public key alone
//! (OpenSSL, or `terroir verify-export`), that a file is the one the registry issued.

pub mod key;
pub mod keyring;
pub mod offline;
pub mod signature;
