//! The conflict check at the steps where a name enters the register (issue 13):
//!
//! - **reported** when a GI is filed at home and when a recognition is submitted: every
//!   live GI whose names score at least [`REPORT_THRESHOLD`] against one of its names,
//!   kept with the GI or recognition and shown on the examiner's work list;
//! - **gated** when a GI is registered at home or protected by a partner: a name the
//!   same after folding as one of a GI already registered or protected in that
//!   territory needs `acknowledge_conflicts` naming that GI, with grounds (homonymous
//!   GIs are allowed only with distinguishing conditions), else 409 `name_conflict`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::conflicts::{check, rank_all, CandidateKind, ConflictCandidate, MAX_LIMIT};
use super::listed_rights;
use crate::db::AnyConnection;
use crate::domain::names::query_key;
use crate::domain::permissions::DraftScope;
use crate::error::AppError;
use crate::store::conflicts::protected_abroad;
use crate::store::gis::{self, GiFilter};
use crate::store::offices;

/// Candidates scoring this or more are reported at filing and submission: a phonetic
/// match, or a spelling at least 0.71 similar, and everything stronger.
pub const REPORT_THRESHOLD: f64 = 0.6;
/// The most candidates reported.
pub const REPORT_LIMIT: usize = 20;
/// GIs read at a time when looking for homonyms.
const PAGE: i64 = 500;

/// The live GIs other than `gi_id` that its names collide with, and the generic terms
/// and earlier trademarks they meet, at or above the threshold, best first. Reads the
/// whole register (see `conflicts::check`).
pub fn reported(conn: &mut AnyConnection, gi_id: i64) -> Result<Vec<ConflictCandidate>, AppError> {
    let mut best: BTreeMap<(CandidateKind, i64), ConflictCandidate> = BTreeMap::new();
    for name in gis::names_of(conn, &[gi_id])? {
        let mut found = check(conn, &name.text, None, None, MAX_LIMIT as usize)?;
        found.extend(listed_rights::check(conn, &name.text, None)?);
        for candidate in found {
            if candidate.gi_id == Some(gi_id) || candidate.score < REPORT_THRESHOLD {
                continue;
            }
            let key = candidate.key();
            if best
                .get(&key)
                .is_none_or(|known| candidate.score > known.score)
            {
                best.insert(key, candidate);
            }
        }
    }
    let mut found: Vec<ConflictCandidate> = best.into_values().collect();
    rank_all(&mut found);
    found.truncate(REPORT_LIMIT);
    Ok(found)
}

/// A GI protected in the territory under a name the same after folding as ours.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Homonym {
    pub gi_id: i64,
    /// Its name.
    pub name: String,
    /// Ours, that it matches.
    pub matches: String,
    pub origin_office: String,
}

/// The GIs other than `gi_id`, registered at home in `territory` or protected there by
/// a recognition, with a name the same after folding as one of `gi_id`'s. Found
/// through the name index, so it costs what a search does.
pub fn homonyms_protected_in(
    conn: &mut AnyConnection,
    gi_id: i64,
    territory: &str,
) -> Result<Vec<Homonym>, AppError> {
    let mut found: BTreeMap<i64, Homonym> = BTreeMap::new();
    let mut jurisdictions: BTreeMap<i64, String> = BTreeMap::new();
    for ours in gis::names_of(conn, &[gi_id])? {
        let key = query_key(&ours.text);
        if key.is_empty() {
            continue;
        }
        let filter = GiFilter {
            name_key: Some(key.clone()),
            ..Default::default()
        };
        let mut after = 0;
        loop {
            let page = gis::list(conn, &filter, DraftScope::None, after, PAGE)?;
            let Some(last) = page.last() else {
                break;
            };
            after = last.0.id;
            let others: Vec<_> = page
                .into_iter()
                .filter(|(gi, _)| gi.id != gi_id && !found.contains_key(&gi.id))
                .collect();
            let ids: Vec<i64> = others.iter().map(|(gi, _)| gi.id).collect();
            let same: BTreeMap<i64, String> = gis::names_of(conn, &ids)?
                .into_iter()
                .filter(|theirs| query_key(&theirs.text) == key)
                .map(|theirs| (theirs.gi_id, theirs.text))
                .collect();
            if same.is_empty() {
                continue;
            }
            let abroad: BTreeSet<i64> =
                protected_abroad(conn, &same.keys().copied().collect::<Vec<_>>())?
                    .into_iter()
                    .filter(|(_, jurisdiction)| jurisdiction == territory)
                    .map(|(id, _)| id)
                    .collect();
            for (other, office_code) in others {
                let Some(name) = same.get(&other.id) else {
                    continue;
                };
                let jurisdiction = match jurisdictions.get(&other.origin_office_id) {
                    Some(known) => known.clone(),
                    None => {
                        let office = offices::by_id(conn, other.origin_office_id)?
                            .ok_or_else(|| AppError::not_found("office"))?;
                        jurisdictions.insert(other.origin_office_id, office.jurisdiction.clone());
                        office.jurisdiction
                    }
                };
                let at_home = other.status == "registered" && jurisdiction == territory;
                if at_home || abroad.contains(&other.id) {
                    found.insert(
                        other.id,
                        Homonym {
                            gi_id: other.id,
                            name: name.clone(),
                            matches: ours.text.clone(),
                            origin_office: office_code,
                        },
                    );
                }
            }
        }
    }
    Ok(found.into_values().collect())
}

/// Registering or protecting `gi_id` in `territory`: every homonym protected there must
/// be acknowledged, with grounds; an acknowledged GI that is no homonym is a mistake.
/// Returns the acknowledged GIs, for the event.
pub fn require_acknowledged(
    conn: &mut AnyConnection,
    gi_id: i64,
    territory: &str,
    acknowledged: Option<&[i64]>,
    grounds: Option<&str>,
) -> Result<Vec<i64>, AppError> {
    let homonyms = homonyms_protected_in(conn, gi_id, territory)?;
    let given: BTreeSet<i64> = acknowledged.unwrap_or_default().iter().copied().collect();
    let known: BTreeSet<i64> = homonyms.iter().map(|h| h.gi_id).collect();
    if let Some(stray) = given.difference(&known).next() {
        return Err(AppError::invalid(
            "acknowledge_conflicts",
            format!("GI {stray} has no name the same as this GI's protected in {territory}"),
        ));
    }
    let missing: Vec<&Homonym> = homonyms
        .iter()
        .filter(|h| !given.contains(&h.gi_id))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::Conflict {
            code: "name_conflict",
            message: format!(
                "{} GI(s) with the same name are already protected in {territory}: name them \
in acknowledge_conflicts, with grounds saying what distinguishes this one",
                missing.len()
            ),
            details: json!({ "territory": territory, "conflicts": missing }),
        });
    }
    if !given.is_empty() && grounds.is_none_or(|g| g.trim().is_empty()) {
        return Err(AppError::invalid(
            "grounds",
            "are required to acknowledge a name conflict: say what distinguishes this GI",
        ));
    }
    Ok(given.into_iter().collect())
}
