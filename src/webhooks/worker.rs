//! The delivery worker: claims due deliveries, sends them, records each attempt and
//! schedules the next. Claims are leases: a worker killed mid-attempt leaves its
//! deliveries to be claimed again when the lease ends (at-least-once), and while it
//! lasts no other instance attempts them.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use reqwest::Client;

use super::sender;
use super::WebhookSettings;
use crate::db::Database;
use crate::store::webhook_deliveries::{self, Claimed, Outcome};

/// Deliveries claimed at once by one worker.
const BATCH: i64 = 16;
/// The longest wait between two retries.
const LONGEST_WAIT: Duration = Duration::from_secs(3600);

/// Starts the worker for as long as the server runs (unless `settings.poll` is zero).
pub fn spawn(db: Database, settings: WebhookSettings) -> Result<(), String> {
    if settings.poll.is_zero() {
        return Ok(());
    }
    let client = sender::client(settings.timeout, settings.allow_private)?;
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(settings.poll).await;
            match run_once(&db, &client, &settings).await {
                Ok(0) => {}
                Ok(sent) => tracing::debug!(sent, "webhook deliveries attempted"),
                Err(err) => tracing::warn!(%err, "webhook delivery round failed; will retry"),
            }
        }
    });
    Ok(())
}

/// One round: claims what is due and attempts it; how many attempts were made.
pub async fn run_once(
    db: &Database,
    client: &Client,
    settings: &WebhookSettings,
) -> Result<usize, crate::error::AppError> {
    let now = Utc::now();
    let at = now.naive_utc();
    if !db
        .read(move |conn| webhook_deliveries::any_due(conn, at))
        .await?
    {
        return Ok(0);
    }
    let lease_until = at + lease(settings);
    let claimed = db
        .write(move |conn| webhook_deliveries::claim(conn, at, lease_until, BATCH))
        .await?;
    let attempts = claimed
        .iter()
        .map(|delivery| attempt_and_record(db, client, settings, delivery));
    let made = join_all(attempts).await;
    for result in &made {
        if let Err(err) = result {
            tracing::warn!(%err, "could not record a webhook attempt; it will be retried");
        }
    }
    Ok(made.len())
}

async fn attempt_and_record(
    db: &Database,
    client: &Client,
    settings: &WebhookSettings,
    delivery: &Claimed,
) -> Result<(), crate::error::AppError> {
    let attempt = sender::attempt(client, delivery, Utc::now(), settings.allow_private).await;
    let outcome = outcome_of(&attempt, delivery, settings, Utc::now());
    if let Some(error) = &attempt.error {
        tracing::info!(delivery = delivery.id, attempts = delivery.attempts, %error, ?outcome, "webhook attempt failed");
    }
    let id = delivery.id;
    db.write(move |conn| webhook_deliveries::finish(conn, id, &attempt, outcome))
        .await
}

/// Delivered on a 2xx; otherwise retried after a wait that doubles with each attempt,
/// until `retry_for` after the change, when the last attempt is made and the delivery
/// marked failed.
pub fn outcome_of(
    attempt: &webhook_deliveries::Attempt,
    delivery: &Claimed,
    settings: &WebhookSettings,
    now: DateTime<Utc>,
) -> Outcome {
    if attempt.error.is_none() {
        return Outcome::Delivered;
    }
    let give_up_at = delivery.created_at + to_chrono(settings.retry_for);
    let now = now.naive_utc();
    if now >= give_up_at {
        return Outcome::GaveUp;
    }
    let doublings = u32::try_from(delivery.attempts.max(1) - 1)
        .unwrap_or(0)
        .min(20);
    let wait = settings
        .first_retry
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(LONGEST_WAIT);
    Outcome::RetryAt((now + to_chrono(wait)).min(give_up_at))
}

/// How long a claim lasts: long enough for an attempt and its recording.
fn lease(settings: &WebhookSettings) -> chrono::Duration {
    to_chrono(settings.timeout * 2 + Duration::from_secs(5))
}

fn to_chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::webhook_deliveries::Attempt;
    use chrono::NaiveDateTime;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn claimed(attempts: i32) -> Claimed {
        Claimed {
            id: 1,
            event_id: 1,
            payload: "{}".into(),
            attempts,
            created_at: at("2026-11-29 10:00:00"),
            url: "https://example.org/".into(),
            secret: "s".into(),
        }
    }

    fn failed() -> Attempt {
        Attempt {
            delivery_id: 1,
            attempted_at: at("2026-11-29 10:00:00"),
            response_status: Some(500),
            error: Some("the receiver answered 500".into()),
            duration_ms: 3,
        }
    }

    fn now(text: &str) -> DateTime<Utc> {
        at(text).and_utc()
    }

    #[test]
    fn waits_double_until_the_window_closes() {
        let settings = WebhookSettings::default();
        let ok = Attempt {
            error: None,
            response_status: Some(204),
            ..failed()
        };
        assert_eq!(
            outcome_of(&ok, &claimed(1), &settings, now("2026-11-29 10:00:00")),
            Outcome::Delivered
        );
        let after =
            |attempts, when| outcome_of(&failed(), &claimed(attempts), &settings, now(when));
        assert_eq!(
            after(1, "2026-11-29 10:00:00"),
            Outcome::RetryAt(at("2026-11-29 10:00:30"))
        );
        assert_eq!(
            after(2, "2026-11-29 10:00:30"),
            Outcome::RetryAt(at("2026-11-29 10:01:30"))
        );
        assert_eq!(
            after(4, "2026-11-29 10:05:00"),
            Outcome::RetryAt(at("2026-11-29 10:09:00"))
        );
        // Capped at an hour.
        assert_eq!(
            after(12, "2026-11-29 12:00:00"),
            Outcome::RetryAt(at("2026-11-29 13:00:00"))
        );
        // The last attempt is made when the 24 hours end, then it is given up.
        assert_eq!(
            after(30, "2026-11-30 09:30:00"),
            Outcome::RetryAt(at("2026-11-30 10:00:00"))
        );
        assert_eq!(after(31, "2026-11-30 10:00:00"), Outcome::GaveUp);
    }
}
