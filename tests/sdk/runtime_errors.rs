//! Each kind of `Error`, as produced by real responses.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::time::{Duration, Instant};

use genauth::json::{self, FromJson, JsonError, Map};
use genauth::{AuthenticationClient, Call, Error, ManagementClient, Method, TokenEndpointAuthMethod};
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

#[tokio::test]
async fn api_error_with_odd_fields_is_still_reported() {
    let server = Server::start(|request| match request.path.as_str() {
        "/text-code" => Reply::json(json!({ "statusCode": "404", "message": null, "requestId": 7 })),
        "/null-code" => Reply::json(json!({ "statusCode": null, "data": 1 })),
        _ => Reply::json(json!({ "statusCode": 500, "apiCode": "E1", "requestId": ["r"] })),
    })
    .await;
    let error = get(&server, "/odd-code").await.unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.status_code, api.api_code, api.request_id.as_deref()), (500, None, None));
    assert_eq!(error.to_string(), "API error 500: ");

    let error = get(&server, "/text-code").await.unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.status_code, api.message.as_str(), api.request_id.as_deref()), (404, "", Some("7")));

    // Without a status code the body is not an envelope.
    assert_eq!(get(&server, "/null-code").await.unwrap()["data"], 1);
}

/// Decoded like a generated model, except that `list` is required (a
/// hand-written `FromJson` may be stricter than generated ones).
#[derive(Debug)]
#[allow(dead_code)] // Fields exist to be decoded.
struct ListResp {
    data: ListData,
}

#[derive(Debug)]
#[allow(dead_code)]
struct ListData {
    total: i64,
    list: Vec<Item>,
}

#[derive(Debug, Default)]
#[allow(dead_code)]
struct Item {
    user_id: String,
}

impl FromJson for ListResp {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut map = json::object(value)?;
        Ok(ListResp { data: json::field(map.remove("data").unwrap_or_default(), "data")? })
    }
}

impl FromJson for ListData {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut map = json::object(value)?;
        let list = map.remove("list").ok_or_else(|| JsonError::new("missing field `list`"))?;
        Ok(ListData {
            total: json::field(map.remove("total").unwrap_or_default(), "total")?,
            list: json::field(list, "list")?,
        })
    }
}

impl json::Fields for Item {
    fn field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "userId" => json::set(&mut self.user_id, map, "userId"),
            _ => json::skip(map),
        }
    }
}

#[tokio::test]
async fn decode_error_keeps_path_and_raw_body() {
    let body = json!({
        "statusCode": 200,
        "data": { "total": 2, "list": [{ "userId": "u1" }, { "userId": ["u2"] }] }
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
    assert_eq!(decode.content_type.as_deref(), Some("application/json"));
    assert_eq!(decode.message, "expected a string, found an array");
    assert_eq!(
        error.to_string(),
        "could not decode the response at `data.list[1].userId`: expected a string, found an array"
    );
}

#[tokio::test]
async fn decode_error_path_goes_through_nested_arrays() {
    let server = Server::start(|_| Reply::data(json!([[1, 2], [3, "x"]]))).await;
    // The whole body is decoded: the envelope is an object, read as a list
    // of one list of one integer.
    let error = get_as::<Vec<Vec<i64>>>(&server).await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode(d) if d.path == "." && d.message == "expected an integer, found an object"),
        "{error:?}"
    );
    assert_eq!(get_as::<Map<String, Value>>(&server).await.unwrap()["data"][1][0], 3);

    #[derive(Debug)]
    struct Matrix(#[allow(dead_code)] Vec<Vec<i64>>);
    impl FromJson for Matrix {
        fn from_json(value: Value) -> Result<Self, JsonError> {
            json::field(json::object(value)?.remove("data").unwrap_or_default(), "data").map(Matrix)
        }
    }
    let error = get_as::<Matrix>(&server).await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert_eq!(decode.path, "data[1][1]");
    assert_eq!(decode.message, "expected an integer, found a string");
}

async fn get_as<T: FromJson>(server: &Server) -> Result<T, Error> {
    server.auth().build().unwrap().send(Call::new(Method::GET, "/x")).await
}

#[tokio::test]
async fn missing_field_is_a_decode_error() {
    let server = Server::start(|_| Reply::data(json!({ "total": 1 }))).await;
    let error = server.auth().build().unwrap().send::<ListResp>(Call::new(Method::GET, "/x")).await.unwrap_err();
    assert!(matches!(&error, Error::Decode(d) if d.path == "data" && d.message == "missing field `list`"), "{error:?}");
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
