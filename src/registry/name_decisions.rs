//! The names of a GI a decision covers: the request's exclusions checked against the
//! GI's names, and the names left protected.

use crate::db::AnyConnection;
use crate::domain::excluded_names::{combine, resolve, ExcludedName, NameExclusion};
use crate::error::AppError;
use crate::store::gis;

/// The GI's names as (id, text), in their order.
pub fn names_of_gi(conn: &mut AnyConnection, gi_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(gis::names_of(conn, &[gi_id])?
        .into_iter()
        .map(|row| (row.id, row.text))
        .collect())
}

/// `requested` exclusions added to `earlier` ones, checked against the GI's names (422
/// naming the field for an unknown or repeated name, a missing reason, or every name).
pub fn exclusions(
    conn: &mut AnyConnection,
    gi_id: i64,
    earlier: &[ExcludedName],
    requested: &[NameExclusion],
) -> Result<Vec<ExcludedName>, AppError> {
    let names = names_of_gi(conn, gi_id)?;
    let invalid = |(field, why): (String, String)| AppError::invalid(field, why);
    let excluded = resolve(&names, requested).map_err(invalid)?;
    combine(&names, earlier, excluded).map_err(invalid)
}
