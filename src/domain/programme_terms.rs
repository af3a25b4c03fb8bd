//! A programme's legal terms and their dated amendments. Terms change only by a dated
//! decision (under the EU–China agreement, the Joint Committee's): the terms in force
//! on a date are the original terms with every amendment effective on or before it. A
//! recognition is governed by the terms in force on its submission date; a later
//! amendment reaches it only if it says so (`applies_to_pending`), and then only for
//! deadlines falling on or after its effective date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::period::Period;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Terms {
    #[schema(value_type = String, example = "P12M")]
    pub decision_period: Period,
    pub tacit_protection: bool,
    pub requires_origin_registration: bool,
    pub refusal_after_deadline: bool,
}

/// What an amendment changes; absent fields stay as they were.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
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
}

impl TermChanges {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    fn changes_read_strictly() {
        let changes: TermChanges = serde_json::from_str(r#"{"decision_period": "P18M"}"#).unwrap();
        assert_eq!(changes.decision_period, Some(Period::Months(18)));
        assert!(serde_json::from_str::<TermChanges>(r#"{"title": "x"}"#).is_err());
        assert!(TermChanges::default().is_empty());
    }
}
