//! Each exported recognition's state on the date, from its events: only the newest event
//! up to the date is read, and its details are parsed straight into a [`Snapshot`].

use serde::Deserialize;

use crate::registry::recognition_views::Snapshot;

#[derive(Deserialize)]
struct Details {
    recognition: Snapshot,
}

/// The snapshot an event's details carry, as [`Snapshot::as_of`] reads it: the
/// `recognition` member of a JSON object, None when it is missing or not a snapshot.
pub fn snapshot_in(details: &str) -> Option<Snapshot> {
    // A typed parse is several times faster than going through a `Value`; it is taken
    // only for an object (a derived struct would also accept an array) and anything it
    // refuses (a repeated key, say) is read the general way.
    if details.trim_start().starts_with('{') {
        if let Ok(parsed) = serde_json::from_str::<Details>(details) {
            return Some(parsed.recognition);
        }
    }
    serde_json::from_str::<serde_json::Value>(details)
        .ok()
        .and_then(|d| serde_json::from_value(d.get("recognition")?.clone()).ok())
}

/// The state on the date of one recognition, from the details of its events up to the
/// date, oldest first: the newest that carries a snapshot.
pub fn state_of<'a>(details: impl DoubleEndedIterator<Item = &'a str>) -> Option<Snapshot> {
    details.rev().find_map(snapshot_in)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typed_and_the_general_reading_agree() {
        let cases = [
            r#"{"recognition":{"status":"protected","submitted_on":"2025-01-10","protected_from":"2025-06-01","limitations":"x"},"other":[1,2]}"#,
            r#"{"other":1}"#,
            r#"{"recognition":null}"#,
            r#"{"recognition":{"submitted_on":"2025-01-10"}}"#,
            r#"{"recognition":{"status":"a"},"recognition":{"status":"b"}}"#,
            r#"[{"status":"protected"}]"#,
            r#"not json"#,
            r#" {"recognition":{"status":"submitted","grounds":"龙井 \"x\""}}"#,
        ];
        for details in cases {
            let general = serde_json::from_str::<serde_json::Value>(details)
                .ok()
                .and_then(|d| {
                    serde_json::from_value::<Snapshot>(d.get("recognition")?.clone()).ok()
                });
            assert_eq!(snapshot_in(details), general, "{details}");
        }
        assert_eq!(snapshot_in(cases[4]).unwrap().status, "b");
    }

    #[test]
    fn the_newest_snapshot_wins_and_older_ones_stand_in() {
        let submitted = r#"{"recognition":{"status":"submitted"}}"#;
        let protected = r#"{"recognition":{"status":"protected"}}"#;
        let state = |list: &[&'static str]| state_of(list.iter().copied()).map(|s| s.status);
        assert_eq!(state(&[submitted, protected]).as_deref(), Some("protected"));
        assert_eq!(state(&[submitted, "{}"]).as_deref(), Some("submitted"));
        assert_eq!(state(&["{}"]), None);
        assert_eq!(state(&[]), None);
    }
}
