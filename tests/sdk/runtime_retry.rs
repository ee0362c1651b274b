//! Retry policy: what is retried, how often, and how long it waits.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use genauth::{AuthenticationClient, Call, Error, Method, RetryPolicy};
use serde_json::{Value, json};

use crate::runtime_server::{Reply, Server, refused_url};

/// Fails the first `failures` requests with `failure`, then succeeds.
async fn flaky(failures: usize, failure: fn() -> Reply) -> Server {
    let count = AtomicUsize::new(0);
    Server::start(
        move |_| {
            if count.fetch_add(1, Ordering::SeqCst) < failures { failure() } else { Reply::data(json!("done")) }
        },
    )
    .await
}

fn unavailable() -> Reply {
    Reply::text("text/plain", "busy").status(503)
}

pub(crate) fn fast(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

async fn send(server: &Server, policy: RetryPolicy, call: Call) -> Result<Value, Error> {
    server.auth().retry_policy(policy).build().unwrap().send(call).await
}

fn get() -> Call {
    Call::new(Method::GET, "/api/v3/x")
}

fn post() -> Call {
    Call::new(Method::POST, "/api/v3/x")
}

#[tokio::test]
async fn get_is_retried_on_5xx_until_success() {
    let server = flaky(2, unavailable).await;
    let value = send(&server, fast(3), get()).await.unwrap();
    assert_eq!(value["data"], "done");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let server = flaky(usize::MAX, unavailable).await;
    let error = send(&server, fast(4), get()).await.unwrap_err();
    assert!(matches!(&error, Error::Status(s) if s.status == 503), "{error:?}");
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn default_policy_makes_three_attempts() {
    let server = flaky(usize::MAX, unavailable).await;
    let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(1)).max_backoff(Duration::from_millis(2));
    send(&server, policy, get()).await.unwrap_err();
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn too_many_requests_is_retried_after_retry_after() {
    let server = flaky(1, || {
        Reply::json(json!({ "statusCode": 429, "message": "slow down" })).status(429).header("retry-after", "1")
    })
    .await;
    let policy = fast(3).max_backoff(Duration::from_secs(2));
    let started = Instant::now();
    let value = send(&server, policy, get()).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(value["data"], "done");
    assert_eq!(server.requests().len(), 2);
    // The 1 ms backoff alone would not wait this long.
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
}

#[tokio::test]
async fn retry_after_beyond_max_backoff_ends_retrying() {
    let server = flaky(1, || {
        Reply::json(json!({ "statusCode": 429, "message": "slow down" })).status(429).header("retry-after", "30")
    })
    .await;
    let started = Instant::now();
    let error = send(&server, fast(3), get()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(matches!(&error, Error::Api(api) if api.http_status == 429 && api.status_code == 429), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = flaky(1, || Reply::text("text/plain", "no").status(404)).await;
    send(&server, fast(3), get()).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn timeouts_are_not_retried() {
    let server = flaky(1, || Reply::data(json!(null)).delay(Duration::from_secs(5))).await;
    let client = server.auth().retry_policy(fast(3)).timeout(Duration::from_millis(100)).build().unwrap();
    let error = client.send::<Value>(get()).await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn post_is_not_retried_by_default() {
    let server = flaky(2, unavailable).await;
    let error = send(&server, fast(3), post()).await.unwrap_err();
    assert!(matches!(&error, Error::Status(s) if s.status == 503), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn post_is_retried_when_opted_in() {
    let server = flaky(2, unavailable).await;
    let policy = fast(3).retry_non_idempotent(true);
    send(&server, policy, post()).await.unwrap();
    assert_eq!(server.requests().len(), 3);

    let server = flaky(2, unavailable).await;
    send(&server, fast(3), post().idempotent()).await.unwrap();
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn never_policy_does_not_retry() {
    let server = flaky(1, unavailable).await;
    send(&server, RetryPolicy::never(), get()).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn backoff_doubles_after_each_attempt() {
    // The server notes when each attempt arrives.
    let arrivals = Arc::new(std::sync::Mutex::new(Vec::new()));
    let noted = arrivals.clone();
    let server = Server::start(move |_| {
        let mut times = noted.lock().unwrap();
        times.push(Instant::now());
        if times.len() < 4 { unavailable() } else { Reply::data(json!("done")) }
    })
    .await;
    let policy = RetryPolicy::default()
        .max_attempts(4)
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_secs(2));
    send(&server, policy, get()).await.unwrap();
    let times = arrivals.lock().unwrap().clone();
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    // Jitter keeps each delay within [half, all] of 100, 200 and 400 ms, so
    // the third is at least 200 ms: more than a constant 100 ms backoff
    // (at most 100 ms plus the request's own time) can wait.
    assert_eq!(gaps.len(), 3);
    for (gap, least) in gaps.iter().zip([50, 100, 200]) {
        assert!(*gap >= Duration::from_millis(least), "{gaps:?}");
    }
}

#[tokio::test]
async fn backoff_is_capped_by_max_backoff() {
    let server = flaky(3, unavailable).await;
    let policy = RetryPolicy::default()
        .max_attempts(4)
        .initial_backoff(Duration::from_millis(400))
        .max_backoff(Duration::from_millis(10));
    let started = Instant::now();
    send(&server, policy, get()).await.unwrap();
    // Uncapped, the three delays would take at least 200 + 400 + 800 ms.
    let waited = started.elapsed();
    assert!(waited < Duration::from_millis(600), "{waited:?}");
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn dropped_connections_are_retried() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        // Accept each connection and close it before answering.
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    let client = AuthenticationClient::builder(url).app_id("a").app_secret("s").retry_policy(fast(3)).build().unwrap();
    let error = client.send::<Value>(get()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn refused_connections_are_retried_with_backoff() {
    let client = AuthenticationClient::builder(refused_url().await)
        .app_id("a")
        .app_secret("s")
        .retry_policy(RetryPolicy::default().max_attempts(3).initial_backoff(Duration::from_millis(40)))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.send::<Value>(get()).await.unwrap_err();
    assert!(matches!(&error, Error::Transport(e) if e.is_connect()), "{error:?}");
    // Only two backoff delays (at least 20 + 40 ms) explain this wait.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(60), "{waited:?}");
}
