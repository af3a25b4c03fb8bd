//! One attempt at one delivery: a signed POST, and what came of it.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::Client;

use super::destination::{resolve_checked, CheckedResolver};
use crate::domain::webhook_signature::sign;
use crate::store::webhook_deliveries::{Attempt, Claimed};

/// The HTTP client deliveries are sent with: no redirects followed, no proxy from the
/// environment, every name resolved through the destination check.
pub fn client(timeout: Duration, allow_private: bool) -> Result<Client, String> {
    Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(CheckedResolver::shared(allow_private))
        .user_agent(concat!("Terroir-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the webhook client: {e}"))
}

/// Sends `delivery` once, at `now`; the attempt as it will be recorded.
pub async fn attempt(
    client: &Client,
    delivery: &Claimed,
    now: DateTime<Utc>,
    allow_private: bool,
) -> Attempt {
    let started = Instant::now();
    let outcome = send(client, delivery, now, allow_private).await;
    let (response_status, error) = match outcome {
        Ok(status) if (200..300).contains(&status) => (Some(i32::from(status)), None),
        Ok(status) => (
            Some(i32::from(status)),
            Some(format!("the receiver answered {status}")),
        ),
        Err(why) => (None, Some(why)),
    };
    Attempt {
        delivery_id: delivery.id,
        attempted_at: now.naive_utc(),
        response_status,
        error,
        duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
    }
}

async fn send(
    client: &Client,
    delivery: &Claimed,
    now: DateTime<Utc>,
    allow_private: bool,
) -> Result<u16, String> {
    // An address literal never reaches the resolver: check it here.
    resolve_checked_literal(&delivery.url, allow_private).await?;
    let timestamp = now.timestamp();
    let response = client
        .post(&delivery.url)
        .header("Content-Type", "application/json")
        .header("X-Terroir-Event-Id", delivery.event_id.to_string())
        .header("X-Terroir-Delivery-Id", delivery.id.to_string())
        .header("X-Terroir-Timestamp", timestamp.to_string())
        .header(
            "X-Terroir-Signature",
            sign(&delivery.secret, timestamp, delivery.payload.as_bytes()),
        )
        .body(delivery.payload.clone())
        .send()
        .await
        .map_err(describe)?;
    Ok(response.status().as_u16())
}

async fn resolve_checked_literal(url: &str, allow_private: bool) -> Result<(), String> {
    match crate::domain::destinations::check_url(url)?.address() {
        Some(_) => resolve_checked(url, allow_private).await.map(|_| ()),
        None => Ok(()),
    }
}

/// A delivery error in a line, with its cause (reqwest's own message is generic).
fn describe(error: reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    let mut message = kind.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
