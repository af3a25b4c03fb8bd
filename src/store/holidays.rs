//! An office's non-working days besides its weekend.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::office_holidays;
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = office_holidays)]
pub struct HolidayRow {
    pub office_id: i64,
    pub holiday_on: NaiveDate,
    pub label: Option<String>,
    pub yearly: bool,
}

/// The office's holidays, by date.
pub fn of_office(conn: &mut AnyConnection, office_id: i64) -> Result<Vec<HolidayRow>, AppError> {
    Ok(office_holidays::table
        .filter(office_holidays::office_id.eq(office_id))
        .select(HolidayRow::as_select())
        .order(office_holidays::holiday_on.asc())
        .load(conn)?)
}

/// Adds a holiday, or relabels the one already on that date.
pub fn put(conn: &mut AnyConnection, row: &HolidayRow) -> Result<(), AppError> {
    remove(conn, row.office_id, row.holiday_on)?;
    diesel::insert_into(office_holidays::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Whether a holiday was on that date.
pub fn remove(conn: &mut AnyConnection, office_id: i64, on: NaiveDate) -> Result<bool, AppError> {
    let deleted = diesel::delete(
        office_holidays::table
            .filter(office_holidays::office_id.eq(office_id))
            .filter(office_holidays::holiday_on.eq(on)),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}
