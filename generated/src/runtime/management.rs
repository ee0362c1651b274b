//! The client acting as an administrator of a user pool.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use tokio::sync::Mutex;

use super::json::{self, FromJson, JsonError};
use super::pages::pages_method;
use super::transport::{Body, Settings, Transport, sensitive, settings_methods};
use super::{Call, DecodeError, Error, Response};

const USER_POOL_ID: HeaderName = HeaderName::from_static("x-authing-userpool-id");
const TOKEN_PATH: &str = "/api/v3/get-management-token";

/// Client of the management API, authenticated with an access key.
///
/// It fetches a management token on first use, caches it and fetches a new
/// one shortly before it expires; concurrent calls wait for a single
/// fetch. Cloning is cheap and clones share the token.
///
/// ```no_run
/// use genauth::{Call, ManagementClient, Method};
///
/// # async fn example() -> Result<(), genauth::Error> {
/// let management = ManagementClient::builder("https://api.authing.cn")
///     .access_key("AUTHING_ACCESS_KEY_ID", "AUTHING_ACCESS_KEY_SECRET")
///     .build()?;
/// let user: serde_json::Value = management
///     .send(Call::new(Method::GET, "/api/v3/get-user").query("userId", "6229ffa"))
///     .await?;
/// # let _ = user;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ManagementClient {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    transport: Transport,
    access_key_id: String,
    access_key_secret: SecretString,
    refresh_margin: Duration,
    // An async mutex held during a fetch makes concurrent callers wait for
    // that fetch instead of starting their own.
    token: Mutex<Option<Token>>,
}

/// A cached management token, ready to be sent.
#[derive(Debug, Clone)]
struct Token {
    authorization: HeaderValue,
    user_pool_id: HeaderValue,
    refresh_at: Instant,
}

/// Builder of a [`ManagementClient`], from [`ManagementClient::builder`].
#[derive(Debug)]
#[must_use]
pub struct ManagementClientBuilder {
    settings: Settings,
    access_key: Option<(String, SecretString)>,
    refresh_margin: Duration,
}

impl ManagementClient {
    /// Starts configuring a client for the API at `host`, e.g.
    /// `https://api.authing.cn` or a private deployment's address.
    pub fn builder(host: impl Into<String>) -> ManagementClientBuilder {
        ManagementClientBuilder {
            settings: Settings::new(host.into()),
            access_key: None,
            refresh_margin: Duration::from_secs(60),
        }
    }

    /// Sends `call` as the administrator and decodes the whole response
    /// body as `T`.
    ///
    /// `T` is a generated response model, or [`serde_json::Value`] for any
    /// JSON; see [`FromJson`] for how to use your own serde types.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for an envelope whose `statusCode` is not 200
    /// (including a refused access key), [`Error::Decode`] for a body that
    /// is not JSON or not of `T`'s shape, and any other [`Error`] kind for
    /// failures on the way.
    pub async fn send<T: FromJson>(&self, call: Call) -> Result<T, Error> {
        self.execute(call).await?.decode()
    }

    /// Sends `call` and decodes the `data` of the response envelope into
    /// `T`, keeping the envelope's request id, as generated methods do.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send); decode errors name paths from `data`.
    pub async fn send_data<T: FromJson>(&self, call: Call) -> Result<Response<T>, Error> {
        self.execute(call).await?.decode_data()
    }

    pages_method!();

    /// The non-generic part of [`send`](Self::send).
    fn execute(&self, call: Call) -> Pin<Box<dyn Future<Output = Result<Body, Error>> + Send + '_>> {
        Box::pin(async move {
            let token = self.shared.token().await?;
            let mut headers = HeaderMap::new();
            headers.insert(AUTHORIZATION, token.authorization.clone());
            headers.insert(USER_POOL_ID, token.user_pool_id);
            let result = self.shared.transport.execute(call, headers).await;
            if is_unauthorized(&result) {
                self.shared.forget(&token.authorization).await;
            }
            result
        })
    }
}

impl Shared {
    /// The cached token, or a new one if it is missing or about to expire.
    async fn token(&self) -> Result<Token, Error> {
        let mut slot = self.token.lock().await;
        if let Some(token) = slot.as_ref().filter(|token| Instant::now() < token.refresh_at) {
            return Ok(token.clone());
        }
        let token = self.fetch_token().await?;
        *slot = Some(token.clone());
        Ok(token)
    }

    /// Drops the cached token if it is still `authorization`, which the
    /// server has just refused (e.g. revoked), so the next call fetches one.
    async fn forget(&self, authorization: &HeaderValue) {
        let mut slot = self.token.lock().await;
        if slot.as_ref().is_some_and(|token| token.authorization == *authorization) {
            *slot = None;
        }
    }

    async fn fetch_token(&self) -> Result<Token, Error> {
        let started = Instant::now();
        // Asking for a token changes nothing, so it may be retried.
        let call = Call::new(Method::POST, TOKEN_PATH).idempotent().body(serde_json::json!({
            "accessKeyId": self.access_key_id,
            "accessKeySecret": self.access_key_secret.expose_secret(),
        }));
        let body = self.transport.execute(call, HeaderMap::new()).await?;
        // The body holds the token: decode errors must not keep it.
        let (access_token, expires_in) = token_response(body).map_err(token_error)?;
        let access_token = SecretString::from(access_token);
        let user_pool_id = user_pool_id(access_token.expose_secret()).ok_or_else(|| {
            token_error(JsonError::new("not a JWT with a `scoped_userpool_id` claim").at("access_token").at("data"))
        })?;
        let lifetime = Duration::try_from_secs_f64(expires_in).unwrap_or_default();
        Ok(Token {
            authorization: sensitive(&format!("Bearer {}", access_token.expose_secret()))?,
            user_pool_id: HeaderValue::from_str(&user_pool_id).map_err(|_| {
                token_error(
                    JsonError::new("`scoped_userpool_id` is not a valid header value").at("access_token").at("data"),
                )
            })?,
            refresh_at: started + lifetime.saturating_sub(self.refresh_margin),
        })
    }
}

impl ManagementClientBuilder {
    /// The access key (required): a user pool id and secret, or a
    /// collaborating administrator's key.
    pub fn access_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.access_key = Some((id.into(), SecretString::from(secret.into())));
        self
    }

    /// How long before its expiry the management token is replaced
    /// (default 60 s). A token living shorter than this is fetched anew for
    /// every call.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    settings_methods!();

    /// Checks the configuration and creates the client. No request is
    /// made until the first call.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the host is not an http(s) URL or the access
    /// key is missing.
    pub fn build(self) -> Result<ManagementClient, Error> {
        let (access_key_id, access_key_secret) =
            self.access_key.ok_or_else(|| Error::Config("the access key is required".to_owned()))?;
        Ok(ManagementClient {
            shared: Arc::new(Shared {
                transport: Transport::new(self.settings, HeaderMap::new())?,
                access_key_id,
                access_key_secret,
                refresh_margin: self.refresh_margin,
                token: Mutex::new(None),
            }),
        })
    }
}

/// `data.access_token` and `data.expires_in` (seconds) of the token
/// response; both are required.
fn token_response(body: Body) -> Result<(String, f64), JsonError> {
    let mut data: Map<String, Value> = json::data_from_slice(&body.raw)?;
    let mut required = |key: &'static str| match data.remove(key) {
        None | Some(Value::Null) => Err(JsonError::new("missing or null").at(key).at("data")),
        Some(value) => Ok(value),
    };
    let access_token = json::field::<String>(required("access_token")?, "access_token");
    let access_token = access_token.map_err(|error| error.at("data"))?;
    let expires_in = json::field::<f64>(required("expires_in")?, "expires_in").map_err(|error| error.at("data"))?;
    Ok((access_token, expires_in))
}

/// The `scoped_userpool_id` claim of a JWT, read without checking the
/// signature: the server checks it, we only need the header value.
fn user_pool_id(jwt: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let json = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    match serde_json::from_slice::<Value>(&json).ok()?.get_mut("scoped_userpool_id")?.take() {
        Value::String(id) => Some(id),
        _ => None,
    }
}

/// A decode error about the token response, without its body.
fn token_error(error: JsonError) -> Error {
    Error::Decode(Box::new(DecodeError::new(error.path(), None, error.message().to_owned(), Bytes::new())))
}

fn is_unauthorized(result: &Result<Body, Error>) -> bool {
    match result {
        Err(Error::Api(error)) => error.status_code == 401 || error.http_status == 401,
        Err(Error::Status(error)) => error.status == 401,
        _ => false,
    }
}
