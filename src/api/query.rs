//! The query-string extractor: like `web::Query`, but a value that does not parse
//! (`limit=abc`, `as_of=2026-02-30`, `status=bogus`) is a 422 naming the parameter, as a
//! value out of range is. Parameters a route does not declare never get this far: the
//! request guard refuses them.

use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::{ready, Ready};
use serde::de::DeserializeOwned;

use crate::error::AppError;

#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse(req.query_string()).map(Query))
    }
}

/// Parses a query string, naming the parameter that fails.
pub fn parse<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let pairs = form_urlencoded::parse(query.as_bytes());
    serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(pairs)).map_err(|err| {
        let message = err.inner().to_string();
        let field = match err.path().to_string() {
            // A field missing or given twice is found at the end, with no path: serde
            // names it in the message, between backticks.
            path if path == "." || path.is_empty() => {
                message.split('`').nth(1).unwrap_or("query").to_string()
            }
            path => path,
        };
        AppError::invalid(field, describe(&message))
    })
}

/// serde's messages, in the words of a query string.
fn describe(message: &str) -> String {
    if message.contains("invalid digit") || message.contains("number too large") {
        "must be a whole number".into()
    } else if message.starts_with("duplicate field") {
        "is given more than once".into()
    } else if message.starts_with("missing field") {
        "is required".into()
    } else if message.contains("provided string was not `true` or `false`") {
        "must be true or false".into()
    } else if message.contains("premature end of input")
        || message.contains("input contains invalid characters")
        || message.contains("input is out of range")
        || message.contains("input is not enough")
        || message.contains("trailing input")
    {
        "must be a calendar date, YYYY-MM-DD".into()
    } else {
        message.to_string()
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde::Deserialize;

    use super::*;
    use crate::domain::recognition_status::RecognitionStatus;

    #[derive(Debug, Deserialize)]
    struct Sample {
        limit: Option<i64>,
        as_of: Option<NaiveDate>,
        status: Option<RecognitionStatus>,
        bom: Option<bool>,
        format: Option<String>,
    }

    fn refused(query: &str) -> (String, String) {
        match parse::<Sample>(query) {
            Err(AppError::Validation(fields)) => {
                (fields[0].field.clone(), fields[0].message.clone())
            }
            other => panic!("{query}: {other:?}"),
        }
    }

    #[test]
    fn good_values_parse() {
        let s: Sample = parse("limit=5&as_of=2026-02-28&status=protected&bom=true").unwrap();
        assert_eq!(s.limit, Some(5));
        assert_eq!(s.as_of, NaiveDate::from_ymd_opt(2026, 2, 28));
        assert_eq!(s.status, Some(RecognitionStatus::Protected));
        assert_eq!(s.bom, Some(true));
        assert!(s.format.is_none());
    }

    #[test]
    fn bad_values_name_their_parameter() {
        for (query, field, says) in [
            ("limit=abc", "limit", "whole number"),
            ("limit=1.5", "limit", "whole number"),
            ("limit=99999999999999999999", "limit", "whole number"),
            ("as_of=2026-02-30", "as_of", "calendar date"),
            ("as_of=yesterday", "as_of", "calendar date"),
            ("as_of=", "as_of", "calendar date"),
            ("status=bogus", "status", "unknown variant"),
            ("bom=maybe", "bom", "true or false"),
            ("limit=1&limit=2", "limit", "more than once"),
            (
                "limit=1&as_of=2026-01-01&limit=2",
                "limit",
                "more than once",
            ),
        ] {
            let (got, message) = refused(query);
            assert_eq!(got, field, "{query}");
            assert!(message.contains(says), "{query}: {message}");
        }
    }
}
