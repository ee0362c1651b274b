//! Secrets never show in `Debug` or `Display` output.

use std::time::Duration;

use genauth::json::{self, FromJson, JsonError};
use genauth::{AuthenticationClient, Call, Error, ManagementClient, Method, RetryPolicy};
use serde_json::{Value, json};

use crate::runtime_server::{ACCESS_KEY_SECRET, APP_SECRET, Reply, Server, jwt, refused_url};

const USER_TOKEN: &str = "user-token-VALUE-0000";

fn assert_hidden(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "`{secret}` leaked in: {text}");
    }
}

#[tokio::test]
async fn authentication_client_debug_hides_secrets() {
    let builder = AuthenticationClient::builder("https://example.authing.cn").app_id("app-1").app_secret(APP_SECRET);
    assert_hidden(&format!("{builder:?}"), &[APP_SECRET]);

    for method in
        [genauth::TokenEndpointAuthMethod::ClientSecretPost, genauth::TokenEndpointAuthMethod::ClientSecretBasic]
    {
        let mut client = AuthenticationClient::builder("https://example.authing.cn")
            .app_id("app-1")
            .app_secret(APP_SECRET)
            .token_endpoint_auth_method(method)
            .build()
            .unwrap();
        client.set_access_token(USER_TOKEN);
        let debug = format!("{client:?}");
        assert!(debug.contains("app-1"), "{debug}");
        // Basic credentials are the secret in base64.
        let basic = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, format!("app-1:{APP_SECRET}"));
        assert_hidden(&debug, &[APP_SECRET, USER_TOKEN, &basic]);
    }
}

#[tokio::test]
async fn management_client_debug_hides_secrets_and_token() {
    let token = jwt(json!({ "scoped_userpool_id": "pool-1", "k": "TOKEN-MARK" }));
    let issued = token.clone();
    let server = Server::start(move |request| {
        if request.path == "/api/v3/get-management-token" {
            Reply::data(json!({ "access_token": issued, "expires_in": 7200 }))
        } else {
            Reply::data(json!(null))
        }
    })
    .await;
    let builder = ManagementClient::builder(&server.url).access_key("ak-id", ACCESS_KEY_SECRET);
    assert_hidden(&format!("{builder:?}"), &[ACCESS_KEY_SECRET]);

    let client = builder.build().unwrap();
    let _: Value = client.send(Call::new(Method::GET, "/api/v3/x")).await.unwrap();
    let debug = format!("{client:?}");
    assert!(debug.contains("ak-id"), "{debug}");
    assert_hidden(&debug, &[ACCESS_KEY_SECRET, &token]);
}

#[derive(Debug)]
#[allow(dead_code)] // Decoding it is the point.
struct LoginResp {
    data: LoginData,
}

#[derive(Debug)]
#[allow(dead_code)]
struct LoginData {
    access_token: String,
    expire_in: i64,
}

impl FromJson for LoginResp {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut map = json::object(value)?;
        Ok(LoginResp { data: json::field(map.remove("data").unwrap_or_default(), "data")? })
    }
}

impl FromJson for LoginData {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut map = json::object(value)?;
        Ok(LoginData {
            access_token: json::field(map.remove("access_token").unwrap_or_default(), "access_token")?,
            expire_in: json::field(map.remove("expire_in").unwrap_or_default(), "expire_in")?,
        })
    }
}

#[tokio::test]
async fn decode_error_output_hides_the_body() {
    // The value of the wrong shape is itself secret-looking.
    let server =
        Server::start(|_| Reply::data(json!({ "access_token": USER_TOKEN, "expire_in": "later-VALUE-MARK" }))).await;
    let error =
        server.auth().build().unwrap().send::<LoginResp>(Call::new(Method::POST, "/api/v3/signin")).await.unwrap_err();
    assert!(matches!(&error, Error::Decode(d) if d.path == "data.expire_in"), "{error:?}");
    assert_hidden(&error.to_string(), &[USER_TOKEN, APP_SECRET, "VALUE-MARK"]);
    assert_hidden(&format!("{error:?}"), &[USER_TOKEN, APP_SECRET, "VALUE-MARK"]);
    // The raw body is still there on request.
    let Error::Decode(decode) = &error else { unreachable!() };
    assert!(String::from_utf8_lossy(decode.body()).contains(USER_TOKEN));
}

#[tokio::test]
async fn api_and_status_errors_hide_request_secrets() {
    let server = Server::start(|request| match request.path.as_str() {
        "/api" => Reply::json(json!({ "statusCode": 400, "message": "bad", "requestId": "r" })),
        _ => Reply::text("text/html", "<h1>oops</h1>").status(500),
    })
    .await;
    let mut client = server.auth().build().unwrap();
    client.set_access_token(USER_TOKEN);
    for path in ["/api", "/status"] {
        let error = client.send::<Value>(Call::new(Method::GET, path).query("token", USER_TOKEN)).await.unwrap_err();
        assert_hidden(&error.to_string(), &[USER_TOKEN, APP_SECRET]);
        assert_hidden(&format!("{error:?}"), &[USER_TOKEN, APP_SECRET]);
    }
}

#[tokio::test]
async fn transport_and_timeout_errors_hide_the_url_query() {
    let client = AuthenticationClient::builder(refused_url().await)
        .app_id("app-1")
        .app_secret(APP_SECRET)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let call = || Call::new(Method::GET, "/x").query("token", USER_TOKEN);
    let error = client.send::<Value>(call()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_hidden(&error.to_string(), &[USER_TOKEN, APP_SECRET]);
    assert_hidden(&format!("{error:?}"), &[USER_TOKEN, APP_SECRET]);

    let server = Server::start(|_| Reply::data(json!(null)).delay(Duration::from_secs(5))).await;
    let client = server.auth().timeout(Duration::from_millis(50)).build().unwrap();
    let error = client.send::<Value>(call()).await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_hidden(&format!("{error:?} {error}"), &[USER_TOKEN]);
}

#[test]
fn call_debug_hides_values_and_body() {
    let call = Call::new(Method::POST, "/api/v3/signin")
        .query("token", USER_TOKEN)
        .json(&json!({ "password": "PASSWORD-MARK" }))
        .unwrap();
    let debug = format!("{call:?}");
    assert!(debug.contains("/api/v3/signin") && debug.contains("token"), "{debug}");
    assert_hidden(&debug, &[USER_TOKEN, "PASSWORD-MARK"]);
}
