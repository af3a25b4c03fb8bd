//! Serialised views of GIs kept in memory between reads (issue 9).
//!
//! An entry holds the bytes of a view and the GI's `read_stamp` read *before* the view
//! was built. Triggers grow the stamp with every committed change to what a view shows
//! (migration `read_stamps`), so an entry is served only while the stamp read by the
//! request equals the entry's: the view may be newer than its stamp, never older. Every
//! server keeps its own cache and asks the database for the stamp on every read, so
//! several servers on one database never serve each other's stale views.
//!
//! Memory is bounded by two generations: entries go into the young one; when it holds
//! half the budget it becomes the old one and the former old one is dropped. A hit in
//! the old generation moves the entry back to the young one, so what is read often
//! stays (an LRU, approximately, at the cost of one map swap).

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;
use chrono::NaiveDate;

/// What a cached view is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewKey {
    /// `GET /api/v1/gis/{id}`: the full view.
    Gi(i64),
    /// One item of a list page.
    GiListItem(i64),
    /// `GET /api/v1/gis/{id}/protection` as of a date, known now.
    Protection(i64, NaiveDate),
}

/// A serialised view and what it was built from.
#[derive(Debug, Clone)]
pub struct CachedView {
    pub stamp: i64,
    /// The GI's version (the ETag of a full view).
    pub version: i32,
    pub body: Bytes,
}

impl CachedView {
    fn weight(&self) -> usize {
        self.body.len() + ENTRY_OVERHEAD
    }
}

/// Keys, maps and the entry itself, roughly.
const ENTRY_OVERHEAD: usize = 96;

#[derive(Default)]
struct Generation {
    entries: HashMap<ViewKey, CachedView>,
    bytes: usize,
}

impl Generation {
    fn insert(&mut self, key: ViewKey, view: CachedView) {
        self.bytes += view.weight();
        if let Some(replaced) = self.entries.insert(key, view) {
            self.bytes -= replaced.weight();
        }
    }

    fn remove(&mut self, key: &ViewKey) -> Option<CachedView> {
        let view = self.entries.remove(key)?;
        self.bytes -= view.weight();
        Some(view)
    }
}

#[derive(Default)]
struct Generations {
    young: Generation,
    old: Generation,
}

pub struct ReadCache {
    generations: Mutex<Generations>,
    /// Bytes per generation.
    half_budget: usize,
}

impl ReadCache {
    /// A cache holding at most about `budget_bytes` of views; 0 keeps nothing.
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            generations: Mutex::default(),
            half_budget: budget_bytes / 2,
        }
    }

    /// The view of `key` if it was built at `stamp`, the GI's stamp as just read.
    pub fn get(&self, key: ViewKey, stamp: i64) -> Option<CachedView> {
        let mut generations = self.lock();
        if let Some(view) = generations.young.entries.get(&key) {
            return (view.stamp == stamp).then(|| view.clone());
        }
        let view = generations.old.remove(&key)?;
        if view.stamp != stamp {
            return None;
        }
        let found = view.clone();
        self.admit(&mut generations, key, view);
        Some(found)
    }

    /// Whether a view of `key` is kept, whatever its stamp.
    pub fn holds(&self, key: ViewKey) -> bool {
        let generations = self.lock();
        generations.young.entries.contains_key(&key) || generations.old.entries.contains_key(&key)
    }

    /// Keeps `view`, unless a view built at a later stamp is kept already.
    pub fn put(&self, key: ViewKey, view: CachedView) {
        if view.weight() > self.half_budget {
            return;
        }
        let mut generations = self.lock();
        let newer_kept = [&generations.young, &generations.old]
            .iter()
            .filter_map(|g| g.entries.get(&key))
            .any(|kept| kept.stamp > view.stamp);
        if newer_kept {
            return;
        }
        generations.old.remove(&key);
        self.admit(&mut generations, key, view);
    }

    fn admit(&self, generations: &mut Generations, key: ViewKey, view: CachedView) {
        generations.young.insert(key, view);
        if generations.young.bytes > self.half_budget {
            generations.old = std::mem::take(&mut generations.young);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        // A panic while holding the lock leaves maps that are still consistent.
        self.generations
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Bytes held, for tests and metrics.
    pub fn bytes(&self) -> usize {
        let generations = self.lock();
        generations.young.bytes + generations.old.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(stamp: i64, body: &str) -> CachedView {
        CachedView {
            stamp,
            version: 1,
            body: Bytes::copy_from_slice(body.as_bytes()),
        }
    }

    #[test]
    fn a_view_is_served_only_at_the_stamp_it_was_built_at() {
        let cache = ReadCache::new(1 << 20);
        cache.put(ViewKey::Gi(1), view(4, "four"));
        assert_eq!(cache.get(ViewKey::Gi(1), 4).unwrap().body, "four");
        assert!(cache.get(ViewKey::Gi(1), 5).is_none());
        assert!(cache.get(ViewKey::Gi(1), 3).is_none());
        assert!(cache.get(ViewKey::GiListItem(1), 4).is_none());
        assert!(cache.get(ViewKey::Gi(2), 4).is_none());
    }

    #[test]
    fn an_older_view_never_replaces_a_newer_one() {
        let cache = ReadCache::new(1 << 20);
        cache.put(ViewKey::Gi(1), view(5, "five"));
        cache.put(ViewKey::Gi(1), view(4, "four"));
        assert_eq!(cache.get(ViewKey::Gi(1), 5).unwrap().body, "five");
        cache.put(ViewKey::Gi(1), view(6, "six"));
        assert_eq!(cache.get(ViewKey::Gi(1), 6).unwrap().body, "six");
        assert!(cache.get(ViewKey::Gi(1), 5).is_none());
    }

    #[test]
    fn memory_stays_within_the_budget_and_read_views_survive() {
        let body = "x".repeat(1000);
        let budget = 20 * (1000 + ENTRY_OVERHEAD);
        let cache = ReadCache::new(budget);
        cache.put(ViewKey::Gi(0), view(1, &body));
        for id in 1..200 {
            cache.put(ViewKey::Gi(id), view(1, &body));
            // Read often, so kept.
            assert!(cache.get(ViewKey::Gi(0), 1).is_some(), "lost at {id}");
            assert!(cache.bytes() <= budget + 1000 + ENTRY_OVERHEAD);
        }
        assert!(
            cache.get(ViewKey::Gi(5), 1).is_none(),
            "an unread view is dropped"
        );
    }

    #[test]
    fn a_zero_budget_keeps_nothing() {
        let cache = ReadCache::new(0);
        cache.put(ViewKey::Gi(1), view(1, "one"));
        assert!(cache.get(ViewKey::Gi(1), 1).is_none());
        assert_eq!(cache.bytes(), 0);
    }
}
