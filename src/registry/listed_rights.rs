//! Each office's generic terms and earlier trademarks (issue 13): kept by its examiners
//! and office administrators, read by anyone, and met by the conflict check in that
//! office's territory (`domain::list_matching` says how).

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::acting::Acting;
use super::conflicts::{CandidateKind, ConflictCandidate, ListedRight};
use crate::audit::{AuditActor, AuditRecord};
use crate::db::AnyConnection;
use crate::domain::conflicts::{NameForms, Reason};
use crate::domain::list_matching::{keys_of, lookup_keys, score};
use crate::domain::name_text::check_visible;
use crate::domain::names::is_valid_language_tag;
use crate::domain::permissions::Action;
use crate::error::AppError;
use crate::store::audit;
use crate::store::generic_terms::{self, GenericTermRow, NewGenericTerm};
use crate::store::offices::{self, Office};
use crate::store::trademarks::{self, NewTrademark};

/// The most terms or marks one check reads of each list.
const MOST_MATCHES: i64 = 200;
/// The most marks one request loads.
pub const MOST_MARKS_PER_LOAD: usize = 1000;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTerm {
    /// The term as the office uses it, e.g. `Som O` (pomelo) or `绿茶`.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub term: String,
    /// Its language (BCP 47).
    pub lang: Option<String>,
    /// Why it is generic, or where the office said so.
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TermView {
    pub id: i64,
    pub term: String,
    pub lang: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GenericTerms {
    /// The office's code.
    pub office: String,
    pub items: Vec<TermView>,
}

/// A trademark's standing in its register; only `pending` and `registered` marks take
/// part in the conflict check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrademarkStatus {
    Pending,
    Registered,
    Lapsed,
}

impl TrademarkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Registered => "registered",
            Self::Lapsed => "lapsed",
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrademarkEntry {
    /// The office's number for it; loading a number again replaces the mark.
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    pub number: String,
    /// The word mark.
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    pub mark: String,
    /// Nice classes, 1 to 45.
    #[schema(min_items = 1, max_items = 45)]
    #[validate(length(min = 1, max = 45))]
    pub classes: Vec<i32>,
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    pub owner: String,
    pub filed_on: Option<NaiveDate>,
    pub status: TrademarkStatus,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrademarkLoad {
    /// At most 1,000 marks a request; `terroir trademarks import` loads a whole file.
    #[schema(min_items = 1, max_items = 1000)]
    #[validate(length(min = 1, max = 1000), nested)]
    pub trademarks: Vec<TrademarkEntry>,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct LoadReport {
    /// The office's code.
    pub office: String,
    /// Marks in this load.
    pub loaded: usize,
    /// Of those, numbers not loaded before.
    pub new: usize,
    /// The office's marks in all.
    pub total: i64,
}

fn office(conn: &mut AnyConnection, code: &str) -> Result<Office, AppError> {
    offices::by_code(conn, code)?.ok_or_else(|| AppError::not_found("office"))
}

/// The office, once the caller is known to keep its lists (so that a caller who may not
/// learns nothing of the body's rules).
pub fn authorize(
    conn: &mut AnyConnection,
    acting: &Acting,
    code: &str,
) -> Result<Office, AppError> {
    let office = office(conn, code)?;
    acting.authorize(Action::ManageOfficeLists {
        office_id: office.id,
    })?;
    Ok(office)
}

fn term_view(row: GenericTermRow) -> TermView {
    TermView {
        id: row.id,
        term: row.term,
        lang: row.lang,
        note: row.note,
    }
}

pub fn terms(conn: &mut AnyConnection, code: &str) -> Result<GenericTerms, AppError> {
    let office = office(conn, code)?;
    let items = generic_terms::of_office(conn, office.id)?
        .into_iter()
        .map(term_view)
        .collect();
    Ok(GenericTerms {
        office: office.code,
        items,
    })
}

fn visible(field: &'static str, text: &str) -> Result<(), AppError> {
    check_visible(text).map_err(|why| AppError::invalid(field, why))?;
    if text.trim().is_empty() {
        return Err(AppError::invalid(field, "must not be blank"));
    }
    Ok(())
}

pub fn add_term(
    conn: &mut AnyConnection,
    acting: &Acting,
    code: &str,
    body: NewTerm,
) -> Result<TermView, AppError> {
    let office = authorize(conn, acting, code)?;
    visible("term", &body.term)?;
    if let Some(note) = &body.note {
        visible("note", note)?;
    }
    if body
        .lang
        .as_deref()
        .is_some_and(|l| !is_valid_language_tag(l))
    {
        return Err(AppError::invalid("lang", "is not a BCP 47 language tag"));
    }
    let (match_key, phonetic_key) = keys_of(&body.term);
    if match_key.is_empty() {
        return Err(AppError::invalid("term", "has no letters or digits"));
    }
    if let Some(known) = generic_terms::by_key(conn, office.id, &match_key)? {
        return Err(AppError::Conflict {
            code: "duplicate",
            message: format!(
                "{} already lists this term, as \"{}\"",
                office.code, known.term
            ),
            details: json!({ "id": known.id }),
        });
    }
    let new = NewGenericTerm {
        office_id: office.id,
        term: body.term.trim().to_string(),
        lang: body.lang,
        note: body.note,
        match_key,
        phonetic_key,
        created_at: Utc::now().naive_utc(),
    };
    let id = generic_terms::insert(conn, &new)?;
    audit::append(
        conn,
        AuditRecord::new(
            &acting.audit,
            "generic_term.create",
            "generic_term",
            id,
            json!({ "office": office.code, "term": new.term, "lang": new.lang }),
        ),
    )?;
    Ok(TermView {
        id,
        term: new.term,
        lang: new.lang,
        note: new.note,
    })
}

/// The row a mark is stored as, or the field at fault and why.
pub fn new_mark(
    office_id: i64,
    entry: &TrademarkEntry,
    now: chrono::NaiveDateTime,
) -> Result<NewTrademark, (&'static str, String)> {
    for (field, text) in [
        ("number", &entry.number),
        ("mark", &entry.mark),
        ("owner", &entry.owner),
    ] {
        check_visible(text).map_err(|why| (field, why))?;
        if text.trim().is_empty() {
            return Err((field, "must not be blank".into()));
        }
    }
    if let Some(class) = entry.classes.iter().find(|c| !(1..=45).contains(*c)) {
        return Err(("classes", format!("{class} is not a Nice class (1 to 45)")));
    }
    let (match_key, phonetic_key) = keys_of(&entry.mark);
    if match_key.is_empty() {
        return Err(("mark", "has no letters or digits".into()));
    }
    let mut classes = entry.classes.clone();
    classes.sort_unstable();
    classes.dedup();
    Ok(NewTrademark {
        office_id,
        number: entry.number.trim().to_string(),
        mark: entry.mark.trim().to_string(),
        classes: classes
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(","),
        owner: entry.owner.trim().to_string(),
        filed_on: entry.filed_on,
        status: entry.status.as_str().into(),
        match_key,
        phonetic_key,
        created_at: now,
    })
}

/// Loads marks into `office`'s list (a number loaded before is replaced) and audits the
/// load as one entry.
pub fn load_trademarks(
    conn: &mut AnyConnection,
    who: &AuditActor,
    office: &Office,
    entries: &[TrademarkEntry],
) -> Result<LoadReport, AppError> {
    let now = Utc::now().naive_utc();
    let mut marks = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let mark = new_mark(office.id, entry, now)
            .map_err(|(field, why)| AppError::invalid(format!("trademarks[{i}].{field}"), why))?;
        marks.push(mark);
    }
    let mut numbers: Vec<&str> = marks.iter().map(|m| m.number.as_str()).collect();
    numbers.sort_unstable();
    if let Some(twice) = numbers.windows(2).find(|w| w[0] == w[1]) {
        return Err(AppError::invalid(
            "trademarks",
            format!("the number {} is given twice", twice[0]),
        ));
    }
    let new = trademarks::load(conn, office.id, &marks)?;
    let total = trademarks::count_of_office(conn, office.id)?;
    record_load(conn, who, office, marks.len(), new, total)
}

/// Loads a batch of marks already made by [`new_mark`] (numbers distinct) into the
/// office's list, of which `total_before` were there before: the bulk import's step,
/// which does not count the list anew for every batch.
pub fn load_new_marks(
    conn: &mut AnyConnection,
    who: &AuditActor,
    office: &Office,
    marks: &[NewTrademark],
    total_before: i64,
) -> Result<LoadReport, AppError> {
    let new = trademarks::load(conn, office.id, marks)?;
    record_load(
        conn,
        who,
        office,
        marks.len(),
        new,
        total_before + new as i64,
    )
}

fn record_load(
    conn: &mut AnyConnection,
    who: &AuditActor,
    office: &Office,
    loaded: usize,
    new: usize,
    total: i64,
) -> Result<LoadReport, AppError> {
    audit::append(
        conn,
        AuditRecord::new(
            who,
            "trademarks.load",
            "office",
            &office.code,
            json!({ "loaded": loaded, "new": new, "total": total }),
        ),
    )?;
    Ok(LoadReport {
        office: office.code.clone(),
        loaded,
        new,
        total,
    })
}

/// The generic terms and live earlier trademarks `name` meets, in `territory` when
/// given, best first.
pub fn check(
    conn: &mut AnyConnection,
    name: &str,
    territory: Option<&str>,
) -> Result<Vec<ConflictCandidate>, AppError> {
    let forms = NameForms::of(name);
    let keys = lookup_keys(&forms);
    let codes = forms.phonetic().to_vec();
    let mut found = Vec::new();
    for (row, office_code, jurisdiction) in
        trademarks::matching(conn, &keys, &codes, territory, MOST_MATCHES)?
    {
        let Some(score) = score(&forms, &row.match_key, row.phonetic_key.as_deref()) else {
            continue;
        };
        found.push(ConflictCandidate {
            kind: CandidateKind::Trademark,
            gi_id: None,
            name: row.mark,
            origin_office: office_code,
            status: row.status,
            score,
            reasons: vec![Reason::EarlierTrademark],
            territories_protected: vec![jurisdiction],
            listed: Some(ListedRight {
                id: row.id,
                number: Some(row.number),
                classes: Some(
                    row.classes
                        .split(',')
                        .filter_map(|c| c.parse().ok())
                        .collect(),
                ),
                owner: Some(row.owner),
                filed_on: row.filed_on,
            }),
        });
    }
    for (row, office_code, jurisdiction) in
        generic_terms::matching(conn, &keys, &codes, territory, MOST_MATCHES)?
    {
        let Some(score) = score(&forms, &row.match_key, row.phonetic_key.as_deref()) else {
            continue;
        };
        found.push(ConflictCandidate {
            kind: CandidateKind::GenericTerm,
            gi_id: None,
            name: row.term,
            origin_office: office_code,
            status: "generic".into(),
            score,
            reasons: vec![Reason::GenericTerm],
            territories_protected: vec![jurisdiction],
            listed: Some(ListedRight {
                id: row.id,
                number: None,
                classes: None,
                owner: None,
                filed_on: None,
            }),
        });
    }
    super::conflicts::rank_all(&mut found);
    Ok(found)
}
