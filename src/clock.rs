//! "Now", read from one place so that legal dates can be driven in tests (a Bangkok
//! midnight, the day after a deadline) without waiting for the calendar.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

/// The system clock, unless a test has fixed it. Clones share the setting.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Arc<RwLock<Option<DateTime<Utc>>>>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed
            .read()
            .ok()
            .and_then(|fixed| *fixed)
            .unwrap_or_else(Utc::now)
    }

    /// From now on, `now()` answers `at` (until set again).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut fixed) = self.fixed.write() {
            *fixed = Some(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_is_shared_by_its_clones() {
        let clock = Clock::default();
        let other = clock.clone();
        let at = "2026-11-28T17:02:00Z".parse().unwrap();
        clock.set(at);
        assert_eq!(other.now(), at);
    }
}
