//! An office's legal calendar: its time zone (which date "today" is for its
//! examiners), its weekend and its holidays (which days are working days), and whether
//! a deadline that ends on a non-working day moves to the next working day, as the
//! PRC Civil Code (Art. 203) and Thailand's Civil and Commercial Code (s.193/8) do.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::period::Period;

/// The weekend when an office names none.
pub const DEFAULT_WEEKEND: [&str; 2] = ["sat", "sun"];

/// A non-working day: on one date, or every year on that month and day from that
/// date's year on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holiday {
    pub on: NaiveDate,
    pub yearly: bool,
}

impl Holiday {
    pub fn falls_on(&self, day: NaiveDate) -> bool {
        if self.yearly {
            day.year() >= self.on.year()
                && day.month() == self.on.month()
                && day.day() == self.on.day()
        } else {
            day == self.on
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Calendar {
    pub time_zone: Tz,
    pub weekend: Vec<Weekday>,
    pub holidays: Vec<Holiday>,
    pub rolls_forward: bool,
}

impl Default for Calendar {
    fn default() -> Self {
        Self {
            time_zone: Tz::UTC,
            weekend: vec![Weekday::Sat, Weekday::Sun],
            holidays: Vec::new(),
            rolls_forward: true,
        }
    }
}

/// How a deadline was computed, shown with every deadline so that an examiner can
/// check it: the legal date the period runs from, the period, and the day it ended on
/// before it moved off a non-working day (null when it did not move).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Deadline {
    /// The last day of the period.
    pub date: NaiveDate,
    /// The legal date the period runs from (publication, submission).
    pub from: NaiveDate,
    /// The period, an ISO 8601 duration in days or months.
    #[schema(value_type = String, example = "P2M")]
    pub period: Period,
    /// The non-working day the period ended on, when the deadline moved to the next
    /// working day.
    pub rolled_from: Option<NaiveDate>,
}

impl Calendar {
    /// The date it is at `now` in the office's time zone.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.time_zone).date_naive()
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !self.weekend.contains(&day.weekday()) && !self.holidays.iter().any(|h| h.falls_on(day))
    }

    /// The deadline of `period` running from `from`: its end, moved to the next working
    /// day when the office rolls deadlines forward.
    pub fn deadline(&self, from: NaiveDate, period: Period) -> Deadline {
        let end = period.after(from);
        let mut date = end;
        if self.rolls_forward {
            // A year of holidays and weekends in a row is bad data, not a calendar.
            for _ in 0..366 {
                if self.is_working_day(date) {
                    break;
                }
                match date.succ_opt() {
                    Some(next) => date = next,
                    None => break,
                }
            }
        }
        Deadline {
            date,
            from,
            period,
            rolled_from: (date != end).then_some(end),
        }
    }
}

/// The latest date anywhere on earth at `now` (UTC+14): a date after it has begun
/// nowhere yet, so it is in the future for every office.
pub fn latest_today(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(14)).date_naive()
}

/// `mon` … `sun`.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

pub fn parse_weekday(name: &str) -> Option<Weekday> {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .find(|day| weekday_name(*day) == name)
}

/// A weekend as given (`["fri", "sat"]`): known day names, none twice, at least one
/// working day left.
pub fn parse_weekend(names: &[String]) -> Result<Vec<Weekday>, String> {
    let mut days = Vec::new();
    for name in names {
        let day = parse_weekday(name).ok_or_else(|| {
            format!("{name:?} is not a day: use mon, tue, wed, thu, fri, sat, sun")
        })?;
        if days.contains(&day) {
            return Err(format!("names {name} twice"));
        }
        days.push(day);
    }
    if days.len() == 7 {
        return Err("leaves no working day".into());
    }
    Ok(days)
}

/// An IANA time zone name (`Asia/Bangkok`, `UTC`).
pub fn parse_time_zone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("{name:?} is not an IANA time zone such as Asia/Bangkok"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_latest_date_on_earth_is_fourteen_hours_ahead_of_utc() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(latest_today(at("2026-11-29T09:59:59Z")), d("2026-11-29"));
        assert_eq!(latest_today(at("2026-11-29T10:00:00Z")), d("2026-11-30"));
    }

    fn china_2026() -> Calendar {
        Calendar {
            time_zone: Tz::Asia__Shanghai,
            holidays: (1..=5)
                .map(|day| Holiday {
                    on: NaiveDate::from_ymd_opt(2026, 5, day).unwrap(),
                    yearly: false,
                })
                .collect(),
            ..Calendar::default()
        }
    }

    #[test]
    fn today_is_the_office_s_local_date() {
        // 00:02 on 29 November in Bangkok is still 28 November in UTC.
        let now: DateTime<Utc> = "2026-11-28T17:02:00Z".parse().unwrap();
        let bangkok = Calendar {
            time_zone: Tz::Asia__Bangkok,
            ..Calendar::default()
        };
        assert_eq!(bangkok.today(now), d("2026-11-29"));
        assert_eq!(Calendar::default().today(now), d("2026-11-28"));
        // One minute before midnight in Bangkok.
        let before: DateTime<Utc> = "2026-11-28T16:59:00Z".parse().unwrap();
        assert_eq!(bangkok.today(before), d("2026-11-28"));
    }

    #[test]
    fn a_deadline_on_labour_day_rolls_past_the_holidays_and_the_weekend() {
        // CNIPA, published 2026-03-02 + P60D = Friday 1 May; 1–5 May are holidays
        // (Fri–Tue), so the deadline is Wednesday 6 May.
        let deadline = china_2026().deadline(d("2026-03-02"), Period::Days(60));
        assert_eq!(deadline.date, d("2026-05-06"));
        assert_eq!(deadline.rolled_from, Some(d("2026-05-01")));
        assert_eq!(deadline.from, d("2026-03-02"));
        // The day before the holidays does not move.
        let deadline = china_2026().deadline(d("2026-02-28"), Period::Months(2));
        assert_eq!(deadline.date, d("2026-04-28"));
        assert_eq!(deadline.rolled_from, None);
    }

    #[test]
    fn weekends_roll_and_can_be_switched_off() {
        // 2026-05-30 is a Saturday.
        let calendar = Calendar::default();
        let deadline = calendar.deadline(d("2026-03-30"), Period::Months(2));
        assert_eq!(deadline.date, d("2026-06-01"));
        assert_eq!(deadline.rolled_from, Some(d("2026-05-30")));
        let fixed = Calendar {
            rolls_forward: false,
            ..Calendar::default()
        };
        let deadline = fixed.deadline(d("2026-03-30"), Period::Months(2));
        assert_eq!(
            (deadline.date, deadline.rolled_from),
            (d("2026-05-30"), None)
        );
        // A Friday–Saturday weekend keeps Sunday as a working day.
        let gulf = Calendar {
            weekend: vec![Weekday::Fri, Weekday::Sat],
            ..Calendar::default()
        };
        assert_eq!(
            gulf.deadline(d("2026-03-29"), Period::Months(2)).date,
            d("2026-05-31")
        );
    }

    #[test]
    fn yearly_holidays_recur_from_their_first_year() {
        let labour_day = Holiday {
            on: d("2025-05-01"),
            yearly: true,
        };
        assert!(labour_day.falls_on(d("2025-05-01")));
        assert!(labour_day.falls_on(d("2030-05-01")));
        assert!(!labour_day.falls_on(d("2024-05-01")));
        assert!(!labour_day.falls_on(d("2030-05-02")));
        let once = Holiday {
            on: d("2026-02-17"),
            yearly: false,
        };
        assert!(once.falls_on(d("2026-02-17")));
        assert!(!once.falls_on(d("2027-02-17")));
    }

    #[test]
    fn weekends_and_zones_are_checked() {
        assert_eq!(
            parse_weekend(&["fri".into(), "sat".into()]),
            Ok(vec![Weekday::Fri, Weekday::Sat])
        );
        assert_eq!(parse_weekend(&[]), Ok(vec![]));
        assert!(parse_weekend(&["saturday".into()]).is_err());
        assert!(parse_weekend(&["sat".into(), "sat".into()]).is_err());
        let all: Vec<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .map(String::from)
            .to_vec();
        assert!(parse_weekend(&all).is_err());
        assert_eq!(parse_time_zone("Asia/Bangkok"), Ok(Tz::Asia__Bangkok));
        assert!(parse_time_zone("Asia/Atlantis").is_err());
        assert!(parse_time_zone("+07:00").is_err());
    }
}
