//! Legal dates and deadlines (DESIGN §2).
//!
//! * Every transition has an `effective_on` legal date, by default today
//!   (UTC). It may not be in the future nor before the previous event's date;
//!   the same day as either is allowed ([`check_effective_on`]).
//! * Deadlines are computed from legal dates: `deadline = start + period days`
//!   ([`opposition_deadline`], [`decision_deadline`]).
//! * The deadline day itself still belongs to the period: an opposition may be
//!   filed on or before it ([`opposition_open`]), and registration /
//!   protection / tacit protection take effect only *strictly after* it, i.e.
//!   from the day after ([`deadline_passed`]).
//!
//! The caller passes "today"; nothing here reads the clock.

use chrono::{Days, NaiveDate};
use serde::Serialize;

/// The longest opposition or decision period accepted, in days (ten years).
pub const MAX_PERIOD_DAYS: i32 = 3660;

/// A legal date that breaks a rule. Serialises as
/// `{"code": "in_future", "effective_on": "…", "today": "…"}` etc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum DateError {
    /// The legal date is after today.
    #[error("effective_on {effective_on} is in the future (today is {today})")]
    InFuture {
        effective_on: NaiveDate,
        today: NaiveDate,
    },
    /// The legal date is before the previous event's legal date.
    #[error("effective_on {effective_on} is before the previous event's date {previous_event}")]
    BeforePreviousEvent {
        effective_on: NaiveDate,
        previous_event: NaiveDate,
    },
    /// Registration / protection requested on or before the deadline.
    #[error(
        "the deadline {deadline} has not passed on {on}; the earliest allowed date is {earliest}"
    )]
    DeadlineNotPassed {
        deadline: NaiveDate,
        on: NaiveDate,
        earliest: NaiveDate,
    },
    /// An opposition filed after the opposition deadline.
    #[error(
        "the opposition period ended on {deadline}; an opposition filed on {filed_on} is late"
    )]
    OppositionPeriodClosed {
        deadline: NaiveDate,
        filed_on: NaiveDate,
    },
    /// An office or programme period outside `0..=MAX_PERIOD_DAYS`.
    #[error("a period of {days} days is outside 0..={max}", max = MAX_PERIOD_DAYS)]
    PeriodOutOfRange { days: i32 },
}

/// Checks the legal date of a transition (or of an opposition's `filed_on`):
/// not after `today`, and not before `previous_event` (the latest earlier
/// event's legal date, if any). Both bounds are inclusive.
///
/// # Errors
/// [`DateError::InFuture`] (checked first) or
/// [`DateError::BeforePreviousEvent`].
pub fn check_effective_on(
    effective_on: NaiveDate,
    today: NaiveDate,
    previous_event: Option<NaiveDate>,
) -> Result<(), DateError> {
    if effective_on > today {
        return Err(DateError::InFuture {
            effective_on,
            today,
        });
    }
    match previous_event {
        Some(previous_event) if effective_on < previous_event => {
            Err(DateError::BeforePreviousEvent {
                effective_on,
                previous_event,
            })
        }
        _ => Ok(()),
    }
}

/// The legal date of a transition: `requested`, or `today` when absent,
/// checked with [`check_effective_on`].
///
/// # Errors
/// As [`check_effective_on`].
pub fn resolve_effective_on(
    requested: Option<NaiveDate>,
    today: NaiveDate,
    previous_event: Option<NaiveDate>,
) -> Result<NaiveDate, DateError> {
    let effective_on = requested.unwrap_or(today);
    check_effective_on(effective_on, today, previous_event)?;
    Ok(effective_on)
}

/// Validates an office's `opposition_period_days` or a programme's
/// `decision_period_days`: `0..=MAX_PERIOD_DAYS`.
///
/// # Errors
/// [`DateError::PeriodOutOfRange`].
pub fn check_period_days(days: i32) -> Result<(), DateError> {
    if (0..=MAX_PERIOD_DAYS).contains(&days) {
        Ok(())
    } else {
        Err(DateError::PeriodOutOfRange { days })
    }
}

/// `date + days`, with a negative period counted as 0 (periods are validated
/// by [`check_period_days`]) and saturating at [`NaiveDate::MAX`].
fn add_days(date: NaiveDate, days: i32) -> NaiveDate {
    let days = u64::try_from(days).unwrap_or(0);
    date.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

/// The last day on which an opposition may be filed:
/// `published_on + period_days` (the office's `opposition_period_days`: the
/// origin office's for a GI, the partner office's for a recognition).
pub fn opposition_deadline(published_on: NaiveDate, period_days: i32) -> NaiveDate {
    add_days(published_on, period_days)
}

/// The last day on which the partner office may decide a recognition:
/// `submitted_on + period_days` (the programme's `decision_period_days`).
pub fn decision_deadline(submitted_on: NaiveDate, period_days: i32) -> NaiveDate {
    add_days(submitted_on, period_days)
}

/// An opposition filed on `filed_on` is in time: on or before `deadline`.
pub fn opposition_open(deadline: NaiveDate, filed_on: NaiveDate) -> bool {
    filed_on <= deadline
}

/// [`opposition_open`] as a check.
///
/// # Errors
/// [`DateError::OppositionPeriodClosed`] when `filed_on` is after `deadline`.
pub fn check_opposition_open(deadline: NaiveDate, filed_on: NaiveDate) -> Result<(), DateError> {
    if opposition_open(deadline, filed_on) {
        Ok(())
    } else {
        Err(DateError::OppositionPeriodClosed { deadline, filed_on })
    }
}

/// The deadline has passed on `on`: `on` is strictly after `deadline`. On the
/// deadline day itself oppositions may still be filed, so registration,
/// protection and tacit protection are refused that day and allowed from the
/// day after.
pub fn deadline_passed(deadline: NaiveDate, on: NaiveDate) -> bool {
    on > deadline
}

/// [`deadline_passed`] as a check, for `register` and `protect` with
/// `on = effective_on`.
///
/// # Errors
/// [`DateError::DeadlineNotPassed`] (naming the earliest allowed date) when
/// `on` is on or before `deadline`.
pub fn check_deadline_passed(deadline: NaiveDate, on: NaiveDate) -> Result<(), DateError> {
    if deadline_passed(deadline, on) {
        Ok(())
    } else {
        Err(DateError::DeadlineNotPassed {
            deadline,
            on,
            earliest: first_day_after(deadline),
        })
    }
}

/// The first day on which a deadline has passed (`deadline + 1`, saturating
/// at [`NaiveDate::MAX`]).
pub fn first_day_after(deadline: NaiveDate) -> NaiveDate {
    deadline.succ_opt().unwrap_or(NaiveDate::MAX)
}

/// The legal date of a tacit protection: the decision deadline itself (the period
/// ended without a refusal), or the previous event's date if that is later (an event
/// recorded on a date after the deadline), so that the date never precedes the previous
/// event. The sweep applies it only once `deadline_passed(decision_deadline, today)`.
pub fn tacit_protection_effective_on(
    decision_deadline: NaiveDate,
    previous_event: Option<NaiveDate>,
) -> NaiveDate {
    match previous_event {
        Some(previous) if previous > decision_deadline => previous,
        _ => decision_deadline,
    }
}

/// A publication recorded this many days or fewer after its legal date needs no
/// reference; one dated earlier must say where it can be read, since the opposition
/// period it opened has partly run before anyone could see it in the register.
pub const UNREFERENCED_PUBLICATION_DAYS: i64 = 30;

/// How many days a publication dated `effective_on` lies before `recorded_on`, when
/// that is more than `UNREFERENCED_PUBLICATION_DAYS` (None otherwise).
pub fn publication_backdated_by(effective_on: NaiveDate, recorded_on: NaiveDate) -> Option<i64> {
    let days = (recorded_on - effective_on).num_days();
    (days > UNREFERENCED_PUBLICATION_DAYS).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_publication_more_than_30_days_old_is_backdated() {
        assert_eq!(
            publication_backdated_by(d("2026-03-01"), d("2026-03-31")),
            None
        );
        assert_eq!(
            publication_backdated_by(d("2026-03-01"), d("2026-04-01")),
            Some(31)
        );
        assert_eq!(
            publication_backdated_by(d("2026-03-01"), d("2026-03-01")),
            None
        );
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn effective_on_against_today() {
        let today = d("2026-03-10");
        assert_eq!(check_effective_on(d("2026-03-09"), today, None), Ok(()));
        assert_eq!(check_effective_on(today, today, None), Ok(()));
        assert_eq!(
            check_effective_on(d("2026-03-11"), today, None),
            Err(DateError::InFuture {
                effective_on: d("2026-03-11"),
                today
            })
        );
    }

    #[test]
    fn effective_on_against_previous_event() {
        let today = d("2026-03-10");
        let previous = Some(d("2026-03-05"));
        assert_eq!(
            check_effective_on(d("2026-03-04"), today, previous),
            Err(DateError::BeforePreviousEvent {
                effective_on: d("2026-03-04"),
                previous_event: d("2026-03-05")
            })
        );
        assert_eq!(check_effective_on(d("2026-03-05"), today, previous), Ok(()));
        assert_eq!(check_effective_on(d("2026-03-06"), today, previous), Ok(()));
    }

    #[test]
    fn effective_on_same_day_as_previous_event_and_today() {
        let day = d("2026-03-10");
        assert_eq!(check_effective_on(day, day, Some(day)), Ok(()));
    }

    #[test]
    fn future_is_reported_before_previous_event() {
        // A previous event dated after today (bad data) leaves no valid date;
        // a future date is reported as such.
        let today = d("2026-03-10");
        let err = check_effective_on(d("2026-03-12"), today, Some(d("2026-03-11")));
        assert!(matches!(err, Err(DateError::InFuture { .. })), "{err:?}");
        let err = check_effective_on(today, today, Some(d("2026-03-11")));
        assert!(
            matches!(err, Err(DateError::BeforePreviousEvent { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn resolve_defaults_to_today() {
        let today = d("2026-03-10");
        assert_eq!(resolve_effective_on(None, today, None), Ok(today));
        assert_eq!(
            resolve_effective_on(Some(d("2026-03-01")), today, Some(d("2026-02-28"))),
            Ok(d("2026-03-01"))
        );
        assert_eq!(
            resolve_effective_on(None, today, Some(d("2026-03-10"))),
            Ok(today)
        );
        assert!(resolve_effective_on(Some(d("2026-03-11")), today, None).is_err());
        assert!(resolve_effective_on(Some(d("2026-02-27")), today, Some(d("2026-02-28"))).is_err());
    }

    #[test]
    fn opposition_deadline_from_publication() {
        // DESIGN §4 example: CNIPA (60 days), published 2026-03-02.
        assert_eq!(opposition_deadline(d("2026-03-02"), 60), d("2026-05-01"));
        // DIP / EU: 90 days.
        assert_eq!(opposition_deadline(d("2026-03-02"), 90), d("2026-05-31"));
        // Across a year end and a leap day.
        assert_eq!(opposition_deadline(d("2026-12-15"), 30), d("2027-01-14"));
        assert_eq!(opposition_deadline(d("2028-02-28"), 1), d("2028-02-29"));
        assert_eq!(opposition_deadline(d("2027-02-28"), 1), d("2027-03-01"));
        assert_eq!(opposition_deadline(d("2026-03-02"), 0), d("2026-03-02"));
    }

    #[test]
    fn decision_deadline_from_submission() {
        // Lisbon: 365 days.
        assert_eq!(decision_deadline(d("2026-06-01"), 365), d("2027-06-01"));
        assert_eq!(decision_deadline(d("2027-06-01"), 365), d("2028-05-31"));
        assert_eq!(decision_deadline(d("2026-06-01"), 1), d("2026-06-02"));
    }

    #[test]
    fn deadline_arithmetic_never_panics() {
        assert_eq!(opposition_deadline(d("2026-03-02"), -5), d("2026-03-02"));
        assert_eq!(
            decision_deadline(d("2026-03-02"), i32::MIN),
            d("2026-03-02")
        );
        assert_eq!(opposition_deadline(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(decision_deadline(NaiveDate::MAX, i32::MAX), NaiveDate::MAX);
        assert_eq!(first_day_after(NaiveDate::MAX), NaiveDate::MAX);
    }

    #[test]
    fn period_days_range() {
        assert_eq!(check_period_days(0), Ok(()));
        assert_eq!(check_period_days(60), Ok(()));
        assert_eq!(check_period_days(365), Ok(()));
        assert_eq!(check_period_days(MAX_PERIOD_DAYS), Ok(()));
        assert_eq!(
            check_period_days(MAX_PERIOD_DAYS + 1),
            Err(DateError::PeriodOutOfRange {
                days: MAX_PERIOD_DAYS + 1
            })
        );
        assert_eq!(
            check_period_days(-1),
            Err(DateError::PeriodOutOfRange { days: -1 })
        );
    }

    #[test]
    fn opposition_open_day_before_on_and_after_the_deadline() {
        let deadline = d("2026-05-01");
        assert!(opposition_open(deadline, d("2026-04-30")));
        assert!(opposition_open(deadline, deadline));
        assert!(!opposition_open(deadline, d("2026-05-02")));
        assert_eq!(check_opposition_open(deadline, deadline), Ok(()));
        assert_eq!(
            check_opposition_open(deadline, d("2026-05-02")),
            Err(DateError::OppositionPeriodClosed {
                deadline,
                filed_on: d("2026-05-02")
            })
        );
    }

    #[test]
    fn deadline_passed_day_before_on_and_after_the_deadline() {
        let deadline = d("2026-05-01");
        assert!(!deadline_passed(deadline, d("2026-04-30")));
        assert!(!deadline_passed(deadline, deadline));
        assert!(deadline_passed(deadline, d("2026-05-02")));
        assert_eq!(
            check_deadline_passed(deadline, deadline),
            Err(DateError::DeadlineNotPassed {
                deadline,
                on: deadline,
                earliest: d("2026-05-02")
            })
        );
        assert!(check_deadline_passed(deadline, d("2026-04-30")).is_err());
        assert_eq!(check_deadline_passed(deadline, d("2026-05-02")), Ok(()));
    }

    #[test]
    fn opposition_and_registration_windows_never_overlap_nor_leave_a_gap() {
        let deadline = opposition_deadline(d("2026-03-02"), 60);
        let mut day = d("2026-04-25");
        while day <= d("2026-05-08") {
            assert_ne!(
                opposition_open(deadline, day),
                deadline_passed(deadline, day),
                "{day}"
            );
            day = first_day_after(day);
        }
        assert_eq!(first_day_after(deadline), d("2026-05-02"));
    }

    #[test]
    fn tacit_protection_date() {
        let deadline = d("2027-06-01");
        assert_eq!(tacit_protection_effective_on(deadline, None), deadline);
        assert_eq!(
            tacit_protection_effective_on(deadline, Some(d("2026-09-01"))),
            deadline
        );
        assert_eq!(
            tacit_protection_effective_on(deadline, Some(d("2027-06-01"))),
            deadline
        );
        assert_eq!(
            tacit_protection_effective_on(deadline, Some(d("2027-06-10"))),
            d("2027-06-10")
        );
    }

    #[test]
    fn errors_serialise_with_a_code_and_iso_dates() {
        let err = DateError::InFuture {
            effective_on: d("2026-03-11"),
            today: d("2026-03-10"),
        };
        assert_eq!(
            serde_json::to_value(err).unwrap(),
            serde_json::json!({"code": "in_future", "effective_on": "2026-03-11", "today": "2026-03-10"})
        );
        assert_eq!(
            err.to_string(),
            "effective_on 2026-03-11 is in the future (today is 2026-03-10)"
        );
        let err = DateError::PeriodOutOfRange { days: -1 };
        assert_eq!(err.to_string(), "a period of -1 days is outside 0..=3660");
        let err = check_deadline_passed(d("2026-05-01"), d("2026-05-01")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the deadline 2026-05-01 has not passed on 2026-05-01; the earliest allowed date is 2026-05-02"
        );
    }
}
