//! Keyset pagination: `limit` (1–500, default 50) and an opaque `cursor` that encodes the
//! last key seen. Items come in a stable order, so paging never skips or repeats a row.

use base64::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::AppError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// How many items to return, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn limit(&self) -> Result<i64, AppError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(AppError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        Ok(limit)
    }

    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<K>, AppError> {
        self.cursor.as_deref().map(decode_cursor).transpose()
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The JSON of a `Page` whose items are serialised already, byte for byte what
/// serialising the `Page` gives.
pub fn page_of_json(items: &[bytes::Bytes], next_cursor: Option<&str>) -> Vec<u8> {
    let length: usize = items.iter().map(|item| item.len() + 1).sum();
    let mut out = Vec::with_capacity(length + 64);
    out.extend_from_slice(b"{\"items\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item);
    }
    out.extend_from_slice(b"],\"next_cursor\":");
    // A string or null cannot fail to serialise.
    serde_json::to_writer(&mut out, &next_cursor).unwrap_or_default();
    out.push(b'}');
    out
}

impl<T> Page<T> {
    /// `rows` were fetched with `limit + 1`: the extra row only says there is more.
    pub fn from_rows<R, K: Serialize>(
        mut rows: Vec<R>,
        limit: i64,
        key: impl Fn(&R) -> K,
        view: impl Fn(R) -> T,
    ) -> Self {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if more {
            rows.last().map(|last| encode_cursor(&key(last)))
        } else {
            None
        };
        Page {
            items: rows.into_iter().map(view).collect(),
            next_cursor,
        }
    }
}

pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    let json = serde_json::to_vec(key).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

pub fn decode_cursor<K: DeserializeOwned>(cursor: &str) -> Result<K, AppError> {
    let invalid = || AppError::invalid("cursor", "is not a cursor this list gave out");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| invalid())?;
    serde_json::from_slice(&bytes).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let cursor = encode_cursor(&("DIP", 7));
        assert_eq!(
            decode_cursor::<(String, i64)>(&cursor).unwrap(),
            ("DIP".into(), 7)
        );
        assert!(decode_cursor::<(String, i64)>("%%%").is_err());
        assert!(decode_cursor::<i64>(&encode_cursor(&"text")).is_err());
    }

    #[test]
    fn limits_outside_the_range_are_refused() {
        for (limit, ok) in [
            (0, false),
            (1, true),
            (500, true),
            (501, false),
            (-3, false),
        ] {
            let q = PageQuery {
                limit: Some(limit),
                cursor: None,
            };
            assert_eq!(q.limit().is_ok(), ok, "limit {limit}");
        }
    }

    #[test]
    fn the_extra_row_makes_a_cursor() {
        let page = Page::from_rows(vec![1, 2, 3], 2, |r| *r, |r| r * 10);
        assert_eq!(page.items, vec![10, 20]);
        assert_eq!(
            decode_cursor::<i32>(page.next_cursor.as_deref().unwrap()).unwrap(),
            2
        );
        let last = Page::from_rows(vec![1, 2], 2, |r| *r, |r| r);
        assert!(last.next_cursor.is_none());
    }
}

#[cfg(test)]
mod page_json_tests {
    use super::*;

    #[test]
    fn a_page_of_serialised_items_is_the_page_serialised() {
        let items = vec![
            serde_json::json!({"id": 1, "名": "龙井茶"}),
            serde_json::json!({"id": 2}),
        ];
        let bodies: Vec<bytes::Bytes> = items
            .iter()
            .map(|item| serde_json::to_vec(item).unwrap().into())
            .collect();
        for cursor in [None, Some("MTI\"3")] {
            let page = Page {
                items: items.clone(),
                next_cursor: cursor.map(str::to_string),
            };
            assert_eq!(
                page_of_json(&bodies, cursor),
                serde_json::to_vec(&page).unwrap()
            );
        }
        let empty: Page<serde_json::Value> = Page {
            items: vec![],
            next_cursor: None,
        };
        assert_eq!(page_of_json(&[], None), serde_json::to_vec(&empty).unwrap());
    }
}
