//! Recognitions: one per (programme, GI, partner office).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{offices, programmes, recognitions};
use crate::db::AnyConnection;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = recognitions)]
pub struct Recognition {
    pub id: i64,
    pub programme_id: i64,
    pub gi_id: i64,
    pub origin_office_id: i64,
    pub partner_office_id: i64,
    pub status: String,
    pub list_label: Option<String>,
    pub submitted_on: NaiveDate,
    pub decision_deadline: NaiveDate,
    pub published_on: Option<NaiveDate>,
    pub opposition_deadline: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub protected_from: Option<NaiveDate>,
    pub limitations: Option<String>,
    pub phase_out_until: Option<NaiveDate>,
    pub grounds: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// JSON of the deadlines' `calendar::Deadline`s.
    pub opposition_deadline_basis: Option<String>,
    pub decision_deadline_basis: Option<String>,
    /// With a refusal or an invalidation: the remedies open to the holder and the last
    /// day to use them.
    pub remedies: Option<String>,
    pub remedy_deadline: Option<NaiveDate>,
    /// Where the partner's publication can be read.
    pub publication_reference: Option<String>,
    /// A JSON array: who may go on using the name until `phase_out_until`.
    pub phase_out_beneficiaries: Option<String>,
    /// Who decided an invalidation (a court, the office, a board).
    pub deciding_authority: Option<String>,
    /// A JSON array of `EarlierRight`s a refusal or invalidation rests on.
    pub earlier_rights: Option<String>,
    /// A JSON array of `ExcludedName`s: the names a protection leaves out, with reasons.
    pub excluded_names: Option<String>,
    /// A JSON array of `CoexistingRight`s: earlier rights a protection coexists with.
    pub coexisting_rights: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = recognitions)]
pub struct NewRecognition {
    pub programme_id: i64,
    pub gi_id: i64,
    pub origin_office_id: i64,
    pub partner_office_id: i64,
    pub status: String,
    pub list_label: Option<String>,
    pub submitted_on: NaiveDate,
    pub decision_deadline: NaiveDate,
    pub decision_deadline_basis: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a transition changes. `Some(None)` clears a field.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = recognitions)]
pub struct RecognitionChanges {
    pub status: Option<String>,
    pub published_on: Option<NaiveDate>,
    pub opposition_deadline: Option<NaiveDate>,
    pub opposition_deadline_basis: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub protected_from: Option<Option<NaiveDate>>,
    pub limitations: Option<Option<String>>,
    pub phase_out_until: Option<Option<NaiveDate>>,
    pub grounds: Option<Option<String>>,
    pub remedies: Option<Option<String>>,
    pub remedy_deadline: Option<Option<NaiveDate>>,
    pub publication_reference: Option<Option<String>>,
    pub phase_out_beneficiaries: Option<Option<String>>,
    pub deciding_authority: Option<Option<String>>,
    pub earlier_rights: Option<Option<String>>,
    pub excluded_names: Option<Option<String>>,
    pub coexisting_rights: Option<Option<String>>,
    pub decision_deadline: Option<NaiveDate>,
    pub decision_deadline_basis: Option<String>,
}

pub fn insert(conn: &mut AnyConnection, new: &NewRecognition) -> Result<i64, AppError> {
    Ok(diesel::insert_into(recognitions::table)
        .values(new)
        .returning(recognitions::id)
        .get_result(conn)?)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Recognition>, AppError> {
    Ok(recognitions::table
        .find(id)
        .select(Recognition::as_select())
        .first(conn)
        .optional()?)
}

pub fn exists(
    conn: &mut AnyConnection,
    programme_id: i64,
    gi_id: i64,
    partner_office_id: i64,
) -> Result<bool, AppError> {
    Ok(diesel::select(diesel::dsl::exists(
        recognitions::table
            .filter(recognitions::programme_id.eq(programme_id))
            .filter(recognitions::gi_id.eq(gi_id))
            .filter(recognitions::partner_office_id.eq(partner_office_id)),
    ))
    .get_result(conn)?)
}

pub fn of_gi(conn: &mut AnyConnection, gi_id: i64) -> Result<Vec<Recognition>, AppError> {
    Ok(recognitions::table
        .filter(recognitions::gi_id.eq(gi_id))
        .select(Recognition::as_select())
        .order(recognitions::id.asc())
        .load(conn)?)
}

/// A GI's recognitions in id order: (id, the programme's code, the partner office's code
/// and jurisdiction).
pub fn of_gi_with_codes(
    conn: &mut AnyConnection,
    gi_id: i64,
) -> Result<Vec<(i64, String, String, String)>, AppError> {
    Ok(recognitions::table
        .inner_join(programmes::table)
        .inner_join(offices::table.on(offices::id.eq(recognitions::partner_office_id)))
        .filter(recognitions::gi_id.eq(gi_id))
        .select((
            recognitions::id,
            programmes::code,
            offices::code,
            offices::jurisdiction,
        ))
        .order(recognitions::id.asc())
        .load(conn)?)
}

pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    version: i32,
    changes: &RecognitionChanges,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let updated = diesel::update(
        recognitions::table
            .filter(recognitions::id.eq(id))
            .filter(recognitions::version.eq(version)),
    )
    .set((
        changes,
        recognitions::version.eq(version + 1),
        recognitions::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

#[derive(Clone, Debug, Default)]
pub struct RecognitionFilter {
    pub programme_id: Option<i64>,
    pub partner_office_id: Option<i64>,
    pub origin_office_id: Option<i64>,
    pub status: Option<String>,
}

/// The recognitions `filter` selects, in id order after `after_id`, at most `limit`.
fn filtered(
    filter: &RecognitionFilter,
    after_id: i64,
    limit: i64,
) -> recognitions::BoxedQuery<'static, <AnyConnection as diesel::Connection>::Backend> {
    let mut query = recognitions::table
        .filter(recognitions::id.gt(after_id))
        .order(recognitions::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(id) = filter.programme_id {
        query = query.filter(recognitions::programme_id.eq(id));
    }
    if let Some(id) = filter.partner_office_id {
        query = query.filter(recognitions::partner_office_id.eq(id));
    }
    if let Some(id) = filter.origin_office_id {
        query = query.filter(recognitions::origin_office_id.eq(id));
    }
    if let Some(status) = filter.status.clone() {
        query = query.filter(recognitions::status.eq(status));
    }
    query
}

/// Recognitions in id order after `after_id`.
pub fn list(
    conn: &mut AnyConnection,
    filter: &RecognitionFilter,
    after_id: i64,
    limit: i64,
) -> Result<Vec<Recognition>, AppError> {
    Ok(filtered(filter, after_id, limit)
        .select(Recognition::as_select())
        .load(conn)?)
}

/// Recognitions of a programme still awaiting the partner's decision.
pub fn pending_of_programme(
    conn: &mut AnyConnection,
    programme_id: i64,
) -> Result<Vec<Recognition>, AppError> {
    Ok(recognitions::table
        .filter(recognitions::programme_id.eq(programme_id))
        .filter(recognitions::status.eq_any(["submitted", "under_examination", "published"]))
        .select(Recognition::as_select())
        .order(recognitions::id.asc())
        .load(conn)?)
}

/// Live recognitions whose decision period ended before `today` in a programme with
/// tacit protection, in a status the sweep may protect.
pub fn tacit_candidates(
    conn: &mut AnyConnection,
    programme_ids: &[i64],
    today: NaiveDate,
) -> Result<Vec<Recognition>, AppError> {
    if programme_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(recognitions::table
        .filter(recognitions::programme_id.eq_any(programme_ids))
        .filter(recognitions::status.eq_any(["submitted", "under_examination"]))
        .filter(recognitions::decision_deadline.lt(today))
        .select(Recognition::as_select())
        .order(recognitions::id.asc())
        .load(conn)?)
}

/// How many recognitions of a programme involve any of `office_ids`, as origin or partner.
pub fn count_involving(
    conn: &mut AnyConnection,
    programme_id: i64,
    office_ids: &[i64],
) -> Result<i64, AppError> {
    if office_ids.is_empty() {
        return Ok(0);
    }
    Ok(recognitions::table
        .filter(recognitions::programme_id.eq(programme_id))
        .filter(
            recognitions::partner_office_id
                .eq_any(office_ids)
                .or(recognitions::origin_office_id.eq_any(office_ids)),
        )
        .count()
        .get_result(conn)?)
}

/// What a list export reads of a recognition; its state on the date comes from events.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = recognitions)]
pub struct Listed {
    pub id: i64,
    pub programme_id: i64,
    pub gi_id: i64,
    pub origin_office_id: i64,
    pub partner_office_id: i64,
    pub list_label: Option<String>,
}

/// [`list`], reading only [`Listed`]'s columns (no dates to parse).
pub fn list_listed(
    conn: &mut AnyConnection,
    filter: &RecognitionFilter,
    after_id: i64,
    limit: i64,
) -> Result<Vec<Listed>, AppError> {
    Ok(filtered(filter, after_id, limit)
        .select(Listed::as_select())
        .load(conn)?)
}
