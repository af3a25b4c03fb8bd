//! An office's earlier trademarks from a CSV file (`terroir trademarks import`): the
//! header `number,mark,classes,owner,filed_on,status`, classes as numbers separated by
//! `;`, spaces or commas (quote the field then), `filed_on` as YYYY-MM-DD or empty,
//! `status` one of `pending`, `registered`, `lapsed`.
//!
//! The file is read a line at a time and loaded [`MOST_MARKS_PER_LOAD`] marks to a
//! transaction as it is read, so that memory stays flat whatever its size (a national
//! register holds millions of marks).

use std::collections::{HashSet, VecDeque};
use std::io::BufRead;

use super::lines::{CsvParser, CsvRecord};
use crate::registry::listed_rights::{TrademarkEntry, TrademarkStatus, MOST_MARKS_PER_LOAD};

pub const COLUMNS: [&str; 6] = ["number", "mark", "classes", "owner", "filed_on", "status"];

/// A 1-based line of the file and what it says.
pub type Lines<T> = Vec<(usize, T)>;

/// The rejected lines an import keeps to report (it counts them all).
pub const REJECTIONS_KEPT: usize = 50;

/// The records of a CSV file, a line at a time, then the rejection that ended it early
/// (an unreadable line or a broken quote), if any.
struct CsvRecords<R> {
    reader: R,
    parser: Option<CsvParser>,
    records: VecDeque<CsvRecord>,
    broken: Option<(usize, String)>,
    line: String,
    first: bool,
}

impl<R: BufRead> CsvRecords<R> {
    fn new(reader: R) -> Self {
        Self {
            reader,
            parser: Some(CsvParser::default()),
            records: VecDeque::new(),
            broken: None,
            line: String::new(),
            first: true,
        }
    }
}

impl<R: BufRead> Iterator for CsvRecords<R> {
    type Item = Result<CsvRecord, (usize, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.records.pop_front() {
                return Some(Ok(record));
            }
            let Some(parser) = self.parser.as_mut() else {
                return self.broken.take().map(Err);
            };
            self.line.clear();
            match self.reader.read_line(&mut self.line) {
                Err(err) => {
                    self.parser = None;
                    self.broken = Some((0, format!("the file cannot be read: {err}")));
                }
                Ok(0) => {
                    if let Some(parser) = self.parser.take() {
                        match parser.finish() {
                            Ok(last) => self.records.extend(last),
                            Err(broken) => self.broken = Some((broken.line, broken.reason)),
                        }
                    }
                }
                Ok(_) => {
                    let mut piece = self.line.as_str();
                    if std::mem::take(&mut self.first) {
                        piece = piece.strip_prefix('\u{FEFF}').unwrap_or(piece);
                    }
                    let mut ended = Vec::new();
                    let fed = parser.feed(piece, &mut ended);
                    self.records.extend(ended);
                    if let Err(broken) = fed {
                        self.parser = None;
                        self.broken = Some((broken.line, broken.reason));
                    }
                }
            }
        }
    }
}

/// The marks of a CSV file, read a line at a time: each record's line and its mark, or
/// why it is rejected. A wrong header, an unreadable line or a broken quote is the last
/// rejection.
pub fn read_marks(
    reader: impl BufRead,
) -> impl Iterator<Item = (usize, Result<TrademarkEntry, String>)> {
    let mut records = CsvRecords::new(reader);
    let header = records.next();
    let (header_error, rest) = match header {
        None => (None, true),
        Some(Err(broken)) => (Some(broken), false),
        Some(Ok(header)) => {
            let columns: Vec<&str> = header.fields.iter().map(|c| c.trim()).collect();
            if columns == COLUMNS {
                (None, true)
            } else {
                let why = format!("the header must be {}", COLUMNS.join(","));
                (Some((header.line, why)), false)
            }
        }
    };
    let header_error = header_error.map(|(line, why)| (line, Err(why)));
    let marks = records
        .take_while(move |_| rest)
        .map(|record| match record {
            Ok(record) => (record.line, entry(&record.fields)),
            Err((line, why)) => (line, Err(why)),
        });
    header_error.into_iter().chain(marks)
}

/// The marks of a whole text with their lines, and the rejected lines with their reasons.
pub fn parse(content: &str) -> (Lines<TrademarkEntry>, Lines<String>) {
    let mut marks = Vec::new();
    let mut rejected = Vec::new();
    for (line, read) in read_marks(content.as_bytes()) {
        match read {
            Ok(mark) => marks.push((line, mark)),
            Err(why) => rejected.push((line, why)),
        }
    }
    (marks, rejected)
}

fn entry(fields: &[String]) -> Result<TrademarkEntry, String> {
    let [number, mark, classes, owner, filed_on, status] = fields else {
        return Err(format!("expected 6 fields, found {}", fields.len()));
    };
    let classes = classes
        .split(|c: char| !c.is_ascii_digit())
        .filter(|piece| !piece.is_empty())
        .map(|piece| piece.parse::<i32>().map_err(|e| format!("classes: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let filed_on = match filed_on.trim() {
        "" => None,
        date => Some(
            date.parse()
                .map_err(|_| format!("filed_on: {date} is not a date (YYYY-MM-DD)"))?,
        ),
    };
    let status = match status.trim() {
        "pending" => TrademarkStatus::Pending,
        "registered" => TrademarkStatus::Registered,
        "lapsed" => TrademarkStatus::Lapsed,
        other => {
            return Err(format!(
                "status: {other} is not pending, registered or lapsed"
            ))
        }
    };
    Ok(TrademarkEntry {
        number: number.clone(),
        mark: mark.clone(),
        classes,
        owner: owner.clone(),
        filed_on,
        status,
    })
}

/// What `terroir trademarks import` did.
pub struct Imported {
    pub loaded: usize,
    pub new: usize,
    pub total: i64,
    /// How many lines were rejected.
    pub rejected_count: usize,
    /// The first [`REJECTIONS_KEPT`] of them, by line.
    pub rejected: Vec<(usize, String)>,
}

impl Imported {
    fn reject(&mut self, line: usize, why: String) {
        self.rejected_count += 1;
        self.rejected.push((line, why));
        if self.rejected.len() >= 2 * REJECTIONS_KEPT {
            self.keep_first_rejections();
        }
    }

    fn keep_first_rejections(&mut self) {
        self.rejected.sort();
        self.rejected.truncate(REJECTIONS_KEPT);
    }
}

/// Loads the marks `reader` gives (a CSV file) into office `code`'s list, as it reads
/// them, [`MOST_MARKS_PER_LOAD`] to a transaction; rejected lines are counted and the
/// first reported, not loaded. A number given twice is loaded once, from its first line:
/// the marks this import has loaded carry its start time, by which a later line with
/// the same number is known.
pub fn import(
    db: &crate::db::Database,
    code: &str,
    reader: impl BufRead,
) -> Result<Imported, String> {
    use crate::registry::listed_rights::{load_new_marks, new_mark};
    use validator::Validate;
    let office = db
        .read_blocking(|conn| crate::store::offices::by_code(conn, code))
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no office {code}"))?;
    // To the microsecond, as both backends keep it: the marks' `created_at`, compared.
    let now = {
        use chrono::Timelike;
        let now = chrono::Utc::now().naive_utc();
        now.with_nanosecond(now.nanosecond() / 1_000 * 1_000)
            .unwrap_or(now)
    };
    let who = crate::audit::AuditActor {
        id: None,
        name: "command-line".into(),
        office: None,
    };
    let mut done = Imported {
        loaded: 0,
        new: 0,
        total: db
            .read_blocking(|conn| crate::store::trademarks::count_of_office(conn, office.id))
            .map_err(|e| e.to_string())?,
        rejected_count: 0,
        rejected: Vec::new(),
    };
    let mut batch: Vec<(usize, crate::store::trademarks::NewTrademark)> = Vec::new();
    let mut numbers: HashSet<String> = HashSet::new();
    let flush = |batch: &mut Vec<(usize, crate::store::trademarks::NewTrademark)>,
                 done: &mut Imported|
     -> Result<(), String> {
        if batch.is_empty() {
            return Ok(());
        }
        let total = done.total;
        let (report, twice) = db
            .write_blocking(|conn| {
                crate::store::planner_statistics::plan_each_statement(conn)?;
                let numbers: Vec<&str> = batch.iter().map(|(_, m)| m.number.as_str()).collect();
                let loaded = crate::store::trademarks::loaded_at(conn, office.id, &numbers, now)?;
                let (twice, fresh): (Vec<_>, Vec<_>) = batch
                    .drain(..)
                    .partition(|(_, m)| loaded.contains(&m.number));
                let marks: Vec<_> = fresh.into_iter().map(|(_, m)| m).collect();
                let report = load_new_marks(conn, &who, &office, &marks, total)?;
                Ok((report, twice))
            })
            .map_err(|e| e.to_string())?;
        for (line, mark) in twice {
            done.reject(line, format!("number {} is given twice", mark.number));
        }
        done.loaded += report.loaded;
        done.new += report.new;
        done.total = report.total;
        Ok(())
    };
    for (line, read) in read_marks(reader) {
        let checked = read.and_then(|mark| {
            mark.validate()
                .map_err(|e| e.to_string().replace('\n', "; "))?;
            new_mark(office.id, &mark, now).map_err(|(field, why)| format!("{field}: {why}"))
        });
        match checked {
            Err(reason) => done.reject(line, reason),
            Ok(mark) if !numbers.insert(mark.number.clone()) => {
                done.reject(line, format!("number {} is given twice", mark.number))
            }
            Ok(mark) => batch.push((line, mark)),
        }
        if batch.len() >= MOST_MARKS_PER_LOAD {
            flush(&mut batch, &mut done)?;
            numbers.clear();
        }
    }
    flush(&mut batch, &mut done)?;
    done.keep_first_rejections();
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_marks_and_names_the_lines_it_rejects() {
        let csv = "number,mark,classes,owner,filed_on,status\n\
                   TH-123,DOI TUNG,30;43,Mae Fah Luang Foundation,2001-03-04,registered\n\
                   TH-124,\"Kafae, Doi\",\"30, 35\",Someone,,pending\n\
                   TH-125,X,30,Y,2001-13-01,registered\n\
                   TH-126,X,30,Y,,expired\n";
        let (marks, rejected) = parse(csv);
        assert_eq!(marks.len(), 2);
        assert_eq!(marks[0].1.classes, vec![30, 43]);
        assert_eq!(marks[1].0, 3);
        assert_eq!(marks[1].1.mark, "Kafae, Doi");
        assert_eq!(marks[1].1.classes, vec![30, 35]);
        assert_eq!(marks[1].1.filed_on, None);
        assert_eq!(rejected.len(), 2);
        assert_eq!(rejected[0].0, 4);
        assert!(rejected[1].1.contains("expired"));
        let (_, header) = parse("no,header\n1,2\n");
        assert_eq!(header[0].0, 1);
    }
}
