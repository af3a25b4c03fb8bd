//! Named counters for human-readable numbers (file and registration numbers).
//! Writes are serialised, so read-then-write cannot hand out a number twice.

use diesel::prelude::*;

use crate::db::schema::number_sequences;
use crate::db::AnyConnection;
use crate::error::AppError;

pub fn next(conn: &mut AnyConnection, name: &str) -> Result<i64, AppError> {
    let current: Option<i64> = number_sequences::table
        .filter(number_sequences::name.eq(name))
        .select(number_sequences::last_value)
        .first(conn)
        .optional()?;
    let next = current.unwrap_or(0) + 1;
    if current.is_some() {
        diesel::update(number_sequences::table.filter(number_sequences::name.eq(name)))
            .set(number_sequences::last_value.eq(next))
            .execute(conn)?;
    } else {
        diesel::insert_into(number_sequences::table)
            .values((
                number_sequences::name.eq(name),
                number_sequences::last_value.eq(next),
            ))
            .execute(conn)?;
    }
    Ok(next)
}
