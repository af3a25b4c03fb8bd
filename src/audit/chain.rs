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
    /// The canonical JSON the chain hashes, through a `Value` (the definition; kept for
    /// the test that holds [`Self::write_canonical_json`] to it).
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

    /// The same bytes as [`Self::canonical_json`], written straight into `out`: the keys
    /// in their sorted order, strings escaped as serde_json escapes them.
    pub fn write_canonical_json(&self, out: &mut Vec<u8>) {
        use std::io::Write;
        fn string(out: &mut Vec<u8>, text: &str) {
            // Writing a str into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, text);
        }
        fn optional(out: &mut Vec<u8>, text: Option<&str>) {
            match text {
                Some(text) => string(out, text),
                None => out.extend_from_slice(b"null"),
            }
        }
        out.extend_from_slice(b"{\"action\":");
        string(out, self.action);
        out.extend_from_slice(b",\"actor\":");
        optional(out, self.actor);
        out.extend_from_slice(b",\"actor_id\":");
        match self.actor_id {
            Some(id) => {
                let _ = write!(out, "{id}");
            }
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"entity_id\":");
        optional(out, self.entity_id);
        out.extend_from_slice(b",\"entity_type\":");
        string(out, self.entity_type);
        out.extend_from_slice(b",\"office\":");
        optional(out, self.office);
        out.extend_from_slice(b",\"payload\":");
        string(out, self.payload);
        out.extend_from_slice(if self.public {
            b",\"public\":true,\"recorded_at\":\""
        } else {
            b",\"public\":false,\"recorded_at\":\""
        });
        write_timestamp(out, self.recorded_at);
        out.extend_from_slice(b"\",\"seq\":");
        let _ = write!(out, "{}", self.seq);
        out.push(b'}');
    }

    pub fn hash(&self, prev_hash: &str) -> String {
        hex::encode(self.digest(prev_hash, &mut Vec::new()))
    }

    /// The SHA-256 of `prev_hash` and the canonical JSON, `scratch` being room for the
    /// latter (reused from entry to entry by `verify`).
    pub fn digest(&self, prev_hash: &str, scratch: &mut Vec<u8>) -> [u8; 32] {
        scratch.clear();
        self.write_canonical_json(scratch);
        let mut hasher = Sha256::new();
        hasher.update(prev_hash.as_bytes());
        hasher.update(&scratch[..]);
        hasher.finalize().into()
    }
}

/// [`format_timestamp`] without a format string, for the years 0 to 9999 (any other,
/// and a leap second, goes through the format string).
fn write_timestamp(out: &mut Vec<u8>, at: NaiveDateTime) {
    use chrono::{Datelike, Timelike};
    let nanos = at.nanosecond();
    if !(0..=9999).contains(&at.year()) || nanos >= 1_000_000_000 {
        out.extend_from_slice(format_timestamp(at).as_bytes());
        return;
    }
    let parts: [(Option<u8>, u32, usize); 7] = [
        (None, at.year() as u32, 4),
        (Some(b'-'), at.month(), 2),
        (Some(b'-'), at.day(), 2),
        (Some(b'T'), at.hour(), 2),
        (Some(b':'), at.minute(), 2),
        (Some(b':'), at.second(), 2),
        (Some(b'.'), nanos / 1000, 6),
    ];
    for (separator, value, width) in parts {
        out.extend(separator);
        let mut digits = [b'0'; 6];
        let mut rest = value;
        for slot in digits[..width].iter_mut().rev() {
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        out.extend_from_slice(&digits[..width]);
    }
    out.push(b'Z');
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
    fn the_direct_writer_gives_the_canonical_bytes() {
        let at = |y, mo, d, h, mi, s, n| {
            NaiveDate::from_ymd_opt(y, mo, d)
                .unwrap()
                .and_hms_nano_opt(h, mi, s, n)
                .unwrap()
        };
        let times = [
            at(2026, 11, 21, 10, 0, 0, 123_456_000),
            at(2026, 1, 2, 3, 4, 5, 0),
            at(999, 12, 31, 23, 59, 59, 999_999_999),
            at(12345, 6, 7, 8, 9, 10, 5_000),
            at(2026, 6, 30, 23, 59, 59, 1_500_000_000),
        ];
        let payloads = [
            "{}",
            r#"{"text":"龙井 \"quoted\" \\ back","n":1}"#,
            "tab\tnew\nline\u{1}\u{7f}\u{2028}",
        ];
        for (i, recorded_at) in times.into_iter().enumerate() {
            for payload in payloads {
                let mut e = entry(payload);
                e.recorded_at = recorded_at;
                e.seq = i as i64 * 1_000_003 - 1;
                e.actor_id = (i % 2 == 0).then_some(-(i as i64));
                e.actor = (i % 3 != 0).then_some("ádmin \"x\"");
                e.office = (i % 2 == 1).then_some("CNIPA");
                e.entity_id = (i != 2).then_some("a\\b");
                e.public = i % 2 == 0;
                let mut direct = Vec::new();
                e.write_canonical_json(&mut direct);
                assert_eq!(String::from_utf8(direct).unwrap(), e.canonical_json());
            }
        }
    }

    #[test]
    fn a_hash_of_an_existing_chain_is_unchanged() {
        // Computed outside Rust (Python's hashlib over the canonical JSON): databases
        // written before the direct writer still verify.
        let payload = r#"{"code":"DIP","name":"龙井"}"#;
        assert_eq!(
            entry(payload).hash(GENESIS_HASH),
            "30fc2f10aa80b3aea5554ebfe92f51c643b4746188ebad262e064987d9ddbf2f"
        );
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
