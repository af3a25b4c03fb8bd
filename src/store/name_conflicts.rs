//! The conflicts reported when a GI was filed or a recognition submitted, kept with it
//! as a JSON array of candidates.

use diesel::prelude::*;

use crate::db::schema::{gis, recognitions};
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::registry::conflicts::ConflictCandidate;

fn to_text(found: &[ConflictCandidate]) -> Result<String, AppError> {
    serde_json::to_string(found).map_err(AppError::internal)
}

fn from_text(text: Option<String>) -> Vec<ConflictCandidate> {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

pub fn set_for_gi(
    conn: &mut AnyConnection,
    id: i64,
    found: &[ConflictCandidate],
) -> Result<(), AppError> {
    diesel::update(gis::table.find(id))
        .set(gis::name_conflicts.eq(to_text(found)?))
        .execute(conn)?;
    Ok(())
}

pub fn set_for_recognition(
    conn: &mut AnyConnection,
    id: i64,
    found: &[ConflictCandidate],
) -> Result<(), AppError> {
    diesel::update(recognitions::table.find(id))
        .set(recognitions::name_conflicts.eq(to_text(found)?))
        .execute(conn)?;
    Ok(())
}

/// What filing reported for GI `id`; None for a GI never filed since the check existed.
pub fn for_gi(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<Vec<ConflictCandidate>>, AppError> {
    let text: Option<Option<String>> = gis::table
        .find(id)
        .select(gis::name_conflicts)
        .first(conn)
        .optional()?;
    Ok(text.flatten().map(|t| from_text(Some(t))))
}

/// (GI id, what its filing reported) for every GI of `ids` that has a report.
pub fn for_gis(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<(i64, Vec<ConflictCandidate>)>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, Option<String>)> = gis::table
        .filter(gis::id.eq_any(ids))
        .filter(gis::name_conflicts.is_not_null())
        .select((gis::id, gis::name_conflicts))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, t)| (id, from_text(t))).collect())
}

/// (recognition id, what its submission reported) for every recognition of `ids` that
/// has a report.
pub fn for_recognitions(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<(i64, Vec<ConflictCandidate>)>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, Option<String>)> = recognitions::table
        .filter(recognitions::id.eq_any(ids))
        .filter(recognitions::name_conflicts.is_not_null())
        .select((recognitions::id, recognitions::name_conflicts))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, t)| (id, from_text(t))).collect())
}
