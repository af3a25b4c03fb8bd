//! Access tokens (HS256 JWTs) and opaque refresh tokens.

use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::AppError;

pub const ISSUER: &str = "terroir";
pub const AUDIENCE: &str = "terroir-api";
pub const MIN_SECRET_BYTES: usize = 32;
/// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
const LEEWAY_SECS: u64 = 5;

/// The claims of an access token. Every field is required: a token missing any of them
/// does not deserialize and is refused.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    pub jti: String,
    /// The user's token version when the token was issued; a bump revokes the token.
    pub tv: i32,
}

impl AccessClaims {
    pub fn user_id(&self) -> Option<i64> {
        self.sub.parse().ok()
    }
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub access_ttl_secs: i64,
}

impl TokenKeys {
    pub fn new(secret: &[u8], access_ttl_secs: i64) -> Result<Self, String> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(format!(
                "the JWT secret must be at least {MIN_SECRET_BYTES} bytes (it is {})",
                secret.len()
            ));
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS;
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl_secs,
        })
    }

    pub fn issue(&self, user_id: i64, token_version: i32) -> Result<String, AppError> {
        let now = Utc::now().timestamp();
        let claims = AccessClaims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: user_id.to_string(),
            exp: now + self.access_ttl_secs,
            iat: now,
            nbf: now,
            jti: random_token(16),
            tv: token_version,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::internal(format!("token signing failed: {e}")))
    }

    /// Checks signature, algorithm, issuer, audience, expiry, not-before and issue time.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, AppError> {
        let data = decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map_err(|e| AppError::Unauthorized(format!("invalid access token: {e}")))?;
        let claims = data.claims;
        if claims.iat > Utc::now().timestamp() + LEEWAY_SECS as i64 {
            return Err(AppError::Unauthorized(
                "invalid access token: issued in the future".into(),
            ));
        }
        if claims.jti.is_empty() || claims.user_id().is_none() {
            return Err(AppError::Unauthorized(
                "invalid access token: bad subject or id".into(),
            ));
        }
        Ok(claims)
    }
}

/// `bytes` random bytes, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Refresh tokens are stored only as this digest.
pub fn refresh_token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn keys() -> TokenKeys {
        TokenKeys::new(SECRET, 900).unwrap()
    }

    fn sign(claims: &serde_json::Value, secret: &[u8]) -> String {
        encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(secret),
        )
        .unwrap()
    }

    fn claims_now() -> serde_json::Value {
        let now = Utc::now().timestamp();
        serde_json::json!({"iss": ISSUER, "aud": AUDIENCE, "sub": "7", "exp": now + 60,
                           "iat": now, "nbf": now, "jti": "abc", "tv": 1})
    }

    #[test]
    fn short_secret_is_refused() {
        assert!(TokenKeys::new(b"short", 900).is_err());
        assert!(TokenKeys::new(&[7u8; 31], 900).is_err());
        assert!(TokenKeys::new(&[7u8; 32], 900).is_ok());
    }

    #[test]
    fn issued_token_verifies() {
        let keys = keys();
        let claims = keys.verify(&keys.issue(7, 3).unwrap()).unwrap();
        assert_eq!(claims.user_id(), Some(7));
        assert_eq!(claims.tv, 3);
        assert_eq!(claims.nbf, claims.iat);
        assert_eq!(
            claims.exp - claims.iat,
            900,
            "the token lives the configured time"
        );
    }

    #[test]
    fn an_issue_time_within_the_leeway_is_accepted() {
        let keys = keys();
        let mut claims = claims_now();
        claims["iat"] = serde_json::json!(Utc::now().timestamp() + LEEWAY_SECS as i64);
        assert!(keys.verify(&sign(&claims, SECRET)).is_ok());
    }

    #[test]
    fn every_required_claim_is_required() {
        let keys = keys();
        assert!(keys.verify(&sign(&claims_now(), SECRET)).is_ok());
        for missing in ["iss", "aud", "sub", "exp", "iat", "nbf", "jti", "tv"] {
            let mut claims = claims_now();
            claims.as_object_mut().unwrap().remove(missing);
            assert!(
                keys.verify(&sign(&claims, SECRET)).is_err(),
                "accepted a token without {missing}"
            );
        }
    }

    #[test]
    fn wrong_claims_are_refused() {
        let keys = keys();
        let now = Utc::now().timestamp();
        for (field, value) in [
            ("iss", serde_json::json!("someone-else")),
            ("aud", serde_json::json!("another-api")),
            ("exp", serde_json::json!(now - 60)),
            ("nbf", serde_json::json!(now + 600)),
            ("iat", serde_json::json!(now + 600)),
            ("sub", serde_json::json!("not-a-number")),
            ("jti", serde_json::json!("")),
        ] {
            let mut claims = claims_now();
            claims[field] = value;
            assert!(
                keys.verify(&sign(&claims, SECRET)).is_err(),
                "accepted bad {field}"
            );
        }
        assert!(keys
            .verify(&sign(&claims_now(), b"another-secret-of-32-bytes-or-more!"))
            .is_err());
    }

    #[test]
    fn refresh_digest_is_stable_hex() {
        assert_eq!(refresh_token_digest("a"), refresh_token_digest("a"));
        assert_eq!(refresh_token_digest("a").len(), 64);
        assert_ne!(random_token(32), random_token(32));
    }
}
