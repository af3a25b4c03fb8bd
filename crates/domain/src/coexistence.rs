//! Coexistence: an opposition on an earlier right settled by letting both stand (EU–China
//! agreement Art. 6(4)). The right and the terms are recorded on the opposition, and the
//! protection that follows lists the right among those it coexists with.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::earlier_rights::EarlierRight;

/// An earlier right a protection coexists with, and on what terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CoexistingRight {
    /// The opposition settled by this coexistence.
    pub opposition_id: i64,
    pub right: EarlierRight,
    /// The terms of coexistence, e.g. "the mark is used only with the owner's house
    /// name, never alone on tea".
    pub terms: String,
}

/// The most characters of settlement terms.
pub const MAX_TERMS: usize = 10_000;

/// The rights stored as a JSON array (none when absent).
pub fn parsed(stored: Option<&str>) -> Vec<CoexistingRight> {
    stored
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

/// As stored: a JSON array, or None when there are none.
pub fn stored(rights: &[CoexistingRight]) -> Option<String> {
    (!rights.is_empty()).then(|| serde_json::json!(rights).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::earlier_rights::EarlierRightKind;

    #[test]
    fn rights_are_stored_as_a_json_array_and_none_as_nothing() {
        let right = CoexistingRight {
            opposition_id: 7,
            right: EarlierRight {
                kind: EarlierRightKind::Trademark,
                number: Some("TH 181112345".into()),
                territory: Some("TH".into()),
                owner: None,
                classes: vec![30],
                description: None,
            },
            terms: "only with the house name".into(),
        };
        assert_eq!(stored(&[]), None);
        let json = stored(std::slice::from_ref(&right)).unwrap();
        assert!(json.starts_with('['), "{json}");
        assert_eq!(parsed(Some(&json)), vec![right]);
        assert_eq!(parsed(None), vec![]);
        assert_eq!(parsed(Some("not json")), vec![]);
    }
}
