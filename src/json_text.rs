//! JSON kept as text in the database (the MultiConnection has no JSON type) but shown
//! as JSON: `#[serde(serialize_with = "crate::json_text::serialize")]` on a `String`
//! field writes the object it holds, not a string holding it. The stored text, and so
//! every audit hash over it, is unchanged.

use serde::{Serialize, Serializer};

pub fn serialize<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => value.serialize(serializer),
        // Not JSON (never written so): shown as the text it is.
        Err(_) => serializer.serialize_str(text),
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize)]
    struct Row {
        #[serde(serialize_with = "super::serialize")]
        payload: String,
    }

    #[test]
    fn the_object_is_shown_not_its_text() {
        let row = Row {
            payload: r#"{"a":1,"b":["x"]}"#.into(),
        };
        assert_eq!(
            serde_json::to_string(&row).unwrap(),
            r#"{"payload":{"a":1,"b":["x"]}}"#
        );
        let odd = Row {
            payload: "not json".into(),
        };
        assert_eq!(
            serde_json::to_string(&odd).unwrap(),
            r#"{"payload":"not json"}"#
        );
    }
}
