//! The client acting for an application and its end users.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::json::FromJson;
use super::pages::pages_method;
use super::transport::{Body, Settings, Transport, sensitive, settings_methods};
use super::{Call, Error, Response, TokenEndpointAuthMethod};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

mod protocol;

const APP_ID: HeaderName = HeaderName::from_static("x-authing-app-id");

/// Endpoints that exchange credentials for tokens and therefore
/// authenticate the application itself.
const TOKEN_EXCHANGE_PATHS: [&str; 4] =
    ["/oidc/token", "/api/v3/signin", "/api/v3/signin-by-mobile", "/api/v3/exchange-tokenset-with-qrcode-ticket"];

/// Client of the authentication API: sign-in, sign-up and everything an
/// end user does with their own account.
///
/// Cloning is cheap and clones share configuration and connections, but
/// each clone has its own access token, so one client can be cloned per
/// end user:
///
/// ```no_run
/// use genauth::{AuthenticationClient, Call, Method};
///
/// # async fn example() -> Result<(), genauth::Error> {
/// let app = AuthenticationClient::builder("https://example.authing.cn")
///     .app_id("AUTHING_APP_ID")
///     .app_secret("AUTHING_APP_SECRET")
///     .build()?;
/// let mut user = app.clone();
/// user.set_access_token("eyJhbGciOi...");
/// let profile: serde_json::Value = user
///     .send(Call::new(Method::GET, "/api/v3/get-profile"))
///     .await?;
/// # let _ = profile;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct AuthenticationClient {
    shared: Arc<Shared>,
    access_token: Option<Arc<SecretString>>,
}

#[derive(Debug)]
struct Shared {
    transport: Transport,
    client_auth: ClientAuth,
    app_id: String,
    redirect_uri: Option<String>,
}

/// Application credentials prepared for the configured auth method.
#[derive(Debug)]
enum ClientAuth {
    Post { app_id: String, app_secret: SecretString },
    Basic(HeaderValue),
    None,
}

/// Builder of an [`AuthenticationClient`], from
/// [`AuthenticationClient::builder`].
#[derive(Debug)]
#[must_use]
pub struct AuthenticationClientBuilder {
    settings: Settings,
    app_id: Option<String>,
    app_secret: Option<SecretString>,
    auth_method: TokenEndpointAuthMethod,
    redirect_uri: Option<String>,
}

impl AuthenticationClient {
    /// Starts configuring a client for the application at `host`, its
    /// authentication address such as `https://example.authing.cn`.
    pub fn builder(host: impl Into<String>) -> AuthenticationClientBuilder {
        AuthenticationClientBuilder {
            settings: Settings::new(host.into()),
            app_id: None,
            app_secret: None,
            auth_method: TokenEndpointAuthMethod::default(),
            redirect_uri: None,
        }
    }

    /// Sends the end user's access token, as `authorization: <token>`, with
    /// every following request of this client (not of its earlier clones).
    pub fn set_access_token(&mut self, token: impl Into<String>) {
        self.access_token = Some(Arc::new(SecretString::from(token.into())));
    }

    /// Stops sending an access token, e.g. after signing out.
    pub fn clear_access_token(&mut self) {
        self.access_token = None;
    }

    /// Sends `call` and decodes the whole response body as `T`.
    ///
    /// `T` is a generated response model, or [`serde_json::Value`] for any
    /// JSON; see [`FromJson`] for how to use your own serde types.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for an envelope whose `statusCode` is not 200,
    /// [`Error::Decode`] for a body that is not JSON or not of `T`'s shape,
    /// and any other [`Error`] kind for failures on the way.
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
    fn execute(&self, mut call: Call) -> Pin<Box<dyn Future<Output = Result<Body, Error>> + Send + '_>> {
        Box::pin(async move {
            let mut headers = HeaderMap::new();
            if let Some(token) = &self.access_token {
                headers.insert(AUTHORIZATION, sensitive(token.expose_secret())?);
            }
            if TOKEN_EXCHANGE_PATHS.contains(&call.path) {
                match &self.shared.client_auth {
                    ClientAuth::Post { app_id, app_secret } => {
                        call.body = Some(with_client_credentials(call.body.as_deref(), app_id, app_secret)?);
                    }
                    ClientAuth::Basic(value) => {
                        headers.insert(AUTHORIZATION, value.clone());
                    }
                    ClientAuth::None => {}
                }
            }
            self.shared.transport.execute(call, headers).await
        })
    }
}

impl AuthenticationClientBuilder {
    /// The application's id (required), sent as `x-authing-app-id`.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// The application's secret, required unless the auth method is
    /// [`TokenEndpointAuthMethod::None`].
    pub fn app_secret(mut self, app_secret: impl Into<String>) -> Self {
        self.app_secret = Some(SecretString::from(app_secret.into()));
        self
    }

    /// How token-exchange endpoints authenticate the application (default
    /// [`TokenEndpointAuthMethod::ClientSecretPost`]).
    pub fn token_endpoint_auth_method(mut self, method: TokenEndpointAuthMethod) -> Self {
        self.auth_method = method;
        self
    }

    /// The application's redirect URI, sent by the authorization-code
    /// exchange and put into authorize URLs that do not name one.
    pub fn redirect_uri(mut self, redirect_uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(redirect_uri.into());
        self
    }

    settings_methods!();

    /// Checks the configuration and creates the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the host is not an http(s) URL, the app id is
    /// missing or not a valid header value, or the secret is missing while
    /// the auth method needs it.
    pub fn build(self) -> Result<AuthenticationClient, Error> {
        let app_id = self.app_id.ok_or_else(|| Error::Config("the app id is required".to_owned()))?;
        let header = HeaderValue::from_str(&app_id)
            .map_err(|_| Error::Config("the app id is not a valid header value".to_owned()))?;
        let secret = |secret: Option<SecretString>| {
            secret.ok_or_else(|| Error::Config(format!("the app secret is required by {:?}", self.auth_method)))
        };
        let client_auth = match self.auth_method {
            TokenEndpointAuthMethod::ClientSecretPost => {
                ClientAuth::Post { app_secret: secret(self.app_secret)?, app_id: app_id.clone() }
            }
            TokenEndpointAuthMethod::ClientSecretBasic => {
                let secret = secret(self.app_secret)?;
                let credentials = format!("{app_id}:{}", secret.expose_secret());
                ClientAuth::Basic(sensitive(&format!("Basic {}", STANDARD.encode(credentials)))?)
            }
            TokenEndpointAuthMethod::None => ClientAuth::None,
        };
        let mut headers = HeaderMap::new();
        headers.insert(APP_ID, header);
        Ok(AuthenticationClient {
            shared: Arc::new(Shared {
                transport: Transport::new(self.settings, headers)?,
                client_auth,
                app_id,
                redirect_uri: self.redirect_uri,
            }),
            access_token: None,
        })
    }
}

/// Adds `client_id` and `client_secret` to a JSON object body unless it
/// already sets them.
fn with_client_credentials(body: Option<&[u8]>, app_id: &str, app_secret: &SecretString) -> Result<Vec<u8>, Error> {
    let mut object: serde_json::Map<String, serde_json::Value> = match body {
        Some(body) => serde_json::from_slice(body).map_err(Error::Encode)?,
        None => serde_json::Map::new(),
    };
    for (key, value) in [("client_id", app_id), ("client_secret", app_secret.expose_secret())] {
        let slot = object.entry(key).or_insert(serde_json::Value::Null);
        if slot.is_null() {
            *slot = value.into();
        }
    }
    serde_json::to_vec(&object).map_err(Error::Encode)
}
