//! What awaits an office: the rows behind an examiner's work list.

use diesel::prelude::*;

use crate::db::schema::{gis, oppositions, recognitions, specifications};
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::store::gis::Gi;
use crate::store::oppositions::Opposition;
use crate::store::recognitions::Recognition;

/// Home applications of the office still in examination or opposition.
pub fn open_applications(conn: &mut AnyConnection, office_id: i64) -> Result<Vec<Gi>, AppError> {
    Ok(gis::table
        .filter(gis::origin_office_id.eq(office_id))
        .filter(gis::status.eq_any(["filed", "under_examination", "published"]))
        .select(Gi::as_select())
        .order(gis::id.asc())
        .load(conn)?)
}

/// Recognitions the office, as partner, has still to decide.
pub fn open_recognitions(
    conn: &mut AnyConnection,
    office_id: i64,
) -> Result<Vec<Recognition>, AppError> {
    Ok(recognitions::table
        .filter(recognitions::partner_office_id.eq(office_id))
        .filter(recognitions::status.eq_any(["submitted", "under_examination", "published"]))
        .select(Recognition::as_select())
        .order(recognitions::id.asc())
        .load(conn)?)
}

/// Pending oppositions in proceedings the office decides: its own GIs at home, and
/// recognitions where it is the partner.
pub fn pending_oppositions(
    conn: &mut AnyConnection,
    office_id: i64,
) -> Result<Vec<Opposition>, AppError> {
    let home: Vec<Opposition> = oppositions::table
        .inner_join(gis::table)
        .filter(oppositions::status.eq("pending"))
        .filter(oppositions::recognition_id.is_null())
        .filter(gis::origin_office_id.eq(office_id))
        .select(Opposition::as_select())
        .load(conn)?;
    let partner_recognitions: Vec<i64> = recognitions::table
        .filter(recognitions::partner_office_id.eq(office_id))
        .select(recognitions::id)
        .load(conn)?;
    let abroad: Vec<Opposition> = if partner_recognitions.is_empty() {
        Vec::new()
    } else {
        oppositions::table
            .filter(oppositions::status.eq("pending"))
            .filter(oppositions::recognition_id.eq_any(partner_recognitions))
            .select(Opposition::as_select())
            .load(conn)?
    };
    Ok(home.into_iter().chain(abroad).collect())
}

/// Pending amendments of the office's GIs: (GI id, version).
pub fn pending_amendments(
    conn: &mut AnyConnection,
    office_id: i64,
) -> Result<Vec<(i64, i32)>, AppError> {
    Ok(specifications::table
        .inner_join(gis::table)
        .filter(specifications::status.eq("pending"))
        .filter(gis::origin_office_id.eq(office_id))
        .select((specifications::gi_id, specifications::version))
        .load(conn)?)
}

/// Partner decisions on the office's own GIs that it should hear of: refusals and
/// invalidations whose remedy deadline is from `today` on, and any decision (protection,
/// refusal, invalidation) dated from `since` on.
pub fn decisions_received(
    conn: &mut AnyConnection,
    office_id: i64,
    since: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Result<Vec<Recognition>, AppError> {
    Ok(recognitions::table
        .filter(recognitions::origin_office_id.eq(office_id))
        .filter(recognitions::status.eq_any(["protected", "refused", "invalidated"]))
        .filter(
            recognitions::decided_on
                .ge(since)
                .or(recognitions::remedy_deadline.ge(today)),
        )
        .select(Recognition::as_select())
        .order(recognitions::id.asc())
        .load(conn)?)
}
