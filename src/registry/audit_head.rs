//! The audit chain's head, signed by the registry: an auditor who keeps it can later show
//! that the chain then ended with this entry, whatever the database says afterwards.

use serde::Serialize;
use serde_json::json;

use super::acting::Acting;
use crate::audit::chain::{canonical_json, format_timestamp, GENESIS_HASH};
use crate::db::Database;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::signing::keyring::Signer;
use crate::signing::signature::sign_bytes;
use crate::store::{audit, audit_anchors};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignedHead {
    /// The last entry's sequence number (0 for an empty log).
    pub seq: i64,
    /// Its hash (the genesis hash, all zeros, for an empty log).
    pub hash: String,
    /// When it was recorded (RFC 3339, UTC); null for an empty log.
    pub recorded_at: Option<String>,
    /// The key that signed, listed at `GET /api/v1/keys`.
    pub kid: String,
    /// Ed25519 signature (base64) over the bytes of `message`.
    pub signature: String,
    /// Exactly what was signed: the canonical JSON (keys sorted, no spaces) of `seq`,
    /// `hash` and `recorded_at`.
    pub message: String,
}

/// The anchored head, signed with this instance's key. Blocking.
pub fn signed_head(
    db: &Database,
    signer: &Signer,
    acting: &Acting,
) -> Result<SignedHead, AppError> {
    acting.authorize(Action::ReadAuditLog)?;
    let (seq, hash, recorded_at) = db.read_blocking(|conn| {
        Ok(match audit_anchors::head(conn)? {
            None => (0, GENESIS_HASH.to_string(), None),
            Some((seq, hash)) => {
                let at = audit::recorded_at(conn, seq)?.map(format_timestamp);
                (seq, hash, at)
            }
        })
    })?;
    let message = canonical_json(&json!({
        "seq": seq, "hash": hash, "recorded_at": recorded_at,
    }));
    let key = signer.key(db)?;
    Ok(SignedHead {
        seq,
        hash,
        recorded_at,
        signature: sign_bytes(&key, message.as_bytes()),
        kid: key.kid,
        message,
    })
}
