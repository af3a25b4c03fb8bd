//! What the conflict check reads: the live GIs a page at a time, with their office, and
//! where each is protected.

use diesel::prelude::*;

use crate::db::schema::{gis, offices, recognitions};
use crate::db::AnyConnection;
use crate::error::AppError;

/// A live GI as the conflict check lists it.
pub struct LiveGi {
    pub id: i64,
    pub status: String,
    pub office_code: String,
    pub office_jurisdiction: String,
    pub search_blob: String,
}

/// The GIs with one of `statuses` after `after`, in id order, at most `n`.
pub fn live_page(
    conn: &mut AnyConnection,
    statuses: &[&str],
    after: i64,
    n: i64,
) -> Result<Vec<LiveGi>, AppError> {
    let rows: Vec<(i64, String, String, String, String)> = gis::table
        .inner_join(offices::table.on(offices::id.eq(gis::origin_office_id)))
        .filter(gis::status.eq_any(statuses))
        .filter(gis::id.gt(after))
        .order(gis::id)
        .limit(n)
        .select((
            gis::id,
            gis::status,
            offices::code,
            offices::jurisdiction,
            gis::search_blob,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, status, office_code, office_jurisdiction, search_blob)| LiveGi {
                id,
                status,
                office_code,
                office_jurisdiction,
                search_blob,
            },
        )
        .collect())
}

/// (GI id, partner jurisdiction) for every protected recognition of `gi_ids`.
pub fn protected_abroad(
    conn: &mut AnyConnection,
    gi_ids: &[i64],
) -> Result<Vec<(i64, String)>, AppError> {
    if gi_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(recognitions::table
        .inner_join(offices::table.on(offices::id.eq(recognitions::partner_office_id)))
        .filter(recognitions::gi_id.eq_any(gi_ids))
        .filter(recognitions::status.eq("protected"))
        .select((recognitions::gi_id, offices::jurisdiction))
        .load(conn)?)
}
