//! The most read answers, served from the read cache while the GI is unchanged
//! (issue 9): one query for the GI's stamp and visibility, then the bytes kept from an
//! earlier read; on a miss, the view as `gi_views` and `protection` build it, kept.

use std::collections::HashMap;

use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};

use super::calendars::reader_today_at_origin;
use super::gi_application::load_visible;
use super::gi_search::{search_stamps, GiQuery};
use super::gi_views::{full_view, views};
use super::protection::{as_of_or_today, protection};
use super::read_cache::{CachedView, ReadCache, ViewKey};
use crate::db::AnyConnection;
use crate::domain::permissions::can_see_draft;
use crate::domain::role::Actor;
use crate::error::AppError;
use crate::store::gis::{self, GiHead};

/// `GET /api/v1/gis/{id}`: the full view's JSON and its version.
pub fn gi(
    conn: &mut AnyConnection,
    cache: &ReadCache,
    reader: Option<&Actor>,
    id: i64,
) -> Result<CachedView, AppError> {
    let head = visible_head(conn, reader, id)?.ok_or_else(|| AppError::not_found("GI"))?;
    let key = ViewKey::Gi(id);
    if let Some(hit) = cache.get(key, head.read_stamp) {
        return Ok(hit);
    }
    let row = load_visible(conn, reader, id)?;
    let view = full_view(conn, row)?;
    keep(cache, key, head, view.version, &view)
}

/// `GET /api/v1/gis/{id}/protection`: cached when known now (no `known_at`); a GI the
/// reader cannot see, or a bad date, is answered by `protection` itself, so that its
/// errors come in its order.
pub fn protection_json(
    conn: &mut AnyConnection,
    cache: &ReadCache,
    reader: Option<&Actor>,
    id: i64,
    as_of: Option<NaiveDate>,
    known_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Bytes, AppError> {
    let head = match known_at {
        None => visible_head(conn, reader, id)?,
        Some(_) => None,
    };
    let Some(head) = head else {
        let view = protection(conn, reader, id, as_of, known_at, now)?;
        return Ok(to_json(&view)?.into());
    };
    let today = reader_today_at_origin(
        conn,
        reader,
        head.origin_office_id,
        &head.origin_time_zone,
        now,
    )?;
    let as_of = as_of_or_today(as_of, today)?;
    let key = ViewKey::Protection(id, as_of);
    if let Some(hit) = cache.get(key, head.read_stamp) {
        return Ok(hit.body);
    }
    let view = protection(conn, reader, id, Some(as_of), None, now)?;
    Ok(keep(cache, key, head, 0, &view)?.body)
}

/// A page of `GET /api/v1/gis`: each item's JSON, in order. Items changed since they
/// were kept are built again, their rows and names read together.
pub fn gi_page(
    conn: &mut AnyConnection,
    cache: &ReadCache,
    reader: Option<&Actor>,
    query: &GiQuery,
    after_id: i64,
    fetch: i64,
) -> Result<Vec<(i64, Bytes)>, AppError> {
    let listed = search_stamps(conn, reader, query, after_id, fetch)?;
    let mut items: Vec<(i64, Option<Bytes>)> = listed
        .iter()
        .map(|gi| {
            let hit = cache.get(ViewKey::GiListItem(gi.id), gi.read_stamp);
            (gi.id, hit.map(|view| view.body))
        })
        .collect();
    let missing: Vec<i64> = items
        .iter()
        .filter(|(_, body)| body.is_none())
        .map(|(id, _)| *id)
        .collect();
    if !missing.is_empty() {
        let stamps: HashMap<i64, i64> = listed.iter().map(|gi| (gi.id, gi.read_stamp)).collect();
        let mut built: HashMap<i64, Bytes> = HashMap::with_capacity(missing.len());
        let rows = gis::by_ids(conn, &missing)?;
        for view in views(conn, rows)? {
            let cached = CachedView {
                stamp: stamps[&view.id],
                version: view.version,
                body: to_json(&view)?.into(),
            };
            built.insert(view.id, cached.body.clone());
            cache.put(ViewKey::GiListItem(view.id), cached);
        }
        for (id, body) in items.iter_mut().filter(|(_, body)| body.is_none()) {
            *body = built.remove(id);
        }
    }
    Ok(items
        .into_iter()
        .filter_map(|(id, body)| Some((id, body?)))
        .collect())
}

/// The GI's head when it exists and the reader may see it.
fn visible_head(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    id: i64,
) -> Result<Option<GiHead>, AppError> {
    Ok(gis::head(conn, id)?.filter(|head| {
        head.filed || can_see_draft(reader, head.origin_office_id, head.association_id)
    }))
}

fn keep(
    cache: &ReadCache,
    key: ViewKey,
    head: GiHead,
    version: i32,
    view: &impl serde::Serialize,
) -> Result<CachedView, AppError> {
    let cached = CachedView {
        stamp: head.read_stamp,
        version,
        body: to_json(view)?.into(),
    };
    cache.put(key, cached.clone());
    Ok(cached)
}

fn to_json(view: &impl serde::Serialize) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(view)
        .map_err(|e| AppError::internal(format!("cannot serialise a view: {e}")))
}
