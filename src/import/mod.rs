//! `terroir import FILE` (DESIGN §6): reading register files into
//! [`ImportRow`]s — pure parsing and mapping — and [`load`]ing them into the database.
//!
//! Three formats, told apart by their first non-blank character
//! ([`detect_format`]) or named by `--format` ([`Format::from_str`]):
//! - the EU register snapshot, a JSON array ([`eu_register`]);
//! - our own JSON lines and CSV ([`lines`], documented in `docs/import-format.md`).
//!
//! Every record comes out either as a row or as a [`Rejected`] with its line
//! and a reason that names the field; a bad record never stops the others.
//! File numbers are the idempotency key: a file number seen twice in one file
//! is rejected the second time.

pub mod eu_register;
pub mod lines;
pub mod load;
pub mod partner;
pub mod row;
pub mod stream;
pub mod trademarks;

use std::collections::HashMap;
use std::io::BufRead;
use std::str::FromStr;

pub use eu_register::parse_eu_register;
pub use lines::{parse_csv, parse_json_lines, to_json_line};
pub use row::{ImportRow, Rejected};

/// A register file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The EU register snapshot: a JSON array of `EA_*` entries.
    EuRegister,
    /// One JSON object per line.
    JsonLines,
    /// CSV with a header row.
    Csv,
}

impl Format {
    /// Every format.
    pub const ALL: &'static [Format] = &[Format::EuRegister, Format::JsonLines, Format::Csv];

    /// The name `--format` takes: `eu-register`, `jsonl`, `csv`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::EuRegister => "eu-register",
            Format::JsonLines => "jsonl",
            Format::Csv => "csv",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    /// `eu-register` (or `eu`), `jsonl` (or `json-lines`, `ndjson`), `csv`;
    /// case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "eu-register" | "eu" | "eu_register" => Ok(Format::EuRegister),
            "jsonl" | "json-lines" | "json_lines" | "ndjson" => Ok(Format::JsonLines),
            "csv" => Ok(Format::Csv),
            _ => Err(format!(
                "unknown import format `{s}` (expected eu-register, jsonl or csv)"
            )),
        }
    }
}

/// The format of `content` from its first non-blank character (after a byte
/// order mark): `[` → EU register, `{` → JSON lines, anything else → CSV.
pub fn detect_format(content: &str) -> Format {
    let start = content
        .trim_start_matches('\u{FEFF}')
        .trim_start()
        .chars()
        .next();
    match start {
        Some('[') => Format::EuRegister,
        Some('{') => Format::JsonLines,
        _ => Format::Csv,
    }
}

/// Parses `content` as `format`: the rows, and the records that were rejected
/// (ordered by line). A file number that repeats one of an earlier row is
/// rejected (`file_number: … repeated`).
pub fn parse(content: &str, format: Format) -> (Vec<ImportRow>, Vec<Rejected>) {
    let (rows, mut rejected) = match format {
        Format::EuRegister => parse_eu_register(content),
        Format::JsonLines => parse_json_lines(content),
        Format::Csv => parse_csv(content),
    };
    let mut first_line: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    let mut unique = Vec::with_capacity(rows.len());
    for row in rows {
        match first_line.get(&row.file_number) {
            Some(first) => rejected.push(Rejected::new(
                row.line,
                Some(&row.file_number),
                format!(
                    "file_number: `{}` repeated (first on line {first})",
                    row.file_number
                ),
            )),
            None => {
                first_line.insert(row.file_number.clone(), row.line);
                unique.push(row);
            }
        }
    }
    rejected.sort_by_key(|r| r.line);
    (unique, rejected)
}

/// Reads everything from `reader` (UTF-8) and parses it, in `format` or, when
/// `None`, in the format [`detect_format`] finds.
///
/// # Errors
/// The reader's I/O error, or `InvalidData` when the content is not UTF-8.
pub fn parse_reader(
    mut reader: impl BufRead,
    format: Option<Format>,
) -> std::io::Result<(Format, Vec<ImportRow>, Vec<Rejected>)> {
    let mut content = String::new();
    reader.read_to_string(&mut content)?;
    let format = format.unwrap_or_else(|| detect_format(&content));
    let (rows, rejected) = parse(&content, format);
    Ok((format, rows, rejected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_from_the_first_character() {
        assert_eq!(detect_format("[{\"EA_Name\": \"x\"}]"), Format::EuRegister);
        assert_eq!(detect_format("\u{FEFF}\n  [ ]"), Format::EuRegister);
        assert_eq!(
            detect_format("{\"file_number\": \"x\"}\n"),
            Format::JsonLines
        );
        assert_eq!(detect_format("\n\n{}"), Format::JsonLines);
        assert_eq!(detect_format("file_number,gi_type\n"), Format::Csv);
        assert_eq!(detect_format(""), Format::Csv);
    }

    #[test]
    fn format_names() {
        for &format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>(), Ok(format));
            assert_eq!(format.to_string(), format.as_str());
        }
        assert_eq!("NDJSON".parse::<Format>(), Ok(Format::JsonLines));
        assert_eq!("eu".parse::<Format>(), Ok(Format::EuRegister));
        assert!("xlsx".parse::<Format>().unwrap_err().contains("`xlsx`"));
    }

    #[test]
    fn a_repeated_file_number_is_rejected_after_the_first() {
        let row = row::tests::sample();
        let line = to_json_line(&row);
        let mut other = row.clone();
        other.file_number = "CN-GI-2026-000999".to_owned();
        let content = format!("{line}\n{}\n{line}\n", to_json_line(&other));
        let (rows, rejected) = parse(&content, detect_format(&content));
        assert_eq!(rows.len(), 2);
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].line, 3);
        assert_eq!(
            rejected[0].reason,
            "file_number: `CN-GI-2026-000123` repeated (first on line 1)"
        );
    }

    #[test]
    fn the_real_register_through_the_front_door() {
        let content = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/datasets/eu-gi-register-2020.json"
        ));
        let (format, rows, rejected) =
            parse_reader(content.as_bytes(), None).expect("reading from memory");
        assert_eq!(format, Format::EuRegister);
        assert_eq!(rows.len() + rejected.len(), 3715);
        assert!(rejected.is_empty(), "{rejected:#?}");
        // Every row survives a round trip through our own JSON lines.
        let jsonl: Vec<String> = rows.iter().map(to_json_line).collect();
        let jsonl = jsonl.join("\n");
        assert_eq!(detect_format(&jsonl), Format::JsonLines);
        let (back, rejected) = parse(&jsonl, Format::JsonLines);
        assert!(
            rejected.is_empty(),
            "{:#?}",
            &rejected[..rejected.len().min(5)]
        );
        assert_eq!(back.len(), rows.len());
        for (i, (a, b)) in rows.iter().zip(&back).enumerate() {
            assert_eq!(b.line, i + 1);
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

    #[test]
    fn truncated_and_odd_input_never_panics() {
        let register = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/datasets/eu-gi-register-2020.json"
        ));
        let doc = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/import-format.md"
        ));
        let mut inputs: Vec<&str> = vec![
            "",
            " ",
            "\u{FEFF}",
            "[",
            "{",
            "\"",
            ",,,",
            "\n\n",
            "[null]",
            "[[]]",
            "[{}]",
            "{}",
            "{\"names\": [null]}",
            "file_number\n\"",
            "file_number\n\"\"x",
            "file_number,names\nA,\"[{\"\"text\"\": 1}]\"",
            "\r",
            "\r\r\n\"",
        ];
        // The first 60 kB of the register is plenty of entries to cut through.
        let end = (0..=60_000.min(register.len()))
            .rev()
            .find(|&i| register.is_char_boundary(i))
            .unwrap_or(0);
        let register = &register[..end];
        for text in [register, doc] {
            for cut in (0..text.len()).step_by(text.len() / 97 + 1) {
                if let Some(prefix) = text.get(..cut) {
                    inputs.push(prefix);
                }
            }
        }
        // The documentation holds every format's examples; cut it line by line too.
        for (i, _) in doc.match_indices('\n') {
            inputs.push(&doc[i + 1..]);
        }
        for input in inputs {
            for &format in Format::ALL {
                let (rows, rejected) = parse(input, format);
                for r in &rejected {
                    assert!(!r.reason.is_empty());
                }
                for row in &rows {
                    assert_eq!(row.validate(), Ok(()));
                }
            }
        }
    }

    #[test]
    fn non_utf8_input_is_an_error_not_a_panic() {
        let bytes: &[u8] = &[b'[', 0xFF, b']'];
        let err = parse_reader(bytes, None).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    }
}
