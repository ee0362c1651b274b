//! An in-process HTTP server on loopback that records every request and
//! answers with a reply chosen by the test.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use genauth::models::LoginTokenResponseDataDto;
use genauth::{AuthenticationClient, AuthenticationClientBuilder, RetryPolicy};
use serde_json::{Value, json};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// What the server answers.
pub struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Duration,
}

impl Reply {
    pub fn json(body: Value) -> Reply {
        Reply::text("application/json", &body.to_string())
    }

    /// A success envelope around `data`.
    pub fn data(data: Value) -> Reply {
        Reply::json(json!({ "statusCode": 200, "message": "ok", "data": data }))
    }

    pub fn text(content_type: &str, body: &str) -> Reply {
        Reply {
            status: 200,
            headers: vec![("content-type", content_type.to_owned())],
            body: body.to_owned(),
            delay: Duration::ZERO,
        }
    }

    pub fn status(mut self, status: u16) -> Reply {
        self.status = status;
        self
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Reply {
        self.headers.push((name, value.to_owned()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

#[derive(Clone)]
struct Shared {
    requests: Arc<Mutex<Vec<Recorded>>>,
    handler: Arc<Handler>,
}

pub struct Server {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Serves `handler` on a free loopback port until the test's runtime
    /// stops.
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
        let shared = Shared { requests: Arc::default(), handler: Arc::new(handler) };
        let requests = shared.requests.clone();
        let app = Router::new().fallback(handle).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server { url, requests }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn last(&self) -> Recorded {
        self.requests().pop().expect("no request reached the server")
    }

    pub fn hits(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }

    /// An authentication client for this server that never retries.
    pub fn auth(&self) -> AuthenticationClientBuilder {
        AuthenticationClient::builder(&self.url)
            .app_id("app-1")
            .app_secret(APP_SECRET)
            .retry_policy(RetryPolicy::never())
    }
}

pub const APP_SECRET: &str = "app-secret-VALUE-1234";
pub const ACCESS_KEY_SECRET: &str = "ak-secret-VALUE-5678";

async fn handle(State(shared): State<Shared>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: body.to_vec(),
    };
    shared.requests.lock().unwrap().push(recorded.clone());
    let reply = (shared.handler)(&recorded);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = Response::builder().status(StatusCode::from_u16(reply.status).unwrap());
    for (name, value) in reply.headers {
        response = response.header(name, value);
    }
    response.body(Body::from(reply.body)).unwrap()
}

/// An unsigned JWT whose payload is `claims`.
pub fn jwt(claims: Value) -> String {
    let part = |value: Value| URL_SAFE_NO_PAD.encode(value.to_string());
    format!("{}.{}.c2lnbmF0dXJl", part(json!({ "alg": "HS256", "typ": "JWT" })), part(claims))
}

/// A loopback address nothing listens on.
pub async fn refused_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

/// The token set of the docs' sample results (`LoginTokenResponseDataDto`).
pub fn sample_token_set() -> Value {
    json!({
        "scope": "openid profile",
        "access_token": "eyJhbGciOiJSxxxxx",
        "id_token": "eyJhbGxxxx",
        "refresh_token": "WPsGJbvpBjqXz6IJIr1UHKyrdVF",
        "token_type": "bearer",
        "expire_in": 7200
    })
}

/// [`sample_token_set`], decoded.
pub fn sample_tokens() -> LoginTokenResponseDataDto {
    LoginTokenResponseDataDto {
        scope: Some("openid profile".into()),
        access_token: Some("eyJhbGciOiJSxxxxx".into()),
        id_token: Some("eyJhbGxxxx".into()),
        refresh_token: Some("WPsGJbvpBjqXz6IJIr1UHKyrdVF".into()),
        token_type: "bearer".into(),
        expire_in: 7200,
    }
}
