//! `JsonBody<T>`: the JSON request body. Extraction only reads it (413 beyond the
//! limit); the handler opens it once the caller is known to be one who may write there
//! (`JsonBody::for_caller`, or `JsonBody::for_record` on a route that names a record,
//! whose scope is read first), so a caller who may not gets 401/403 and learns nothing of
//! the body's rules. Opening checks, in this order: content type (415), syntax (400),
//! text without control characters (422), shape and types (422 naming the field), then
//! the `validator` rules (422 listing the fields).

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::Value;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use super::caller::Caller;
use crate::db::{AnyConnection, Database};
use crate::domain::attempts::{Target, Write};
use crate::domain::role::Actor;
use crate::error::{AppError, FieldError};

/// The largest body accepted, as app data; 2 MiB when absent.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimit(pub usize);

/// The body as read, not yet looked at.
pub struct JsonBody<T> {
    is_json: bool,
    bytes: web::Bytes,
    _into: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Validate> JsonBody<T> {
    /// The body, for a caller who may attempt `write` (403 otherwise, whatever it is).
    pub fn for_caller(self, caller: &Caller, write: Write) -> Result<T, AppError> {
        caller.may_attempt(write)?;
        self.open()
    }

    /// The body, for a caller who may attempt `write` on the record that `load` reads:
    /// 403 for a caller outside the record's offices and association, 404 for a record
    /// it may not see, whatever the body is.
    pub async fn for_record<L>(
        self,
        caller: &Caller,
        db: &Database,
        write: Write,
        load: L,
    ) -> Result<T, AppError>
    where
        L: FnOnce(&mut AnyConnection, &Actor) -> Result<Target, AppError> + Send + 'static,
    {
        caller.may_attempt_on_record(db, write, load).await?;
        self.open()
    }

    /// The body, on routes every caller may use (login, refresh, logout, own password).
    pub fn open(self) -> Result<T, AppError> {
        if !self.is_json {
            return Err(AppError::UnsupportedMediaType);
        }
        parse_body(&self.bytes)
    }
}

impl<T: 'static> FromRequest for JsonBody<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<BodyLimit>()
            .or_else(|| req.app_data::<web::Data<BodyLimit>>().map(|d| d.get_ref()))
            .map_or(2 * 1024 * 1024, |l| l.0);
        let is_json =
            req.mime_type().ok().flatten().is_some_and(|mime| {
                mime.subtype() == mime::JSON || mime.suffix() == Some(mime::JSON)
            });
        let declared_length = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_length.is_some_and(|len| len > limit) {
                return Err(AppError::PayloadTooLarge { limit });
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk
                    .map_err(|e| AppError::BadRequest(format!("cannot read the body: {e}")))?;
                if body.len() + chunk.len() > limit {
                    return Err(AppError::PayloadTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(JsonBody {
                is_json,
                bytes: body.freeze(),
                _into: PhantomData,
            })
        })
    }
}

/// Parses and validates a body; public so the rules can be unit-tested.
pub fn parse_body<T: DeserializeOwned + Validate>(body: &[u8]) -> Result<T, AppError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| AppError::MalformedJson(e.to_string()))?;
    let mut bad_text = Vec::new();
    find_control_characters(&value, "", &mut bad_text);
    if !bad_text.is_empty() {
        return Err(AppError::Validation(bad_text));
    }
    let parsed: T = serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.inner().to_string();
        AppError::Validation(vec![FieldError::new(field_of(&path, &message), message)])
    })?;
    parsed
        .validate()
        .map_err(|errors| AppError::Validation(flatten(&errors)))?;
    Ok(parsed)
}

/// Names the offending field. For an unknown field the path already ends with it; for a
/// missing one the path is its parent and the message names it.
fn field_of(path: &str, message: &str) -> String {
    let base = if path == "." { "" } else { path };
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match (missing, base) {
        (Some(name), "") => name.to_string(),
        (Some(name), base) => format!("{base}.{name}"),
        (None, "") => "body".to_string(),
        (None, base) => base.to_string(),
    }
}

/// NUL and other C0 control characters (but tab, newline and carriage return) are
/// refused in every string: PostgreSQL cannot store NUL, and none belongs in a register.
fn find_control_characters(value: &Value, path: &str, out: &mut Vec<FieldError>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(text) if text.chars().any(is_forbidden_control) => {
            let field = if path.is_empty() { "body" } else { path };
            out.push(FieldError::new(field, "contains control characters"));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find_control_characters(item, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                find_control_characters(item, &join(key), out);
            }
        }
        _ => {}
    }
}

fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// `validator`'s nested errors as a flat list of `field` paths.
pub fn flatten(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    flatten_into(errors, "", &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn flatten_into(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for error in list {
                    let message = error
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| describe(error));
                    out.push(FieldError::new(path.clone(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten_into(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    flatten_into(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

fn describe(error: &validator::ValidationError) -> String {
    let param = |name: &str| error.params.get(name).map(|v| v.to_string());
    match error.code.as_ref() {
        "length" => {
            // Lists are counted in items, text in characters.
            let unit = match error.params.get("value") {
                Some(serde_json::Value::Array(_)) => "items",
                _ => "characters",
            };
            match (param("min"), param("max")) {
                (Some(min), Some(max)) if unit == "items" => {
                    format!("must have {min} to {max} items")
                }
                (Some(min), Some(max)) => format!("must be {min} to {max} characters long"),
                (Some(min), None) => format!("must be at least {min} {unit} long"),
                (None, Some(max)) => format!("must be at most {max} {unit} long"),
                _ => "has the wrong length".into(),
            }
        }
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            _ => "is out of range".into(),
        },
        "email" => "must be an e-mail address".into(),
        code => format!("is invalid ({code})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Validate)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        #[validate(length(min = 1, max = 5))]
        name: String,
        #[allow(dead_code)]
        count: i32,
    }

    fn fields(err: AppError) -> Vec<String> {
        match err {
            AppError::Validation(list) => list.into_iter().map(|f| f.field).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_are_400() {
        let err = parse_body::<Sample>(b"{\"name\": ").unwrap_err();
        assert!(matches!(err, AppError::MalformedJson(_)));
    }

    #[test]
    fn shape_errors_name_the_field() {
        assert_eq!(
            fields(parse_body::<Sample>(br#"{"name":"a","count":"x"}"#).unwrap_err()),
            ["count"]
        );
        assert_eq!(
            fields(parse_body::<Sample>(br#"{"name":"a"}"#).unwrap_err()),
            ["count"]
        );
        assert_eq!(
            fields(parse_body::<Sample>(br#"{"name":"a","count":1,"extra":true}"#).unwrap_err()),
            ["extra"]
        );
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        assert!(parse_body::<Sample>("{\"name\":\"龙井茶龙井\",\"count\":1}".as_bytes()).is_ok());
        assert_eq!(
            fields(
                parse_body::<Sample>("{\"name\":\"龙井茶龙井茶\",\"count\":1}".as_bytes())
                    .unwrap_err()
            ),
            ["name"]
        );
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(
            fields(parse_body::<Sample>(br#"{"name":"a\u0000","count":1}"#).unwrap_err()),
            ["name"]
        );
        assert!(parse_body::<Sample>(br#"{"name":"a\nb","count":1}"#).is_ok());
    }
}
