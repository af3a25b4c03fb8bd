//! The demonstration offices' calendars: their time zones, opposition periods and the
//! public holidays of 2026 as the two governments announced them (China: the State
//! Council's notice; Thailand: the Cabinet's list). China's make-up working weekends
//! are not modelled: a weekend day is never a working day here.

use crate::domain::period::Period;

pub struct DemoCalendar {
    pub time_zone: &'static str,
    pub opposition_period: Period,
    /// (first day, last day, label), inclusive.
    pub holidays: &'static [(&'static str, &'static str, &'static str)],
}

/// CNIPA: two months (2005 GI Provisions, Art. 14).
pub const CNIPA_CALENDAR: DemoCalendar = DemoCalendar {
    time_zone: "Asia/Shanghai",
    opposition_period: Period::Months(2),
    holidays: &[
        ("2026-01-01", "2026-01-03", "New Year's Day"),
        ("2026-02-15", "2026-02-23", "Spring Festival"),
        ("2026-04-04", "2026-04-06", "Qingming Festival"),
        ("2026-05-01", "2026-05-05", "Labour Day"),
        ("2026-06-19", "2026-06-21", "Dragon Boat Festival"),
        ("2026-09-25", "2026-09-27", "Mid-Autumn Festival"),
        ("2026-10-01", "2026-10-07", "National Day"),
    ],
};

/// DIP: 90 days.
pub const DIP_CALENDAR: DemoCalendar = DemoCalendar {
    time_zone: "Asia/Bangkok",
    opposition_period: Period::Days(90),
    holidays: &[
        ("2026-01-01", "2026-01-02", "New Year"),
        ("2026-03-03", "2026-03-03", "Makha Bucha Day"),
        ("2026-04-06", "2026-04-06", "Chakri Memorial Day"),
        ("2026-04-13", "2026-04-15", "Songkran Festival"),
        ("2026-05-01", "2026-05-01", "National Labour Day"),
        ("2026-05-04", "2026-05-04", "Coronation Day"),
        (
            "2026-06-01",
            "2026-06-01",
            "Visakha Bucha Day (substitution)",
        ),
        ("2026-06-03", "2026-06-03", "Queen Suthida's Birthday"),
        ("2026-07-28", "2026-07-28", "King Vajiralongkorn's Birthday"),
        ("2026-07-29", "2026-07-29", "Asarnha Bucha Day"),
        ("2026-08-12", "2026-08-12", "Mother's Day"),
        ("2026-10-13", "2026-10-13", "King Bhumibol Memorial Day"),
        ("2026-10-23", "2026-10-23", "Chulalongkorn Day"),
        ("2026-12-07", "2026-12-07", "Father's Day (substitution)"),
        ("2026-12-10", "2026-12-10", "Constitution Day"),
        ("2026-12-31", "2026-12-31", "New Year's Eve"),
    ],
};
