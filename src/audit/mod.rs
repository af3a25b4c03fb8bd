//! The hash-chained audit log (DESIGN §1): what an entry is and how the chain is checked.

pub mod chain;
mod record;

pub use record::{AuditActor, AuditRecord};
