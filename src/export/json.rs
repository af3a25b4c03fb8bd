//! One JSON document: `{"query": …, "as_of": …, "rows": [ … ]}`, written in pieces so it
//! can stream. Keys are in a fixed order, so the same rows give the same bytes.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;

use super::rows::ExportRow;
use super::Layout;
use crate::audit::chain::canonical_json;

/// The JSON export: the query as recorded, the date it is as of, and the rows.
// For the OpenAPI document only: the functions below write this shape piece by piece.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ExportDocument {
    /// The query as recorded: every filter (null when not given), `as_of` resolved.
    query: super::ExportQuery,
    as_of: NaiveDate,
    /// The moment the list is as known at (UTC).
    known_at: String,
    /// In recognition id order.
    rows: Vec<ExportRow>,
}

/// An xlsx workbook: the rows on the first sheet, the query on the second.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct Workbook(Vec<u8>);

pub fn opening(query: &Value, as_of: NaiveDate, known_at: NaiveDateTime) -> String {
    format!(
        "{{\"query\":{},\"as_of\":\"{as_of}\",\"known_at\":\"{}\",\"rows\":[",
        canonical_json(query),
        crate::utc::format(known_at)
    )
}

/// A row, preceded by a comma unless it is the first.
pub fn row(row: &ExportRow, first: bool, layout: Layout) -> String {
    let mut body = serde_json::to_string(row).unwrap_or_else(|_| "null".into());
    if !layout.has_name_columns() {
        // The name fields come last; a quote inside a value is escaped, so this key is
        // the field's own.
        if let Some(at) = body.find(",\"protected_names\":") {
            body.truncate(at);
            body.push('}');
        }
    }
    if first {
        body
    } else {
        format!(",{body}")
    }
}

/// The rows as members of the `rows` array, each preceded by a comma (the writer drops
/// the first row's).
pub fn members(rows: &[ExportRow], layout: Layout) -> String {
    rows.iter().map(|r| row(r, false, layout)).collect()
}

pub fn closing() -> &'static str {
    "]}"
}
