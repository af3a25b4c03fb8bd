//! Legal periods as ISO 8601 durations in days or months (`P60D`, `P2M`, `P3M`,
//! `P12M`): national laws count some periods in months, and a month is not 30 days.
//! Adding months clamps to the month's end (2026-01-31 + P1M = 2026-02-28).

use std::fmt;
use std::str::FromStr;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest period accepted in days (ten years) and in months (ten years).
pub const MAX_DAYS: u32 = 3660;
pub const MAX_MONTHS: u32 = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    Days(u32),
    Months(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PeriodError(String);

impl Period {
    /// A period given in whole days, as the older `*_period_days` fields do.
    pub fn of_days(days: i32) -> Result<Self, PeriodError> {
        u32::try_from(days)
            .ok()
            .filter(|d| *d <= MAX_DAYS)
            .map(Period::Days)
            .ok_or_else(|| {
                PeriodError(format!("a period of {days} days is outside 0..={MAX_DAYS}"))
            })
    }

    /// The length in days when the period is counted in days (None for months).
    pub fn days(self) -> Option<i32> {
        match self {
            Period::Days(days) => i32::try_from(days).ok(),
            Period::Months(_) => None,
        }
    }

    /// `start + self`, clamping to the month's end, saturating at [`NaiveDate::MAX`].
    pub fn after(self, start: NaiveDate) -> NaiveDate {
        match self {
            Period::Days(days) => start.checked_add_days(Days::new(days.into())),
            Period::Months(months) => start.checked_add_months(Months::new(months)),
        }
        .unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Days(days) => write!(f, "P{days}D"),
            Period::Months(months) => write!(f, "P{months}M"),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wrong = || {
            PeriodError(format!(
                "{text:?} is not a period in days or months such as P60D or P2M"
            ))
        };
        let body = text.strip_prefix('P').ok_or_else(wrong)?;
        let (number, unit) = body.split_at(body.len().saturating_sub(1));
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(wrong());
        }
        let n: u32 = number.parse().map_err(|_| wrong())?;
        match unit {
            "D" if n <= MAX_DAYS => Ok(Period::Days(n)),
            "M" if n <= MAX_MONTHS => Ok(Period::Months(n)),
            "D" | "M" => Err(PeriodError(format!(
                "{text} is longer than ten years (P{MAX_DAYS}D, P{MAX_MONTHS}M)"
            ))),
            _ => Err(wrong()),
        }
    }
}

impl Period {
    /// As `from_str`, and also whole years (`P2Y`, counted as 24 months and shown as
    /// `P24M`), as treaties state the longest phase-outs.
    pub fn parse_with_years(text: &str) -> Result<Self, PeriodError> {
        match text
            .strip_prefix('P')
            .and_then(|body| body.strip_suffix('Y'))
        {
            Some(years) if !years.is_empty() && years.bytes().all(|b| b.is_ascii_digit()) => years
                .parse::<u32>()
                .ok()
                .and_then(|n| n.checked_mul(12))
                .filter(|months| *months <= MAX_MONTHS)
                .map(Period::Months)
                .ok_or_else(|| PeriodError(format!("{text} is longer than ten years"))),
            _ => text.parse(),
        }
    }
}

/// Deserializes an optional period that may be given in years.
pub fn optional_with_years<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Period>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        Some(text) => Period::parse_with_years(&text)
            .map(Some)
            .map_err(serde::de::Error::custom),
        None => Ok(None),
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_read_as_months_only_where_asked() {
        assert_eq!(Period::parse_with_years("P2Y"), Ok(Period::Months(24)));
        assert_eq!(Period::parse_with_years("P90D"), Ok(Period::Days(90)));
        assert!(Period::parse_with_years("P11Y").is_err());
        assert!(Period::parse_with_years("PY").is_err());
        // Digits only: Rust's integer parsing would take a sign.
        assert!(Period::parse_with_years("P+2Y").is_err());
        assert!("P2Y".parse::<Period>().is_err());
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_shows_days_and_months() {
        assert_eq!("P60D".parse(), Ok(Period::Days(60)));
        assert_eq!("P2M".parse(), Ok(Period::Months(2)));
        assert_eq!("P0D".parse(), Ok(Period::Days(0)));
        assert_eq!(Period::Months(12).to_string(), "P12M");
        for bad in [
            "", "P", "60D", "P-1D", "P+5D", "P2Y", "P1W", "PT2H", "P2m", "P 2M", "P3661D", "P121M",
            "P1M2D",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
        assert_eq!("P3660D".parse(), Ok(Period::Days(3660)));
        assert_eq!("P120M".parse(), Ok(Period::Months(120)));
    }

    #[test]
    fn a_period_over_ten_years_is_refused_as_too_long_not_as_malformed() {
        // The error is what the API answers: it must say which limit, not "no period".
        for long in ["P3661D", "P121M"] {
            let err = long.parse::<Period>().unwrap_err().to_string();
            assert_eq!(
                err,
                format!("{long} is longer than ten years (P3660D, P120M)"),
                "{long}"
            );
        }
        assert_eq!(
            Period::parse_with_years("P11Y").unwrap_err().to_string(),
            "P11Y is longer than ten years"
        );
    }

    #[test]
    fn months_clamp_to_the_month_end() {
        assert_eq!(Period::Months(1).after(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(Period::Months(1).after(d("2028-01-31")), d("2028-02-29"));
        assert_eq!(Period::Months(2).after(d("2026-03-31")), d("2026-05-31"));
        assert_eq!(Period::Months(2).after(d("2025-12-31")), d("2026-02-28"));
        assert_eq!(Period::Months(3).after(d("2026-01-31")), d("2026-04-30"));
        assert_eq!(Period::Months(3).after(d("2026-03-31")), d("2026-06-30"));
        assert_eq!(Period::Months(12).after(d("2028-02-29")), d("2029-02-28"));
        assert_eq!(Period::Months(2).after(d("2026-03-02")), d("2026-05-02"));
    }

    #[test]
    fn days_count_calendar_days() {
        assert_eq!(Period::Days(60).after(d("2026-03-02")), d("2026-05-01"));
        assert_eq!(Period::Days(90).after(d("2026-03-02")), d("2026-05-31"));
        assert_eq!(Period::Days(1).after(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(Period::Months(1).after(NaiveDate::MAX), NaiveDate::MAX);
    }

    #[test]
    fn days_from_the_older_fields() {
        assert_eq!(Period::of_days(90), Ok(Period::Days(90)));
        assert!(Period::of_days(-1).is_err());
        assert!(Period::of_days(3661).is_err());
        assert_eq!(Period::Days(90).days(), Some(90));
        assert_eq!(Period::Months(2).days(), None);
    }
}
