//! The one error type of the service and its HTTP mapping: every failure leaves as
//! `{"error": {"code", "message", "details"}}` with the status DESIGN §4 gives it.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{json, Value};

/// One field that failed validation: its path in the body and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: String,
        details: Value,
    },
    #[error(
        "the resource has changed since it was read (If-Match does not match version {current})"
    )]
    PreconditionFailed { current: i32 },
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the request body must be application/json")]
    UnsupportedMediaType,
    /// A file whose bytes are not of a format accepted there.
    #[error("{0}")]
    UnsupportedContent(String),
    /// A `Range` outside a file of `length` bytes.
    #[error("the range asked for lies outside the file's {length} bytes")]
    RangeNotSatisfiable { length: i64 },
    #[error("too many attempts; retry after {retry_after_secs} seconds")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("the database is unavailable")]
    Unavailable(String),
    /// The database has no room left to write (SQLite `SQLITE_FULL`, PostgreSQL
    /// SQLSTATE 53100 `disk_full`).
    #[error("the database is out of space")]
    InsufficientStorage(String),
    #[error("internal server error")]
    Internal(String),
    /// A replayed export whose bytes are not those recorded: a bug, never the caller's.
    #[error("the replay of export {export_id} does not give the recorded bytes")]
    ReplayMismatch {
        export_id: i64,
        recorded: String,
        replayed: String,
    },
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::MalformedJson(_) => "malformed_json",
            Self::Validation(_) => "validation_failed",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict { code, .. } => code,
            Self::PreconditionFailed { .. } => "precondition_failed",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::UnsupportedMediaType | Self::UnsupportedContent(_) => "unsupported_media_type",
            Self::RangeNotSatisfiable { .. } => "range_not_satisfiable",
            Self::TooManyRequests { .. } => "rate_limited",
            Self::Unavailable(_) => "service_unavailable",
            Self::InsufficientStorage(_) => "insufficient_storage",
            Self::Internal(_) => "internal_error",
            Self::ReplayMismatch { .. } => "replay_mismatch",
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
            details: Value::Null,
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(format!("{} not found", what.into()))
    }

    pub fn forbidden(why: impl Into<String>) -> Self {
        Self::Forbidden(why.into())
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self::Internal(detail.to_string())
    }

    fn details(&self) -> Value {
        match self {
            Self::Validation(fields) => json!(fields),
            Self::Conflict { details, .. } => details.clone(),
            Self::PreconditionFailed { current } => json!({ "current_version": current }),
            Self::TooManyRequests { retry_after_secs } => {
                json!({ "retry_after_seconds": retry_after_secs })
            }
            Self::ReplayMismatch {
                recorded, replayed, ..
            } => json!({ "recorded_sha256": recorded, "replayed_sha256": replayed }),
            _ => Value::Null,
        }
    }

    /// The message a client sees. Internal and database detail stays in the log.
    fn public_message(&self) -> String {
        match self {
            Self::Unavailable(_) => "the database is unavailable; try again shortly".into(),
            Self::InsufficientStorage(_) => {
                "the registry is out of storage space; nothing was written; try again later".into()
            }
            Self::Internal(_) => "internal server error".into(),
            other => other.to_string(),
        }
    }
}

/// The JSON body of every error response.
pub fn error_body(code: &str, message: &str, details: Value) -> Value {
    json!({ "error": { "code": code, "message": message, "details": details } })
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::MalformedJson(_) => StatusCode::BAD_REQUEST,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType | Self::UnsupportedContent(_) => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Self::RangeNotSatisfiable { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            Self::Internal(_) | Self::ReplayMismatch { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Unavailable(detail) => tracing::warn!(%detail, "database unavailable"),
            Self::InsufficientStorage(detail) => {
                tracing::error!(%detail, "database out of space")
            }
            Self::Internal(detail) => tracing::error!(%detail, "internal error"),
            Self::ReplayMismatch {
                export_id,
                recorded,
                replayed,
            } => tracing::error!(export_id, recorded, replayed, "export replay mismatch"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            Self::TooManyRequests { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Self::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            Self::InsufficientStorage(_) => {
                response.insert_header((header::RETRY_AFTER, RETRY_AFTER_FULL_SECS.to_string()));
            }
            Self::RangeNotSatisfiable { length } => {
                response.insert_header((header::CONTENT_RANGE, format!("bytes */{length}")));
            }
            _ => {}
        }
        response.json(error_body(
            self.code(),
            &self.public_message(),
            self.details(),
        ))
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => Self::not_found("record"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Self::conflict(
                "already_exists",
                "a record with the same key already exists",
            ),
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                Self::conflict("reference_missing", "a referenced record does not exist")
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info)
            | Error::DatabaseError(DatabaseErrorKind::UnableToSendCommand, info) => {
                Self::Unavailable(info.message().to_string())
            }
            Error::DatabaseError(_, info) if is_out_of_space(info.message()) => {
                Self::InsufficientStorage(info.message().to_string())
            }
            Error::DatabaseError(DatabaseErrorKind::Unknown, info)
                if is_connection_message(info.message()) =>
            {
                Self::Unavailable(info.message().to_string())
            }
            other => Self::internal(other),
        }
    }
}

/// Seconds a client is told to wait when storage is full.
pub const RETRY_AFTER_FULL_SECS: u64 = 30;

/// SQLite's `SQLITE_FULL` ("database or disk is full") and PostgreSQL's class 53
/// `disk_full` (53100: "could not extend file …: No space left on device"). Diesel keeps
/// no SQLSTATE for codes it does not know, so the message is what tells.
fn is_out_of_space(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.contains("database or disk is full") || message.contains("no space left on device")
}

fn is_connection_message(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "server closed the connection",
        "connection",
        "terminating",
        "database is locked",
    ]
    .iter()
    .any(|needle| message.contains(needle))
}

impl From<r2d2::Error> for AppError {
    fn from(err: r2d2::Error) -> Self {
        Self::Unavailable(err.to_string())
    }
}

impl From<diesel::r2d2::Error> for AppError {
    fn from(err: diesel::r2d2::Error) -> Self {
        match err {
            diesel::r2d2::Error::ConnectionError(e) => Self::Unavailable(e.to_string()),
            diesel::r2d2::Error::QueryError(e) => e.into(),
        }
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::internal(err)
    }
}

impl From<crate::domain::transition::InvalidTransition> for AppError {
    fn from(err: crate::domain::transition::InvalidTransition) -> Self {
        Self::Conflict {
            code: "invalid_transition",
            message: err.to_string(),
            details: serde_json::to_value(&err).unwrap_or(Value::Null),
        }
    }
}

impl From<crate::domain::legal_dates::DateError> for AppError {
    fn from(err: crate::domain::legal_dates::DateError) -> Self {
        use crate::domain::legal_dates::DateError;
        let details = serde_json::to_value(err).unwrap_or(Value::Null);
        match err {
            DateError::InFuture { .. } | DateError::BeforePreviousEvent { .. } => {
                Self::invalid("effective_on", err.to_string())
            }
            DateError::PeriodOutOfRange { .. } => Self::invalid("period_days", err.to_string()),
            DateError::DeadlineNotPassed { .. } => Self::Conflict {
                code: "deadline_not_passed",
                message: err.to_string(),
                details,
            },
            DateError::OppositionPeriodClosed { .. } => Self::Conflict {
                code: "opposition_period_closed",
                message: err.to_string(),
                details,
            },
        }
    }
}

impl From<crate::domain::appeals::AppealOutOfTime> for AppError {
    fn from(late: crate::domain::appeals::AppealOutOfTime) -> Self {
        Self::Conflict {
            code: "remedy_deadline_passed",
            message: format!(
                "the remedies against this refusal closed on {}; an appeal dated {} is out of time",
                late.remedy_deadline, late.effective_on
            ),
            details: json!({
                "remedy_deadline": late.remedy_deadline,
                "effective_on": late.effective_on,
            }),
        }
    }
}

impl From<crate::domain::earlier_rights::InvalidEarlierRights> for AppError {
    fn from(err: crate::domain::earlier_rights::InvalidEarlierRights) -> Self {
        Self::invalid(err.field, err.why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    fn status(err: AppError) -> u16 {
        err.status_code().as_u16()
    }

    #[test]
    fn each_variant_has_its_status() {
        assert_eq!(status(AppError::BadRequest("x".into())), 400);
        assert_eq!(status(AppError::MalformedJson("x".into())), 400);
        assert_eq!(status(AppError::invalid("f", "m")), 422);
        assert_eq!(status(AppError::Unauthorized("x".into())), 401);
        assert_eq!(status(AppError::forbidden("x")), 403);
        assert_eq!(status(AppError::not_found("x")), 404);
        assert_eq!(status(AppError::conflict("c", "m")), 409);
        let mismatch = AppError::ReplayMismatch {
            export_id: 1,
            recorded: "a".into(),
            replayed: "b".into(),
        };
        assert_eq!(mismatch.code(), "replay_mismatch");
        assert_eq!(status(mismatch), 500);
        assert_eq!(status(AppError::PreconditionFailed { current: 2 }), 412);
        assert_eq!(status(AppError::PayloadTooLarge { limit: 1 }), 413);
        assert_eq!(status(AppError::UnsupportedMediaType), 415);
        assert_eq!(
            status(AppError::TooManyRequests {
                retry_after_secs: 3
            }),
            429
        );
        assert_eq!(status(AppError::Unavailable("x".into())), 503);
        assert_eq!(status(AppError::internal("x")), 500);
    }

    #[test]
    fn diesel_errors_map_to_statuses() {
        assert_eq!(status(diesel::result::Error::NotFound.into()), 404);
        let unique = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            Box::new("duplicate key".to_string()),
        );
        assert_eq!(status(unique.into()), 409);
        let closed = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ClosedConnection,
            Box::new("gone".to_string()),
        );
        assert_eq!(status(closed.into()), 503);
    }

    #[test]
    fn out_of_space_is_507_on_both_backends() {
        use diesel::result::{DatabaseErrorKind, Error};
        let postgres = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(
                "could not extend file \"base/16384/16397\": No space left on device".to_string(),
            ),
        );
        let sqlite = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("database or disk is full".to_string()),
        );
        for err in [postgres, sqlite] {
            let err = AppError::from(err);
            assert_eq!(err.code(), "insufficient_storage");
            assert_eq!(status(err), 507);
        }
        let response = AppError::InsufficientStorage("x".into()).error_response();
        assert_eq!(
            response.headers().get(header::RETRY_AFTER).unwrap(),
            &RETRY_AFTER_FULL_SECS.to_string()
        );
    }

    /// A real SQLITE_FULL, from a database that may not grow past a few pages.
    #[test]
    fn a_real_sqlite_full_maps_to_507() {
        use diesel::connection::SimpleConnection;
        use diesel::Connection;
        let mut conn = diesel::SqliteConnection::establish(":memory:").unwrap();
        conn.batch_execute("CREATE TABLE t (b BLOB); PRAGMA max_page_count = 3;")
            .unwrap();
        let err = conn
            .batch_execute("INSERT INTO t VALUES (zeroblob(100000))")
            .unwrap_err();
        assert_eq!(AppError::from(err).code(), "insufficient_storage");
    }

    #[actix_web::test]
    async fn internal_detail_never_reaches_the_body() {
        let response = AppError::internal("SELECT secret FROM users").error_response();
        let body = to_bytes(response.into_body()).await.unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(!text.contains("secret"), "{text}");
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["error"]["code"], "internal_error");
    }

    #[actix_web::test]
    async fn rate_limit_carries_retry_after() {
        let response = AppError::TooManyRequests {
            retry_after_secs: 42,
        }
        .error_response();
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "42");
    }
}
