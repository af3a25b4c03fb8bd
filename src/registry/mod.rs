//! The registry's use cases: each takes a connection inside the caller's write (or read)
//! transaction, checks permissions through `domain::permissions`, applies the domain
//! rules, and writes the change, its event and its audit entry together.

pub mod acting;
pub mod amendments;
pub mod associations;
pub mod audit_head;
pub mod audit_log;
pub mod backup;
pub mod cached_reads;
pub mod calendars;
pub mod conflicts;
pub mod documents;
pub mod event_history;
pub mod gi_application;
pub mod gi_lifecycle;
pub mod gi_search;
pub mod gi_views;
pub mod holidays;
pub mod listed_rights;
pub mod name_conflicts;
pub mod name_decisions;
pub mod notices;
pub mod offices;
pub mod oppositions;
pub mod outbox;
pub mod own_account;
pub mod programme_law;
pub mod programmes;
pub mod protection;
pub mod public_feeds;
pub mod read_cache;
pub mod recognition_lifecycle;
pub mod recognition_views;
pub mod recognitions;
pub mod record;
pub mod sessions;
pub mod subscriptions;
pub mod targets;
pub mod user_views;
pub mod users;
pub mod view_writer;
pub mod worklist;
