//! A small reader of iCalendar files (RFC 5545), the format government holiday
//! calendars ship in: each VEVENT's DTSTART (a date, or the date of a date-time), an
//! optional DTEND (exclusive, for holidays of several days), SUMMARY, and
//! `RRULE:FREQ=YEARLY` for a holiday on the same day every year. Any other
//! recurrence is refused rather than guessed.

use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IcsHoliday {
    pub on: NaiveDate,
    pub label: Option<String>,
    pub yearly: bool,
}

/// The longest holiday read from one event (DTEND − DTSTART), in days.
const MAX_EVENT_DAYS: i64 = 60;

#[derive(Default)]
struct Event {
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    summary: Option<String>,
    yearly: bool,
}

/// The holidays of an iCalendar text, one per day, in file order.
///
/// # Errors
/// A message naming the line at fault.
pub fn read_holidays(text: &str) -> Result<Vec<IcsHoliday>, String> {
    let mut holidays = Vec::new();
    let mut event: Option<Event> = None;
    let mut saw_calendar = false;
    for (number, line) in unfold(text) {
        let fail = |why: String| format!("line {number}: {why}");
        let (name_and_params, value) = line
            .split_once(':')
            .ok_or_else(|| fail(format!("{line:?} is not NAME:VALUE")))?;
        let mut parts = name_and_params.split(';');
        let name = parts.next().unwrap_or_default().to_ascii_uppercase();
        match (name.as_str(), event.as_mut()) {
            ("BEGIN", None) if value.eq_ignore_ascii_case("VCALENDAR") => saw_calendar = true,
            ("BEGIN", None) if value.eq_ignore_ascii_case("VEVENT") => {
                event = Some(Event::default())
            }
            ("END", Some(_)) if value.eq_ignore_ascii_case("VEVENT") => {
                let done = event.take().unwrap_or_default();
                let start = done
                    .start
                    .ok_or_else(|| fail("an event without DTSTART".into()))?;
                let end = done
                    .end
                    .unwrap_or_else(|| start.succ_opt().unwrap_or(start));
                let days = (end - start).num_days();
                if !(1..=MAX_EVENT_DAYS).contains(&days) {
                    return Err(fail(format!(
                        "an event from {start} to {end}: DTEND must be 1 to {MAX_EVENT_DAYS} days after DTSTART"
                    )));
                }
                for on in start.iter_days().take(days as usize) {
                    holidays.push(IcsHoliday {
                        on,
                        label: done.summary.clone(),
                        yearly: done.yearly,
                    });
                }
            }
            ("DTSTART", Some(e)) => e.start = Some(date_of(value).map_err(fail)?),
            ("DTEND", Some(e)) => e.end = Some(date_of(value).map_err(fail)?),
            ("SUMMARY", Some(e)) => {
                e.summary = Some(unescape(value)).filter(|s| !s.trim().is_empty())
            }
            ("RRULE", Some(e)) => {
                let freq = value
                    .split(';')
                    .find_map(|part| part.strip_prefix("FREQ="))
                    .unwrap_or_default();
                if freq != "YEARLY" || value.split(';').count() > 1 {
                    return Err(fail(format!(
                        "RRULE:{value} is not supported; only RRULE:FREQ=YEARLY is"
                    )));
                }
                e.yearly = true;
            }
            _ => {}
        }
    }
    if !saw_calendar {
        return Err("not an iCalendar file: no BEGIN:VCALENDAR".into());
    }
    if event.is_some() {
        return Err("the file ends inside an event (no END:VEVENT)".into());
    }
    Ok(holidays)
}

/// Lines with their 1-based numbers, folded lines (continued by a leading space or tab)
/// joined.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some((_, last))) => last.push_str(rest),
            _ if raw.trim().is_empty() => {}
            _ => lines.push((index + 1, raw.to_string())),
        }
    }
    lines
}

/// `20260501` or `20260501T000000[Z]`.
fn date_of(value: &str) -> Result<NaiveDate, String> {
    let digits = value.get(..8).unwrap_or(value);
    NaiveDate::parse_from_str(digits, "%Y%m%d")
        .map_err(|_| format!("{value:?} is not a date (YYYYMMDD)"))
}

fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Office//Holidays//EN\r\n\
BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20260501\r\nSUMMARY:Labour Day\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:2\r\nDTSTART;VALUE=DATE:20260217\r\nDTEND;VALUE=DATE:20260219\r\nSUMMARY:Spring\r\n  Festival\\, day\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

    #[test]
    fn reads_a_recurring_and_a_multi_day_holiday() {
        let holidays = read_holidays(CALENDAR).unwrap();
        assert_eq!(
            holidays,
            vec![
                IcsHoliday {
                    on: d("2026-05-01"),
                    label: Some("Labour Day".into()),
                    yearly: true
                },
                IcsHoliday {
                    on: d("2026-02-17"),
                    label: Some("Spring Festival, day".into()),
                    yearly: false
                },
                IcsHoliday {
                    on: d("2026-02-18"),
                    label: Some("Spring Festival, day".into()),
                    yearly: false
                },
            ]
        );
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert!(read_holidays("hello").is_err());
        assert!(read_holidays("").is_err());
        let monthly = CALENDAR.replace("RRULE:FREQ=YEARLY", "RRULE:FREQ=MONTHLY");
        assert!(read_holidays(&monthly).unwrap_err().contains("RRULE"));
        // A yearly rule with more parts (a count, an end, a month) is not read either.
        let counted = CALENDAR.replace("RRULE:FREQ=YEARLY", "RRULE:FREQ=YEARLY;COUNT=3");
        assert!(read_holidays(&counted).unwrap_err().contains("RRULE"));
        let bad_date = CALENDAR.replace("20260501", "2026-05-01");
        assert!(read_holidays(&bad_date).unwrap_err().contains("line 6"));
        let open = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260501\n";
        assert!(read_holidays(open).is_err());
        let backwards = CALENDAR.replace("DTEND;VALUE=DATE:20260219", "DTEND;VALUE=DATE:20260210");
        assert!(read_holidays(&backwards).is_err());
    }

    #[test]
    fn other_components_are_passed_over() {
        // A time zone, as exported calendars carry, has dates of its own.
        let zone = "BEGIN:VTIMEZONE\r\nTZID:Asia/Bangkok\r\nBEGIN:STANDARD\r\n\
DTSTART:19700101T000000\r\nTZOFFSETFROM:+0700\r\nTZOFFSETTO:+0700\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";
        let first = CALENDAR.replace(
            "BEGIN:VEVENT\r\nUID:1",
            &format!("{zone}BEGIN:VEVENT\r\nUID:1"),
        );
        let last = CALENDAR.replace("END:VCALENDAR", &format!("{zone}END:VCALENDAR"));
        for text in [first, last] {
            assert_eq!(read_holidays(&text), read_holidays(CALENDAR), "{text}");
        }
    }

    #[test]
    fn only_end_vevent_closes_an_event() {
        // A reminder inside an event ends with END:VALARM; the event goes on after it.
        let alarm = "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n";
        let text = CALENDAR.replace("UID:2\r\n", &format!("UID:2\r\n{alarm}"));
        assert_eq!(read_holidays(&text), read_holidays(CALENDAR));
    }

    #[test]
    fn a_date_time_start_counts_by_its_date() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261001T000000Z\nSUMMARY:National Day\nEND:VEVENT\nEND:VCALENDAR\n";
        let holidays = read_holidays(text).unwrap();
        assert_eq!(holidays.len(), 1);
        assert_eq!(holidays[0].on, d("2026-10-01"));
    }
}
