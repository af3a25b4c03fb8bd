//! The rows of a recognition list as of a date, read in batches.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::db::AnyConnection;
use crate::error::AppError;
use crate::registry::protection::{filter_of, states_as_of, RecognitionQuery};
use crate::registry::recognition_views::Names;
use crate::store::gis;
use crate::store::recognitions::{self, RecognitionFilter};

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
    pub programme: String,
    pub list_label: Option<String>,
    pub file_number: Option<String>,
    pub registration_number: Option<String>,
    pub names: Vec<ExportName>,
    pub origin_office: String,
    pub origin_jurisdiction: String,
    pub partner_office: String,
    pub partner_jurisdiction: String,
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
}

/// Where a list is in its reading: the next batch starts after `after_id`.
pub struct RowCursor {
    filter: Option<RecognitionFilter>,
    status: Option<String>,
    as_of: NaiveDate,
    after_id: i64,
    pub finished: bool,
}

impl RowCursor {
    pub fn new(
        conn: &mut AnyConnection,
        query: &super::ExportQuery,
        as_of: NaiveDate,
    ) -> Result<Self, AppError> {
        let filter = filter_of(
            conn,
            &RecognitionQuery {
                programme: query.programme.clone(),
                partner: query.partner.clone(),
                origin: query.origin.clone(),
                status: None,
                as_of: Some(as_of),
            },
        )?;
        Ok(Self {
            finished: filter.is_none(),
            filter,
            status: query.status.map(|s| s.as_str().to_string()),
            as_of,
            after_id: 0,
        })
    }

    /// The next rows (possibly none while more remain, when a batch matched nothing).
    pub fn next_batch(
        &mut self,
        conn: &mut AnyConnection,
        batch: i64,
    ) -> Result<Vec<ExportRow>, AppError> {
        let Some(filter) = &self.filter else {
            self.finished = true;
            return Ok(Vec::new());
        };
        let list = recognitions::list(conn, filter, self.after_id, batch)?;
        if (list.len() as i64) < batch {
            self.finished = true;
        }
        let Some(last) = list.last() else {
            return Ok(Vec::new());
        };
        self.after_id = last.id;
        let states = states_as_of(conn, &list, self.as_of)?;
        let names = Names::load(conn)?;
        let gi_ids: Vec<i64> = list.iter().map(|r| r.gi_id).collect();
        let mut gi_names: HashMap<i64, Vec<ExportName>> = HashMap::new();
        for n in gis::names_of(conn, &gi_ids)? {
            gi_names.entry(n.gi_id).or_default().push(ExportName {
                text: n.text,
                script: n.script,
                lang: n.lang,
                kind: n.kind,
            });
        }
        let numbers = gis::numbers_of(conn, &gi_ids)?;
        let mut rows = Vec::new();
        for (r, state) in list.iter().zip(states) {
            let Some(state) = state else { continue };
            if self.status.as_ref().is_some_and(|s| *s != state.status) {
                continue;
            }
            let (origin_office, origin_jurisdiction) = names.office(r.origin_office_id);
            let (partner_office, partner_jurisdiction) = names.office(r.partner_office_id);
            // Numbers as they stood on the date: a registration after it is not shown.
            let known = numbers.get(&r.gi_id).cloned().unwrap_or_default();
            let on_date = |number: Option<String>, since: Option<NaiveDate>| {
                number.filter(|_| since.is_none_or(|d| d <= self.as_of))
            };
            let file_number = on_date(known.file_number, known.filed_on);
            let registration_number = on_date(known.registration_number, known.registered_on);
            rows.push(ExportRow {
                recognition_id: r.id,
                programme: names.programme(r.programme_id),
                list_label: r.list_label.clone(),
                file_number,
                registration_number,
                names: gi_names.get(&r.gi_id).cloned().unwrap_or_default(),
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
            });
        }
        Ok(rows)
    }
}
