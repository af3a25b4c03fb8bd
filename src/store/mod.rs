//! Diesel queries, one file per aggregate. No permission checks here.

pub mod associations;
pub mod audit;
pub mod audit_anchors;
pub mod conflicts;
pub mod documents;
pub mod events;
pub mod exports;
pub mod gis;
pub mod holidays;
pub mod name_index;
pub mod notices;
pub mod offices;
pub mod oppositions;
pub mod programme_amendments;
pub mod programmes;
pub mod public_events;
pub mod recognitions;
pub mod search_keys;
pub mod sequences;
pub mod sessions;
pub mod signing_keys;
pub mod specifications;
pub mod subscriptions;
pub mod users;
pub mod webhook_deliveries;
pub mod worklist;
