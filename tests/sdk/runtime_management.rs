//! `ManagementClient`: token fetch, caching, refresh, headers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use genauth::{Call, Error, Language, ManagementClient, ManagementClientBuilder, Method, RetryPolicy};
use serde_json::{Value, json};

use crate::runtime_server::{ACCESS_KEY_SECRET, Recorded, Reply, Server, jwt};

pub(crate) const TOKEN_PATH: &str = "/api/v3/get-management-token";

/// The n-th management token the test server issues (1-based).
fn token(n: usize) -> String {
    jwt(json!({ "scoped_userpool_id": "pool-1", "n": n }))
}

/// A server issuing tokens valid `expires_in` seconds, each answered
/// after `delay`, and answering other paths with `api`.
pub(crate) async fn server(
    expires_in: u64,
    delay: Duration,
    api: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
) -> Server {
    let issued = AtomicUsize::new(0);
    Server::start(move |request| {
        if request.path == TOKEN_PATH {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::data(json!({ "access_token": token(n), "expires_in": expires_in })).delay(delay)
        } else {
            api(request)
        }
    })
    .await
}

fn ok(_: &Recorded) -> Reply {
    Reply::data(json!({ "userId": "u1" }))
}

pub(crate) fn builder(server: &Server) -> ManagementClientBuilder {
    ManagementClient::builder(&server.url).access_key("pool-ak", ACCESS_KEY_SECRET).retry_policy(RetryPolicy::never())
}

fn get_user() -> Call {
    Call::new(Method::GET, "/api/v3/get-user").query("userId", "u1")
}

pub(crate) fn api_requests(server: &Server) -> Vec<Recorded> {
    server.requests().into_iter().filter(|r| r.path != TOKEN_PATH).collect()
}

#[tokio::test]
async fn token_is_fetched_once_and_sent_with_pool_id() {
    let server = server(7200, Duration::ZERO, ok).await;
    let client = builder(&server).language(Language::JaJp).build().unwrap();
    assert!(server.requests().is_empty(), "build() must not call the API");

    for _ in 0..3 {
        let user: Value = client.send(get_user()).await.unwrap();
        assert_eq!(user["data"]["userId"], "u1");
    }
    assert_eq!(server.hits(TOKEN_PATH), 1);

    let token_request = &server.requests()[0];
    assert_eq!(token_request.method, "POST");
    assert_eq!(token_request.json(), json!({ "accessKeyId": "pool-ak", "accessKeySecret": ACCESS_KEY_SECRET }));
    assert_eq!(token_request.header("authorization"), None);
    assert_eq!(token_request.header("x-authing-userpool-id"), None);
    assert_eq!(token_request.header("x-authing-lang"), Some("ja-JP"));

    let bearer = format!("Bearer {}", token(1));
    for request in api_requests(&server) {
        assert_eq!(request.path, "/api/v3/get-user");
        assert_eq!(request.query.as_deref(), Some("userId=u1"));
        assert_eq!(request.header("authorization"), Some(bearer.as_str()));
        assert_eq!(request.header("x-authing-userpool-id"), Some("pool-1"));
        assert_eq!(request.header("x-authing-lang"), Some("ja-JP"));
        assert_eq!(request.header("x-authing-request-from"), Some("sdk"));
        assert!(request.header("x-authing-sdk-version").is_some());
        assert_eq!(request.header("x-authing-app-id"), None);
    }
}

#[tokio::test]
async fn clones_share_the_token() {
    let server = server(7200, Duration::ZERO, ok).await;
    let client = builder(&server).build().unwrap();
    let _: Value = client.send(get_user()).await.unwrap();
    let _: Value = client.clone().send(get_user()).await.unwrap();
    assert_eq!(server.hits(TOKEN_PATH), 1);
}

#[tokio::test]
async fn token_is_refreshed_before_it_expires() {
    // Valid 2 s, replaced 1.7 s early: usable for 300 ms.
    let server = server(2, Duration::ZERO, ok).await;
    let client = builder(&server).token_refresh_margin(Duration::from_millis(1700)).build().unwrap();

    let _: Value = client.send(get_user()).await.unwrap();
    let _: Value = client.send(get_user()).await.unwrap();
    assert_eq!(server.hits(TOKEN_PATH), 1);

    tokio::time::sleep(Duration::from_millis(400)).await;
    let _: Value = client.send(get_user()).await.unwrap();
    assert_eq!(server.hits(TOKEN_PATH), 2);
    let last = server.last();
    assert_eq!(last.header("authorization"), Some(format!("Bearer {}", token(2)).as_str()));
}

#[tokio::test]
async fn token_shorter_than_default_margin_is_fetched_for_each_call() {
    let server = server(30, Duration::ZERO, ok).await;
    let client = builder(&server).build().unwrap();
    let _: Value = client.send(get_user()).await.unwrap();
    let _: Value = client.send(get_user()).await.unwrap();
    assert_eq!(server.hits(TOKEN_PATH), 2);
}

#[tokio::test]
async fn concurrent_calls_share_one_fetch() {
    let server = server(7200, Duration::from_millis(200), ok).await;
    let client = builder(&server).build().unwrap();
    let calls: Vec<_> = (0..5)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send::<Value>(get_user()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(server.hits(TOKEN_PATH), 1);
    assert_eq!(api_requests(&server).len(), 5);
}

#[tokio::test]
async fn concurrent_calls_share_one_refresh() {
    let server = server(2, Duration::from_millis(100), ok).await;
    let client = builder(&server).token_refresh_margin(Duration::from_millis(1700)).build().unwrap();
    let _: Value = client.send(get_user()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;

    let (a, b) = tokio::join!(client.send::<Value>(get_user()), client.send::<Value>(get_user()));
    a.unwrap();
    b.unwrap();
    assert_eq!(server.hits(TOKEN_PATH), 2);
    let bearer = format!("Bearer {}", token(2));
    let requests = api_requests(&server);
    assert!(requests[1..].iter().all(|r| r.header("authorization") == Some(bearer.as_str())));
}

#[tokio::test]
async fn refused_access_key_is_an_api_error() {
    let server = Server::start(|_| {
        Reply::json(json!({
            "statusCode": 401,
            "message": "accessKeySecret 错误",
            "apiCode": 1001,
            "requestId": "r-1"
        }))
    })
    .await;
    let client = builder(&server).build().unwrap();
    let error = client.send::<Value>(get_user()).await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status_code == 401 && api.api_code == Some(1001)), "{error:?}");
    assert_eq!(server.hits("/api/v3/get-user"), 0);
}

#[tokio::test]
async fn token_without_pool_claim_is_a_decode_error_without_body() {
    let server = Server::start(|request| {
        if request.path == TOKEN_PATH {
            Reply::data(json!({ "access_token": "opaque-token-SECRET", "expires_in": 7200 }))
        } else {
            ok(request)
        }
    })
    .await;
    let client = builder(&server).build().unwrap();
    let error = client.send::<Value>(get_user()).await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert_eq!(decode.path, "data.access_token");
    assert!(decode.body().is_empty());
    assert_eq!(
        error.to_string(),
        "could not decode the response at `data.access_token`: \
         not a JWT with a `scoped_userpool_id` claim"
    );
    assert!(!format!("{error:?}").contains("SECRET"));
}

#[tokio::test]
async fn malformed_token_response_is_a_decode_error_without_body() {
    let server = Server::start(|_| Reply::data(json!({ "access_token": "eyJ.SECRET.x", "expires_in": "soon" }))).await;
    let error = builder(&server).build().unwrap().send::<Value>(get_user()).await.unwrap_err();
    assert!(matches!(&error, Error::Decode(d) if d.path == "data.expires_in" && d.body().is_empty()), "{error:?}");
}

#[tokio::test]
async fn token_response_fields_are_required_and_read_leniently() {
    let server = Server::start(|request| {
        if request.path == TOKEN_PATH {
            Reply::data(json!({ "access_token": token(1), "expires_in": "7200", "extra": [1] }))
        } else {
            ok(request)
        }
    })
    .await;
    // A numeric string is a number.
    let client = builder(&server).build().unwrap();
    let _: Value = client.send(get_user()).await.unwrap();
    let _: Value = client.send(get_user()).await.unwrap();
    assert_eq!(server.hits(TOKEN_PATH), 1);

    for (data, path, message) in [
        (json!({ "access_token": "eyJ.SECRET.x" }), "data.expires_in", "missing or null"),
        (json!({ "access_token": null, "expires_in": 60 }), "data.access_token", "missing or null"),
        (
            json!({ "access_token": ["SECRET"], "expires_in": 60 }),
            "data.access_token",
            "expected a string, found an array",
        ),
        (json!(["SECRET"]), "data", "expected an object, found an array"),
    ] {
        let server = Server::start(move |_| Reply::data(data.clone())).await;
        let error = builder(&server).build().unwrap().send::<Value>(get_user()).await.unwrap_err();
        let Error::Decode(decode) = &error else { panic!("{error:?}") };
        assert_eq!((decode.path.as_str(), decode.message.as_str()), (path, message));
        assert!(decode.body().is_empty());
        assert!(!format!("{error} {error:?}").contains("SECRET"), "{error:?}");
    }
}

#[tokio::test]
async fn unauthorized_response_drops_the_cached_token() {
    let rejected = Arc::new(AtomicUsize::new(0));
    let counter = rejected.clone();
    let server = server(7200, Duration::ZERO, move |request| {
        if request.header("authorization") == Some(format!("Bearer {}", token(1)).as_str()) {
            counter.fetch_add(1, Ordering::SeqCst);
            Reply::json(json!({ "statusCode": 401, "message": "token revoked" }))
        } else {
            ok(request)
        }
    })
    .await;
    let client = builder(&server).build().unwrap();

    let error = client.send::<Value>(get_user()).await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status_code == 401), "{error:?}");
    client.send::<Value>(get_user()).await.unwrap();
    assert_eq!(server.hits(TOKEN_PATH), 2);
    assert_eq!(rejected.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn token_fetch_is_retried_as_it_changes_nothing() {
    let attempts = AtomicUsize::new(0);
    let server = Server::start(move |request| {
        if request.path != TOKEN_PATH {
            ok(request)
        } else if attempts.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::text("text/plain", "down").status(503)
        } else {
            Reply::data(json!({ "access_token": token(1), "expires_in": 7200 }))
        }
    })
    .await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    client.send::<Value>(get_user()).await.unwrap();
    assert_eq!(server.hits(TOKEN_PATH), 2);
}
