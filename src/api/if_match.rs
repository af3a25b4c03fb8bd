//! `If-Match` and `ETag`: the ETag of a resource is its version, `"7"`.

use actix_web::http::header::{HeaderValue, IF_MATCH};
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::{ready, Ready};

use crate::error::AppError;

/// The version the client last saw, if it sent `If-Match` (`*` means any).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IfMatch(pub Option<i32>);

impl IfMatch {
    /// 412 unless the client's version is the current one (or it sent none).
    pub fn check(self, current: i32) -> Result<(), AppError> {
        match self.0 {
            Some(expected) if expected != current => Err(AppError::PreconditionFailed { current }),
            _ => Ok(()),
        }
    }

    /// Like `check`, but the header is required.
    pub fn require(self, current: i32) -> Result<(), AppError> {
        match self.0 {
            None => Err(AppError::BadRequest(
                "this update requires an If-Match header with the version (ETag) you read".into(),
            )),
            Some(_) => self.check(current),
        }
    }
}

pub fn etag(version: i32) -> (actix_web::http::header::HeaderName, String) {
    (actix_web::http::header::ETAG, format!("\"{version}\""))
}

fn parse(value: &HeaderValue) -> Result<Option<i32>, AppError> {
    let bad = || AppError::BadRequest("If-Match must be an ETag such as \"3\"".into());
    let text = value.to_str().map_err(|_| bad())?.trim();
    if text == "*" {
        return Ok(None);
    }
    let text = text.strip_prefix("W/").unwrap_or(text);
    let text = text.trim_matches('"');
    text.parse::<i32>().map(Some).map_err(|_| bad())
}

impl FromRequest for IfMatch {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(match req.headers().get(IF_MATCH) {
            None => Ok(IfMatch(None)),
            Some(value) => parse(value).map(IfMatch),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_clients_send() {
        for (raw, expected) in [
            ("\"3\"", Some(3)),
            ("3", Some(3)),
            ("W/\"4\"", Some(4)),
            ("*", None),
        ] {
            assert_eq!(
                parse(&HeaderValue::from_static(raw)).unwrap(),
                expected,
                "{raw}"
            );
        }
        assert!(parse(&HeaderValue::from_static("\"abc\"")).is_err());
    }

    #[test]
    fn stale_versions_fail() {
        assert!(IfMatch(Some(2)).check(2).is_ok());
        assert!(matches!(
            IfMatch(Some(1)).check(2),
            Err(AppError::PreconditionFailed { current: 2 })
        ));
        assert!(IfMatch(None).check(2).is_ok());
        assert!(IfMatch(None).require(2).is_err());
    }
}
