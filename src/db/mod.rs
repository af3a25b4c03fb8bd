//! The database: both backends behind one connection type, pools, migrations, schema.

mod connection;
pub mod health;
pub mod migrations;
mod native;
mod pool;
pub mod schema;
mod url;

pub use connection::{sort_with_every_core, AnyConnection, SQLITE_BUSY_TIMEOUT};
pub(crate) use native::native;
pub use pool::{write_transaction, Database, PoolSettings};
pub use url::{Backend, DatabaseUrl};
