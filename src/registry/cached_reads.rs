//! The most read answers, served from kept views while the GI is unchanged (issue 9).
//!
//! A read first asks the database for the GI's stamp and who may see it (one narrow
//! query), then looks for a view built at that stamp: in this server's memory, then in
//! the database's stored views (shared by every server, kept across restarts); only
//! when neither has one is the view built, as `gi_views` and `protection` build it,
//! and kept in both (the database's copy written in the background).

use std::collections::HashMap;

use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};

use super::calendars::reader_today_at_origin;
use super::gi_application::load_visible;
use super::gi_search::{search_stamps, GiQuery};
use super::gi_views::{full_view, views};
use super::protection::{as_of_or_today, protection};
use super::read_cache::{CachedView, ReadCache, ViewKey};
use super::view_writer::ViewWriter;
use crate::db::AnyConnection;
use crate::domain::permissions::can_see_draft;
use crate::domain::role::Actor;
use crate::error::AppError;
use crate::store::gis::{self, GiHead};
use crate::store::read_views::{self, StoredView, GI, LIST_ITEM, PROTECTION};

/// Where views are kept: this server's memory and the database's stored views.
#[derive(Clone, Copy)]
pub struct KeptViews<'a> {
    pub memory: &'a ReadCache,
    pub stored: &'a ViewWriter,
}

impl KeptViews<'_> {
    /// The view of `key` built at `stamp`, from memory, else from the stored views
    /// (`stored`, when they were read already).
    fn find(
        &self,
        conn: &mut AnyConnection,
        key: ViewKey,
        stamp: i64,
        stored: Stored,
    ) -> Result<Option<CachedView>, AppError> {
        if let Some(hit) = self.memory.get(key, stamp) {
            return Ok(Some(hit));
        }
        if !self.stored.is_enabled() {
            return Ok(None);
        }
        let (kind, gi_id, as_of) = stored_key(key);
        let stored = match stored {
            Stored::Read(stored) => stored,
            Stored::Unread => read_views::one(conn, kind, gi_id)?,
        };
        let found = stored
            .filter(|stored| stored.stamp == stamp && stored.as_of == as_of)
            .map(|stored| self.remember(key, stored));
        Ok(found)
    }

    /// Keeps a view read from the stored views in memory too.
    fn remember(&self, key: ViewKey, stored: StoredView) -> CachedView {
        let view = CachedView {
            stamp: stored.stamp,
            version: stored.version,
            body: Bytes::from(stored.body),
        };
        self.memory.put(key, view.clone());
        view
    }

    /// Keeps a view just built, in memory and (in the background) in the database.
    fn keep(
        &self,
        key: ViewKey,
        stamp: i64,
        version: i32,
        view: &impl serde::Serialize,
    ) -> Result<CachedView, AppError> {
        self.keep_where(key, stamp, version, view, true)
    }

    /// `keep`, in memory only unless `store`.
    fn keep_where(
        &self,
        key: ViewKey,
        stamp: i64,
        version: i32,
        view: &impl serde::Serialize,
        store: bool,
    ) -> Result<CachedView, AppError> {
        let body = serde_json::to_string(view)
            .map_err(|e| AppError::internal(format!("cannot serialise a view: {e}")))?;
        let (kind, gi_id, as_of) = stored_key(key);
        if store {
            self.stored.store(StoredView {
                gi_id,
                kind: kind.to_string(),
                stamp,
                as_of,
                version,
                body: body.clone(),
            });
        }
        let cached = CachedView {
            stamp,
            version,
            body: Bytes::from(body),
        };
        self.memory.put(key, cached.clone());
        Ok(cached)
    }
}

/// A GI's stored view of one kind: read already (with its head), or not yet.
enum Stored {
    Read(Option<StoredView>),
    Unread,
}

fn stored_key(key: ViewKey) -> (&'static str, i64, Option<NaiveDate>) {
    match key {
        ViewKey::Gi(id) => (GI, id, None),
        ViewKey::GiListItem(id) => (LIST_ITEM, id, None),
        ViewKey::Protection(id, as_of) => (PROTECTION, id, Some(as_of)),
    }
}

/// `GET /api/v1/gis/{id}`: the full view's JSON and its version.
pub fn gi(
    conn: &mut AnyConnection,
    kept: KeptViews<'_>,
    reader: Option<&Actor>,
    id: i64,
) -> Result<CachedView, AppError> {
    let key = ViewKey::Gi(id);
    // Unless this server keeps a view of the GI, the stored one is read with the head:
    // one query instead of two, for most reads of a register larger than the memory.
    let with_stored = kept.stored.is_enabled() && !kept.memory.holds(key);
    let (head, stored) = visible_head_and_view(conn, reader, id, with_stored.then_some(GI))?;
    let head = head.ok_or_else(|| AppError::not_found("GI"))?;
    if let Some(found) = kept.find(conn, key, head.read_stamp, stored)? {
        return Ok(found);
    }
    let row = load_visible(conn, reader, id)?;
    let view = full_view(conn, row)?;
    kept.keep(key, head.read_stamp, view.version, &view)
}

/// `GET /api/v1/gis/{id}/protection`: kept when known now (no `known_at`); a GI the
/// reader cannot see, or a bad date, is answered by `protection` itself, so that its
/// errors come in its order.
pub fn protection_json(
    conn: &mut AnyConnection,
    kept: KeptViews<'_>,
    reader: Option<&Actor>,
    id: i64,
    as_of: Option<NaiveDate>,
    known_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Bytes, AppError> {
    // The date, and so the view asked for, is known only from the head: the stored view
    // (today's) is read with it whether or not this server keeps one.
    let (head, stored) = match known_at {
        None => {
            let kind = kept.stored.is_enabled().then_some(PROTECTION);
            visible_head_and_view(conn, reader, id, kind)?
        }
        Some(_) => (None, Stored::Unread),
    };
    let Some(head) = head else {
        let view = protection(conn, reader, id, as_of, known_at, now)?;
        return serde_json::to_vec(&view)
            .map(Bytes::from)
            .map_err(|e| AppError::internal(format!("cannot serialise a view: {e}")));
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
    if let Some(found) = kept.find(conn, key, head.read_stamp, stored)? {
        return Ok(found.body);
    }
    let view = protection(conn, reader, id, Some(as_of), None, now)?;
    // The database keeps one protection view per GI: today's, the one most read.
    let store = as_of == today;
    Ok(kept.keep_where(key, head.read_stamp, 0, &view, store)?.body)
}

/// A page of `GET /api/v1/gis`: each item's JSON, in order. Items whose kept view is
/// older than their stamp are built again, their rows and names read together.
pub fn gi_page(
    conn: &mut AnyConnection,
    kept: KeptViews<'_>,
    reader: Option<&Actor>,
    query: &GiQuery,
    after_id: i64,
    fetch: i64,
) -> Result<Vec<(i64, Bytes)>, AppError> {
    let listed = search_stamps(conn, reader, query, after_id, fetch)?;
    let stamps: HashMap<i64, i64> = listed.iter().map(|gi| (gi.id, gi.read_stamp)).collect();
    let mut found: HashMap<i64, Bytes> = listed
        .iter()
        .filter_map(|gi| {
            let hit = kept.memory.get(ViewKey::GiListItem(gi.id), gi.read_stamp)?;
            Some((gi.id, hit.body))
        })
        .collect();
    let missing = |found: &HashMap<i64, Bytes>| -> Vec<i64> {
        listed
            .iter()
            .map(|gi| gi.id)
            .filter(|id| !found.contains_key(id))
            .collect()
    };
    let stored = match kept.stored.is_enabled() {
        true => read_views::of_kind(conn, LIST_ITEM, &missing(&found))?,
        false => Vec::new(),
    };
    for stored in stored {
        if stamps.get(&stored.gi_id) == Some(&stored.stamp) {
            let id = stored.gi_id;
            found.insert(id, kept.remember(ViewKey::GiListItem(id), stored).body);
        }
    }
    let unbuilt = missing(&found);
    if !unbuilt.is_empty() {
        let rows = gis::by_ids(conn, &unbuilt)?;
        for view in views(conn, rows)? {
            // Rows come only for the ids asked for, each with its stamp.
            let Some(&stamp) = stamps.get(&view.id) else {
                continue;
            };
            let key = ViewKey::GiListItem(view.id);
            let built = kept.keep(key, stamp, view.version, &view)?;
            found.insert(view.id, built.body);
        }
    }
    Ok(listed
        .iter()
        .filter_map(|gi| Some((gi.id, found.remove(&gi.id)?)))
        .collect())
}

/// The GI's head when it exists and the reader may see it, with its stored view of
/// `kind` read in the same query when a kind is given.
fn visible_head_and_view(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    id: i64,
    kind: Option<&str>,
) -> Result<(Option<GiHead>, Stored), AppError> {
    let (head, stored) = match kind {
        Some(kind) => match gis::head_with_view(conn, id, kind)? {
            Some((head, stored)) => (Some(head), Stored::Read(stored)),
            None => (None, Stored::Unread),
        },
        None => (gis::head(conn, id)?, Stored::Unread),
    };
    Ok((head.filter(|head| may_see(reader, head)), stored))
}

/// Whether `reader` may see the GI of `head`: filed, or a draft in the reader's scope.
fn may_see(reader: Option<&Actor>, head: &GiHead) -> bool {
    head.filed || can_see_draft(reader, head.origin_office_id, head.association_id)
}
