//! How recognitions are shown, now or as they stood on a date.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calendars::basis_of;
use crate::db::schema::{offices, programmes};
use crate::db::AnyConnection;
use crate::domain::calendar::Deadline;
use crate::domain::coexistence::CoexistingRight;
use crate::domain::earlier_rights::EarlierRight;
use crate::domain::excluded_names::ExcludedName;
use crate::error::AppError;
use crate::store::events::Event;
use crate::store::recognitions::Recognition;

/// The state of a recognition after an event; every recognition event carries one in
/// its details, so the state on any date is the snapshot of the last event up to it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub status: String,
    pub submitted_on: Option<NaiveDate>,
    pub decision_deadline: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub opposition_deadline: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub protected_from: Option<NaiveDate>,
    pub limitations: Option<String>,
    pub phase_out_until: Option<NaiveDate>,
    pub grounds: Option<String>,
    #[serde(default)]
    pub decision_deadline_basis: Option<Deadline>,
    #[serde(default)]
    pub opposition_deadline_basis: Option<Deadline>,
    /// With a refusal or an invalidation (absent from older events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remedies: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remedy_deadline: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase_out_beneficiaries: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deciding_authority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier_rights: Option<Vec<EarlierRight>>,
    /// The names a protection leaves out (absent from older events: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_names: Vec<ExcludedName>,
    /// The earlier rights a protection coexists with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coexisting_rights: Vec<CoexistingRight>,
}

impl Snapshot {
    pub fn of(r: &Recognition) -> Self {
        Self {
            status: r.status.clone(),
            submitted_on: Some(r.submitted_on),
            decision_deadline: Some(r.decision_deadline),
            published_on: r.published_on,
            opposition_deadline: r.opposition_deadline,
            decided_on: r.decided_on,
            protected_from: r.protected_from,
            limitations: r.limitations.clone(),
            phase_out_until: r.phase_out_until,
            grounds: r.grounds.clone(),
            decision_deadline_basis: basis_of(r.decision_deadline_basis.as_deref()),
            opposition_deadline_basis: basis_of(r.opposition_deadline_basis.as_deref()),
            remedies: r.remedies.clone(),
            remedy_deadline: r.remedy_deadline,
            phase_out_beneficiaries: r
                .phase_out_beneficiaries
                .as_deref()
                .and_then(|names| serde_json::from_str(names).ok()),
            deciding_authority: r.deciding_authority.clone(),
            earlier_rights: crate::domain::earlier_rights::parsed(r.earlier_rights.as_deref()),
            excluded_names: crate::domain::excluded_names::parsed(r.excluded_names.as_deref()),
            coexisting_rights: crate::domain::coexistence::parsed(r.coexisting_rights.as_deref()),
        }
    }

    /// The snapshot an event's details carry, read without building the whole document.
    pub fn from_details(details: &str) -> Option<Self> {
        #[derive(Deserialize)]
        struct Details {
            recognition: Snapshot,
        }
        serde_json::from_str::<Details>(details)
            .ok()
            .map(|d| d.recognition)
    }

    /// The snapshot of the last of `events` (oldest first) dated on or before `as_of`.
    pub fn as_of(events: &[Event], as_of: NaiveDate) -> Option<Self> {
        events
            .iter()
            .rev()
            .filter(|e| e.effective_on <= as_of)
            .find_map(|e| {
                serde_json::from_str::<serde_json::Value>(&e.details)
                    .ok()
                    .and_then(|d| serde_json::from_value(d.get("recognition")?.clone()).ok())
            })
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RecognitionView {
    pub id: i64,
    /// The programme's code.
    pub programme: String,
    pub gi_id: i64,
    /// The origin office's code.
    pub origin: String,
    /// The partner office's code.
    pub partner: String,
    pub partner_jurisdiction: String,
    #[schema(value_type = crate::domain::recognition_status::RecognitionStatus)]
    pub status: String,
    pub list_label: Option<String>,
    pub submitted_on: Option<NaiveDate>,
    pub decision_deadline: Option<NaiveDate>,
    /// How the decision deadline was computed: from `submitted_on`, the programme's
    /// decision period, on the partner office's calendar.
    pub decision_deadline_basis: Option<Deadline>,
    pub published_on: Option<NaiveDate>,
    pub opposition_deadline: Option<NaiveDate>,
    /// How the opposition deadline was computed: from `published_on`, the partner
    /// office's opposition period, on its calendar.
    pub opposition_deadline_basis: Option<Deadline>,
    pub decided_on: Option<NaiveDate>,
    pub protected_from: Option<NaiveDate>,
    pub limitations: Option<String>,
    pub phase_out_until: Option<NaiveDate>,
    pub grounds: Option<String>,
    /// With a refusal or an invalidation: the remedies open to the holder (Lisbon Rule
    /// 9), and the last day to use them.
    pub remedies: Option<String>,
    pub remedy_deadline: Option<NaiveDate>,
    /// Who may go on using the name until `phase_out_until`.
    pub phase_out_beneficiaries: Option<Vec<String>>,
    /// With an invalidation: who decided it.
    pub deciding_authority: Option<String>,
    /// With a refusal or an invalidation: the earlier rights it rests on.
    pub earlier_rights: Option<Vec<EarlierRight>>,
    /// With a protection: the names it leaves out, each with its reason.
    pub excluded_names: Vec<ExcludedName>,
    /// With a protection: the earlier rights it coexists with (settled oppositions).
    pub coexisting_rights: Vec<CoexistingRight>,
    /// The ETag.
    pub version: i32,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::utc::serialize")]
    pub updated_at: NaiveDateTime,
}

/// Codes of offices and programmes, loaded once per request.
pub struct Names {
    offices: HashMap<i64, (String, String)>,
    programmes: HashMap<i64, String>,
}

impl Names {
    pub fn load(conn: &mut AnyConnection) -> Result<Self, AppError> {
        let offices = offices::table
            .select((offices::id, offices::code, offices::jurisdiction))
            .load::<(i64, String, String)>(conn)?
            .into_iter()
            .map(|(id, code, jurisdiction)| (id, (code, jurisdiction)))
            .collect();
        let programmes = programmes::table
            .select((programmes::id, programmes::code))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        Ok(Self {
            offices,
            programmes,
        })
    }

    /// Only the offices and programmes `list` names: what one GI's page needs.
    pub fn load_for(conn: &mut AnyConnection, list: &[Recognition]) -> Result<Self, AppError> {
        if list.is_empty() {
            return Ok(Self {
                offices: HashMap::new(),
                programmes: HashMap::new(),
            });
        }
        let mut office_ids: Vec<i64> = list
            .iter()
            .flat_map(|r| [r.partner_office_id, r.origin_office_id])
            .collect();
        office_ids.sort_unstable();
        office_ids.dedup();
        let mut programme_ids: Vec<i64> = list.iter().map(|r| r.programme_id).collect();
        programme_ids.sort_unstable();
        programme_ids.dedup();
        let offices = offices::table
            .filter(offices::id.eq_any(&office_ids))
            .select((offices::id, offices::code, offices::jurisdiction))
            .load::<(i64, String, String)>(conn)?
            .into_iter()
            .map(|(id, code, jurisdiction)| (id, (code, jurisdiction)))
            .collect();
        let programmes = programmes::table
            .filter(programmes::id.eq_any(&programme_ids))
            .select((programmes::id, programmes::code))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        Ok(Self {
            offices,
            programmes,
        })
    }

    pub fn office(&self, id: i64) -> (String, String) {
        self.offices.get(&id).cloned().unwrap_or_default()
    }

    pub fn programme(&self, id: i64) -> String {
        self.programmes.get(&id).cloned().unwrap_or_default()
    }

    /// The view of `r` with the state `snapshot` (the current one, or one as of a date).
    pub fn view(&self, r: &Recognition, snapshot: Snapshot) -> RecognitionView {
        let (partner, partner_jurisdiction) = self.office(r.partner_office_id);
        RecognitionView {
            id: r.id,
            programme: self.programme(r.programme_id),
            gi_id: r.gi_id,
            origin: self.office(r.origin_office_id).0,
            partner,
            partner_jurisdiction,
            status: snapshot.status,
            list_label: r.list_label.clone(),
            submitted_on: snapshot.submitted_on,
            decision_deadline: snapshot.decision_deadline,
            decision_deadline_basis: snapshot.decision_deadline_basis,
            published_on: snapshot.published_on,
            opposition_deadline: snapshot.opposition_deadline,
            opposition_deadline_basis: snapshot.opposition_deadline_basis,
            decided_on: snapshot.decided_on,
            protected_from: snapshot.protected_from,
            limitations: snapshot.limitations,
            phase_out_until: snapshot.phase_out_until,
            grounds: snapshot.grounds,
            remedies: snapshot.remedies,
            remedy_deadline: snapshot.remedy_deadline,
            phase_out_beneficiaries: snapshot.phase_out_beneficiaries,
            deciding_authority: snapshot.deciding_authority,
            earlier_rights: snapshot.earlier_rights,
            excluded_names: snapshot.excluded_names,
            coexisting_rights: snapshot.coexisting_rights,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }

    pub fn current(&self, r: &Recognition) -> RecognitionView {
        self.view(r, Snapshot::of(r))
    }
}
