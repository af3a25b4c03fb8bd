//! What every handler can reach.

use crate::auth::hashing::PasswordHashers;
use crate::auth::rate_limit::LoginLimiter;
use crate::auth::tokens::TokenKeys;
use crate::db::Database;
use crate::metrics::Metrics;

pub struct AppState {
    pub db: Database,
    /// "Now" for legal dates; tests set it.
    pub clock: crate::clock::Clock,
    pub tokens: TokenKeys,
    pub login_limiter: LoginLimiter,
    /// Every argon2 computation of a request runs here, never on the blocking pool.
    pub hashers: PasswordHashers,
    pub refresh_ttl: chrono::Duration,
    pub metrics: Metrics,
    /// When set, /metrics answers only `Authorization: Bearer` this token.
    pub metrics_token: Option<String>,
    /// Reverse proxies whose X-Forwarded-For names the client (login throttling).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The largest document accepted, in bytes (separate from the JSON body limit).
    pub max_document_bytes: usize,
    /// Whether webhook URLs may lead to private, loopback or link-local addresses.
    pub webhook_allow_private: bool,
    /// The key exports and the audit head are signed with.
    pub signer: std::sync::Arc<crate::signing::keyring::Signer>,
    /// Serialised views of GIs, served while their stamp is unchanged.
    pub read_cache: std::sync::Arc<crate::registry::read_cache::ReadCache>,
    /// Stores the views reads build in the database, in the background.
    pub view_writer: crate::registry::view_writer::ViewWriter,
}

impl AppState {
    /// Where the most read views are kept (`registry::cached_reads`).
    pub fn kept_views(&self) -> crate::registry::cached_reads::KeptViews<'_> {
        crate::registry::cached_reads::KeptViews {
            memory: &self.read_cache,
            stored: &self.view_writer,
        }
    }
}
