//! Webhook deliveries: a worker in every server instance claims due deliveries from the
//! outbox (`store::webhook_deliveries`), POSTs them signed, and records each attempt.

pub mod destination;
pub mod sender;
pub mod worker;

use std::time::Duration;

/// How deliveries are made.
#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// Deliver to private, loopback and link-local addresses too (a receiver on the
    /// registry's own network).
    pub allow_private: bool,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// The wait before the first retry; each further retry waits twice as long (at most
    /// an hour).
    pub first_retry: Duration,
    /// How long after the change a delivery is retried before it is marked failed.
    pub retry_for: Duration,
    /// How often the worker looks for due deliveries; zero: this instance delivers none.
    pub poll: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            allow_private: false,
            timeout: Duration::from_secs(10),
            first_retry: Duration::from_secs(30),
            retry_for: Duration::from_secs(24 * 3600),
            poll: Duration::from_millis(500),
        }
    }
}
