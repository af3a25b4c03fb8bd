//! Graceful shutdown that answers what it accepted (issue 8, item 5).
//!
//! actix's own signal handling drains a kept-alive connection at once: a request that
//! is already in the connection's buffer but not yet started is dropped unanswered.
//! So the server handles SIGTERM and SIGINT itself, in two steps:
//!
//! 1. **Drain** for `DRAIN`: everything keeps being served, but every response now
//!    carries `Connection: close`, so each client closes its connection right after the
//!    answer (between requests, never in the middle of one), and `/readyz` says 503 so
//!    that load balancers stop sending new work.
//! 2. **Stop**: actix stops accepting, finishes the requests in flight (up to the
//!    shutdown time-out) and closes the connections that are left, all idle.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::ServerHandle;

/// How long the server keeps answering, with `Connection: close`, after a signal.
pub const DRAIN: Duration = Duration::from_secs(1);

/// Set once a stop signal arrived.
#[derive(Clone, Debug, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    pub fn start(&self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Waits for SIGTERM or SIGINT, drains, then stops the server gracefully.
pub fn stop_on_signal(handle: ServerHandle, draining: Draining) {
    actix_web::rt::spawn(async move {
        wait_for_signal().await;
        draining.start();
        tracing::info!(
            drain_ms = DRAIN.as_millis() as u64,
            "stop signal: answering what was sent, with Connection: close"
        );
        actix_web::rt::time::sleep(DRAIN).await;
        handle.stop(true).await;
    });
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(err) => {
            tracing::warn!(%err, "cannot listen for SIGTERM; stopping on SIGINT only");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
