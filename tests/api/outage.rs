//! A database that goes away (issue 8, item 4): `/readyz` answers within a second, and
//! requests fail fast with 503 while the database is known down instead of each holding
//! a blocking thread for the pool's time-out; a background probe brings the service back.

use std::time::{Duration, Instant};

use terroir::config::StorageArgs;
use terroir::startup::Application;

use crate::helpers::{assert_error, server_args, Backend, TestApp};
use crate::operations::{postgres_address, relay::Relay};

#[tokio::test]
async fn readiness_answers_within_a_second_and_requests_fail_fast_during_an_outage() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        eprintln!("skipped: TERROIR_TEST_POSTGRES_URL is not set");
        return;
    };
    let relay = Relay::start(postgres_address()).await;
    let storage = StorageArgs {
        database_url: Some(
            app.database_url
                .replace(&postgres_address(), &relay.address()),
        ),
        data_dir: app.data_dir.clone(),
        db_pool_size: 4,
        // The default: what a request used to wait for, each, during an outage.
        db_timeout_secs: 5,
    };
    let server = Application::build(storage, server_args()).await.unwrap();
    let address = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.into_server());
    let client = reqwest::Client::new();
    let get = |path: &'static str| {
        let client = client.clone();
        let address = address.clone();
        async move {
            let started = Instant::now();
            let response = client.get(format!("{address}{path}")).send().await.unwrap();
            (response, started.elapsed())
        }
    };
    assert_eq!(get("/readyz").await.0.status(), 200);

    relay.stop().await;
    let (ready, took) = get("/readyz").await;
    assert_error(ready, 503, "service_unavailable").await;
    assert!(took < Duration::from_secs(1), "/readyz took {took:?}");

    // Many requests at once, more than the blocking pool would serve in 5 s if each
    // waited for a connection: all answered 503 at once.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let request = get("/api/v1/offices");
        tasks.push(tokio::spawn(async move {
            let (response, _) = request.await;
            assert!(response.headers().contains_key("retry-after"));
            assert_error(response, 503, "service_unavailable").await;
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "40 requests took {took:?}");
    let (ready, took) = get("/readyz").await;
    assert_eq!(ready.status(), 503);
    assert!(took < Duration::from_millis(500), "known down: {took:?}");

    relay.resume().await;
    let mut recovered = false;
    for _ in 0..40 {
        if get("/readyz").await.0.status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(recovered, "the probe notices the database is back");
    assert_eq!(get("/api/v1/offices").await.0.status(), 200);
}
