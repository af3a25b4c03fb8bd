//! Times are UTC: stored as naive timestamps, shown as RFC 3339 with microseconds and
//! `Z` (the precision both backends keep).

use std::fmt::Write;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::Serializer;

pub fn format(at: NaiveDateTime) -> String {
    let mut out = String::with_capacity(27);
    push(&mut out, at);
    out
}

/// Appends `at` as [`format`] writes it. Digits are written by hand: exports write a
/// time and several dates on each of millions of lines, and chrono's format strings
/// were a tenth of a CSV export's time.
pub fn push(out: &mut String, at: NaiveDateTime) {
    let nanos = at.nanosecond();
    // A leap second, or a year of other than four digits, the general way.
    if nanos >= 1_000_000_000 || !(0..=9999).contains(&at.year()) {
        let _ = write!(out, "{}", at.format("%Y-%m-%dT%H:%M:%S%.6fZ"));
        return;
    }
    push_date(out, at.date());
    out.push('T');
    push_digits(out, at.hour(), 2);
    out.push(':');
    push_digits(out, at.minute(), 2);
    out.push(':');
    push_digits(out, at.second(), 2);
    out.push('.');
    push_digits(out, nanos / 1_000, 6);
    out.push('Z');
}

/// Appends `date` as `YYYY-MM-DD`, as its `Display` does.
pub fn push_date(out: &mut String, date: NaiveDate) {
    if !(0..=9999).contains(&date.year()) {
        let _ = write!(out, "{date}");
        return;
    }
    push_digits(out, date.year() as u32, 4);
    out.push('-');
    push_digits(out, date.month(), 2);
    out.push('-');
    push_digits(out, date.day(), 2);
}

/// `value` in `width` decimal digits, zero-padded (`value` has no more digits).
fn push_digits(out: &mut String, value: u32, width: u32) {
    let mut divisor = 10u32.pow(width - 1);
    while divisor > 0 {
        out.push(char::from(b'0' + (value / divisor % 10) as u8));
        divisor /= 10;
    }
}

pub fn serialize<S: Serializer>(at: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(*at))
}

pub fn serialize_option<S: Serializer>(
    at: &Option<NaiveDateTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => serialize(at, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveDate};

    #[test]
    fn rfc_3339_with_microseconds_and_z() {
        let at = NaiveDate::from_ymd_opt(2026, 11, 21)
            .unwrap()
            .and_hms_nano_opt(22, 24, 44, 367_793_211)
            .unwrap();
        assert_eq!(super::format(at), "2026-11-21T22:24:44.367793Z");
        let json = serde_json::to_string(&At { at }).unwrap();
        assert_eq!(json, r#"{"at":"2026-11-21T22:24:44.367793Z"}"#);
    }

    #[test]
    fn written_by_hand_as_chrono_writes_them() {
        let mut day = NaiveDate::from_ymd_opt(-3, 12, 25).unwrap();
        let mut nanos = 7u32;
        while day.year() < 10_020 {
            let at = day
                .and_hms_nano_opt(
                    nanos % 24,
                    nanos % 60,
                    (nanos / 7) % 60,
                    nanos % 1_000_000_000,
                )
                .unwrap();
            assert_eq!(
                super::format(at),
                at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
            );
            let mut date = String::new();
            super::push_date(&mut date, day);
            assert_eq!(date, day.to_string());
            day += chrono::Duration::days(37);
            nanos = nanos.wrapping_mul(2_654_435_761).wrapping_add(12_345);
        }
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap();
        assert_eq!(super::format(leap), "2016-12-31T23:59:60.500000Z");
    }

    #[derive(serde::Serialize)]
    struct At {
        #[serde(serialize_with = "super::serialize")]
        at: chrono::NaiveDateTime,
    }
}
