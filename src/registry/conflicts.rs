//! The conflict check (issue 13): which live GIs a proposed name collides with, ranked
//! by the score of `domain::conflicts`. Public: it reads only what the register shows
//! (no drafts), and GIs refused, withdrawn or cancelled at home are not candidates.
//!
//! The conflict index (store/conflict_index.rs) names the GIs that may collide, by
//! lookups of the name's forms, phonetic codes and rarest trigrams; the check keeps the
//! live ones, compares the name with their names (`domain::conflicts::compare`, the
//! only judge of score and reasons) and keeps the best `limit`. Its cost grows with the
//! number of candidates, not with the register.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::AnyConnection;
use crate::domain::conflicts::{compare, NameForms, Reason};
use crate::domain::countries;
use crate::domain::name_text::{check_visible, script_fits};
use crate::domain::names::{char_len, is_known_script, is_valid_language_tag, query_key};
use crate::error::AppError;
use crate::store::conflict_index;
use crate::store::conflicts::{live_among, protected_abroad};
use crate::store::gis::names_of;

/// Candidate GIs read at a time.
const CHUNK: usize = 500;
/// The statuses of the GIs a name may collide with.
pub const LIVE: &[&str] = &["filed", "under_examination", "published", "registered"];
/// The most candidates one answer lists.
pub const MAX_LIMIT: i64 = 100;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConflictQuery {
    /// The proposed name, in any script (at most 300 characters).
    pub name: String,
    /// Its language (BCP 47), if known. Checked, and reported back; the comparison
    /// reads every name in every script whatever it is.
    pub lang: Option<String>,
    /// Its script (ISO 15924), which must be the script of some of its letters.
    pub script: Option<String>,
    /// Only GIs protected in this territory (ISO 3166 alpha-2): registered at home there,
    /// or protected there through a recognition.
    pub territory: Option<String>,
    /// 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page: the candidates ranked after it.
    pub cursor: Option<String>,
}

/// What a candidate is.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CandidateKind {
    #[default]
    Gi,
    Trademark,
    GenericTerm,
}

/// A trademark's or generic term's entry in its office's list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ListedRight {
    pub id: i64,
    /// A trademark's number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// A trademark's Nice classes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<Vec<i32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filed_on: Option<chrono::NaiveDate>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ConflictCandidate {
    /// A GI, or an office's trademark or generic term.
    #[serde(default)]
    pub kind: CandidateKind,
    /// The GI; null for a trademark or generic term.
    pub gi_id: Option<i64>,
    /// The GI's name that collides most; the mark or the term.
    pub name: String,
    /// The GI's origin office; the office that lists the mark or term.
    pub origin_office: String,
    /// The GI's status; a trademark's (`pending`, `registered`); `generic` for a term.
    pub status: String,
    /// 0.35 to 1; see the README for the formula.
    pub score: f64,
    pub reasons: Vec<Reason>,
    /// Where the GI is protected: its origin's jurisdiction once registered, and every
    /// partner's where a recognition protects it; a mark's or term's office's. Sorted.
    pub territories_protected: Vec<String>,
    /// The trademark or generic term, as its office lists it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed: Option<ListedRight>,
}

impl ConflictCandidate {
    /// What it is and its id (GI id, or the listed entry's).
    pub fn key(&self) -> (CandidateKind, i64) {
        let id = match (&self.gi_id, &self.listed) {
            (Some(id), _) => *id,
            (None, Some(listed)) => listed.id,
            (None, None) => 0,
        };
        (self.kind, id)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Conflicts {
    /// Best first; equal scores in GI id order.
    pub items: Vec<ConflictCandidate>,
    /// Pass as `cursor` for the candidates ranked after these; absent after the last.
    pub next_cursor: Option<String>,
}

/// Where a candidate stands in the ranking: its score in thousandths, highest first,
/// then GIs before trademarks before generic terms, then by id. A cursor holds the last
/// one given.
pub type Rank = (i64, CandidateKind, i64);

pub fn rank_of(candidate: &ConflictCandidate) -> Rank {
    let (kind, id) = candidate.key();
    ((candidate.score * 1000.0).round() as i64, kind, id)
}

/// Best first, in ranking order.
pub fn rank_all(found: &mut [ConflictCandidate]) {
    found.sort_by(|a, b| {
        let (ra, rb) = (rank_of(a), rank_of(b));
        rb.0.cmp(&ra.0).then((ra.1, ra.2).cmp(&(rb.1, rb.2)))
    });
}

/// Whether `rank` comes after `cursor` in the ranking.
pub fn ranked_after(rank: Rank, cursor: Rank) -> bool {
    rank.0 < cursor.0 || (rank.0 == cursor.0 && (rank.1, rank.2) > (cursor.1, cursor.2))
}

/// The query's parameters checked: the territory's code and the limit.
pub fn validate(query: &ConflictQuery) -> Result<(Option<String>, usize), AppError> {
    if char_len(&query.name) > 300 {
        return Err(AppError::invalid(
            "name",
            "must be at most 300 characters long",
        ));
    }
    check_visible(&query.name).map_err(|why| AppError::invalid("name", why))?;
    if query_key(&query.name).is_empty() {
        return Err(AppError::invalid(
            "name",
            "has no letters or digits to compare",
        ));
    }
    if let Some(lang) = &query.lang {
        if !is_valid_language_tag(lang) {
            return Err(AppError::invalid("lang", "is not a BCP 47 language tag"));
        }
    }
    if let Some(script) = &query.script {
        if !is_known_script(script) {
            return Err(AppError::invalid(
                "script",
                "is not an ISO 15924 script code",
            ));
        }
        script_fits(&query.name, script).map_err(|why| AppError::invalid("script", why))?;
    }
    let territory = match &query.territory {
        Some(t) => match countries::codes().find(|c| *c == t.to_ascii_uppercase()) {
            Some(code) => Some(code.to_string()),
            None => {
                return Err(AppError::invalid(
                    "territory",
                    "is not an ISO 3166 alpha-2 country code",
                ))
            }
        },
        None => None,
    };
    let limit = query.limit.unwrap_or(20);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    Ok((territory, limit as usize))
}

/// The live GIs `name` collides with, best first, ranked after `cursor` when given, at
/// most `limit`.
pub fn check(
    conn: &mut AnyConnection,
    name: &str,
    territory: Option<&str>,
    cursor: Option<Rank>,
    limit: usize,
) -> Result<Vec<ConflictCandidate>, AppError> {
    let forms = NameForms::of(name);
    let ids = conflict_index::candidates(conn, &forms)?;
    let mut found: Vec<ConflictCandidate> = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let live = live_among(conn, LIVE, chunk)?;
        let live_ids: Vec<i64> = live.iter().map(|g| g.id).collect();
        let mut best: BTreeMap<i64, (f64, Vec<Reason>, String)> = BTreeMap::new();
        for row in names_of(conn, &live_ids)? {
            let (score, reasons) =
                compare(&forms, &NameForms::of(&row.text), row.kind == "translation");
            if reasons.is_empty() {
                continue;
            }
            let entry = best
                .entry(row.gi_id)
                .or_insert((0.0, Vec::new(), String::new()));
            if score > entry.0 {
                *entry = (score, reasons, row.text);
            }
        }
        if best.is_empty() {
            continue;
        }
        let hit_ids: Vec<i64> = best.keys().copied().collect();
        let mut abroad: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (gi_id, jurisdiction) in protected_abroad(conn, &hit_ids)? {
            abroad.entry(gi_id).or_default().push(jurisdiction);
        }
        for gi in live {
            let Some((score, reasons, text)) = best.remove(&gi.id) else {
                continue;
            };
            let mut territories = abroad.remove(&gi.id).unwrap_or_default();
            if gi.status == "registered" {
                territories.push(gi.office_jurisdiction.clone());
            }
            territories.sort();
            territories.dedup();
            if territory.is_some_and(|t| !territories.iter().any(|have| have == t)) {
                continue;
            }
            let candidate = ConflictCandidate {
                kind: CandidateKind::Gi,
                listed: None,
                gi_id: Some(gi.id),
                name: text,
                origin_office: gi.office_code,
                status: gi.status,
                score,
                reasons,
                territories_protected: territories,
            };
            if cursor.is_none_or(|c| ranked_after(rank_of(&candidate), c)) {
                found.push(candidate);
            }
        }
        rank_all(&mut found);
        found.truncate(limit);
    }
    Ok(found)
}
