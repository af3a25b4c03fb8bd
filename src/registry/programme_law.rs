//! A programme's terms with their dated amendments, as the use cases that depend on
//! them read them: the terms in force on a date, and those governing one recognition.

use chrono::NaiveDate;

use super::calendars::decision_period;
use crate::db::AnyConnection;
use crate::domain::programme_terms::{self, Amendment, TermChanges, Terms};
use crate::error::AppError;
use crate::store::programme_amendments::{self, AmendmentRow};
use crate::store::programmes::Programme;

pub struct ProgrammeLaw {
    pub original: Terms,
    pub amendments: Vec<Amendment>,
    pub rows: Vec<AmendmentRow>,
}

/// The terms a programme was created with.
pub fn original_terms(programme: &Programme) -> Terms {
    Terms {
        decision_period: decision_period(programme),
        tacit_protection: programme.tacit_protection,
        requires_origin_registration: programme.requires_origin_registration,
        refusal_after_deadline: programme.refusal_after_deadline,
    }
}

pub fn changes_of(row: &AmendmentRow) -> TermChanges {
    serde_json::from_str(&row.changes).unwrap_or_default()
}

impl ProgrammeLaw {
    pub fn load(conn: &mut AnyConnection, programme: &Programme) -> Result<Self, AppError> {
        let rows = programme_amendments::of_programme(conn, programme.id)?;
        let amendments = rows
            .iter()
            .map(|row| Amendment {
                effective_on: row.effective_on,
                changes: changes_of(row),
                applies_to_pending: row.applies_to_pending,
            })
            .collect();
        Ok(Self {
            original: original_terms(programme),
            amendments,
            rows,
        })
    }

    /// The terms in force on `on`.
    pub fn on(&self, on: NaiveDate) -> Terms {
        programme_terms::terms_on(self.original, &self.amendments, on)
    }

    /// The terms governing a recognition submitted on `submitted_on` whose deadline is
    /// `deadline`.
    pub fn governing(&self, submitted_on: NaiveDate, deadline: NaiveDate) -> Terms {
        programme_terms::governing_terms(self.original, &self.amendments, submitted_on, deadline)
    }

    /// Whether tacit protection ever applies under this programme.
    pub fn ever_tacit(&self) -> bool {
        self.original.tacit_protection
            || self
                .amendments
                .iter()
                .any(|a| a.changes.tacit_protection == Some(true))
    }

    pub fn tacit_from(&self, submitted_on: NaiveDate, deadline: NaiveDate) -> Option<NaiveDate> {
        programme_terms::tacit_from(self.original, &self.amendments, submitted_on, deadline)
    }
}
