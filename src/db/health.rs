//! What the service knows of its database's health, shared by every request.
//!
//! - **Down**: a connection could not be had. Requests then fail at once with 503
//!   instead of each holding a blocking thread for the pool's time-out, while one
//!   background thread probes and lifts the flag as soon as the database answers.
//! - **Out of space**: a write failed for lack of disk. `/readyz` reports not-ready
//!   until a write succeeds again or, failing any, for `FULL_HOLD` after the last
//!   such failure (so the service comes back by itself once space is freed).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a failure for lack of space keeps the service not-ready, without news.
pub const FULL_HOLD: Duration = Duration::from_secs(5);

/// How often the background probe asks a database that is down.
pub const PROBE_INTERVAL: Duration = Duration::from_millis(500);

/// How long one probe (or `/readyz`) waits for a connection.
pub const PROBE_TIMEOUT: Duration = Duration::from_millis(500);

#[derive(Debug, Default)]
pub struct Health {
    down: AtomicBool,
    probing: AtomicBool,
    /// Milliseconds since the epoch until which storage counts as full (0: not full).
    full_until_ms: AtomicU64,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl Health {
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }

    /// Marks the database down; true when the caller should start the one probe.
    pub fn trip(&self) -> bool {
        self.down.store(true, Ordering::Release);
        !self.probing.swap(true, Ordering::AcqRel)
    }

    /// The probe reached the database.
    pub fn recovered(&self) {
        self.down.store(false, Ordering::Release);
        self.probing.store(false, Ordering::Release);
    }

    pub fn storage_full(&self) -> bool {
        now_ms() < self.full_until_ms.load(Ordering::Acquire)
    }

    pub fn mark_storage_full(&self) {
        let until = now_ms() + FULL_HOLD.as_millis() as u64;
        self.full_until_ms.store(until, Ordering::Release);
    }

    /// A write went through: there is room again.
    pub fn mark_write_succeeded(&self) {
        if self.full_until_ms.load(Ordering::Relaxed) != 0 {
            self.full_until_ms.store(0, Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_trip_starts_a_probe() {
        let health = Health::default();
        assert!(!health.is_down());
        assert!(health.trip());
        assert!(!health.trip(), "one probe at a time");
        assert!(health.is_down());
        health.recovered();
        assert!(!health.is_down());
        assert!(health.trip(), "a new outage starts a new probe");
    }

    #[test]
    fn storage_full_until_a_write_succeeds() {
        let health = Health::default();
        assert!(!health.storage_full());
        health.mark_storage_full();
        assert!(health.storage_full());
        health.mark_write_succeeded();
        assert!(!health.storage_full());
    }
}
