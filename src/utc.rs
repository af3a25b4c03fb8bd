//! Times are UTC: stored as naive timestamps, shown as RFC 3339 with microseconds and
//! `Z` (the precision both backends keep).

use chrono::NaiveDateTime;
use serde::Serializer;

pub fn format(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn serialize<S: Serializer>(at: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(*at))
}

pub fn serialize_option<S: Serializer>(
    at: &Option<NaiveDateTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => serialize(at, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    #[test]
    fn rfc_3339_with_microseconds_and_z() {
        let at = NaiveDate::from_ymd_opt(2026, 11, 21)
            .unwrap()
            .and_hms_nano_opt(22, 24, 44, 367_793_211)
            .unwrap();
        assert_eq!(super::format(at), "2026-11-21T22:24:44.367793Z");
        let json = serde_json::to_string(&At { at }).unwrap();
        assert_eq!(json, r#"{"at":"2026-11-21T22:24:44.367793Z"}"#);
    }

    #[derive(serde::Serialize)]
    struct At {
        #[serde(serialize_with = "super::serialize")]
        at: chrono::NaiveDateTime,
    }
}
