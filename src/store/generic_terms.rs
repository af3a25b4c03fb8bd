//! Offices' generic terms.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{generic_terms, offices};
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = generic_terms)]
pub struct GenericTermRow {
    pub id: i64,
    pub office_id: i64,
    pub term: String,
    pub lang: Option<String>,
    pub note: Option<String>,
    pub match_key: String,
    pub phonetic_key: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = generic_terms)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewGenericTerm {
    pub office_id: i64,
    pub term: String,
    pub lang: Option<String>,
    pub note: Option<String>,
    pub match_key: String,
    pub phonetic_key: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, new: &NewGenericTerm) -> Result<i64, AppError> {
    Ok(diesel::insert_into(generic_terms::table)
        .values(new)
        .returning(generic_terms::id)
        .get_result(conn)?)
}

pub fn by_key(
    conn: &mut AnyConnection,
    office_id: i64,
    key: &str,
) -> Result<Option<GenericTermRow>, AppError> {
    Ok(generic_terms::table
        .filter(generic_terms::office_id.eq(office_id))
        .filter(generic_terms::match_key.eq(key))
        .select(GenericTermRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn of_office(
    conn: &mut AnyConnection,
    office_id: i64,
) -> Result<Vec<GenericTermRow>, AppError> {
    Ok(generic_terms::table
        .filter(generic_terms::office_id.eq(office_id))
        .order(generic_terms::id)
        .select(GenericTermRow::as_select())
        .load(conn)?)
}

/// The terms whose key is one of `keys` or whose phonetic code is one of `codes`, with
/// their office's code and jurisdiction; only in `jurisdiction` when given.
pub fn matching(
    conn: &mut AnyConnection,
    keys: &[String],
    codes: &[String],
    jurisdiction: Option<&str>,
    limit: i64,
) -> Result<Vec<(GenericTermRow, String, String)>, AppError> {
    let mut query = generic_terms::table
        .inner_join(offices::table)
        .filter(
            generic_terms::match_key
                .eq_any(keys)
                .or(generic_terms::phonetic_key.eq_any(codes)),
        )
        .select((
            GenericTermRow::as_select(),
            offices::code,
            offices::jurisdiction,
        ))
        // An expression, not the primary key: see store/trademarks.rs `matching`.
        .order(generic_terms::id + 0_i64)
        .limit(limit)
        .into_boxed();
    if let Some(jurisdiction) = jurisdiction {
        query = query.filter(offices::jurisdiction.eq(jurisdiction.to_string()));
    }
    Ok(query.load(conn)?)
}
