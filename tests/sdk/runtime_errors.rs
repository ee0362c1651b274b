//! Each kind of `Error`, as produced by real responses.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::time::{Duration, Instant};

use genauth::{AuthenticationClient, Call, Error, ManagementClient, Method, TokenEndpointAuthMethod};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::runtime_server::{Reply, Server, refused_url};

async fn get(server: &Server, path: &'static str) -> Result<Value, Error> {
    server.auth().build().unwrap().send(Call::new(Method::GET, path)).await
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let client = AuthenticationClient::builder(refused_url().await)
        .app_id("app-1")
        .app_secret("s")
        .retry_policy(genauth::RetryPolicy::never())
        .build()
        .unwrap();
    let error = client.send::<Value>(Call::new(Method::GET, "/api/v3/x")).await.unwrap_err();
    assert!(matches!(&error, Error::Transport(e) if e.is_connect()), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with("could not connect to the server: "), "{message}");
    assert!(message.to_lowercase().contains("refused"), "{message}");
    assert!(error.source().is_some());
}

#[tokio::test]
async fn slow_response_is_a_timeout() {
    let server = Server::start(|_| Reply::data(json!(null)).delay(Duration::from_secs(5))).await;
    let client = server.auth().timeout(Duration::from_millis(100)).build().unwrap();
    let started = Instant::now();
    let error = client.send::<Value>(Call::new(Method::GET, "/api/v3/x")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(matches!(error, Error::Timeout(after) if after == Duration::from_millis(100)), "{error:?}");
    assert_eq!(error.to_string(), "no response within 100ms");
}

#[tokio::test]
async fn html_error_page_is_a_status_error() {
    let server =
        Server::start(|_| Reply::text("text/html", "<html>\n  <body>502 Bad Gateway</body>\n</html>").status(502))
            .await;
    let error = get(&server, "/api/v3/x").await.unwrap_err();
    let Error::Status(status) = &error else { panic!("{error:?}") };
    assert_eq!(status.status, 502);
    assert_eq!(status.content_type.as_deref(), Some("text/html"));
    assert!(status.body().starts_with(b"<html>\n"));
    assert_eq!(
        error.to_string(),
        "HTTP 502 Bad Gateway without an API response (text/html): \
         <html> <body>502 Bad Gateway</body> </html>"
    );
}

#[tokio::test]
async fn json_error_without_envelope_is_a_status_error() {
    let server = Server::start(|_| {
        Reply::json(json!({ "error": "invalid_grant", "error_description": "code expired" })).status(400)
    })
    .await;
    let error = get(&server, "/oidc/token").await.unwrap_err();
    assert!(matches!(&error, Error::Status(s) if s.status == 400), "{error:?}");
    assert!(error.to_string().contains("invalid_grant"), "{error}");
}

#[tokio::test]
async fn envelope_with_failure_is_an_api_error() {
    let server = Server::start(|request| {
        let reply = Reply::json(json!({
            "statusCode": 403,
            "message": "无权限",
            "apiCode": 2004,
            "requestId": "req-9",
            "data": null
        }));
        // Both HTTP 200 and a matching HTTP status carry API errors.
        if request.path == "/forbidden" { reply.status(403) } else { reply }
    })
    .await;
    for (path, http) in [("/ok-http", 200), ("/forbidden", 403)] {
        let error = get(&server, path).await.unwrap_err();
        let Error::Api(api) = &error else { panic!("{error:?}") };
        assert_eq!(api.http_status, http);
        assert_eq!(api.status_code, 403);
        assert_eq!(api.message, "无权限");
        assert_eq!(api.api_code, Some(2004));
        assert_eq!(api.request_id.as_deref(), Some("req-9"));
        assert_eq!(error.to_string(), "API error 403 (apiCode 2004): 无权限 [requestId req-9]");
    }
}

#[tokio::test]
async fn api_error_with_odd_message_is_still_reported() {
    let server = Server::start(|_| Reply::json(json!({ "statusCode": 400, "message": ["a", "b"] }))).await;
    let error = get(&server, "/x").await.unwrap_err();
    assert_eq!(error.to_string(), r#"API error 400: ["a","b"]"#);
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // Fields exist to be decoded.
struct ListResp {
    data: ListData,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ListData {
    total: i64,
    list: Vec<Item>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
struct Item {
    user_id: String,
}

#[tokio::test]
async fn decode_error_keeps_path_and_raw_body() {
    let body = json!({
        "statusCode": 200,
        "data": { "total": 2, "list": [{ "userId": "u1" }, { "userId": 42 }] }
    });
    let raw = body.to_string();
    let server = Server::start(move |_| Reply::json(body.clone())).await;
    let error = server
        .auth()
        .build()
        .unwrap()
        .send::<ListResp>(Call::new(Method::POST, "/api/v3/list-users"))
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert_eq!(decode.path, "data.list[1].userId");
    assert_eq!(decode.body(), raw.as_bytes());
    assert!(!decode.is_not_json());
    assert!(
        error.to_string().starts_with("could not decode the response at `data.list[1].userId`: invalid type"),
        "{error}"
    );
}

#[tokio::test]
async fn missing_field_is_a_decode_error() {
    let server = Server::start(|_| Reply::data(json!({ "total": 1 }))).await;
    let error = server.auth().build().unwrap().send::<ListResp>(Call::new(Method::GET, "/x")).await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode(d) if d.path == "data" && d.source.to_string().contains("missing field `list`")),
        "{error:?}"
    );
}

#[tokio::test]
async fn html_success_page_is_a_clear_decode_error() {
    let server = Server::start(|request| match request.path.as_str() {
        "/empty" => Reply::text("application/json", ""),
        _ => Reply::text("text/html; charset=utf-8", "<!DOCTYPE html><p>Sign in to Wi-Fi</p>"),
    })
    .await;
    let error = get(&server, "/portal").await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert!(decode.is_not_json());
    assert_eq!(decode.body(), b"<!DOCTYPE html><p>Sign in to Wi-Fi</p>");
    assert!(
        error
            .to_string()
            .starts_with("the response body is not JSON (content-type text/html; charset=utf-8): expected value"),
        "{error}"
    );

    let error = get(&server, "/empty").await.unwrap_err();
    assert!(matches!(&error, Error::Decode(d) if d.is_not_json() && d.body().is_empty()), "{error:?}");
}

#[test]
fn unserializable_body_is_an_encode_error() {
    let body: BTreeMap<(u8, u8), u8> = BTreeMap::from([((1, 2), 3)]);
    let error = Call::new(Method::POST, "/x").json(&body).unwrap_err();
    assert!(matches!(error, Error::Encode(_)), "{error:?}");
    assert!(error.to_string().starts_with("could not serialize the request body"));
}

#[test]
fn invalid_configuration_is_a_config_error() {
    let auth = |host: &str| AuthenticationClient::builder(host).app_id("a").app_secret("s");
    for host in ["not a url", "ftp://example.com", "https://example.com/?a=1", "https://user:pass@example.com"] {
        let error = auth(host).build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{host}: {error:?}");
    }
    let missing_id = AuthenticationClient::builder("https://example.com").build();
    assert!(matches!(missing_id, Err(Error::Config(m)) if m.contains("app id")));

    let missing_secret = AuthenticationClient::builder("https://example.com")
        .app_id("a")
        .token_endpoint_auth_method(TokenEndpointAuthMethod::ClientSecretBasic)
        .build();
    assert!(matches!(missing_secret, Err(Error::Config(m)) if m.contains("app secret")));

    // A public client needs no secret.
    AuthenticationClient::builder("https://example.com")
        .app_id("a")
        .token_endpoint_auth_method(TokenEndpointAuthMethod::None)
        .build()
        .unwrap();

    let missing_key = ManagementClient::builder("https://example.com").build();
    assert!(matches!(missing_key, Err(Error::Config(m)) if m.contains("access key")));
    let error = ManagementClient::builder("example.com").access_key("id", "secret").build().unwrap_err();
    assert!(error.to_string().starts_with("invalid client configuration: host"));
}

#[tokio::test]
async fn invalid_access_token_is_reported_not_panicked() {
    let server = Server::start(|_| Reply::data(json!(null))).await;
    let mut client = server.auth().build().unwrap();
    client.set_access_token("line\nbreak");
    let error = client.send::<Value>(Call::new(Method::GET, "/x")).await.unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(server.requests().is_empty());
}
