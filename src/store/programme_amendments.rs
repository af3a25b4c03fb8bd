//! Dated amendments of programmes' legal terms.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::programme_amendments;
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = programme_amendments)]
pub struct AmendmentRow {
    pub id: i64,
    pub programme_id: i64,
    pub effective_on: NaiveDate,
    pub decision_reference: String,
    /// JSON of `programme_terms::TermChanges`.
    pub changes: String,
    pub applies_to_pending: bool,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = programme_amendments)]
pub struct NewAmendment {
    pub programme_id: i64,
    pub effective_on: NaiveDate,
    pub decision_reference: String,
    pub changes: String,
    pub applies_to_pending: bool,
    pub recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, new: &NewAmendment) -> Result<i64, AppError> {
    Ok(diesel::insert_into(programme_amendments::table)
        .values(new)
        .returning(programme_amendments::id)
        .get_result(conn)?)
}

/// A programme's amendments by effective date, then as recorded.
pub fn of_programme(
    conn: &mut AnyConnection,
    programme_id: i64,
) -> Result<Vec<AmendmentRow>, AppError> {
    Ok(programme_amendments::table
        .filter(programme_amendments::programme_id.eq(programme_id))
        .select(AmendmentRow::as_select())
        .order((
            programme_amendments::effective_on.asc(),
            programme_amendments::id.asc(),
        ))
        .load(conn)?)
}
