//! Stored read views (migration `read_views`): the JSON of a GI's most read answers
//! with the stamp they were built at.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::gi_read_views;
use crate::db::AnyConnection;
use crate::error::AppError;

/// What kind of answer a view is.
pub const GI: &str = "gi";
pub const LIST_ITEM: &str = "list_item";
pub const PROTECTION: &str = "protection";

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = gi_read_views)]
#[diesel(treat_none_as_default_value = false)]
pub struct StoredView {
    pub gi_id: i64,
    pub kind: String,
    pub stamp: i64,
    pub as_of: Option<NaiveDate>,
    pub version: i32,
    pub body: String,
}

/// The views of `kind` of the GIs `gi_ids`, whatever their stamps.
pub fn of_kind(
    conn: &mut AnyConnection,
    kind: &str,
    gi_ids: &[i64],
) -> Result<Vec<StoredView>, AppError> {
    if gi_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(gi_read_views::table
        .filter(gi_read_views::kind.eq(kind))
        .filter(gi_read_views::gi_id.eq_any(gi_ids))
        .select(StoredView::as_select())
        .load(conn)?)
}

/// One view, whatever its stamp.
pub fn one(
    conn: &mut AnyConnection,
    kind: &str,
    gi_id: i64,
) -> Result<Option<StoredView>, AppError> {
    Ok(gi_read_views::table
        .find((gi_id, kind))
        .select(StoredView::as_select())
        .first(conn)
        .optional()?)
}

/// Keeps `views`, each replacing the GI's view of its kind unless that one was built at
/// a later stamp. Inside a write transaction (the writers' lock keeps the check and the
/// write together).
pub fn keep(conn: &mut AnyConnection, views: &[StoredView]) -> Result<(), AppError> {
    for view in views {
        diesel::delete(
            gi_read_views::table
                .filter(gi_read_views::gi_id.eq(view.gi_id))
                .filter(gi_read_views::kind.eq(&view.kind))
                .filter(gi_read_views::stamp.le(view.stamp)),
        )
        .execute(conn)?;
    }
    // What is left was built at a later stamp.
    let ids: Vec<i64> = views.iter().map(|v| v.gi_id).collect();
    let newer: std::collections::HashSet<(i64, String)> = gi_read_views::table
        .filter(gi_read_views::gi_id.eq_any(&ids))
        .select((gi_read_views::gi_id, gi_read_views::kind))
        .load(conn)?
        .into_iter()
        .collect();
    let fresh: Vec<&StoredView> = views
        .iter()
        .filter(|v| !newer.contains(&(v.gi_id, v.kind.clone())))
        .collect();
    for chunk in fresh.chunks(100) {
        let rows: Vec<StoredView> = chunk.iter().map(|v| (*v).clone()).collect();
        // Many rows in one statement needs the backend's own connection.
        match conn {
            AnyConnection::Postgres(c) => diesel::insert_into(gi_read_views::table)
                .values(rows)
                .execute(c)?,
            AnyConnection::Sqlite(c) => diesel::insert_into(gi_read_views::table)
                .values(rows)
                .execute(c)?,
        };
    }
    Ok(())
}
