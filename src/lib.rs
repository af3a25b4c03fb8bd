//! Terroir: a registry for the mutual recognition of geographical indications between
//! IP offices. `startup::Application` builds the service; `main.rs` only parses the
//! command line.

pub mod api;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
/// The pure rules, a crate of their own (`crates/domain`): re-exported here so that
/// every `crate::domain::…` and `terroir::domain::…` path names them as before.
pub use terroir_domain as domain;
pub mod error;
pub mod export;
pub mod import;
pub mod json_text;
pub mod metrics;
pub mod private_file;
pub mod registry;
pub mod shutdown;
pub mod signing;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod utc;
pub mod web;
pub mod webhooks;
