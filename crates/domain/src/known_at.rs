//! The second time of every answer: what the register knew at a moment (`known_at`),
//! beside the legal date it answers for (`as_of`). An event's `recorded_at` is when it
//! was committed; one whose legal date lies well before that was recorded late.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, SubsecRound, Utc};

/// An event is recorded late when its legal date lies more than one day before the
/// (UTC) date it was recorded on: a day's grace covers an office whose local date is
/// ahead of UTC, or a decision entered the morning after.
pub fn recorded_late(effective_on: NaiveDate, recorded_at: NaiveDateTime) -> bool {
    recorded_at.date() - effective_on > Duration::days(1)
}

/// The moment an answer is known at: `known_at` when given (not after `now`: what the
/// register will know later is not known yet), else `now`. Kept to the microsecond, the
/// precision both databases store, so that a recorded `known_at` reads back the same.
pub fn resolve(
    known_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<NaiveDateTime, KnownAtInFuture> {
    match known_at {
        Some(at) if at > now => Err(KnownAtInFuture(now)),
        Some(at) => Ok(at.trunc_subsecs(6).naive_utc()),
        None => Ok(now.trunc_subsecs(6).naive_utc()),
    }
}

/// Whether an event recorded at `recorded_at` was known at `known_at`. A `known_at` is
/// shown and given to the microsecond, while SQLite keeps the nanoseconds of a
/// recording time: a moment covers its whole microsecond, so that the `recorded_at` an
/// event shows, given back as `known_at`, includes that event.
pub fn known_by(recorded_at: NaiveDateTime, known_at: NaiveDateTime) -> bool {
    recorded_at <= last_instant(known_at)
}

/// The last instant of the microsecond `known_at` names: compare recording times with
/// `<=` to it (see [`known_by`]).
pub fn last_instant(known_at: NaiveDateTime) -> NaiveDateTime {
    known_at.trunc_subsecs(6) + Duration::nanoseconds(999)
}

#[derive(Debug)]
pub struct KnownAtInFuture(pub DateTime<Utc>);

impl std::fmt::Display for KnownAtInFuture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "is in the future (now is {})", self.0.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        s.parse::<DateTime<Utc>>().unwrap().naive_utc()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn late_is_more_than_one_day_before_the_recording_date() {
        let recorded = at("2026-11-29T00:30:00Z");
        assert!(!recorded_late(day("2026-11-29"), recorded));
        assert!(!recorded_late(day("2026-11-28"), recorded), "a day's grace");
        assert!(recorded_late(day("2026-11-27"), recorded));
        assert!(recorded_late(day("2025-01-01"), recorded));
        assert!(!recorded_late(day("2026-11-30"), recorded), "ahead of UTC");
    }

    #[test]
    fn a_moment_covers_its_whole_microsecond() {
        let shown = at("2026-11-29T01:02:03.123456Z");
        let stored = shown + Duration::nanoseconds(789);
        assert!(known_by(stored, shown));
        assert!(known_by(shown, shown));
        assert!(!known_by(shown + Duration::microseconds(1), shown));
        assert!(!known_by(stored, shown - Duration::microseconds(1)));
    }

    #[test]
    fn known_at_defaults_to_now_and_is_never_later() {
        let now: DateTime<Utc> = "2026-11-29T01:02:03.123456789Z".parse().unwrap();
        assert_eq!(
            resolve(None, now).unwrap(),
            at("2026-11-29T01:02:03.123456Z")
        );
        let earlier = "2026-11-28T00:00:00Z".parse().unwrap();
        assert_eq!(resolve(Some(earlier), now).unwrap(), earlier.naive_utc());
        assert_eq!(
            resolve(Some(now), now).unwrap(),
            at("2026-11-29T01:02:03.123456Z")
        );
        assert!(resolve(Some(now + Duration::seconds(1)), now).is_err());
    }

    #[test]
    fn a_known_at_in_the_future_is_refused_naming_now() {
        let now: DateTime<Utc> = "2026-11-29T01:02:03Z".parse().unwrap();
        let err = resolve(Some(now + Duration::days(1)), now).unwrap_err();
        assert_eq!(
            err.to_string(),
            "is in the future (now is 2026-11-29T01:02:03+00:00)"
        );
    }
}
