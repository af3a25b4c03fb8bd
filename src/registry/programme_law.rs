//! A programme's terms with their dated amendments, as the use cases that depend on
//! them read them: the terms in force on a date, and those governing one recognition.

use chrono::NaiveDate;

use super::calendars::{calendar_of, decision_period};
use crate::db::AnyConnection;
use crate::domain::calendar::{Calendar, Deadline};
use crate::domain::programme_terms::{self, Amendment, Particulars, TermChanges, Terms};
use crate::error::AppError;
use crate::store::offices;
use crate::store::programme_amendments::{self, AmendmentRow};
use crate::store::programmes::{self, Programme};

pub struct ProgrammeLaw {
    pub original: Terms,
    /// The parties and instrument the programme was created with.
    pub particulars: Particulars,
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
        lisbon_style_refusals: programme.lisbon_style_refusals,
        max_phase_out: programme
            .max_phase_out
            .as_deref()
            .and_then(|p| p.parse().ok()),
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
        let parties = programmes::parties(conn, programme.id)?
            .into_iter()
            .map(|(_, code)| code)
            .collect();
        Ok(Self {
            original: original_terms(programme),
            particulars: Particulars {
                parties,
                signed_on: programme.signed_on,
                in_force_on: programme.in_force_on,
                legal_instrument: programme.legal_instrument.clone(),
            },
            amendments,
            rows,
        })
    }

    /// The terms in force on `on`.
    pub fn on(&self, on: NaiveDate) -> Terms {
        programme_terms::terms_on(self.original, &self.amendments, on)
    }

    /// The parties and instrument in force on `on`.
    pub fn particulars_on(&self, on: NaiveDate) -> Particulars {
        programme_terms::particulars_on(&self.particulars, &self.amendments, on)
    }

    /// The parties in force on `on`, as (office id, office code).
    pub fn parties_on(
        &self,
        conn: &mut AnyConnection,
        on: NaiveDate,
    ) -> Result<Vec<(i64, String)>, AppError> {
        self.particulars_on(on)
            .parties
            .into_iter()
            .map(|code| {
                let office = offices::by_code(conn, &code)?
                    .ok_or_else(|| AppError::internal(format!("party {code} is no office")))?;
                Ok((office.id, code))
            })
            .collect()
    }

    /// The decision deadline of a recognition submitted on `submitted_on` to the partner
    /// office `partner_id`, on its calendar, under the terms that govern it.
    pub fn decision_deadline(
        &self,
        conn: &mut AnyConnection,
        partner_id: i64,
        submitted_on: NaiveDate,
    ) -> Result<Deadline, AppError> {
        let partner =
            offices::by_id(conn, partner_id)?.ok_or_else(|| AppError::not_found("office"))?;
        let calendar = calendar_of(conn, &partner)?;
        Ok(self.decision_deadline_on(&calendar, submitted_on))
    }

    /// As `decision_deadline`, on the partner's calendar already read.
    pub fn decision_deadline_on(&self, calendar: &Calendar, submitted_on: NaiveDate) -> Deadline {
        programme_terms::decision_deadline(self.original, &self.amendments, submitted_on, calendar)
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
