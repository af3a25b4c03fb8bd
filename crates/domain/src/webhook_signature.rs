//! The signature a webhook receiver checks: `sha256=` and the hex HMAC-SHA256, keyed by
//! the subscription's secret, of the timestamp, a dot and the body. Signing the
//! timestamp lets a receiver refuse a replayed delivery that is too old.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The `X-Terroir-Signature` value of `body` sent at `timestamp` (Unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes a key of any length.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        unreachable!("HMAC accepts every key length")
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_of_timestamp_dot_body() {
        // python3 -c 'import hmac,hashlib;print(hmac.new(b"whsec_test",b"1764374400.{\"a\":1}",hashlib.sha256).hexdigest())'
        assert_eq!(
            sign("whsec_test", 1_764_374_400, br#"{"a":1}"#),
            "sha256=19dd2a4352f7c6bccc22f24ed8283d4bac3855bb2de22e554dedc3c1f7a0e752"
        );
        assert_ne!(
            sign("whsec_test", 1_764_374_401, br#"{"a":1}"#),
            sign("whsec_test", 1_764_374_400, br#"{"a":1}"#)
        );
        assert_ne!(
            sign("whsec_other", 1_764_374_400, br#"{"a":1}"#),
            sign("whsec_test", 1_764_374_400, br#"{"a":1}"#)
        );
    }
}
