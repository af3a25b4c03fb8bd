//! Listing and searching the register.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::db::AnyConnection;
use crate::domain::gi::{GiType, ProductType};
use crate::domain::gi_status::GiStatus;
use crate::domain::names::query_key;
use crate::domain::permissions::draft_scope;
use crate::domain::role::Actor;
use crate::error::AppError;
use crate::store::gis::{self, GiFilter, GiWithOffice, ListedStamp};
use crate::store::offices;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GiQuery {
    /// Any name of the GI, in any script; case-, width- and accent-insensitive;
    /// Traditional or Simplified Chinese; Chinese names also by toneless pinyin, Thai
    /// names without tone marks and by RTGS romanisation (ph/p, th/t, kh/k, oo/u alike).
    pub q: Option<String>,
    /// The origin office's code.
    pub origin: Option<String>,
    pub status: Option<GiStatus>,
    pub gi_type: Option<GiType>,
    pub product_type: Option<ProductType>,
    pub product_class: Option<String>,
    /// A country of origin, ISO 3166-1 alpha-2 (`CN`, `th`): cross-border GIs are found
    /// under each of their countries.
    pub country: Option<String>,
}

/// One page of GIs the reader may see, in id order after `after_id` (`limit + 1` rows
/// are fetched so the caller can tell whether more follow).
pub fn search(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    query: &GiQuery,
    after_id: i64,
    fetch: i64,
) -> Result<Vec<GiWithOffice>, AppError> {
    match filter_of(conn, query)? {
        Some(filter) => gis::list(conn, &filter, draft_scope(reader), after_id, fetch),
        None => Ok(Vec::new()),
    }
}

/// `search`'s page as ids with the stamps of their last change.
pub fn search_stamps(
    conn: &mut AnyConnection,
    reader: Option<&Actor>,
    query: &GiQuery,
    after_id: i64,
    fetch: i64,
) -> Result<Vec<ListedStamp>, AppError> {
    match filter_of(conn, query)? {
        Some(filter) => gis::list_stamps(conn, &filter, draft_scope(reader), after_id, fetch),
        None => Ok(Vec::new()),
    }
}

/// The query as a filter, refusing bad values; None when it names no office, so that
/// nothing can match.
fn filter_of(conn: &mut AnyConnection, query: &GiQuery) -> Result<Option<GiFilter>, AppError> {
    let origin_office_id = match &query.origin {
        Some(code) => match offices::by_code(conn, code)? {
            Some(office) => Some(office.id),
            None => return Ok(None),
        },
        None => None,
    };
    let name_key = match query.q.as_deref().map(query_key) {
        Some(key) if !key.is_empty() => Some(key),
        Some(_) => {
            return Err(AppError::invalid(
                "q",
                "has no letters or digits to search for",
            ))
        }
        None => None,
    };
    if query.q.as_ref().is_some_and(|q| q.chars().count() > 300) {
        return Err(AppError::invalid(
            "q",
            "must be at most 300 characters long",
        ));
    }
    let country = match query.country.as_deref() {
        Some(code) if code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(code.to_ascii_uppercase())
        }
        Some(_) => {
            return Err(AppError::invalid(
                "country",
                "must be a two-letter ISO 3166-1 code, e.g. CN",
            ))
        }
        None => None,
    };
    let filter = GiFilter {
        origin_office_id,
        status: query.status.map(|s| s.as_str().to_string()),
        gi_type: query.gi_type.map(|t| t.as_str().to_string()),
        product_type: query.product_type.map(|t| t.as_str().to_string()),
        product_class: query.product_class.clone(),
        country,
        name_key,
        association_id: None,
    };
    Ok(Some(filter))
}

/// One page of the GIs an association applied for (its drafts among them), in id order
/// after `after_id`, as `reader` may see them.
pub fn of_association(
    conn: &mut AnyConnection,
    reader: &Actor,
    association_id: i64,
    after_id: i64,
    fetch: i64,
) -> Result<Vec<GiWithOffice>, AppError> {
    let filter = GiFilter {
        association_id: Some(association_id),
        ..Default::default()
    };
    gis::list(conn, &filter, draft_scope(Some(reader)), after_id, fetch)
}
