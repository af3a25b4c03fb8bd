//! Login throttling: after `max_failures` failed logins within `window` for one client
//! address or one username, further attempts get 429 until the oldest failure ages out.
//! Kept in memory per process (see README: several instances each keep their own).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginLimiter {
    max_failures: usize,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    pub fn new(max_failures: usize, window: Duration) -> Self {
        Self {
            max_failures: max_failures.max(1),
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(ip: &str, username: &str) -> [String; 2] {
        [
            format!("ip:{ip}"),
            format!("user:{}", username.to_lowercase()),
        ]
    }

    /// Counts an attempt as a failure before the password is checked, so that a burst
    /// of attempts sent at once cannot slip past the limit while hashes are computed.
    /// `Err(seconds)` when this address or username must wait; a successful attempt
    /// gives its slot back with `release`.
    pub fn reserve(&self, ip: &str, username: &str, now: Instant) -> Result<(), u64> {
        let mut failures = self.lock();
        let mut wait = Duration::ZERO;
        for key in Self::keys(ip, username) {
            if let Some(times) = failures.get_mut(&key) {
                prune(times, now, self.window);
                if times.len() >= self.max_failures {
                    if let Some(oldest) = times.front() {
                        wait = wait.max(self.window.saturating_sub(now.duration_since(*oldest)));
                    }
                }
            }
        }
        if !wait.is_zero() {
            return Err(wait.as_secs().max(1));
        }
        for key in Self::keys(ip, username) {
            failures.entry(key).or_default().push_back(now);
        }
        // Keep the map from growing without bound under a spray of usernames.
        if failures.len() > 100_000 {
            failures.retain(|_, times| {
                prune(times, now, self.window);
                !times.is_empty()
            });
        }
        Ok(())
    }

    /// A successful attempt: its reservation is returned to the address, and the
    /// username's failures are forgotten.
    pub fn release(&self, ip: &str, username: &str, reserved_at: Instant) {
        let [ip_key, user_key] = Self::keys(ip, username);
        let mut failures = self.lock();
        if let Some(times) = failures.get_mut(&ip_key) {
            if let Some(position) = times.iter().rposition(|t| *t == reserved_at) {
                times.remove(position);
            }
        }
        failures.remove(&user_key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn prune(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_n_plus_first_attempt_waits() {
        let limiter = LoginLimiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.reserve("1.1.1.1", "alice", t0).is_ok());
        }
        assert_eq!(limiter.reserve("1.1.1.1", "alice", t0), Err(60));
        // The same username from another address is throttled too, and the same address
        // for another username.
        assert!(limiter.reserve("2.2.2.2", "ALICE", t0).is_err());
        assert!(limiter.reserve("1.1.1.1", "bob", t0).is_err());
        assert!(limiter.reserve("2.2.2.2", "bob", t0).is_ok());
    }

    #[test]
    fn attempts_in_flight_count_until_released() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(limiter.reserve("ip", "u", t0).is_ok());
        assert!(limiter.reserve("ip", "u", t0).is_ok());
        assert!(
            limiter.reserve("ip", "u", t0).is_err(),
            "a burst is cut off at the limit"
        );
        limiter.release("ip", "u", t0);
        assert!(
            limiter.reserve("ip", "u", t0).is_ok(),
            "a success gives its slot back"
        );
    }

    #[test]
    fn failures_age_out_of_the_window() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(10));
        let t0 = Instant::now();
        limiter.reserve("ip", "u", t0).unwrap();
        limiter
            .reserve("ip", "u", t0 + Duration::from_secs(5))
            .unwrap();
        assert_eq!(
            limiter.reserve("ip", "u", t0 + Duration::from_secs(6)),
            Err(4)
        );
        assert!(limiter
            .reserve("ip", "u", t0 + Duration::from_secs(10))
            .is_ok());
    }

    #[test]
    fn success_clears_the_username_only() {
        let limiter = LoginLimiter::new(1, Duration::from_secs(60));
        let t0 = Instant::now();
        limiter.reserve("ip", "u", t0).unwrap();
        limiter.reserve("ip2", "v", t0).unwrap();
        limiter.release("ip2", "v", t0);
        assert!(
            limiter.reserve("ip", "w", t0).is_err(),
            "the address keeps its failure"
        );
        assert!(
            limiter.reserve("ip3", "v", t0).is_ok(),
            "the username was forgiven"
        );
    }
}
