//! The audit chain's arithmetic: `hash = SHA-256(prev_hash ‖ canonical JSON of the entry)`.
//! Pure functions, shared by the writer and by `verify`.

use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hashed fields of one entry, exactly as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryFields<'a> {
    pub seq: i64,
    pub recorded_at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor: Option<&'a str>,
    pub office: Option<&'a str>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<&'a str>,
    /// The payload's canonical JSON text, hashed as the text that is stored.
    pub payload: &'a str,
    pub public: bool,
}

impl EntryFields<'_> {
    pub fn canonical_json(&self) -> String {
        let value = serde_json::json!({
            "seq": self.seq,
            "recorded_at": format_timestamp(self.recorded_at),
            "actor_id": self.actor_id,
            "actor": self.actor,
            "office": self.office,
            "action": self.action,
            "entity_type": self.entity_type,
            "entity_id": self.entity_id,
            "payload": self.payload,
            "public": self.public,
        });
        canonical_json(&value)
    }

    pub fn hash(&self, prev_hash: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(prev_hash.as_bytes());
        hasher.update(self.canonical_json().as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// Microseconds, UTC, `Z`: the precision both backends store.
pub fn format_timestamp(at: NaiveDateTime) -> String {
    crate::utc::format(at)
}

/// Keys sorted at every level, no insignificant white space; independent of how
/// serde_json's map happens to be ordered in this build.
pub fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let members: Vec<String> = keys
                .into_iter()
                .map(|key| {
                    format!(
                        "{}:{}",
                        Value::String(key.clone()),
                        canonical_json(&map[key.as_str()])
                    )
                })
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical_json).collect();
            format!("[{}]", items.join(","))
        }
        scalar => scalar.to_string(),
    }
}

/// A payload ready to store: canonical JSON of an object (anything else is wrapped).
pub fn canonical_payload(payload: Value) -> String {
    match payload {
        Value::Object(_) => canonical_json(&payload),
        Value::Null => canonical_json(&Value::Object(Map::new())),
        other => canonical_json(&serde_json::json!({ "value": other })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn entry(payload: &str) -> EntryFields<'_> {
        EntryFields {
            seq: 1,
            recorded_at: NaiveDate::from_ymd_opt(2026, 11, 21)
                .unwrap()
                .and_hms_micro_opt(10, 0, 0, 123_456)
                .unwrap(),
            actor_id: Some(1),
            actor: Some("admin"),
            office: None,
            action: "office.create",
            entity_type: "office",
            entity_id: Some("DIP"),
            payload,
            public: true,
        }
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a = serde_json::json!({"b": 1, "a": {"z": [3, {"y": 1, "x": 2}], "c": "龙井"}});
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"c":"龙井","z":[3,{"x":2,"y":1}]},"b":1}"#
        );
    }

    #[test]
    fn hash_depends_on_every_field_and_the_previous_hash() {
        let base = entry("{}");
        let h = base.hash(GENESIS_HASH);
        assert_eq!(h.len(), 64);
        assert_eq!(h, entry("{}").hash(GENESIS_HASH));
        assert_ne!(h, base.hash(&"1".repeat(64)));
        assert_ne!(h, entry(r#"{"x":1}"#).hash(GENESIS_HASH));
        let mut other = entry("{}");
        other.public = false;
        assert_ne!(h, other.hash(GENESIS_HASH));
        let mut other = entry("{}");
        other.seq = 2;
        assert_ne!(h, other.hash(GENESIS_HASH));
    }

    #[test]
    fn timestamps_keep_microseconds() {
        assert_eq!(
            format_timestamp(entry("{}").recorded_at),
            "2026-11-21T10:00:00.123456Z"
        );
    }

    #[test]
    fn payloads_are_objects() {
        assert_eq!(canonical_payload(Value::Null), "{}");
        assert_eq!(canonical_payload(serde_json::json!(5)), r#"{"value":5}"#);
    }
}
