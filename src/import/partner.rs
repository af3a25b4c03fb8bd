//! `terroir import FILE --as-partner EU --programme EU-CN`: the EU register's entries
//! from outside the EU are the partner office's protection of another office's GI.
//! Each becomes a recognition, under the programme, of the origin office's GI: the one
//! it already holds with the same name (after folding) and product class, or a new one.

use chrono::{NaiveDate, Utc};

use super::row::ImportRow;
use crate::audit::AuditActor;
use crate::db::AnyConnection;
use crate::domain::gi_status::GiStatus;
use crate::domain::names::search_key;
use crate::domain::permissions::DraftScope;
use crate::domain::recognition_status::RecognitionStatus;
use crate::error::AppError;
use crate::registry::calendars::basis_json;
use crate::registry::programme_law::ProgrammeLaw;
use crate::registry::recognitions::record_recognition;
use crate::store::gis::{self, GiFilter};
use crate::store::offices;
use crate::store::programmes::{self, Programme};
use crate::store::recognitions::{self, NewRecognition, RecognitionChanges};

/// The member states of the European Union (ISO 3166-1 alpha-2, `EL` for Greece as the
/// EU writes it, and the register's `EU` for several-member entries).
const EU_MEMBERS: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "EU",
];

/// Whether `jurisdiction` is in the EU.
pub fn is_eu_member(jurisdiction: &str) -> bool {
    EU_MEMBERS.contains(&jurisdiction)
}

/// The partner office and programme an import writes recognitions for.
#[derive(Debug, Clone)]
pub struct PartnerTarget {
    pub partner_id: i64,
    pub partner_code: String,
    pub programme: Programme,
    pub parties: Vec<i64>,
}

impl PartnerTarget {
    /// Resolves `--as-partner` and `--programme`: both must exist and the partner must be
    /// a party to the programme at `now`.
    pub fn resolve(
        conn: &mut AnyConnection,
        partner: &str,
        programme: &str,
        now: chrono::DateTime<Utc>,
    ) -> Result<PartnerTarget, AppError> {
        let office = offices::by_code(conn, partner)?.ok_or_else(|| {
            AppError::invalid("as_partner", format!("no office has code {partner}"))
        })?;
        let programme = programmes::by_code(conn, programme)?.ok_or_else(|| {
            AppError::invalid("programme", format!("no programme has code {programme}"))
        })?;
        // The parties in force on the partner's date.
        let today = crate::registry::calendars::calendar_without_holidays(&office).today(now);
        let parties: Vec<i64> = ProgrammeLaw::load(conn, &programme)?
            .parties_on(conn, today)?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        if !parties.contains(&office.id) {
            return Err(AppError::invalid(
                "as_partner",
                format!(
                    "{} is not a party to programme {}",
                    office.code, programme.code
                ),
            ));
        }
        Ok(PartnerTarget {
            partner_id: office.id,
            partner_code: office.code,
            programme,
            parties,
        })
    }
}

/// One EU file number written as a recognition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub file_number: String,
    pub recognition_id: i64,
    pub gi_id: i64,
    /// The origin office's code.
    pub origin_office: String,
    /// `true` when the GI was already at the origin office; `false` when the import
    /// created it there.
    pub linked: bool,
}

/// The origin office's GI the row names: the one registered under its file number by an
/// earlier run, or one with a name that folds to the same search key and the same
/// product class.
pub fn find_origin_gi(
    conn: &mut AnyConnection,
    origin_office_id: i64,
    row: &ImportRow,
) -> Result<Option<i64>, AppError> {
    if let Some(id) = gis::id_by_file_number(conn, &row.file_number)? {
        return Ok(Some(id));
    }
    let keys: Vec<String> = row.names.iter().map(|n| search_key(&n.text)).collect();
    let filter = GiFilter {
        origin_office_id: Some(origin_office_id),
        product_class: Some(row.product_class.clone()),
        ..Default::default()
    };
    let mut after = 0;
    loop {
        let page = gis::list(conn, &filter, DraftScope::None, after, 500)?;
        let Some(last) = page.last() else {
            return Ok(None);
        };
        after = last.0.id;
        let ids: Vec<i64> = page.iter().map(|(gi, _)| gi.id).collect();
        let found = gis::names_of(conn, &ids)?
            .into_iter()
            .find(|name| keys.contains(&search_key(&name.text)))
            .map(|name| name.gi_id);
        if found.is_some() {
            return Ok(found);
        }
    }
}

/// Records the partner's recognition of `gi_id` with the EU register's dates: submitted
/// on the application date, protected from the registration date when registered.
/// `None` when the GI already has a recognition by this partner under this programme.
pub fn recognise(
    conn: &mut AnyConnection,
    who: &AuditActor,
    target: &PartnerTarget,
    gi_id: i64,
    origin_office_id: i64,
    row: &ImportRow,
    today: NaiveDate,
) -> Result<Option<i64>, AppError> {
    if recognitions::exists(conn, target.programme.id, gi_id, target.partner_id)? {
        return Ok(None);
    }
    let protected_from = (row.status == GiStatus::Registered)
        .then_some(row.registered_on)
        .flatten()
        .map(|d| d.min(today));
    let submitted_on = row
        .filed_on
        .or(protected_from)
        .or(row.published_on)
        .unwrap_or(today)
        .min(today)
        .min(protected_from.unwrap_or(today));
    // Governed by the programme's terms in force on the submission date (and the
    // amendments that reach pending recognitions).
    let deadline = ProgrammeLaw::load(conn, &target.programme)?.decision_deadline(
        conn,
        target.partner_id,
        submitted_on,
    )?;
    let now = Utc::now().naive_utc();
    let id = recognitions::insert(
        conn,
        &NewRecognition {
            programme_id: target.programme.id,
            gi_id,
            origin_office_id,
            partner_office_id: target.partner_id,
            status: RecognitionStatus::Submitted.as_str().into(),
            list_label: Some(format!("EU register {}", row.file_number)),
            submitted_on,
            decision_deadline: deadline.date,
            decision_deadline_basis: Some(basis_json(&deadline)),
            created_at: now,
            updated_at: now,
        },
    )?;
    let submitted =
        recognitions::by_id(conn, id)?.ok_or_else(|| AppError::not_found("recognition"))?;
    record_recognition(conn, who, &submitted, "submit", None, submitted_on, None)?;
    if let Some(on) = protected_from {
        let changes = RecognitionChanges {
            status: Some(RecognitionStatus::Protected.as_str().into()),
            decided_on: Some(on),
            protected_from: Some(Some(on)),
            ..Default::default()
        };
        if !recognitions::update(conn, id, submitted.version, &changes, now)? {
            return Err(AppError::internal("a recognition changed while importing"));
        }
        let protected =
            recognitions::by_id(conn, id)?.ok_or_else(|| AppError::not_found("recognition"))?;
        record_recognition(
            conn,
            who,
            &protected,
            "protect",
            Some(RecognitionStatus::Submitted.as_str()),
            on,
            None,
        )?;
    }
    Ok(Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eu_members_and_others() {
        assert!(is_eu_member("IT"));
        assert!(is_eu_member("EU"));
        assert!(!is_eu_member("CN"));
        assert!(!is_eu_member("GB"));
    }
}
