//! Making the search blobs again when their making has changed (issue 13): a database
//! whose `search_key_version` is older than [`SEARCH_KEY_VERSION`] has every GI's blob
//! computed anew from its names, in batches of [`BATCH`] GIs, each batch its own write
//! transaction, and then the version raised. A blob is a pure function of the names, so
//! a run that stops half-way (or two instances starting together) leaves nothing wrong:
//! the next start does it again.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::db::schema::{gi_names, gis, search_key_version};
use crate::db::{write_transaction, AnyConnection};
use crate::domain::names::{search_blob, SEARCH_KEY_VERSION};
use crate::error::AppError;

/// GIs whose blobs one transaction makes again.
pub const BATCH: i64 = 500;

/// The making of the blobs the database holds.
pub fn stored_version(conn: &mut AnyConnection) -> Result<i32, AppError> {
    Ok(search_key_version::table
        .select(search_key_version::version)
        .filter(search_key_version::id.eq(1))
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// Makes every blob again when the stored version is older than this binary's; returns
/// how many GIs were re-keyed (0 when the blobs were current).
pub fn rekey_if_stale(conn: &mut AnyConnection) -> Result<usize, AppError> {
    if stored_version(conn)? >= SEARCH_KEY_VERSION {
        return Ok(0);
    }
    let mut after = 0i64;
    let mut rekeyed = 0usize;
    loop {
        let (count, last) = write_transaction(conn, |conn| rekey_batch(conn, after))?;
        rekeyed += count;
        match last {
            Some(id) => after = id,
            None => break,
        }
    }
    write_transaction(conn, |conn| {
        diesel::update(search_key_version::table.filter(search_key_version::id.eq(1)))
            .set(search_key_version::version.eq(SEARCH_KEY_VERSION))
            .execute(conn)?;
        Ok(())
    })?;
    Ok(rekeyed)
}

/// Re-keys the next [`BATCH`] GIs after `after`: how many, and the last id (None at the
/// end).
fn rekey_batch(conn: &mut AnyConnection, after: i64) -> Result<(usize, Option<i64>), AppError> {
    let ids: Vec<i64> = gis::table
        .select(gis::id)
        .filter(gis::id.gt(after))
        .order(gis::id)
        .limit(BATCH)
        .load(conn)?;
    let Some(&last) = ids.last() else {
        return Ok((0, None));
    };
    let rows: Vec<(i64, String)> = gi_names::table
        .select((gi_names::gi_id, gi_names::text))
        .filter(gi_names::gi_id.eq_any(&ids))
        .order((gi_names::gi_id, gi_names::position))
        .load(conn)?;
    let mut names: BTreeMap<i64, Vec<String>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    for (gi_id, text) in rows {
        names.entry(gi_id).or_default().push(text);
    }
    for (id, texts) in &names {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        diesel::update(gis::table.filter(gis::id.eq(id)))
            .set(gis::search_blob.eq(search_blob(&texts)))
            .execute(conn)?;
    }
    Ok((ids.len(), Some(last)))
}
