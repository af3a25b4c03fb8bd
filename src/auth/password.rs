//! Password hashing (argon2id at the crate's defaults) and the password policy.
//! Hashing is slow on purpose: call these on the blocking pool only.

use std::cell::RefCell;
use std::sync::OnceLock;

use argon2::password_hash::{rand_core::OsRng, Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::AppError;

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::internal(format!("password hashing failed: {e}")))
}

/// True when `password` matches the stored PHC string. A malformed stored hash is false.
pub fn verify_password(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    // `Output`'s equality takes the same time wherever the bytes differ.
    parsed.hash.is_some() && computed_hash(password, &parsed) == parsed.hash
}

thread_local! {
    /// This thread's argon2 working area (19 MiB at the defaults), kept between
    /// verifications: allocating and freeing it for each login left the allocator
    /// holding hundreds of MiB during a login storm.
    static WORKING_AREA: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// The hash of `password` under the algorithm, version, parameters and salt of
/// `parsed`, computed in this thread's working area.
fn computed_hash(password: &str, parsed: &PasswordHash<'_>) -> Option<Output> {
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = match parsed.version {
        Some(number) => Version::try_from(number).ok()?,
        None => Version::default(),
    };
    let params = Params::try_from(parsed).ok()?;
    let length = parsed.hash?.len();
    let mut salt = [0u8; 64];
    let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
    let blocks = params.block_count();
    let mut out = vec![0u8; length];
    WORKING_AREA.with(|area| {
        let mut area = area.borrow_mut();
        if area.len() < blocks {
            area.resize(blocks, Block::default());
        }
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt,
                &mut out,
                &mut area[..blocks],
            )
            .ok()
    })?;
    Output::new(&out).ok()
}

/// Costs one verification like a real user would, so that an unknown username takes as
/// long to refuse as a wrong password.
pub fn burn_verification(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY
        .get_or_init(|| hash_password("terroir-dummy-password-for-timing").unwrap_or_default());
    let _ = verify_password(password, dummy);
}

/// The policy: 12 to 256 characters, not the username (in any case).
pub fn check_policy(username: &str, password: &str) -> Result<(), AppError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters long"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            format!("must be at most {MAX_PASSWORD_CHARS} characters long"),
        ));
    }
    if password.trim().to_lowercase() == username.trim().to_lowercase() {
        return Err(AppError::invalid("password", "must not be the username"));
    }
    Ok(())
}

/// A random password for the first administrator: 24 characters from an unambiguous set.
pub fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..24)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterz", &hash));
        assert!(!verify_password("anything", "not a phc string"));
    }

    #[test]
    fn hashes_of_other_parameters_and_versions_verify_too() {
        use argon2::password_hash::PasswordVerifier;
        let salt = SaltString::generate(&mut OsRng);
        for (algorithm, version, memory) in [
            (Algorithm::Argon2id, Version::V0x13, 19 * 1024),
            (Algorithm::Argon2i, Version::V0x10, 4096),
            (Algorithm::Argon2d, Version::V0x13, 65536),
            (Algorithm::Argon2id, Version::V0x13, 8),
        ] {
            let params = Params::new(memory, 2, 1, Some(24)).unwrap();
            let hasher = Argon2::new(algorithm, version, params);
            let hash = hasher
                .hash_password(b"correct horse battery", &salt)
                .unwrap()
                .to_string();
            let parsed = PasswordHash::new(&hash).unwrap();
            assert!(hasher
                .verify_password(b"correct horse battery", &parsed)
                .is_ok());
            assert!(verify_password("correct horse battery", &hash), "{hash}");
            assert!(!verify_password("correct horse batterx", &hash), "{hash}");
        }
        // A hash without its output, or with a changed one, never verifies.
        let hash = hash_password("correct horse battery").unwrap();
        let (head, _) = hash.rsplit_once('$').unwrap();
        assert!(!verify_password("correct horse battery", head));
        let changed = format!("{head}$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assert!(!verify_password("correct horse battery", &changed));
    }

    #[test]
    fn a_burn_costs_an_argon2_computation() {
        burn_verification("warm up: the dummy hash is made once");
        let start = std::time::Instant::now();
        burn_verification("an unknown user's password");
        // Hashing 19 MiB twice over cannot take under a millisecond; doing nothing can.
        assert!(start.elapsed() >= std::time::Duration::from_millis(1));
    }

    #[test]
    fn policy_boundaries() {
        assert!(check_policy("alice", "elevenchars").is_err());
        assert!(check_policy("alice", "twelve chars").is_ok());
        assert!(check_policy("longusername1", "LongUserName1").is_err());
        assert!(check_policy("alice", &"x".repeat(257)).is_err());
        assert!(check_policy("alice", &"x".repeat(256)).is_ok());
        // Characters, not bytes: twelve Thai characters pass, eleven do not.
        assert!(check_policy("alice", &"ก".repeat(12)).is_ok());
        assert!(check_policy("alice", &"ก".repeat(11)).is_err());
    }

    #[test]
    fn generated_passwords_pass_the_policy_and_differ() {
        let a = generate_password();
        let b = generate_password();
        assert_ne!(a, b);
        assert!(check_policy("admin", &a).is_ok());
    }
}
