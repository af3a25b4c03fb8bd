//! What the conflict check reads of the GIs its index names: the live ones, with their
//! office, and where each is protected.

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
}

/// Those of `ids` with one of `statuses`, in id order.
pub fn live_among(
    conn: &mut AnyConnection,
    statuses: &[&str],
    ids: &[i64],
) -> Result<Vec<LiveGi>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String, String, String)> = gis::table
        .inner_join(offices::table.on(offices::id.eq(gis::origin_office_id)))
        .filter(gis::status.eq_any(statuses))
        .filter(gis::id.eq_any(ids))
        .order(gis::id)
        .select((gis::id, gis::status, offices::code, offices::jurisdiction))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, status, office_code, office_jurisdiction)| LiveGi {
            id,
            status,
            office_code,
            office_jurisdiction,
        })
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
