//! Reading a JSON-lines register file piece by piece, so that memory stays flat whatever
//! the file's size: each piece is parsed and written before the next is read. The rows
//! and rejections are those [`super::parse`] gives for the whole file.

use std::collections::HashMap;
use std::io::{BufRead, Read};

use super::lines::parse_json_lines_from;
use super::row::{ImportRow, Rejected};

/// Records per piece.
pub const PIECE: usize = 2_000;

/// The pieces of a JSON-lines file, as an iterator of rows; the rejections and any read
/// error are kept for after.
pub struct JsonLinesPieces<R> {
    reader: R,
    next_line: usize,
    first_line: HashMap<String, usize>,
    pub rejected: Vec<Rejected>,
    pub error: Option<std::io::Error>,
    finished: bool,
}

impl<R: BufRead> JsonLinesPieces<R> {
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            next_line: 1,
            first_line: HashMap::new(),
            rejected: Vec::new(),
            error: None,
            finished: false,
        }
    }

    /// Up to [`PIECE`] non-blank lines, and the number of the first.
    fn read_piece(&mut self) -> std::io::Result<Option<(String, usize)>> {
        let first = self.next_line;
        let mut text = String::new();
        let mut records = 0;
        while records < PIECE {
            let start = text.len();
            if self.reader.read_line(&mut text)? == 0 {
                break;
            }
            if first == 1 && start == 0 && text.starts_with('\u{FEFF}') {
                text.drain(..'\u{FEFF}'.len_utf8());
            }
            self.next_line += 1;
            if !text[start..].trim().is_empty() {
                records += 1;
            }
        }
        Ok((!text.is_empty()).then_some((text, first)))
    }
}

impl<R: BufRead> Iterator for JsonLinesPieces<R> {
    type Item = Vec<ImportRow>;

    fn next(&mut self) -> Option<Vec<ImportRow>> {
        if self.finished {
            return None;
        }
        let (text, first) = match self.read_piece() {
            Ok(Some(piece)) => piece,
            Ok(None) => {
                self.finished = true;
                return None;
            }
            Err(err) => {
                self.error = Some(err);
                self.finished = true;
                return None;
            }
        };
        let (rows, rejected) = parse_json_lines_from(&text, first);
        self.rejected.extend(rejected);
        let mut unique = Vec::with_capacity(rows.len());
        for row in rows {
            match self.first_line.get(&row.file_number) {
                Some(first) => self.rejected.push(Rejected::new(
                    row.line,
                    Some(&row.file_number),
                    format!(
                        "file_number: `{}` repeated (first on line {first})",
                        row.file_number
                    ),
                )),
                None => {
                    self.first_line.insert(row.file_number.clone(), row.line);
                    unique.push(row);
                }
            }
        }
        Some(unique)
    }
}

/// Reads `reader` to the end, checking that it is UTF-8 without holding it: the number
/// of lines, or `InvalidData` (what reading it whole into a `String` would say).
pub fn count_utf8_lines(mut reader: impl Read) -> std::io::Result<usize> {
    let mut buffer = vec![0u8; 1 << 16];
    let mut carried = 0;
    let mut lines = 0;
    loop {
        let read = reader.read(&mut buffer[carried..])?;
        if read == 0 {
            if carried > 0 {
                return Err(invalid_utf8());
            }
            return Ok(lines);
        }
        let filled = carried + read;
        let valid = match std::str::from_utf8(&buffer[..filled]) {
            Ok(_) => filled,
            // A character cut at the end of the buffer: keep its start for the next read.
            Err(err) if err.error_len().is_none() => err.valid_up_to(),
            Err(_) => return Err(invalid_utf8()),
        };
        lines += buffer[..valid].iter().filter(|&&b| b == b'\n').count();
        buffer.copy_within(valid..filled, 0);
        carried = filled - valid;
    }
}

fn invalid_utf8() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        "stream did not contain valid UTF-8",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{parse, to_json_line, Format};

    #[test]
    fn pieces_give_what_the_whole_file_gives() {
        let row = crate::import::row::tests::sample();
        let mut lines = vec!["\u{FEFF}".to_string() + &to_json_line(&row)];
        for i in 0..(PIECE * 2 + 7) {
            let mut other = row.clone();
            other.file_number = format!("CN-GI-2026-{i:06}");
            lines.push(to_json_line(&other));
            match i % 500 {
                3 => lines.push(String::new()),
                4 => lines.push("{not json".into()),
                5 => lines.push(to_json_line(&row)),
                _ => {}
            }
        }
        let content = lines.join("\r\n");
        let (rows, rejected) = parse(&content, Format::JsonLines);
        let mut pieces = JsonLinesPieces::new(content.as_bytes());
        let streamed: Vec<ImportRow> = pieces.by_ref().flatten().collect();
        assert!(pieces.error.is_none());
        let mut streamed_rejected = pieces.rejected;
        streamed_rejected.sort_by_key(|r| r.line);
        assert_eq!(streamed, rows);
        assert_eq!(streamed_rejected, rejected);
        assert!(!rejected.is_empty());
    }

    #[test]
    fn utf8_is_checked_across_reads() {
        let text = "龙井茶\n".repeat(30_000);
        assert_eq!(count_utf8_lines(text.as_bytes()).unwrap(), 30_000);
        let mut bytes = text.into_bytes();
        bytes.push(0xE9);
        let err = count_utf8_lines(&bytes[..]).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        assert!(count_utf8_lines(&[b'a', 0xFF, b'b'][..]).is_err());
    }
}
