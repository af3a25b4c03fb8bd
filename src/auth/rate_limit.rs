//! Login throttling: after `max_failures` failed logins within `window` for one client
//! address or one username, further attempts get 429 until the oldest failure ages out.
//! Kept in memory per process (see README: several instances each keep their own).
//!
//! Only failures count. So that a burst of wrong passwords sent at once cannot buy more
//! guesses than the limit while hashes are being computed, an attempt is admitted only
//! while the failures so far plus the attempts still in flight stay under the limit;
//! beyond that it waits for an attempt in flight to settle. A success frees its place
//! at once, so many correct logins from one address (an office behind one NAT) all go
//! through, a few at a time; failures fill the limit and the waiting attempts get 429.

use std::collections::{HashMap, VecDeque};
use std::pin::pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

pub struct LoginLimiter {
    max_failures: usize,
    window: Duration,
    keys: Mutex<HashMap<String, KeyState>>,
    settled: Notify,
}

#[derive(Default)]
struct KeyState {
    failures: VecDeque<Instant>,
    in_flight: usize,
}

/// What `try_admit` decided for one attempt.
#[derive(Debug, PartialEq, Eq)]
enum Admission {
    Admitted,
    /// Attempts in flight could still fill the limit: wait for one to settle.
    Wait,
    /// The limit is reached: retry after this many seconds.
    Refused(u64),
}

/// An admitted attempt. Settle it with `succeeded` or `failed`; dropped unsettled (an
/// error before the password could be judged, or a client that went away) it frees its
/// place without counting as a failure.
pub struct LoginAttempt<'a> {
    limiter: &'a LoginLimiter,
    keys: [String; 2],
}

impl LoginLimiter {
    pub fn new(max_failures: usize, window: Duration) -> Self {
        Self {
            max_failures: max_failures.max(1),
            window,
            keys: Mutex::new(HashMap::new()),
            settled: Notify::new(),
        }
    }

    fn keys(ip: &str, username: &str) -> [String; 2] {
        [
            format!("ip:{ip}"),
            format!("user:{}", username.to_lowercase()),
        ]
    }

    /// Admits an attempt for this address and username, waiting while attempts in
    /// flight could still fill the limit. `Err(seconds)` when the limit is reached.
    pub async fn admit(&self, ip: &str, username: &str) -> Result<LoginAttempt<'_>, u64> {
        let keys = Self::keys(ip, username);
        loop {
            // Registered before the check, so a settlement between the check and the
            // wait is not missed.
            let mut settled = pin!(self.settled.notified());
            settled.as_mut().enable();
            match self.try_admit(&keys, Instant::now()) {
                Admission::Admitted => {
                    return Ok(LoginAttempt {
                        limiter: self,
                        keys,
                    })
                }
                Admission::Refused(seconds) => return Err(seconds),
                Admission::Wait => settled.await,
            }
        }
    }

    fn try_admit(&self, keys: &[String; 2], now: Instant) -> Admission {
        let mut map = self.lock();
        let mut wait = Duration::ZERO;
        let mut full = false;
        for key in keys {
            if let Some(state) = map.get_mut(key) {
                prune(&mut state.failures, now, self.window);
                if state.failures.len() >= self.max_failures {
                    if let Some(oldest) = state.failures.front() {
                        wait = wait.max(self.window.saturating_sub(now.duration_since(*oldest)));
                    }
                } else if state.failures.len() + state.in_flight >= self.max_failures {
                    full = true;
                }
            }
        }
        if !wait.is_zero() {
            // Rounded up: a client that waits that long is admitted.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Admission::Refused(seconds.max(1));
        }
        if full {
            return Admission::Wait;
        }
        for key in keys {
            map.entry(key.clone()).or_default().in_flight += 1;
        }
        // Keep the map from growing without bound under a spray of usernames.
        if map.len() > 100_000 {
            map.retain(|_, state| {
                prune(&mut state.failures, now, self.window);
                !state.failures.is_empty() || state.in_flight > 0
            });
        }
        Admission::Admitted
    }

    fn settle(&self, keys: &[String; 2], outcome: Outcome, now: Instant) {
        {
            let mut map = self.lock();
            for (index, key) in keys.iter().enumerate() {
                let Some(state) = map.get_mut(key) else {
                    continue;
                };
                state.in_flight = state.in_flight.saturating_sub(1);
                match outcome {
                    Outcome::Failed => state.failures.push_back(now),
                    // A success forgives the username, not the address.
                    Outcome::Succeeded if index == 1 => state.failures.clear(),
                    Outcome::Succeeded | Outcome::Abandoned => {}
                }
                if state.failures.is_empty() && state.in_flight == 0 {
                    map.remove(key);
                }
            }
        }
        self.settled.notify_waiters();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, KeyState>> {
        self.keys
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[derive(Clone, Copy)]
enum Outcome {
    Succeeded,
    Failed,
    Abandoned,
}

impl LoginAttempt<'_> {
    /// The password was right: the place is freed and the username's failures forgotten.
    pub fn succeeded(self) {
        self.finish(Outcome::Succeeded);
    }

    /// The password was wrong (or the user unknown): one failure for both keys.
    pub fn failed(self) {
        self.finish(Outcome::Failed);
    }

    fn finish(self, outcome: Outcome) {
        self.limiter.settle(&self.keys, outcome, Instant::now());
        // Settled once: the drop below must not settle again.
        std::mem::forget(self);
    }
}

impl Drop for LoginAttempt<'_> {
    fn drop(&mut self) {
        self.limiter
            .settle(&self.keys, Outcome::Abandoned, Instant::now());
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

    fn keys(ip: &str, user: &str) -> [String; 2] {
        LoginLimiter::keys(ip, user)
    }

    fn fail(limiter: &LoginLimiter, ip: &str, user: &str, at: Instant) {
        assert_eq!(limiter.try_admit(&keys(ip, user), at), Admission::Admitted);
        limiter.settle(&keys(ip, user), Outcome::Failed, at);
    }

    #[test]
    fn the_n_plus_first_attempt_waits() {
        let limiter = LoginLimiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for _ in 0..3 {
            fail(&limiter, "1.1.1.1", "alice", t0);
        }
        assert_eq!(
            limiter.try_admit(&keys("1.1.1.1", "alice"), t0),
            Admission::Refused(60)
        );
        // The same username from another address is throttled too, and the same address
        // for another username.
        assert!(matches!(
            limiter.try_admit(&keys("2.2.2.2", "ALICE"), t0),
            Admission::Refused(_)
        ));
        assert!(matches!(
            limiter.try_admit(&keys("1.1.1.1", "bob"), t0),
            Admission::Refused(_)
        ));
        assert_eq!(
            limiter.try_admit(&keys("2.2.2.2", "bob"), t0),
            Admission::Admitted
        );
    }

    #[test]
    fn attempts_in_flight_hold_back_the_next_until_settled() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        let k = keys("ip", "u");
        assert_eq!(limiter.try_admit(&k, t0), Admission::Admitted);
        assert_eq!(limiter.try_admit(&k, t0), Admission::Admitted);
        assert_eq!(
            limiter.try_admit(&k, t0),
            Admission::Wait,
            "a burst waits at the limit instead of being judged at once"
        );
        limiter.settle(&k, Outcome::Succeeded, t0);
        assert_eq!(
            limiter.try_admit(&k, t0),
            Admission::Admitted,
            "a success frees its place"
        );
        limiter.settle(&k, Outcome::Failed, t0);
        limiter.settle(&k, Outcome::Failed, t0);
        assert_eq!(
            limiter.try_admit(&k, t0),
            Admission::Refused(60),
            "two failures fill the limit"
        );
    }

    #[test]
    fn successes_never_count() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        let k = keys("ip", "u");
        for _ in 0..100 {
            assert_eq!(limiter.try_admit(&k, t0), Admission::Admitted);
            limiter.settle(&k, Outcome::Succeeded, t0);
        }
        assert!(limiter.lock().is_empty(), "nothing is kept for successes");
    }

    #[test]
    fn an_abandoned_attempt_frees_its_place_without_a_failure() {
        let limiter = LoginLimiter::new(1, Duration::from_secs(60));
        let t0 = Instant::now();
        let k = keys("ip", "u");
        assert_eq!(limiter.try_admit(&k, t0), Admission::Admitted);
        assert_eq!(limiter.try_admit(&k, t0), Admission::Wait);
        limiter.settle(&k, Outcome::Abandoned, t0);
        assert_eq!(limiter.try_admit(&k, t0), Admission::Admitted);
    }

    #[test]
    fn failures_age_out_of_the_window() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(10));
        let t0 = Instant::now();
        fail(&limiter, "ip", "u", t0);
        fail(&limiter, "ip", "u", t0 + Duration::from_secs(5));
        assert_eq!(
            limiter.try_admit(&keys("ip", "u"), t0 + Duration::from_secs(6)),
            Admission::Refused(4)
        );
        assert_eq!(
            limiter.try_admit(&keys("ip", "u"), t0 + Duration::from_secs(10)),
            Admission::Admitted
        );
    }

    #[test]
    fn a_success_from_the_same_address_keeps_its_failures() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        fail(&limiter, "ip", "alice", t0);
        assert_eq!(
            limiter.try_admit(&keys("ip", "bob"), t0),
            Admission::Admitted
        );
        limiter.settle(&keys("ip", "bob"), Outcome::Succeeded, t0);
        assert_eq!(limiter.lock()["ip:ip"].failures.len(), 1);
    }

    #[test]
    fn success_clears_the_username_only() {
        let t0 = Instant::now();
        let other = LoginLimiter::new(2, Duration::from_secs(60));
        fail(&other, "ip", "v", t0);
        assert_eq!(other.try_admit(&keys("ip2", "v"), t0), Admission::Admitted);
        other.settle(&keys("ip2", "v"), Outcome::Succeeded, t0);
        assert_eq!(
            other.lock().get("user:v").map(|s| s.failures.len()),
            None,
            "the username was forgiven"
        );
        assert_eq!(
            other.lock().get("ip:ip").map(|s| s.failures.len()),
            Some(1),
            "the address keeps its failure"
        );
    }

    #[tokio::test]
    async fn a_successful_attempt_forgives_the_username() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        limiter.admit("ip", "u").await.unwrap().failed();
        limiter.admit("ip2", "u").await.unwrap().succeeded();
        assert!(limiter.lock().get("user:u").is_none());
        assert_eq!(limiter.lock()["ip:ip"].failures.len(), 1);
    }

    #[tokio::test]
    async fn a_dropped_attempt_frees_its_place() {
        let limiter = LoginLimiter::new(1, Duration::from_secs(60));
        let attempt = limiter.admit("ip", "u").await.unwrap();
        drop(attempt);
        assert_eq!(
            limiter.try_admit(&keys("ip", "u"), Instant::now()),
            Admission::Admitted
        );
    }

    #[test]
    fn past_100_000_keys_only_those_that_still_count_are_kept() {
        let window = Duration::from_secs(60);
        let limiter = LoginLimiter::new(5, window);
        let t0 = Instant::now();
        let later = t0 + window;
        fail(&limiter, "ip", "recent", later);
        assert_eq!(
            limiter.try_admit(&keys("ip2", "pending"), later),
            Admission::Admitted
        );
        {
            // Failed logins under as many usernames, all aged out by `later`.
            let mut map = limiter.lock();
            for i in 0..100_000 {
                let stale = KeyState {
                    failures: VecDeque::from([t0]),
                    in_flight: 0,
                };
                map.insert(format!("user:stale{i}"), stale);
            }
        }
        assert_eq!(
            limiter.try_admit(&keys("ip3", "new"), later),
            Admission::Admitted
        );
        let map = limiter.lock();
        let mut kept: Vec<&str> = map.keys().map(String::as_str).collect();
        kept.sort_unstable();
        assert_eq!(
            kept,
            [
                "ip:ip",
                "ip:ip2",
                "ip:ip3",
                "user:new",
                "user:pending",
                "user:recent"
            ]
        );
    }

    #[tokio::test]
    async fn waiting_attempts_go_through_as_earlier_ones_succeed() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        let first = limiter.admit("ip", "u").await.unwrap();
        let second = limiter.admit("ip", "u").await.unwrap();
        let third = limiter.admit("ip", "u");
        let settle = async {
            tokio::task::yield_now().await;
            first.succeeded();
        };
        let (third, ()) = tokio::join!(third, settle);
        assert!(third.is_ok());
        second.succeeded();
    }

    #[tokio::test]
    async fn waiting_attempts_are_refused_once_failures_fill_the_limit() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        let first = limiter.admit("ip", "u").await.unwrap();
        let second = limiter.admit("ip", "u").await.unwrap();
        let third = limiter.admit("ip", "u");
        let settle = async {
            tokio::task::yield_now().await;
            first.failed();
            second.failed();
        };
        let (third, ()) = tokio::join!(third, settle);
        assert_eq!(third.err(), Some(60));
    }
}
