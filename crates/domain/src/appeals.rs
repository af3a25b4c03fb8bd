//! Appeals against a refusal (the Thai GI Act's appeal to the GI Board, a review of a
//! CNIPA decision): lodged by the applicant or the origin office while the remedies the
//! refusal stated are open, decided by the office that refused.

use chrono::NaiveDate;

/// An appeal lodged after the refusal's remedy deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppealOutOfTime {
    pub remedy_deadline: NaiveDate,
    pub effective_on: NaiveDate,
}

/// An appeal dated `effective_on` is in time when the refusal stated no remedy deadline
/// or the deadline has not passed (the last day counts).
pub fn check_in_time(
    remedy_deadline: Option<NaiveDate>,
    effective_on: NaiveDate,
) -> Result<(), AppealOutOfTime> {
    match remedy_deadline {
        Some(deadline) if effective_on > deadline => Err(AppealOutOfTime {
            remedy_deadline: deadline,
            effective_on,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_last_day_counts_and_no_deadline_never_closes() {
        let deadline = Some(date("2026-10-31"));
        assert!(check_in_time(deadline, date("2026-10-30")).is_ok());
        assert!(check_in_time(deadline, date("2026-10-31")).is_ok());
        assert_eq!(
            check_in_time(deadline, date("2026-11-01")),
            Err(AppealOutOfTime {
                remedy_deadline: date("2026-10-31"),
                effective_on: date("2026-11-01")
            })
        );
        assert!(check_in_time(None, date("2099-01-01")).is_ok());
    }
}
