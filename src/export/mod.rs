//! Recognition lists for auditors: the same query with the same `as_of` gives the same
//! bytes, whatever was written since for later dates. Rows come in recognition id order
//! (the order of submission), read in batches so that a list of any length is written out
//! with bounded memory, then signed and sent.

pub mod csv;
pub mod issue;
pub mod json;
pub mod read_ahead;
pub mod replay;
pub mod rows;
pub mod session;
pub mod shown_gi;
pub mod shown_gis;
pub mod spool;
pub mod states;
#[cfg(test)]
mod tests;
pub mod xlsx;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::recognition_status::RecognitionStatus;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
    Xlsx,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Json => "application/json",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "csv" => Ok(Self::Csv),
            "json" => Ok(Self::Json),
            "xlsx" => Ok(Self::Xlsx),
            other => Err(format!(
                "unknown export format {other:?} (expected csv, json or xlsx)"
            )),
        }
    }
}

/// The columns an export has, by the version they came in: a replay writes the columns
/// its export was made with, so that its bytes stay the same when columns are added.
/// Version 1 (no `layout` in the recorded query) ends with `recorded_late`; version 2
/// adds `protected_names` and `excluded_names`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Layout(pub u64);

impl Layout {
    pub const FIRST: Layout = Layout(1);
    pub const CURRENT: Layout = Layout(2);

    /// The layout a recorded query names (the first when it names none).
    pub fn of_recorded(recorded: &serde_json::Value) -> Layout {
        recorded
            .get("layout")
            .and_then(serde_json::Value::as_u64)
            .map_or(Layout::FIRST, Layout)
    }

    pub fn has_name_columns(self) -> bool {
        self >= Layout(2)
    }

    /// The column names of this layout.
    pub fn columns(self) -> &'static [&'static str] {
        if self.has_name_columns() {
            &csv::COLUMNS
        } else {
            &csv::COLUMNS[..21]
        }
    }
}

/// What to export. Echoed in the JSON export, on the xlsx's second sheet and in the
/// audit entry.
#[derive(Clone, Debug, Deserialize, Serialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    pub format: ExportFormat,
    /// The programme's code.
    pub programme: Option<String>,
    /// The partner office's code.
    pub partner: Option<String>,
    /// The origin office's code.
    pub origin: Option<String>,
    /// The status on `as_of`.
    pub status: Option<RecognitionStatus>,
    /// The date the list is as of (default today: the local date of the caller's office,
    /// else of the partner or origin office named, else UTC; not a future date).
    pub as_of: Option<NaiveDate>,
    /// The moment the list is as known at (RFC 3339; default: now, not later): only
    /// events recorded at or before it count. Recorded in the export, so that a replay
    /// gives the same bytes whatever was recorded since.
    #[param(value_type = Option<String>, format = DateTime)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub known_at: Option<DateTime<Utc>>,
    /// CSV: start with a UTF-8 byte-order mark, so that spreadsheet programs show
    /// Chinese and Thai names right. `true` is for CSV only; `false` suits every format.
    pub bom: Option<bool>,
}

impl ExportQuery {
    /// The query as recorded: every filter, `as_of` and `known_at` resolved.
    pub fn recorded(
        &self,
        as_of: NaiveDate,
        known_at: NaiveDateTime,
        layout: Layout,
    ) -> serde_json::Value {
        let mut recorded = serde_json::json!({
            "format": self.format.as_str(),
            "programme": self.programme,
            "partner": self.partner,
            "origin": self.origin,
            "status": self.status.map(|s| s.as_str()),
            "as_of": as_of,
            "known_at": crate::utc::format(known_at),
            "bom": self.bom.unwrap_or(false),
        });
        // The first layout's records carry no layout, and their replays must not either.
        if layout != Layout::FIRST {
            recorded["layout"] = serde_json::json!(layout.0);
        }
        recorded
    }
}
