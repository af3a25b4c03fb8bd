//! Inserting many rows in statements of a fixed shape. A statement of any number of
//! rows (`values(&vec)`) is written, parsed and planned anew each time, and Diesel
//! never keeps it; a statement of exactly `N` rows (`values(&[T; N])`) has one text
//! per `N`, so each connection prepares it once and keeps it (SQLite and PostgreSQL
//! alike). The rows are inserted `N` at a time, and the last fewer than `N` in one
//! statement of their own; what ends up in the table is the same as one statement of
//! all of them, in the same order.
//!
//! Rows that need nothing back go to PostgreSQL by `COPY … FROM STDIN` (binary), one
//! round trip for any number ([`copy_or_insert`]): one statement, so a statement-level
//! trigger (the read stamps') fires once for them all, as for one `INSERT`.

/// `insert_chunked!(conn, table, rows, N)`: inserts the slice `rows` into `table`.
/// `insert_chunked!(conn, table, rows, N, returning (cols) as T)`: the same, giving the
/// rows that `returning` reads, as a `Vec<T>`, statement after statement in order.
/// Evaluates to `Result<_, AppError>`.
macro_rules! insert_chunked {
    ($conn:expr, $table:expr, $rows:expr, $n:literal) => {{
        let conn: &mut $crate::db::AnyConnection = $conn;
        let rows = $rows;
        let mut done: Result<(), $crate::error::AppError> = Ok(());
        for chunk in rows.chunks($n) {
            let inserted = match <&[_; $n]>::try_from(chunk) {
                Ok(full) => match &mut *conn {
                    $crate::db::AnyConnection::Postgres(c) => {
                        diesel::insert_into($table).values(full).execute(c)
                    }
                    $crate::db::AnyConnection::Sqlite(c) => {
                        diesel::insert_into($table).values(full).execute(c)
                    }
                },
                Err(_) => match &mut *conn {
                    $crate::db::AnyConnection::Postgres(c) => {
                        diesel::insert_into($table).values(chunk).execute(c)
                    }
                    $crate::db::AnyConnection::Sqlite(c) => {
                        diesel::insert_into($table).values(chunk).execute(c)
                    }
                },
            };
            if let Err(err) = inserted {
                done = Err(err.into());
                break;
            }
        }
        done
    }};
    ($conn:expr, $table:expr, $rows:expr, $n:literal, returning $ret:expr => $ty:ty) => {{
        let conn: &mut $crate::db::AnyConnection = $conn;
        let rows = $rows;
        let mut out: Vec<$ty> = Vec::with_capacity(rows.len());
        let mut done: Result<(), $crate::error::AppError> = Ok(());
        for chunk in rows.chunks($n) {
            let got: Result<Vec<$ty>, diesel::result::Error> = match <&[_; $n]>::try_from(chunk) {
                Ok(full) => match &mut *conn {
                    $crate::db::AnyConnection::Postgres(c) => diesel::insert_into($table)
                        .values(full)
                        .returning($ret)
                        .get_results(c),
                    $crate::db::AnyConnection::Sqlite(c) => diesel::insert_into($table)
                        .values(full)
                        .returning($ret)
                        .get_results(c),
                },
                Err(_) => match &mut *conn {
                    $crate::db::AnyConnection::Postgres(c) => diesel::insert_into($table)
                        .values(chunk)
                        .returning($ret)
                        .get_results(c),
                    $crate::db::AnyConnection::Sqlite(c) => diesel::insert_into($table)
                        .values(chunk)
                        .returning($ret)
                        .get_results(c),
                },
            };
            match got {
                Ok(got) => out.extend(got),
                Err(err) => {
                    done = Err(err.into());
                    break;
                }
            }
        }
        done.map(|()| out)
    }};
}

/// `copy_or_insert!(conn, table, rows, N)`: inserts the slice `rows` into `table`, by
/// one `COPY` on PostgreSQL and [`insert_chunked`] (`N` to a statement) on SQLite.
/// Evaluates to `Result<(), AppError>`.
macro_rules! copy_or_insert {
    ($conn:expr, $table:expr, $rows:expr, $n:literal) => {{
        let conn: &mut $crate::db::AnyConnection = $conn;
        let rows = $rows;
        match &mut *conn {
            $crate::db::AnyConnection::Postgres(c) => {
                if rows.is_empty() {
                    Ok(())
                } else {
                    diesel::copy_from($table)
                        .from_insertable(rows)
                        .execute(c)
                        .map(|_| ())
                        .map_err($crate::error::AppError::from)
                }
            }
            $crate::db::AnyConnection::Sqlite(_) => {
                $crate::store::bulk::insert_chunked!(conn, $table, rows, $n)
            }
        }
    }};
}

pub(crate) use copy_or_insert;
pub(crate) use insert_chunked;
