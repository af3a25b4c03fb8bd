//! A programme's legal terms and their dated amendments. Terms change only by a dated
//! decision (under the EU–China agreement, the Joint Committee's): the terms in force
//! on a date are the original terms with every amendment effective on or before it. A
//! recognition is governed by the terms in force on its submission date; a later
//! amendment reaches it only if it says so (`applies_to_pending`), and then only for
//! deadlines falling on or after its effective date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calendar::{Calendar, Deadline};
use super::period::Period;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Terms {
    #[schema(value_type = String, example = "P12M")]
    pub decision_period: Period,
    pub tacit_protection: bool,
    pub requires_origin_registration: bool,
    pub refusal_after_deadline: bool,
    /// A partner's refusal must state its remedies and their time limit (Lisbon Rule 9).
    pub lisbon_style_refusals: bool,
    /// The longest phase-out a protection may grant from its date (Lisbon Art. 5(6):
    /// two years); none: no limit.
    #[schema(value_type = Option<String>, example = "P24M")]
    pub max_phase_out: Option<Period>,
}

/// Who is party to a programme and the instrument it rests on: these change by dated
/// amendments too (an accession, a withdrawal, a corrected date).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Particulars {
    /// Office codes.
    pub parties: Vec<String>,
    pub signed_on: Option<NaiveDate>,
    pub in_force_on: Option<NaiveDate>,
    pub legal_instrument: Option<String>,
}

/// What an amendment changes; absent fields stay as they were.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermChanges {
    #[schema(value_type = Option<String>, pattern = r"^P[0-9]{1,4}[DM]$", example = "P12M")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_period: Option<Period>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tacit_protection: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_origin_registration: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_after_deadline: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lisbon_style_refusals: Option<bool>,
    #[schema(value_type = Option<String>, pattern = r"^P[0-9]{1,4}[DMY]$", example = "P2Y")]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::period::optional_with_years"
    )]
    pub max_phase_out: Option<Period>,
    /// The full list of parties from the effective date (office codes, two or more): an
    /// accession adds one, a withdrawal leaves one out (never one with recognitions).
    #[schema(min_items = 2, max_items = 50)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parties: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force_on: Option<NaiveDate>,
    #[schema(min_length = 1, max_length = 1000)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_instrument: Option<String>,
}

impl TermChanges {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amendment {
    pub effective_on: NaiveDate,
    pub changes: TermChanges,
    pub applies_to_pending: bool,
}

impl Terms {
    fn with(mut self, changes: &TermChanges) -> Self {
        if let Some(period) = changes.decision_period {
            self.decision_period = period;
        }
        if let Some(tacit) = changes.tacit_protection {
            self.tacit_protection = tacit;
        }
        if let Some(required) = changes.requires_origin_registration {
            self.requires_origin_registration = required;
        }
        if let Some(late) = changes.refusal_after_deadline {
            self.refusal_after_deadline = late;
        }
        if let Some(lisbon) = changes.lisbon_style_refusals {
            self.lisbon_style_refusals = lisbon;
        }
        if let Some(max) = changes.max_phase_out {
            self.max_phase_out = Some(max);
        }
        self
    }
}

/// The terms in force on `on`: `original` with every amendment effective on or before
/// it, in `amendments`' order (by effective date, then as recorded).
pub fn terms_on(original: Terms, amendments: &[Amendment], on: NaiveDate) -> Terms {
    amendments
        .iter()
        .filter(|a| a.effective_on <= on)
        .fold(original, |terms, a| terms.with(&a.changes))
}

/// The particulars in force on `on`: `original` with every amendment effective on or
/// before it.
pub fn particulars_on(
    original: &Particulars,
    amendments: &[Amendment],
    on: NaiveDate,
) -> Particulars {
    let mut now = original.clone();
    for a in amendments.iter().filter(|a| a.effective_on <= on) {
        let c = &a.changes;
        if let Some(parties) = &c.parties {
            now.parties = parties.clone();
        }
        if let Some(signed_on) = c.signed_on {
            now.signed_on = Some(signed_on);
        }
        if let Some(in_force_on) = c.in_force_on {
            now.in_force_on = Some(in_force_on);
        }
        if let Some(instrument) = &c.legal_instrument {
            now.legal_instrument = Some(instrument.clone());
        }
    }
    now
}

/// The decision deadline of a recognition submitted on `submitted_on`, on the partner's
/// `calendar`: the period in force on submission, then each later amendment that
/// applies to pending recognitions and takes effect on or before the deadline as it then
/// stands, in order (an extension may bring a later amendment within reach). A shortened
/// period that would end before the amendment takes effect leaves the deadline where it
/// was: an amendment never makes a period expire before it is in force.
pub fn decision_deadline(
    original: Terms,
    amendments: &[Amendment],
    submitted_on: NaiveDate,
    calendar: &Calendar,
) -> Deadline {
    let period = terms_on(original, amendments, submitted_on).decision_period;
    let mut deadline = calendar.deadline(submitted_on, period);
    for a in amendments
        .iter()
        .filter(|a| a.effective_on > submitted_on && a.applies_to_pending)
    {
        let Some(period) = a.changes.decision_period else {
            continue;
        };
        if a.effective_on > deadline.date {
            continue;
        }
        let amended = calendar.deadline(submitted_on, period);
        if amended.date >= a.effective_on {
            deadline = amended;
        }
    }
    deadline
}

/// The terms governing a recognition submitted on `submitted_on` for a deadline on
/// `deadline`: those in force on submission, with the later amendments that apply to
/// pending recognitions and took effect on or before the deadline.
pub fn governing_terms(
    original: Terms,
    amendments: &[Amendment],
    submitted_on: NaiveDate,
    deadline: NaiveDate,
) -> Terms {
    amendments
        .iter()
        .filter(|a| {
            a.effective_on > submitted_on && a.applies_to_pending && a.effective_on <= deadline
        })
        .fold(terms_on(original, amendments, submitted_on), |terms, a| {
            terms.with(&a.changes)
        })
}

/// The date from which tacit protection governs a recognition: submission, or the
/// effective date of the pending-applicable amendment that introduced it. None when the
/// governing terms have no tacit protection.
pub fn tacit_from(
    original: Terms,
    amendments: &[Amendment],
    submitted_on: NaiveDate,
    deadline: NaiveDate,
) -> Option<NaiveDate> {
    if terms_on(original, amendments, submitted_on).tacit_protection {
        return Some(submitted_on);
    }
    let mut from = None;
    for a in amendments.iter().filter(|a| {
        a.effective_on > submitted_on && a.applies_to_pending && a.effective_on <= deadline
    }) {
        match a.changes.tacit_protection {
            Some(true) if from.is_none() => from = Some(a.effective_on),
            Some(false) => from = None,
            _ => {}
        }
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const ORIGINAL: Terms = Terms {
        decision_period: Period::Months(12),
        tacit_protection: false,
        requires_origin_registration: true,
        refusal_after_deadline: false,
        lisbon_style_refusals: false,
        max_phase_out: None,
    };

    fn tacit_on(on: &str, applies_to_pending: bool) -> Amendment {
        Amendment {
            effective_on: d(on),
            changes: TermChanges {
                tacit_protection: Some(true),
                ..TermChanges::default()
            },
            applies_to_pending,
        }
    }

    #[test]
    fn terms_on_a_date_take_the_amendments_in_force_then() {
        let amendments = [tacit_on("2026-10-01", false)];
        assert!(!terms_on(ORIGINAL, &amendments, d("2026-09-30")).tacit_protection);
        assert!(terms_on(ORIGINAL, &amendments, d("2026-10-01")).tacit_protection);
        assert_eq!(terms_on(ORIGINAL, &[], d("2030-01-01")), ORIGINAL);
    }

    #[test]
    fn a_recognition_keeps_the_terms_of_its_submission() {
        let amendments = [tacit_on("2026-10-01", false)];
        let t = governing_terms(ORIGINAL, &amendments, d("2026-06-01"), d("2027-06-01"));
        assert!(!t.tacit_protection);
        assert_eq!(
            tacit_from(ORIGINAL, &amendments, d("2026-06-01"), d("2027-06-01")),
            None
        );
        // Submitted after it took effect: governed by it.
        assert_eq!(
            tacit_from(ORIGINAL, &amendments, d("2026-10-01"), d("2027-10-01")),
            Some(d("2026-10-01"))
        );
    }

    #[test]
    fn a_pending_amendment_reaches_only_deadlines_on_or_after_its_date() {
        let amendments = [tacit_on("2026-10-01", true)];
        // Deadline before the amendment: untouched (no retroactive protection).
        assert_eq!(
            tacit_from(ORIGINAL, &amendments, d("2025-09-01"), d("2026-09-30")),
            None
        );
        // Deadline on its effective date: reached.
        assert_eq!(
            tacit_from(ORIGINAL, &amendments, d("2025-10-01"), d("2026-10-01")),
            Some(d("2026-10-01"))
        );
        assert!(
            governing_terms(ORIGINAL, &amendments, d("2025-10-01"), d("2026-10-01"))
                .tacit_protection
        );
    }

    #[test]
    fn tacit_protection_runs_from_the_amendment_that_introduced_it() {
        // A later amendment that restates it does not move the date.
        let amendments = [tacit_on("2026-10-01", true), tacit_on("2027-01-01", true)];
        assert_eq!(
            tacit_from(ORIGINAL, &amendments, d("2026-06-01"), d("2027-06-01")),
            Some(d("2026-10-01"))
        );
        // One that takes it away again ends it; one that brings it back starts it anew.
        let mut removal = tacit_on("2026-12-01", true);
        removal.changes.tacit_protection = Some(false);
        let amendments = [
            tacit_on("2026-10-01", true),
            removal,
            tacit_on("2027-01-01", true),
        ];
        assert_eq!(
            tacit_from(ORIGINAL, &amendments, d("2026-06-01"), d("2027-06-01")),
            Some(d("2027-01-01"))
        );
        assert_eq!(
            tacit_from(ORIGINAL, &amendments[..2], d("2026-06-01"), d("2027-06-01")),
            None
        );
    }

    #[test]
    fn an_amendment_of_the_submission_day_is_part_of_the_submission_terms() {
        // Two amendments of one day, the second undoing the first for new submissions
        // only: on that day the second prevails, and the first is not applied again as
        // a later amendment reaching pending recognitions.
        let mut undone = tacit_on("2026-10-01", false);
        undone.changes.tacit_protection = Some(false);
        let amendments = [tacit_on("2026-10-01", true), undone];
        let submitted = d("2026-10-01");
        assert!(
            !governing_terms(ORIGINAL, &amendments, submitted, d("2027-10-01")).tacit_protection
        );
        assert_eq!(
            tacit_from(ORIGINAL, &amendments, submitted, d("2027-10-01")),
            None
        );
    }

    fn period_on(on: &str, period: Period, applies_to_pending: bool) -> Amendment {
        Amendment {
            effective_on: d(on),
            changes: TermChanges {
                decision_period: Some(period),
                ..TermChanges::default()
            },
            applies_to_pending,
        }
    }

    fn utc_weekdays() -> Calendar {
        Calendar {
            weekend: Vec::new(),
            ..Calendar::default()
        }
    }

    #[test]
    fn a_decision_period_amended_on_the_submission_day_is_not_applied_again() {
        // As for tacit protection: two amendments of the submission day, the second
        // undoing the first for new submissions only. The second governs the submission;
        // the first is not applied again as a later amendment reaching pending ones.
        let cal = utc_weekdays();
        let amendments = [
            period_on("2026-10-01", Period::Months(6), true),
            period_on("2026-10-01", Period::Months(12), false),
        ];
        let deadline = decision_deadline(ORIGINAL, &amendments, d("2026-10-01"), &cal);
        assert_eq!(deadline.date, d("2027-10-01"));
    }

    #[test]
    fn changes_with_any_field_set_are_not_empty() {
        assert!(TermChanges::default().is_empty());
        let shorter = period_on("2026-10-01", Period::Months(6), true).changes;
        assert!(!shorter.is_empty());
        let renamed = TermChanges {
            legal_instrument: Some("Protocol".into()),
            ..TermChanges::default()
        };
        assert!(!renamed.is_empty());
    }

    #[test]
    fn a_pending_amendment_moves_only_the_deadlines_it_reaches() {
        let cal = utc_weekdays();
        let longer = [period_on("2026-06-01", Period::Months(18), true)];
        // Deadline 2026-09-01 falls after 2026-06-01: now 18 months from submission.
        let moved = decision_deadline(ORIGINAL, &longer, d("2025-09-01"), &cal);
        assert_eq!(
            (moved.date, moved.period),
            (d("2027-03-01"), Period::Months(18))
        );
        // Deadline on the amendment's first day: still open then, so reached.
        let on_the_day = decision_deadline(ORIGINAL, &longer, d("2025-06-01"), &cal);
        assert_eq!(on_the_day.date, d("2026-12-01"));
        // Deadline 2026-05-01 had passed before the amendment took effect: kept.
        let kept = decision_deadline(ORIGINAL, &longer, d("2025-05-01"), &cal);
        assert_eq!(
            (kept.date, kept.period),
            (d("2026-05-01"), Period::Months(12))
        );
        // Without applies_to_pending, no pending recognition moves…
        let not_pending = [period_on("2026-06-01", Period::Months(18), false)];
        let same = decision_deadline(ORIGINAL, &not_pending, d("2025-09-01"), &cal);
        assert_eq!(same.date, d("2026-09-01"));
        // …but one submitted once it is in force is governed by it.
        let after = decision_deadline(ORIGINAL, &not_pending, d("2026-06-01"), &cal);
        assert_eq!(after.date, d("2027-12-01"));
    }

    #[test]
    fn a_shortened_period_never_expires_before_it_is_in_force() {
        let cal = utc_weekdays();
        let shorter = [period_on("2026-06-01", Period::Months(6), true)];
        // 2025-09-01 + 6 months is 2026-03-01, before the amendment: the deadline stays.
        let kept = decision_deadline(ORIGINAL, &shorter, d("2025-09-01"), &cal);
        assert_eq!(kept.date, d("2026-09-01"));
        // 2026-01-15 + 6 months is 2026-07-15, after it: shortened.
        let shortened = decision_deadline(ORIGINAL, &shorter, d("2026-01-15"), &cal);
        assert_eq!(shortened.date, d("2026-07-15"));
    }

    #[test]
    fn an_extension_brings_a_later_amendment_within_reach() {
        let cal = utc_weekdays();
        let amendments = [
            period_on("2026-06-01", Period::Months(18), true),
            period_on("2026-12-01", Period::Months(24), true),
        ];
        let deadline = decision_deadline(ORIGINAL, &amendments, d("2025-09-01"), &cal);
        assert_eq!(deadline.date, d("2027-09-01"));
    }

    #[test]
    fn parties_change_on_the_effective_date() {
        let original = Particulars {
            parties: vec!["CNIPA".into(), "DIP".into()],
            signed_on: Some(d("2021-03-01")),
            in_force_on: Some(d("2021-03-01")),
            legal_instrument: None,
        };
        let accession = Amendment {
            effective_on: d("2027-01-01"),
            changes: TermChanges {
                parties: Some(vec!["CNIPA".into(), "DIP".into(), "EUIPO".into()]),
                legal_instrument: Some("Protocol of accession".into()),
                ..TermChanges::default()
            },
            applies_to_pending: false,
        };
        let amendments = [accession];
        assert_eq!(
            particulars_on(&original, &amendments, d("2026-12-31")),
            original
        );
        let after = particulars_on(&original, &amendments, d("2027-01-01"));
        assert_eq!(after.parties, ["CNIPA", "DIP", "EUIPO"]);
        assert_eq!(
            after.legal_instrument.as_deref(),
            Some("Protocol of accession")
        );
        assert_eq!(after.signed_on, original.signed_on);
    }

    #[test]
    fn changes_read_strictly() {
        let changes: TermChanges = serde_json::from_str(r#"{"decision_period": "P18M"}"#).unwrap();
        assert_eq!(changes.decision_period, Some(Period::Months(18)));
        assert!(serde_json::from_str::<TermChanges>(r#"{"title": "x"}"#).is_err());
        assert!(TermChanges::default().is_empty());
    }

    #[test]
    fn a_phase_out_change_may_be_given_in_years() {
        let changes: TermChanges = serde_json::from_str(r#"{"max_phase_out": "P2Y"}"#).unwrap();
        assert_eq!(changes.max_phase_out, Some(Period::Months(24)));
        let changes: TermChanges = serde_json::from_str(r#"{"max_phase_out": "P90D"}"#).unwrap();
        assert_eq!(changes.max_phase_out, Some(Period::Days(90)));
        let changes: TermChanges = serde_json::from_str(r#"{"max_phase_out": null}"#).unwrap();
        assert_eq!(changes.max_phase_out, None);
        assert!(serde_json::from_str::<TermChanges>(r#"{"max_phase_out": "P11Y"}"#).is_err());
    }
}
