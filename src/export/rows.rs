//! The rows of a recognition list as of a date, read in batches.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use diesel::prelude::*;

use super::shown_gi::ExportNames;
use super::shown_gis::ShownGis;
use super::states::state_of;
use crate::db::schema::{offices, programmes};
use crate::db::AnyConnection;
use crate::domain::excluded_names::stays_protected;
use crate::domain::known_at::recorded_late;
use crate::error::AppError;
use crate::registry::protection::{filter_of, RecognitionQuery};
use crate::store::documents;
use crate::store::events::{self, RecognitionIds};
use crate::store::recognitions::{self, Listed, RecognitionFilter};

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ExportName {
    pub text: String,
    pub script: String,
    pub lang: String,
    #[schema(value_type = crate::domain::gi::NameKind)]
    pub kind: String,
}

/// One line of the list. The field order is the column order.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ExportRow {
    pub recognition_id: i64,
    #[schema(value_type = String)]
    #[serde(serialize_with = "shared_text")]
    pub programme: Code,
    pub list_label: Option<String>,
    pub file_number: Option<String>,
    pub registration_number: Option<String>,
    #[schema(value_type = Vec<ExportName>)]
    pub names: ExportNames,
    #[schema(value_type = String)]
    #[serde(serialize_with = "shared_text")]
    pub origin_office: Code,
    #[schema(value_type = String)]
    #[serde(serialize_with = "shared_text")]
    pub origin_jurisdiction: Code,
    #[schema(value_type = String)]
    #[serde(serialize_with = "shared_text")]
    pub partner_office: Code,
    #[schema(value_type = String)]
    #[serde(serialize_with = "shared_text")]
    pub partner_jurisdiction: Code,
    /// The status on `as_of`.
    #[schema(value_type = crate::domain::recognition_status::RecognitionStatus)]
    pub status: String,
    pub submitted_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub protected_from: Option<NaiveDate>,
    pub limitations: Option<String>,
    pub grounds: Option<String>,
    pub phase_out_until: Option<NaiveDate>,
    /// The SHA-256 digests of the recognition's decision documents (the refusal or
    /// protection letters) on file by the end of `as_of` (UTC), oldest first; each is
    /// downloaded from `GET /api/v1/documents/{sha256}`.
    pub decision_documents: Vec<String>,
    /// When the newest event the row's state comes from was recorded (UTC).
    #[serde(serialize_with = "crate::utc::serialize")]
    pub recorded_at: NaiveDateTime,
    /// Whether any of the recognition's events the row's state comes from (those dated
    /// up to `as_of` and recorded by `known_at`) was recorded late: its legal date more
    /// than one day before the date it was recorded on.
    pub recorded_late: bool,
    /// The GI's names protected in the territory on `as_of` (none unless `protected`).
    pub protected_names: Vec<String>,
    /// The names the protection leaves out, each with its reason.
    pub excluded_names: Vec<crate::domain::excluded_names::ExcludedName>,
}

/// The code of an office, of its jurisdiction or of a programme: the same few for every
/// row, shared rather than copied into each.
pub type Code = Arc<str>;

fn shared_text<S: serde::Serializer>(code: &Code, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(code)
}

/// Codes of offices and programmes, loaded once per export (and again should a row name
/// one created since).
#[derive(Default)]
struct Codes {
    offices: HashMap<i64, (Code, Code)>,
    programmes: HashMap<i64, Code>,
}

impl Codes {
    fn load(conn: &mut AnyConnection) -> Result<Self, AppError> {
        Ok(Self {
            offices: offices::table
                .select((offices::id, offices::code, offices::jurisdiction))
                .load::<(i64, String, String)>(conn)?
                .into_iter()
                .map(|(id, code, jurisdiction)| (id, (code.into(), jurisdiction.into())))
                .collect(),
            programmes: programmes::table
                .select((programmes::id, programmes::code))
                .load::<(i64, String)>(conn)?
                .into_iter()
                .map(|(id, code)| (id, code.into()))
                .collect(),
        })
    }

    fn knows(&self, r: &Listed) -> bool {
        self.programmes.contains_key(&r.programme_id)
            && self.offices.contains_key(&r.origin_office_id)
            && self.offices.contains_key(&r.partner_office_id)
    }

    fn office(&self, id: i64) -> (Code, Code) {
        self.offices.get(&id).cloned().unwrap_or_default()
    }

    fn programme(&self, id: i64) -> Code {
        self.programmes.get(&id).cloned().unwrap_or_default()
    }
}

/// What every batch of one list shares: which recognitions, and the date and moment
/// their rows are as of.
#[derive(Clone)]
pub struct ListSpec {
    filter: RecognitionFilter,
    status: Option<String>,
    as_of: NaiveDate,
    known_at: NaiveDateTime,
}

impl ListSpec {
    /// The list `query` asks for (None when a filter names nothing that exists).
    pub fn new(
        conn: &mut AnyConnection,
        query: &super::ExportQuery,
        as_of: NaiveDate,
        known_at: NaiveDateTime,
    ) -> Result<Option<Self>, AppError> {
        let filter = filter_of(
            conn,
            &RecognitionQuery {
                programme: query.programme.clone(),
                partner: query.partner.clone(),
                origin: query.origin.clone(),
                status: None,
                as_of: Some(as_of),
                known_at: None,
            },
        )?;
        Ok(filter.map(|filter| Self {
            filter,
            status: query.status.map(|s| s.as_str().to_string()),
            as_of,
            known_at,
        }))
    }
}

/// Where a list is in its reading: the next batch starts after `after_id`. Reading the
/// recognitions of a batch is cheap; making their rows ([`RowBuilder`]) is not, and
/// batches can be made on several connections at once.
pub struct RowCursor {
    spec: ListSpec,
    after_id: i64,
    pub finished: bool,
}

impl RowCursor {
    pub fn new(spec: ListSpec) -> Self {
        Self {
            spec,
            after_id: 0,
            finished: false,
        }
    }

    /// The recognitions of the next batch, in id order (fewer than `batch` once the
    /// list is finished).
    pub fn next_list(
        &mut self,
        conn: &mut AnyConnection,
        batch: i64,
    ) -> Result<Vec<Listed>, AppError> {
        let list = recognitions::list_listed(conn, &self.spec.filter, self.after_id, batch)?;
        if (list.len() as i64) < batch {
            self.finished = true;
        }
        if let Some(last) = list.last() {
            self.after_id = last.id;
        }
        Ok(list)
    }
}

/// Makes the rows of batches of one list, keeping the codes of offices and programmes
/// from batch to batch.
pub struct RowBuilder {
    spec: ListSpec,
    codes: Option<Codes>,
    shown: Arc<ShownGis>,
}

impl RowBuilder {
    /// A builder of `spec`'s rows, sharing the GIs' numbers and names with the others of
    /// the list.
    pub fn new(spec: ListSpec, shown: Arc<ShownGis>) -> Self {
        Self {
            spec,
            codes: None,
            shown,
        }
    }

    /// The rows of `list` (a batch from [`RowCursor::next_list`]) whose state on the
    /// date is known and has the status asked for, in the list's order.
    pub fn rows_of(
        &mut self,
        conn: &mut AnyConnection,
        list: &[Listed],
    ) -> Result<Vec<ExportRow>, AppError> {
        let (Some(first), Some(last)) = (list.first(), list.last()) else {
            return Ok(Vec::new());
        };
        let spec = &self.spec;
        let filter = &spec.filter;
        // Unfiltered, a batch is every recognition between its first and last id: a range
        // reads their events without a list of ids to bind.
        let unfiltered = filter.programme_id.is_none()
            && filter.partner_office_id.is_none()
            && filter.origin_office_id.is_none()
            && filter.status.is_none();
        let ids: Vec<i64>;
        let which = if unfiltered {
            RecognitionIds::Between(first.id, last.id)
        } else {
            ids = list.iter().map(|r| r.id).collect();
            RecognitionIds::Listed(&ids)
        };
        let details = events::recognition_details_until(conn, which, spec.as_of, spec.known_at)?;
        let mut by_recognition: HashMap<i64, (usize, usize)> = HashMap::with_capacity(list.len());
        let mut start = 0;
        while start < details.len() {
            let id = details[start].0;
            let end = start
                + details[start..]
                    .iter()
                    .take_while(|(e, ..)| *e == id)
                    .count();
            by_recognition.insert(id, (start, end));
            start = end;
        }
        // The rows whose state on the date is known and has the status asked for; only
        // their GIs and documents are read.
        let mut states = Vec::with_capacity(list.len());
        for r in list {
            let Some(&(start, end)) = by_recognition.get(&r.id) else {
                continue;
            };
            let events = &details[start..end];
            let Some(state) = state_of(events.iter().map(|(_, d, ..)| d.as_str())) else {
                continue;
            };
            if spec.status.as_ref().is_some_and(|s| *s != state.status) {
                continue;
            }
            let recorded_at = events.iter().map(|e| e.3).max().unwrap_or_default();
            let late = events.iter().any(|e| recorded_late(e.2, e.3));
            states.push((r, state, recorded_at, late));
        }
        if self
            .codes
            .as_ref()
            .is_none_or(|c| !list.iter().all(|r| c.knows(r)))
        {
            self.codes = Some(Codes::load(conn)?);
        }
        let codes = self.codes.as_ref().unwrap_or_else(|| unreachable!());
        let mut gi_ids: Vec<i64> = states.iter().map(|(r, ..)| r.gi_id).collect();
        gi_ids.sort_unstable();
        gi_ids.dedup();
        let shown = self.shown.of(conn, &gi_ids, spec.as_of, spec.known_at)?;
        let listed: Vec<i64> = states.iter().map(|(r, ..)| r.id).collect();
        let on_file_by = spec
            .as_of
            .succ_opt()
            .unwrap_or(spec.as_of)
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .min(crate::domain::known_at::last_instant(spec.known_at));
        let mut decision_documents: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, digest) in documents::decision_digests_of(conn, &listed, on_file_by)? {
            decision_documents.entry(id).or_default().push(digest);
        }
        let mut rows = Vec::with_capacity(states.len());
        for (r, state, recorded_at, late) in states {
            let (origin_office, origin_jurisdiction) = codes.office(r.origin_office_id);
            let (partner_office, partner_jurisdiction) = codes.office(r.partner_office_id);
            let gi = shown.get(&r.gi_id).cloned().unwrap_or_default();
            let names = gi.names();
            let protected_names = if state.status == "protected" {
                names
                    .iter()
                    .filter(|n| stays_protected(n.id, n.text, &state.excluded_names))
                    .map(|n| n.text.to_string())
                    .collect()
            } else {
                Vec::new()
            };
            rows.push(ExportRow {
                recognition_id: r.id,
                programme: codes.programme(r.programme_id),
                list_label: r.list_label.clone(),
                file_number: gi.file_number().map(str::to_string),
                registration_number: gi.registration_number().map(str::to_string),
                names,
                origin_office,
                origin_jurisdiction,
                partner_office,
                partner_jurisdiction,
                status: state.status,
                submitted_on: state.submitted_on,
                published_on: state.published_on,
                decided_on: state.decided_on,
                protected_from: state.protected_from,
                limitations: state.limitations,
                grounds: state.grounds,
                phase_out_until: state.phase_out_until,
                decision_documents: decision_documents.remove(&r.id).unwrap_or_default(),
                recorded_at,
                recorded_late: late,
                protected_names,
                excluded_names: state.excluded_names,
            });
        }
        Ok(rows)
    }
}
