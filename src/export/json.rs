//! One JSON document: `{"query": …, "as_of": …, "rows": [ … ]}`, written in pieces so it
//! can stream. Keys are in a fixed order, so the same rows give the same bytes.

use chrono::NaiveDate;
use serde_json::Value;

use super::rows::ExportRow;
use crate::audit::chain::canonical_json;

pub fn opening(query: &Value, as_of: NaiveDate) -> String {
    format!(
        "{{\"query\":{},\"as_of\":\"{as_of}\",\"rows\":[",
        canonical_json(query)
    )
}

/// A row, preceded by a comma unless it is the first.
pub fn row(row: &ExportRow, first: bool) -> String {
    let body = serde_json::to_string(row).unwrap_or_else(|_| "null".into());
    if first {
        body
    } else {
        format!(",{body}")
    }
}

pub fn closing() -> &'static str {
    "]}"
}
