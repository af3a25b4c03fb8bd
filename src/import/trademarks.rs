//! An office's earlier trademarks from a CSV file (`terroir trademarks import`): the
//! header `number,mark,classes,owner,filed_on,status`, classes as numbers separated by
//! `;`, spaces or commas (quote the field then), `filed_on` as YYYY-MM-DD or empty,
//! `status` one of `pending`, `registered`, `lapsed`.

use super::lines::read_csv_records;
use crate::registry::listed_rights::{TrademarkEntry, TrademarkStatus};

pub const COLUMNS: [&str; 6] = ["number", "mark", "classes", "owner", "filed_on", "status"];

/// A 1-based line of the file and what it says.
pub type Lines<T> = Vec<(usize, T)>;

/// The marks of the file with their lines, and the rejected lines with their reasons.
pub fn parse(content: &str) -> (Lines<TrademarkEntry>, Lines<String>) {
    let content = content.strip_prefix('\u{FEFF}').unwrap_or(content);
    let (records, broken) = read_csv_records(content);
    let mut marks = Vec::new();
    let mut rejected = Vec::new();
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return (marks, rejected);
    };
    let columns: Vec<&str> = header.fields.iter().map(|c| c.trim()).collect();
    if columns != COLUMNS {
        rejected.push((
            header.line,
            format!("the header must be {}", COLUMNS.join(",")),
        ));
        return (marks, rejected);
    }
    for record in records {
        match entry(&record.fields) {
            Ok(mark) => marks.push((record.line, mark)),
            Err(reason) => rejected.push((record.line, reason)),
        }
    }
    if let Some(broken) = broken {
        rejected.push((broken.line, broken.reason));
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
    pub rejected: Vec<(usize, String)>,
}

/// Loads the file's marks into office `code`'s list, 1,000 to a transaction; rejected
/// lines are reported, not loaded.
pub fn import(db: &crate::db::Database, code: &str, content: &str) -> Result<Imported, String> {
    use validator::Validate;
    let office = db
        .read_blocking(|conn| crate::store::offices::by_code(conn, code))
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no office {code}"))?;
    let (marks, mut rejected) = parse(content);
    let mut valid = Vec::with_capacity(marks.len());
    let now = chrono::Utc::now().naive_utc();
    let mut numbers = std::collections::HashSet::new();
    for (line, mark) in marks {
        let checked = mark
            .validate()
            .map_err(|e| e.to_string().replace('\n', "; "))
            .and_then(|()| {
                crate::registry::listed_rights::new_mark(office.id, &mark, now)
                    .map_err(|(field, why)| format!("{field}: {why}"))
            });
        match checked {
            Err(reason) => rejected.push((line, reason)),
            Ok(_) if !numbers.insert(mark.number.trim().to_string()) => {
                rejected.push((line, format!("number {} is given twice", mark.number)))
            }
            Ok(_) => valid.push(mark),
        }
    }
    rejected.sort();
    let who = crate::audit::AuditActor {
        id: None,
        name: "command-line".into(),
        office: None,
    };
    let mut done = Imported {
        loaded: 0,
        new: 0,
        total: 0,
        rejected,
    };
    for batch in valid.chunks(crate::registry::listed_rights::MOST_MARKS_PER_LOAD) {
        let report = db
            .write_blocking(|conn| {
                crate::registry::listed_rights::load_trademarks(conn, &who, &office, batch)
            })
            .map_err(|e| e.to_string())?;
        done.loaded += report.loaded;
        done.new += report.new;
        done.total = report.total;
    }
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
