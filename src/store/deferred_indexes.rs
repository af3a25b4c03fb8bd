//! SQLite: the secondary indexes of tables a bulk load fills, dropped for the load and
//! made again when it ends, within the load's own transaction. An index made from a
//! full table is built from its sorted keys in one pass; kept during the load, each
//! insert lands on a page of its own all over the index, and every commit writes those
//! pages again (the conflict forms' index alone was a fifth of a 100,000-GI import).
//!
//! No other connection ever sees the tables without their indexes: SQLite has one writer
//! at a time, and a reader sees the schema as of the last commit, which has them.
//! Unique indexes stay (they keep the data right while it is written), and so do the
//! indexes SQLite makes for a table's own constraints. The definitions are read from the
//! schema itself, so an index a later migration adds or changes is made as it stands.

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::{sort_with_every_core, AnyConnection};
use crate::error::AppError;

/// The indexes set aside, and the statements that make them again.
#[must_use = "the indexes are gone until `restore` makes them again"]
pub struct DeferredIndexes {
    definitions: Vec<String>,
}

impl DeferredIndexes {
    /// Drops the non-unique indexes of `tables`: SQLite only (`None` on PostgreSQL,
    /// where dropping an index locks its table against every reader). Call it inside the
    /// transaction that fills them, and [`restore`](Self::restore) before it commits.
    pub fn set_aside(conn: &mut AnyConnection, tables: &[&str]) -> Result<Option<Self>, AppError> {
        let AnyConnection::Sqlite(sqlite) = conn else {
            return Ok(None);
        };
        #[derive(QueryableByName)]
        struct Index {
            #[diesel(sql_type = Text)]
            name: String,
            #[diesel(sql_type = Text)]
            sql: String,
        }
        let mut definitions = Vec::new();
        for table in tables {
            let indexes: Vec<Index> = diesel::sql_query(
                "SELECT name, sql FROM sqlite_schema \
                 WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL \
                 AND upper(sql) NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
            )
            .bind::<Text, _>(*table)
            .load(sqlite)?;
            for index in indexes {
                diesel::sql_query(format!("DROP INDEX \"{}\"", index.name)).execute(sqlite)?;
                definitions.push(index.sql);
            }
        }
        Ok(Some(Self { definitions }))
    }

    /// Makes the indexes again, from the rows now in their tables.
    pub fn restore(self, conn: &mut AnyConnection) -> Result<(), AppError> {
        sort_with_every_core(conn)?;
        for definition in &self.definitions {
            diesel::sql_query(definition.as_str()).execute(conn)?;
        }
        Ok(())
    }
}
