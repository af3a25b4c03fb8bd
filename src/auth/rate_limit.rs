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

    /// `Err(seconds)` when this address or username must wait before trying again.
    pub fn check(&self, ip: &str, username: &str, now: Instant) -> Result<(), u64> {
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
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait.as_secs().max(1))
        }
    }

    pub fn record_failure(&self, ip: &str, username: &str, now: Instant) {
        let mut failures = self.lock();
        for key in Self::keys(ip, username) {
            let times = failures.entry(key).or_default();
            prune(times, now, self.window);
            times.push_back(now);
        }
        // Keep the map from growing without bound under a spray of usernames.
        if failures.len() > 100_000 {
            failures.retain(|_, times| {
                prune(times, now, self.window);
                !times.is_empty()
            });
        }
    }

    /// A successful login forgets the username's failures (not the address's).
    pub fn record_success(&self, username: &str) {
        self.lock()
            .remove(&format!("user:{}", username.to_lowercase()));
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
            assert!(limiter.check("1.1.1.1", "alice", t0).is_ok());
            limiter.record_failure("1.1.1.1", "alice", t0);
        }
        let wait = limiter.check("1.1.1.1", "alice", t0).unwrap_err();
        assert_eq!(wait, 60);
        // The same username from another address is throttled too, and the same address
        // for another username.
        assert!(limiter.check("2.2.2.2", "ALICE", t0).is_err());
        assert!(limiter.check("1.1.1.1", "bob", t0).is_err());
        assert!(limiter.check("2.2.2.2", "bob", t0).is_ok());
    }

    #[test]
    fn failures_age_out_of_the_window() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(10));
        let t0 = Instant::now();
        limiter.record_failure("ip", "u", t0);
        limiter.record_failure("ip", "u", t0 + Duration::from_secs(5));
        assert_eq!(
            limiter.check("ip", "u", t0 + Duration::from_secs(6)),
            Err(4)
        );
        assert!(limiter
            .check("ip", "u", t0 + Duration::from_secs(10))
            .is_ok());
    }

    #[test]
    fn success_clears_the_username_only() {
        let limiter = LoginLimiter::new(1, Duration::from_secs(60));
        let t0 = Instant::now();
        limiter.record_failure("ip", "u", t0);
        limiter.record_success("u");
        assert!(limiter.check("other-ip", "u", t0).is_ok());
        assert!(limiter.check("ip", "v", t0).is_err());
    }
}
