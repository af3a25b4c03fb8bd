//! A real workbook: the list on the first sheet with a header row and dates as dates,
//! the query and `as_of` on the second. Rows are written in constant-memory mode (to
//! temporary files), so a long list never sits in memory as cells.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use super::csv::{excluded_names_cell, names_cell, protected_names_cell};
use super::session::ExportSession;
use crate::error::AppError;

fn xlsx_error(err: XlsxError) -> AppError {
    AppError::internal(format!("xlsx: {err}"))
}

/// The workbook's bytes. Its document properties carry `known_at` as their creation
/// time (not the clock's), so the same list known at the same moment is the same file.
pub fn workbook_bytes(session: &mut ExportSession) -> Result<Vec<u8>, AppError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_timestamp(session.known_at.and_utc().timestamp())
        .map_err(xlsx_error)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    {
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        sheet.set_name("recognitions").map_err(xlsx_error)?;
        for (col, name) in session.layout.columns().iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, *name, &bold)
                .map_err(xlsx_error)?;
        }
        let mut line: u32 = 1;
        loop {
            let rows = session.next_rows()?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let text = |t: &Option<String>| t.clone().unwrap_or_default();
                let cells = [
                    row.programme.to_string(),
                    text(&row.list_label),
                    text(&row.file_number),
                    text(&row.registration_number),
                    names_cell(&row),
                    row.origin_office.to_string(),
                    row.origin_jurisdiction.to_string(),
                    row.partner_office.to_string(),
                    row.partner_jurisdiction.to_string(),
                    row.status.clone(),
                ];
                sheet
                    .write_number(line, 0, row.recognition_id as f64)
                    .map_err(xlsx_error)?;
                for (i, value) in cells.iter().enumerate() {
                    sheet
                        .write_string(line, (i + 1) as u16, value)
                        .map_err(xlsx_error)?;
                }
                let dates = [
                    row.submitted_on,
                    row.published_on,
                    row.decided_on,
                    row.protected_from,
                ];
                for (i, value) in dates.iter().enumerate() {
                    if let Some(d) = value {
                        let when = ExcelDateTime::from_ymd(
                            chrono::Datelike::year(d) as u16,
                            chrono::Datelike::month(d) as u8,
                            chrono::Datelike::day(d) as u8,
                        )
                        .map_err(xlsx_error)?;
                        sheet
                            .write_datetime_with_format(line, (11 + i) as u16, &when, &date)
                            .map_err(xlsx_error)?;
                    }
                }
                sheet
                    .write_string(line, 15, text(&row.limitations))
                    .map_err(xlsx_error)?;
                sheet
                    .write_string(line, 16, text(&row.grounds))
                    .map_err(xlsx_error)?;
                if let Some(d) = row.phase_out_until {
                    let when = ExcelDateTime::from_ymd(
                        chrono::Datelike::year(&d) as u16,
                        chrono::Datelike::month(&d) as u8,
                        chrono::Datelike::day(&d) as u8,
                    )
                    .map_err(xlsx_error)?;
                    sheet
                        .write_datetime_with_format(line, 17, &when, &date)
                        .map_err(xlsx_error)?;
                }
                sheet
                    .write_string(line, 18, row.decision_documents.join(" "))
                    .map_err(xlsx_error)?;
                sheet
                    .write_string(line, 19, crate::utc::format(row.recorded_at))
                    .map_err(xlsx_error)?;
                sheet
                    .write_boolean(line, 20, row.recorded_late)
                    .map_err(xlsx_error)?;
                if session.layout.has_name_columns() {
                    sheet
                        .write_string(line, 21, protected_names_cell(&row))
                        .map_err(xlsx_error)?;
                    sheet
                        .write_string(line, 22, excluded_names_cell(&row))
                        .map_err(xlsx_error)?;
                }
                line += 1;
            }
        }
    }
    {
        let query = session.recorded_query().clone();
        let sheet = workbook.add_worksheet();
        sheet.set_name("query").map_err(xlsx_error)?;
        sheet
            .write_string_with_format(0, 0, "parameter", &bold)
            .map_err(xlsx_error)?;
        sheet
            .write_string_with_format(0, 1, "value", &bold)
            .map_err(xlsx_error)?;
        let mut line = 1;
        if let Some(map) = query.as_object() {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for key in keys {
                let value = match &map[key] {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                sheet
                    .write_string(line, 0, key.as_str())
                    .map_err(xlsx_error)?;
                sheet.write_string(line, 1, value).map_err(xlsx_error)?;
                line += 1;
            }
        }
        sheet.write_string(line, 0, "rows").map_err(xlsx_error)?;
        sheet
            .write_number(line, 1, session.rows as f64)
            .map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}
