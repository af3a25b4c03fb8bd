//! Terroir's own import formats (documented in `docs/import-format.md`):
//! JSON lines — one JSON object per line — and CSV with a header row. Both
//! carry the same fields; a CSV row is turned into the same JSON object as a
//! JSON line and then read by the same code, so the rules and the rejection
//! reasons are the same.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use super::row::{ImportRow, Rejected};
use crate::domain::gi::{GiName, GiType, NameKind, ProductType};
use crate::domain::gi_status::GiStatus;
use crate::domain::language_tags::canonical_language_tag;
use crate::domain::scripts::detect_script;

/// The fields of a record, in the documented order.
pub const FIELDS: &[&str] = &[
    "file_number",
    "origin_office",
    "origin_jurisdiction",
    "countries",
    "gi_type",
    "product_type",
    "product_class",
    "status",
    "names",
    "filed_on",
    "published_on",
    "registered_on",
    "legal_instrument",
    "area_description",
];

/// The fields of a name object.
pub const NAME_FIELDS: &[&str] = &["text", "lang", "script", "kind", "romanization"];

/// The CSV columns: [`FIELDS`] plus `name`, `name_lang`, `name_script` for one
/// original name without writing JSON. Only `file_number` is required in the header.
pub const CSV_COLUMNS: &[&str] = &[
    "file_number",
    "origin_office",
    "origin_jurisdiction",
    "countries",
    "gi_type",
    "product_type",
    "product_class",
    "status",
    "name",
    "name_lang",
    "name_script",
    "names",
    "filed_on",
    "published_on",
    "registered_on",
    "legal_instrument",
    "area_description",
];

/// Parses JSON lines: each non-blank line is one record; `line` is the 1-based
/// line number.
pub fn parse_json_lines(content: &str) -> (Vec<ImportRow>, Vec<Rejected>) {
    let content = content.strip_prefix('\u{FEFF}').unwrap_or(content);
    parse_json_lines_from(content, 1)
}

/// [`parse_json_lines`] of a piece of a file whose first line is line `first_line`.
pub fn parse_json_lines_from(content: &str, first_line: usize) -> (Vec<ImportRow>, Vec<Rejected>) {
    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    for (index, text) in content.lines().enumerate() {
        let line = index + first_line;
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let record = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            Ok(_) => {
                rejected.push(Rejected::new(line, None, "line: expected a JSON object"));
                continue;
            }
            Err(err) => {
                rejected.push(Rejected::new(
                    line,
                    None,
                    format!("line: invalid JSON: {err}"),
                ));
                continue;
            }
        };
        match map_record(line, &record) {
            Ok(row) => rows.push(row),
            Err(reason) => rejected.push(Rejected::new(line, file_number_of(&record), reason)),
        }
    }
    (rows, rejected)
}

/// Parses CSV (RFC 4180: `,` separated, `"` quoted, `""` for a quote inside
/// quotes, quoted fields may hold commas and line breaks; LF or CRLF). The first
/// record is the header (see [`CSV_COLUMNS`]); blank lines are skipped; `line`
/// is the 1-based line on which the record starts. A header problem or an
/// unterminated quote rejects the rest of the file at that line.
pub fn parse_csv(content: &str) -> (Vec<ImportRow>, Vec<Rejected>) {
    let content = content.strip_prefix('\u{FEFF}').unwrap_or(content);
    let (records, broken) = read_csv_records(content);
    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        rejected.extend(broken);
        return (rows, rejected);
    };
    let columns: Vec<String> = header.fields.iter().map(|c| c.trim().to_owned()).collect();
    if let Err(reason) = check_header(&columns) {
        rejected.push(Rejected::new(header.line, None, reason));
        return (rows, rejected);
    }
    for record in records {
        if record.fields.len() != columns.len() {
            rejected.push(Rejected::new(
                record.line,
                None,
                format!(
                    "line: expected {} fields as in the header, found {}",
                    columns.len(),
                    record.fields.len()
                ),
            ));
            continue;
        }
        let cells: Vec<(&str, &str)> = columns
            .iter()
            .map(String::as_str)
            .zip(record.fields.iter().map(String::as_str))
            .collect();
        let (object, has_name_columns) = match csv_object(&cells) {
            Ok(converted) => converted,
            Err(reason) => {
                let number = cell(&cells, "file_number");
                rejected.push(Rejected::new(record.line, number, reason));
                continue;
            }
        };
        match map_record(record.line, &object) {
            Ok(row) => rows.push(row),
            Err(reason) => rejected.push(Rejected::new(
                record.line,
                file_number_of(&object),
                csv_reason(&reason, has_name_columns),
            )),
        }
    }
    rejected.extend(broken);
    (rows, rejected)
}

/// One line of JSON in our format (no trailing newline): the row's fields in
/// the order of [`FIELDS`], absent options left out. `line` is not written.
/// Parsing the result gives the row back.
pub fn to_json_line(row: &ImportRow) -> String {
    #[derive(Serialize)]
    struct WireName<'a> {
        text: &'a str,
        lang: &'a str,
        script: &'a str,
        kind: NameKind,
        #[serde(skip_serializing_if = "Option::is_none")]
        romanization: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct WireRow<'a> {
        file_number: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        origin_office: Option<&'a str>,
        origin_jurisdiction: &'a str,
        countries: &'a [String],
        gi_type: GiType,
        product_type: ProductType,
        product_class: &'a str,
        status: GiStatus,
        names: Vec<WireName<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        filed_on: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        published_on: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        registered_on: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        legal_instrument: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        area_description: Option<&'a str>,
    }
    let wire = WireRow {
        file_number: &row.file_number,
        origin_office: row.origin_office.as_deref(),
        origin_jurisdiction: &row.origin_jurisdiction,
        countries: &row.countries,
        gi_type: row.gi_type,
        product_type: row.product_type,
        product_class: &row.product_class,
        status: row.status,
        names: row
            .names
            .iter()
            .map(|n| WireName {
                text: &n.text,
                lang: &n.lang,
                script: &n.script,
                kind: n.kind,
                romanization: n.romanization.as_deref(),
            })
            .collect(),
        filed_on: row.filed_on,
        published_on: row.published_on,
        registered_on: row.registered_on,
        legal_instrument: row.legal_instrument.as_deref(),
        area_description: row.area_description.as_deref(),
    };
    // Serialising plain strings, enums and dates cannot fail.
    serde_json::to_string(&wire).unwrap_or_default()
}

/// Reads one record (a JSON object) into a row, or says which field is wrong.
fn map_record(line: usize, record: &Map<String, Value>) -> Result<ImportRow, String> {
    if let Some(unknown) = record.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "{unknown}: unknown field (expected one of: {})",
            FIELDS.join(", ")
        ));
    }
    let file_number = string(record, "file_number")?
        .ok_or("file_number: missing")?
        .to_owned();
    let origin_office = string(record, "origin_office")?.map(str::to_owned);
    let declared_origin = string(record, "origin_jurisdiction")?;
    let mut countries = string_list(record, "countries")?;
    let origin_jurisdiction = match (declared_origin, countries.first()) {
        (Some(origin), _) => origin.to_owned(),
        (None, Some(first)) => first.clone(),
        (None, None) => {
            return Err(
                "origin_jurisdiction: missing (give origin_jurisdiction or countries)".to_owned(),
            )
        }
    };
    if countries.is_empty() {
        countries.push(origin_jurisdiction.clone());
    }
    match countries.iter().position(|c| *c == origin_jurisdiction) {
        Some(at) => {
            let origin = countries.remove(at);
            countries.insert(0, origin);
        }
        None => {
            return Err(format!(
                "countries: must include origin_jurisdiction `{origin_jurisdiction}`"
            ))
        }
    }
    let gi_type: GiType = enumeration(record, "gi_type")?;
    let product_type: ProductType = enumeration(record, "product_type")?;
    let status: GiStatus = enumeration(record, "status")?;
    let product_class = string(record, "product_class")?
        .ok_or("product_class: missing")?
        .to_owned();
    let names = names(record)?;
    let row = ImportRow {
        line,
        file_number,
        origin_jurisdiction,
        origin_office,
        countries,
        gi_type,
        product_type,
        product_class,
        names,
        status,
        filed_on: date(record, "filed_on")?,
        published_on: date(record, "published_on")?,
        registered_on: date(record, "registered_on")?,
        legal_instrument: string(record, "legal_instrument")?.map(str::to_owned),
        area_description: string(record, "area_description")?.map(str::to_owned),
    };
    row.validate()?;
    Ok(row)
}

/// The file number of a record, for the rejection report, if it is a string.
fn file_number_of(record: &Map<String, Value>) -> Option<&str> {
    record.get("file_number").and_then(Value::as_str)
}

/// A trimmed string field; `None` when absent, null or blank.
fn string<'a>(record: &'a Map<String, Value>, field: &str) -> Result<Option<&'a str>, String> {
    match record.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let s = s.trim();
            Ok((!s.is_empty()).then_some(s))
        }
        Some(_) => Err(format!("{field}: expected a string")),
    }
}

fn string_list(record: &Map<String, Value>, field: &str) -> Result<Vec<String>, String> {
    match record.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.trim().to_owned()),
                _ => Err(format!("{field}[{i}]: expected a string")),
            })
            .collect(),
        Some(_) => Err(format!("{field}: expected an array of strings")),
    }
}

/// A required field holding one of the wire strings of `T`.
fn enumeration<T>(record: &Map<String, Value>, field: &str) -> Result<T, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let value = string(record, field)?.ok_or_else(|| format!("{field}: missing"))?;
    value.parse().map_err(|err| format!("{field}: {err}"))
}

/// An ISO date `YYYY-MM-DD`, or none.
fn date(record: &Map<String, Value>, field: &str) -> Result<Option<NaiveDate>, String> {
    let Some(value) = string(record, field)? else {
        return Ok(None);
    };
    parse_iso_date(value)
        .map(Some)
        .ok_or_else(|| format!("{field}: `{value}` is not a date (expected YYYY-MM-DD)"))
}

fn parse_iso_date(value: &str) -> Option<NaiveDate> {
    let b = value.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    let year = value[0..4].parse().ok()?;
    let month = value[5..7].parse().ok()?;
    let day = value[8..10].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn names(record: &Map<String, Value>) -> Result<Vec<GiName>, String> {
    let items = match record.get("names") {
        None | Some(Value::Null) => return Err("names: missing".to_owned()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err("names: expected an array of name objects".to_owned()),
    };
    if items.is_empty() {
        return Err("names: at least one name of kind `original` is required".to_owned());
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| name(i, item))
        .collect()
}

fn name(i: usize, item: &Value) -> Result<GiName, String> {
    let Some(obj) = item.as_object() else {
        return Err(format!("names[{i}]: expected an object"));
    };
    if let Some(unknown) = obj.keys().find(|k| !NAME_FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "names[{i}].{unknown}: unknown field (expected one of: {})",
            NAME_FIELDS.join(", ")
        ));
    }
    let field = |f: &str| string(obj, f).map_err(|e| format!("names[{i}].{e}"));
    let text = field("text")?.ok_or_else(|| format!("names[{i}].text: missing"))?;
    let lang = field("lang")?.ok_or_else(|| format!("names[{i}].lang: missing"))?;
    let lang = canonical_language_tag(lang)
        .ok_or_else(|| format!("names[{i}].lang: `{lang}` is not a valid BCP-47 language tag"))?;
    let script = match field("script")? {
        Some(script) => script.to_owned(),
        None => detect_script(text).to_owned(),
    };
    let kind = field("kind")?
        .ok_or_else(|| format!("names[{i}].kind: missing"))?
        .parse::<NameKind>()
        .map_err(|err| format!("names[{i}].kind: {err}"))?;
    Ok(GiName {
        text: text.to_owned(),
        lang,
        script,
        kind,
        romanization: field("romanization")?.map(str::to_owned),
    })
}

// ---------------------------------------------------------------------------
// CSV

/// One CSV record and the line it starts on.
#[derive(Debug, PartialEq)]
pub(crate) struct CsvRecord {
    pub(crate) line: usize,
    pub(crate) fields: Vec<String>,
}

/// Splits CSV text into records. Records that are one empty, unquoted field
/// (blank lines) are skipped. A stray character after a closing quote or an
/// unterminated quote ends the reading with a rejection at the line where its
/// record started.
pub(crate) fn read_csv_records(content: &str) -> (Vec<CsvRecord>, Option<Rejected>) {
    let mut parser = CsvParser::default();
    let mut records = Vec::new();
    if let Err(broken) = parser.feed(content, &mut records) {
        return (records, Some(broken));
    }
    match parser.finish() {
        Ok(last) => records.extend(last),
        Err(broken) => return (records, Some(broken)),
    }
    (records, None)
}

/// [`read_csv_records`] a piece at a time, so that a file can be read without holding
/// it: the pieces fed one after the other give the records the whole text gives. A
/// piece must not end between the two characters of `""` or of CRLF (whole lines do
/// not).
#[derive(Debug)]
pub(crate) struct CsvParser {
    fields: Vec<String>,
    field: String,
    line: usize,
    record_line: usize,
    quoted: bool,
    in_quotes: bool,
}

impl Default for CsvParser {
    fn default() -> Self {
        Self {
            fields: Vec::new(),
            field: String::new(),
            line: 1,
            record_line: 1,
            quoted: false,
            in_quotes: false,
        }
    }
}

impl CsvParser {
    /// Reads `piece`, adding the records it ends to `records`; the rejection that ends
    /// the file (a stray character after a closing quote), if any.
    pub(crate) fn feed(
        &mut self,
        piece: &str,
        records: &mut Vec<CsvRecord>,
    ) -> Result<(), Rejected> {
        let mut chars = piece.chars().peekable();
        while let Some(ch) = chars.next() {
            if self.in_quotes {
                match ch {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        self.field.push('"');
                    }
                    '"' => self.in_quotes = false,
                    '\n' => {
                        self.line += 1;
                        self.field.push('\n');
                    }
                    _ => self.field.push(ch),
                }
                continue;
            }
            match ch {
                ',' => {
                    self.fields.push(std::mem::take(&mut self.field));
                    self.quoted = false;
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' | '\r' => {
                    self.fields.push(std::mem::take(&mut self.field));
                    let blank = self.fields.len() == 1 && self.fields[0].is_empty() && !self.quoted;
                    if blank {
                        self.fields.clear();
                    } else {
                        records.push(CsvRecord {
                            line: self.record_line,
                            fields: std::mem::take(&mut self.fields),
                        });
                    }
                    self.quoted = false;
                    self.line += 1;
                    self.record_line = self.line;
                }
                '"' if self.field.is_empty() && !self.quoted => {
                    self.in_quotes = true;
                    self.quoted = true;
                }
                _ if self.quoted => {
                    let reason = format!(
                        "line: unexpected `{ch}` after a closing quote on line {} \
                         (a quote inside a quoted field is written \"\")",
                        self.line
                    );
                    return Err(Rejected::new(self.record_line, None, reason));
                }
                _ => self.field.push(ch),
            }
        }
        Ok(())
    }

    /// The end of the text: its last record if no line break ended it, or the rejection
    /// of a quoted field left open.
    pub(crate) fn finish(mut self) -> Result<Option<CsvRecord>, Rejected> {
        if self.in_quotes {
            let reason = "line: quoted field not closed before the end of the file";
            return Err(Rejected::new(self.record_line, None, reason));
        }
        if !self.field.is_empty() || !self.fields.is_empty() || self.quoted {
            self.fields.push(self.field);
            return Ok(Some(CsvRecord {
                line: self.record_line,
                fields: self.fields,
            }));
        }
        Ok(None)
    }
}

fn check_header(columns: &[String]) -> Result<(), String> {
    for (i, column) in columns.iter().enumerate() {
        if !CSV_COLUMNS.contains(&column.as_str()) {
            return Err(format!(
                "header: unknown column `{column}` (expected some of: {})",
                CSV_COLUMNS.join(", ")
            ));
        }
        if columns[..i].contains(column) {
            return Err(format!("header: column `{column}` repeated"));
        }
    }
    if !columns.iter().any(|c| c == "file_number") {
        return Err("header: column `file_number` is required".to_owned());
    }
    Ok(())
}

/// The trimmed cell of `column`, when present and not blank.
fn cell<'a>(cells: &[(&str, &'a str)], column: &str) -> Option<&'a str> {
    cells
        .iter()
        .find(|(c, _)| *c == column)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// The JSON record of a CSV row, and whether the `name` columns gave a name
/// (it becomes `names[0]`, before those of the `names` column).
fn csv_object(cells: &[(&str, &str)]) -> Result<(Map<String, Value>, bool), String> {
    let mut object = Map::new();
    for (column, _) in cells {
        let Some(value) = cell(cells, column) else {
            continue;
        };
        match *column {
            "name" | "name_lang" | "name_script" | "names" => {}
            "countries" => {
                let list = value
                    .split(|c: char| c == ';' || c == ',' || c.is_whitespace())
                    .filter(|c| !c.is_empty())
                    .map(|c| Value::String(c.to_owned()))
                    .collect();
                object.insert("countries".to_owned(), Value::Array(list));
            }
            _ => {
                object.insert((*column).to_owned(), Value::String(value.to_owned()));
            }
        }
    }
    let mut names: Vec<Value> = Vec::new();
    let single = [
        ("name", "text"),
        ("name_lang", "lang"),
        ("name_script", "script"),
    ];
    let has_name_columns = single
        .iter()
        .any(|(column, _)| cell(cells, column).is_some());
    if has_name_columns {
        let mut name = Map::new();
        for (column, key) in single {
            if let Some(value) = cell(cells, column) {
                name.insert(key.to_owned(), Value::String(value.to_owned()));
            }
        }
        name.insert("kind".to_owned(), Value::String("original".to_owned()));
        names.push(Value::Object(name));
    }
    if let Some(json) = cell(cells, "names") {
        match serde_json::from_str::<Value>(json) {
            Ok(Value::Array(more)) => names.extend(more),
            Ok(_) => return Err("names: expected a JSON array of name objects".to_owned()),
            Err(err) => return Err(format!("names: invalid JSON: {err}")),
        }
    }
    if !names.is_empty() {
        object.insert("names".to_owned(), Value::Array(names));
    }
    Ok((object, has_name_columns))
}

/// A rejection reason in CSV terms: `names[0].…` of a row whose name came from
/// the `name` columns is that column (`names[0].lang` → `name_lang`), and the
/// other indexes are those of the `names` column.
fn csv_reason(reason: &str, has_name_columns: bool) -> String {
    if !has_name_columns {
        return reason.to_owned();
    }
    let Some(rest) = reason.strip_prefix("names[") else {
        return reason.to_owned();
    };
    let Some((index, tail)) = rest.split_once(']') else {
        return reason.to_owned();
    };
    let Ok(index) = index.parse::<usize>() else {
        return reason.to_owned();
    };
    if index > 0 {
        return format!("names[{}]{tail}", index - 1);
    }
    let (column, tail) = if let Some(t) = tail.strip_prefix(".text") {
        ("name", t)
    } else if let Some(t) = tail.strip_prefix(".lang") {
        ("name_lang", t)
    } else if let Some(t) = tail.strip_prefix(".script") {
        ("name_script", t)
    } else {
        ("name", tail)
    };
    format!("{column}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::row::tests::sample;

    const THREE_LINES: &str = r#"{"file_number": "CN-GI-2026-000123", "origin_office": "CNIPA", "origin_jurisdiction": "CN", "gi_type": "pdo", "product_type": "food", "product_class": "1.8", "status": "registered", "names": [{"text": "龙井茶", "lang": "zh", "script": "Hans", "kind": "original"}, {"text": "Longjing cha", "lang": "zh-Latn", "kind": "transliteration", "romanization": "pinyin"}], "registered_on": "2021-03-01", "area_description": "West Lake district, Hangzhou, Zhejiang"}

{"file_number": "TH-GI-2007-0001", "origin_office": "DIP", "origin_jurisdiction": "TH", "gi_type": "gi", "product_type": "food", "product_class": "1.6", "status": "registered", "names": [{"text": "ข้าวหอมมะลิทุ่งกุลาร้องไห้", "lang": "th", "kind": "original"}, {"text": "Khao Hom Mali Thung Kula Rong-Hai", "lang": "th-Latn", "kind": "transliteration", "romanization": "rtgs"}], "filed_on": "2005-11-01", "registered_on": "2007-04-05"}
{"file_number": "PGI-GR-01838", "countries": ["GR"], "gi_type": "gi", "product_type": "spirit", "product_class": "spirit.29", "status": "registered", "names": [{"text": "Ούζο Μυτιλήνης", "lang": "el", "kind": "original"}, {"text": "Ouzo of Mitilene", "lang": "el-Latn", "kind": "original"}], "registered_on": "2008-02-13", "legal_instrument": "Article 37 of Regulation (EU) No 2019/787"}
"#;

    #[test]
    fn three_good_lines() {
        let (rows, rejected) = parse_json_lines(THREE_LINES);
        assert!(rejected.is_empty(), "{rejected:#?}");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3, 4]);
        let longjing = &rows[0];
        assert_eq!(longjing.origin_office.as_deref(), Some("CNIPA"));
        assert_eq!(longjing.countries, ["CN"]);
        assert_eq!(longjing.names[1].script, "Latn"); // detected
        assert_eq!(longjing.names[1].romanization.as_deref(), Some("pinyin"));
        assert_eq!(rows[1].names[0].script, "Thai");
        let ouzo = &rows[2];
        assert_eq!(ouzo.origin_jurisdiction, "GR"); // from countries
        assert_eq!(ouzo.origin_office, None);
        assert_eq!(ouzo.names[0].script, "Grek");
    }

    #[test]
    fn bad_lines_are_rejected_with_line_and_field_and_the_rest_imports() {
        let mut lines: Vec<String> = THREE_LINES
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        lines.insert(
            1,
            lines[0]
                .replace("2021-03-01", "2021-02-30")
                .replace("000123", "000124"),
        );
        lines.insert(
            2,
            lines[0]
                .replace("\"pdo\"", "\"trademark\"")
                .replace("000123", "000125"),
        );
        let (rows, rejected) = parse_json_lines(&lines.join("\n"));
        assert_eq!(rows.len(), 3);
        assert_eq!(rejected.len(), 2, "{rejected:#?}");
        assert_eq!(rejected[0].line, 2);
        assert!(rejected[0]
            .reason
            .starts_with("registered_on: `2021-02-30` is not a date"));
        assert_eq!(
            rejected[0].file_number.as_deref(),
            Some("CN-GI-2026-000124")
        );
        assert_eq!(rejected[1].line, 3);
        assert!(
            rejected[1]
                .reason
                .starts_with("gi_type: unknown GI type `trademark`"),
            "{}",
            rejected[1].reason
        );
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 4, 5]);
    }

    #[test]
    fn every_validation_rule_names_the_field() {
        let base: Value = match serde_json::from_str(THREE_LINES.lines().next().unwrap_or("")) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        let cases: Vec<(&str, Value, &str)> = vec![
            ("gi_type", "PDO".into(), "gi_type: unknown GI type `PDO`"),
            ("product_type", "beer".into(), "product_type:"),
            ("status", "approved".into(), "status:"),
            (
                "status",
                "draft".into(),
                "status: `draft` cannot be imported",
            ),
            (
                "product_class",
                "1.9".into(),
                "product_class: unknown product class `1.9`",
            ),
            (
                "product_class",
                "wine".into(),
                "product_class: `wine` is not a class",
            ),
            ("filed_on", "2021-3-1".into(), "filed_on:"),
            ("published_on", "01/03/2021".into(), "published_on:"),
            ("file_number", " ".into(), "file_number: missing"),
            ("file_number", 7.into(), "file_number: expected a string"),
            ("origin_office", "cnipa".into(), "origin_office:"),
            ("origin_jurisdiction", "ZZ".into(), "origin_jurisdiction:"),
            (
                "countries",
                serde_json::json!(["TH"]),
                "countries: must include origin_jurisdiction `CN`",
            ),
            ("countries", "CN".into(), "countries: expected an array"),
            (
                "legal_instrument",
                "x".repeat(1001).into(),
                "legal_instrument:",
            ),
            ("colour", "green".into(), "colour: unknown field"),
            ("names", serde_json::json!([]), "names: at least one"),
            ("names", serde_json::json!({}), "names: expected an array"),
            (
                "names",
                serde_json::json!([{"text": "x", "lang": "zh", "kind": "synonym"}]),
                "names: at least one name of kind `original`",
            ),
            (
                "names",
                serde_json::json!([{"text": "x", "lang": "chinese", "kind": "original"}]),
                "names[0].lang: `chinese` is not a valid BCP-47",
            ),
            (
                "names",
                serde_json::json!([{"text": "x", "lang": "zh", "script": "hans", "kind": "original"}]),
                "names[0].script: `hans` is not an ISO 15924",
            ),
            (
                "names",
                serde_json::json!([{"text": "x", "lang": "zh", "kind": "nickname"}]),
                "names[0].kind: unknown name kind",
            ),
            (
                "names",
                serde_json::json!([{"text": "x".repeat(301), "lang": "zh", "kind": "original"}]),
                "names[0].text: longer than 300",
            ),
            (
                "names",
                serde_json::json!([{"text": "", "lang": "zh", "kind": "original"}]),
                "names[0].text: missing",
            ),
            (
                "names",
                serde_json::json!([{"lang": "zh", "kind": "original"}]),
                "names[0].text: missing",
            ),
            (
                "names",
                serde_json::json!([{"text": "x", "kind": "original"}]),
                "names[0].lang: missing",
            ),
            (
                "names",
                serde_json::json!([{"text": "x", "lang": "zh", "kind": "original", "note": 1}]),
                "names[0].note: unknown field",
            ),
            (
                "names",
                serde_json::json!(["龙井茶"]),
                "names[0]: expected an object",
            ),
        ];
        for (field, value, want) in cases {
            let mut record = base.clone();
            record[field] = value;
            let (rows, rejected) = parse_json_lines(&record.to_string());
            assert!(rows.is_empty(), "{field}");
            assert_eq!(rejected.len(), 1);
            assert_eq!(rejected[0].line, 1);
            assert!(
                rejected[0].reason.starts_with(want),
                "{} / {want}",
                rejected[0].reason
            );
        }
        let mut record = base.clone();
        if let Some(obj) = record.as_object_mut() {
            obj.remove("gi_type");
        }
        let (_, rejected) = parse_json_lines(&record.to_string());
        assert_eq!(rejected[0].reason, "gi_type: missing");
    }

    #[test]
    fn lines_that_are_not_objects() {
        let (rows, rejected) = parse_json_lines("[1]\n{\"file_number\": \n  \n\"x\"");
        assert!(rows.is_empty());
        let got: Vec<(usize, &str)> = rejected
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0], (1, "line: expected a JSON object"));
        assert_eq!(got[1].0, 2);
        assert!(got[1].1.starts_with("line: invalid JSON"));
        assert_eq!(got[2].0, 4);
    }

    #[test]
    fn language_tags_are_stored_in_canonical_case() {
        let line = THREE_LINES
            .lines()
            .next()
            .unwrap_or("")
            .replace("zh-Latn", "ZH-latn");
        let (rows, _) = parse_json_lines(&line);
        assert_eq!(rows[0].names[1].lang, "zh-Latn");
    }

    #[test]
    fn round_trip_through_json_lines() {
        let row = sample();
        let line = to_json_line(&row);
        assert!(!line.contains('\n'));
        assert!(
            line.starts_with("{\"file_number\":\"CN-GI-2026-000123\",\"origin_office\":\"CNIPA\"")
        );
        assert!(!line.contains("null"), "{line}");
        let (rows, rejected) = parse_json_lines(&line);
        assert!(rejected.is_empty(), "{rejected:#?}");
        assert_eq!(rows, [row]);
        // And every row of the three-line example.
        let (rows, _) = parse_json_lines(THREE_LINES);
        let again: Vec<String> = rows.iter().map(to_json_line).collect();
        let (back, rejected) = parse_json_lines(&again.join("\n"));
        assert!(rejected.is_empty());
        for (a, b) in rows.iter().zip(&back) {
            assert_eq!(
                ImportRow {
                    line: 0,
                    ..a.clone()
                },
                ImportRow {
                    line: 0,
                    ..b.clone()
                }
            );
        }
    }

    const CSV: &str = "file_number,origin_office,origin_jurisdiction,countries,gi_type,product_type,product_class,status,name,name_lang,name_script,names,filed_on,registered_on,area_description\r\n\
CN-GI-2026-000123,CNIPA,CN,,pdo,food,1.8,registered,龙井茶,zh,Hans,\"[{\"\"text\"\": \"\"Longjing cha\"\", \"\"lang\"\": \"\"zh-Latn\"\", \"\"kind\"\": \"\"transliteration\"\", \"\"romanization\"\": \"\"pinyin\"\"}]\",,2021-03-01,\"West Lake district, Hangzhou, Zhejiang\"\r\n\
\r\n\
PGI-NL+BE+DE-01994,,,NL;BE;DE,pgi,food,2.3,registered,\"Pain d'épices, \"\"Honigkuchen\"\"\",und,,,,,\"Two lines:\nsecond line\"\r\n\
PGI-FR-0001,,FR,,pgi,wine,wine,registered,Côtes du Rhône,fr,,,2020-13-01,,\r\n";

    #[test]
    fn csv_with_quotes_commas_and_line_breaks() {
        let (rows, rejected) = parse_csv(CSV);
        assert_eq!(rows.len(), 2, "{rejected:#?}");
        let longjing = &rows[0];
        assert_eq!(longjing.line, 2);
        assert_eq!(longjing.names.len(), 2);
        assert_eq!(longjing.names[0].text, "龙井茶");
        assert_eq!(longjing.names[0].kind, NameKind::Original);
        assert_eq!(longjing.names[1].romanization.as_deref(), Some("pinyin"));
        assert_eq!(
            longjing.area_description.as_deref(),
            Some("West Lake district, Hangzhou, Zhejiang")
        );
        let several = &rows[1];
        assert_eq!(several.line, 4);
        assert_eq!(several.file_number, "PGI-NL+BE+DE-01994");
        assert_eq!(several.countries, ["NL", "BE", "DE"]);
        assert_eq!(several.origin_jurisdiction, "NL");
        assert_eq!(several.names[0].text, "Pain d'épices, \"Honigkuchen\"");
        assert_eq!(several.names[0].script, "Latn");
        assert_eq!(
            several.area_description.as_deref(),
            Some("Two lines:\nsecond line")
        );
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].line, 6);
        assert!(
            rejected[0].reason.starts_with("filed_on: `2020-13-01`"),
            "{}",
            rejected[0].reason
        );
        assert_eq!(rejected[0].file_number.as_deref(), Some("PGI-FR-0001"));
    }

    #[test]
    fn csv_reasons_name_the_csv_columns() {
        let header = "file_number,origin_jurisdiction,gi_type,product_type,product_class,status,name,name_lang,name_script,names\n";
        let body = "\
A-1,IT,pdo,food,1.3,registered,Parmigiano,italian,,\n\
A-2,IT,pdo,food,1.3,registered,Parmigiano,it,latn,\n\
A-3,IT,pdo,food,1.3,registered,,it,,\n\
A-4,IT,pdo,food,1.3,registered,Parmigiano,it,,\"[{\"\"text\"\": \"\"Parmesan\"\", \"\"lang\"\": \"\"en\"\", \"\"kind\"\": \"\"alias\"\"}]\"\n\
A-5,IT,pdo,food,1.3,registered,Parmigiano,it,,[oops\n\
A-6,IT,pdo,food,1.3,registered,,,,\n\
A-7,IT,pdo,food,1.3\n";
        let (rows, rejected) = parse_csv(&format!("{header}{body}"));
        assert!(rows.is_empty());
        let want = [
            (2, "name_lang: `italian`"),
            (3, "name_script: `latn`"),
            (4, "name: missing"),
            (5, "names[0].kind: unknown name kind `alias`"),
            (6, "names: invalid JSON"),
            (7, "names: missing"),
            (8, "line: expected 10 fields as in the header, found 5"),
        ];
        assert_eq!(rejected.len(), want.len(), "{rejected:#?}");
        for (r, (line, reason)) in rejected.iter().zip(want) {
            assert_eq!(r.line, line);
            assert!(r.reason.starts_with(reason), "{} / {reason}", r.reason);
        }
    }

    #[test]
    fn csv_read_a_line_at_a_time_gives_what_the_whole_text_gives() {
        for text in [
            "a,b\r\n\"x\ny\",\"\"\"q\"\"\"\n\n,\nlast",
            "h\n\"open,\nstill\n",
            "h\n\"closed\"x,1\nnext\n",
            "h\nplain \" quote,2\n\n\n\"a\r\nb\"\r\nend\r\n",
        ] {
            let mut parser = CsvParser::default();
            let mut records = Vec::new();
            let mut broken = None;
            for line in text.split_inclusive('\n') {
                if let Err(b) = parser.feed(line, &mut records) {
                    broken = Some(b);
                    break;
                }
            }
            if broken.is_none() {
                match parser.finish() {
                    Ok(last) => records.extend(last),
                    Err(b) => broken = Some(b),
                }
            }
            assert_eq!((records, broken), read_csv_records(text), "{text:?}");
        }
    }

    #[test]
    fn csv_header_and_quote_errors() {
        let (rows, rejected) = parse_csv("file_number,colour\nA-1,green\n");
        assert!(rows.is_empty());
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].line, 1);
        assert!(rejected[0]
            .reason
            .starts_with("header: unknown column `colour`"));

        let (_, rejected) = parse_csv("gi_type\npdo\n");
        assert!(rejected[0]
            .reason
            .starts_with("header: column `file_number` is required"));
        let (_, rejected) = parse_csv("file_number,file_number\n");
        assert!(rejected[0].reason.contains("repeated"));

        let good = "file_number,origin_jurisdiction,gi_type,product_type,product_class,status,name,name_lang\nA-1,IT,pdo,food,1.3,registered,Parmigiano,it\n";
        let (rows, rejected) = parse_csv(&format!(
            "{good}A-2,IT,pdo,food,1.3,registered,\"Grana,it\n"
        ));
        assert_eq!(rows.len(), 1);
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].line, 3);
        assert!(rejected[0].reason.contains("not closed"));
        let (rows, rejected) = parse_csv(&format!("{good}A-2,IT,pdo,food,1.3,registered,\"Grana\"x,it\nA-3,IT,pdo,food,1.3,registered,Grana,it\n"));
        assert_eq!(rows.len(), 1);
        assert_eq!(rejected[0].line, 3);
        assert!(rejected[0].reason.contains("after a closing quote"));
        assert_eq!(parse_csv(""), (Vec::new(), Vec::new()));
    }

    #[test]
    fn csv_records() {
        let (records, broken) = read_csv_records("a,b\r\n\"x\ny\",\"\"\"q\"\"\"\n\n,\nlast");
        assert!(broken.is_none());
        let got: Vec<(usize, Vec<&str>)> = records
            .iter()
            .map(|r| (r.line, r.fields.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            got,
            [
                (1, vec!["a", "b"]),
                (2, vec!["x\ny", "\"q\""]),
                (5, vec!["", ""]),
                (6, vec!["last"]),
            ]
        );
    }

    /// The code block of `docs/import-format.md` that starts with ```` ```{tag} ````.
    fn doc_block(tag: &str) -> String {
        let doc = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/import-format.md"
        ));
        let start = doc
            .find(&format!("```{tag}\n"))
            .unwrap_or_else(|| panic!("no {tag} block"));
        let body = &doc[start + tag.len() + 4..];
        let end = body.find("```").expect("closed block");
        body[..end].to_owned()
    }

    #[test]
    fn the_documented_examples_import() {
        let jsonl = doc_block("jsonl");
        assert_eq!(
            crate::import::detect_format(&jsonl),
            crate::import::Format::JsonLines
        );
        let (rows, rejected) = parse_json_lines(&jsonl);
        assert!(rejected.is_empty(), "{rejected:#?}");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].names[0].text, "龙井茶");
        assert_eq!(rows[0].names[1].romanization.as_deref(), Some("pinyin"));
        assert_eq!(rows[1].names[0].script, "Thai");
        assert_eq!(rows[1].names[1].romanization.as_deref(), Some("rtgs"));
        assert_eq!(rows[2].names[0].script, "Grek");
        assert_eq!(rows[2].names[1].script, "Latn");
        for row in &rows {
            let (back, _) = parse_json_lines(&to_json_line(row));
            assert_eq!(back[0].file_number, row.file_number);
        }

        let csv = doc_block("csv");
        assert_eq!(
            crate::import::detect_format(&csv),
            crate::import::Format::Csv
        );
        let (rows, rejected) = parse_csv(&csv);
        assert!(rejected.is_empty(), "{rejected:#?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].names.len(), 2);
        assert_eq!(rows[1].countries, ["NL", "BE", "DE"]);
        assert_eq!(rows[1].names.len(), 3);
        assert_eq!(rows[1].names[0].lang, "fr");
    }

    #[test]
    fn iso_dates_are_strict() {
        assert_eq!(
            parse_iso_date("2021-03-01"),
            NaiveDate::from_ymd_opt(2021, 3, 1)
        );
        for bad in [
            "2021-3-01",
            "2021-02-29",
            "21-03-01",
            "2021/03/01",
            "2021-03-01T00:00",
            "+021-03-01",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }
}
