//! How the application authenticates on token-exchange endpoints.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use genauth::{AuthenticationClient, Call, Method, TokenEndpointAuthMethod};
use serde_json::{Value, json};

use crate::runtime_server::{APP_SECRET, Recorded, Reply, Server};

const EXCHANGE_PATHS: [&str; 4] =
    ["/oidc/token", "/api/v3/signin", "/api/v3/signin-by-mobile", "/api/v3/exchange-tokenset-with-qrcode-ticket"];

async fn client(method: TokenEndpointAuthMethod) -> (Server, AuthenticationClient) {
    let server = Server::start(|_| Reply::data(json!({ "access_token": "t" }))).await;
    let client = server.auth().token_endpoint_auth_method(method).build().unwrap();
    (server, client)
}

async fn post(client: &AuthenticationClient, server: &Server, path: &'static str, body: Value) -> Recorded {
    let _: Value = client.send(Call::new(Method::POST, path).json(&body).unwrap()).await.unwrap();
    server.last()
}

#[tokio::test]
async fn client_secret_post_adds_credentials_to_the_body() {
    let (server, client) = client(TokenEndpointAuthMethod::ClientSecretPost).await;
    for path in EXCHANGE_PATHS {
        let request = post(&client, &server, path, json!({ "ticket": "t-1" })).await;
        assert_eq!(
            request.json(),
            json!({ "ticket": "t-1", "client_id": "app-1", "client_secret": APP_SECRET }),
            "{path}"
        );
        assert_eq!(request.header("authorization"), None, "{path}");
    }
}

#[tokio::test]
async fn client_secret_post_is_the_default() {
    let server = Server::start(|_| Reply::data(json!(null))).await;
    let client = server.auth().build().unwrap();
    let _: Value = client.send(Call::new(Method::POST, "/api/v3/signin")).await.unwrap();
    let request = server.last();
    assert_eq!(request.json(), json!({ "client_id": "app-1", "client_secret": APP_SECRET }));
    assert_eq!(request.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn client_secret_post_keeps_credentials_set_by_the_caller() {
    let (server, client) = client(TokenEndpointAuthMethod::ClientSecretPost).await;
    let request = post(
        &client,
        &server,
        "/oidc/token",
        json!({ "client_id": "other-app", "client_secret": null, "grant_type": "x" }),
    )
    .await;
    assert_eq!(request.json(), json!({ "client_id": "other-app", "client_secret": APP_SECRET, "grant_type": "x" }));
}

#[tokio::test]
async fn other_endpoints_get_no_client_credentials() {
    let (server, client) = client(TokenEndpointAuthMethod::ClientSecretPost).await;
    for path in ["/api/v3/signup", "/api/v3/signin/extra", "/oidc/token/revocation"] {
        let request = post(&client, &server, path, json!({ "a": 1 })).await;
        assert_eq!(request.json(), json!({ "a": 1 }), "{path}");
    }
}

#[tokio::test]
async fn client_secret_basic_uses_the_authorization_header() {
    let (server, mut client) = client(TokenEndpointAuthMethod::ClientSecretBasic).await;
    client.set_access_token("user-token");
    let basic = format!("Basic {}", STANDARD.encode(format!("app-1:{APP_SECRET}")));
    for path in EXCHANGE_PATHS {
        let request = post(&client, &server, path, json!({ "ticket": "t-1" })).await;
        assert_eq!(request.header("authorization"), Some(basic.as_str()), "{path}");
        assert_eq!(request.json(), json!({ "ticket": "t-1" }), "{path}");
    }
    // Elsewhere the user's token is sent.
    let request = post(&client, &server, "/api/v3/update-profile", json!({})).await;
    assert_eq!(request.header("authorization"), Some("user-token"));
}

#[tokio::test]
async fn none_sends_no_client_credentials() {
    let server = Server::start(|_| Reply::data(json!(null))).await;
    let client = AuthenticationClient::builder(&server.url)
        .app_id("app-1")
        .token_endpoint_auth_method(TokenEndpointAuthMethod::None)
        .build()
        .unwrap();
    for path in EXCHANGE_PATHS {
        let request = post(&client, &server, path, json!({ "ticket": "t-1" })).await;
        assert_eq!(request.json(), json!({ "ticket": "t-1" }), "{path}");
        assert_eq!(request.header("authorization"), None, "{path}");
        assert_eq!(request.header("x-authing-app-id"), Some("app-1"));
    }
}
