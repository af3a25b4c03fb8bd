//! Running a query on the backend's own connection type rather than through
//! `AnyConnection`. Diesel's multi-connection wraps each query in a type without a
//! static query id, so every run writes its SQL text again (and looks its prepared
//! statement up by that text). On `SqliteConnection` or `PgConnection` a query whose
//! type fixes its SQL is prepared once per connection and found by its type: worth it
//! for the few queries every read makes (issue 9).

/// `native!(conn, c => expr)`: `expr` with `c` bound to the inner `SqliteConnection`
/// or `PgConnection` of `conn` (a `&mut AnyConnection`), compiled for each backend.
macro_rules! native {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::AnyConnection::Postgres($c) => $body,
            $crate::db::AnyConnection::Sqlite($c) => $body,
        }
    };
}

pub(crate) use native;
