//! The non-generic HTTP core shared by both clients: URL and headers,
//! retries, parsing and envelope check. Only [`Body::decode`] is generic.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde_json::{Map, Value};

use super::json::{self, FromJson, JsonError};
use super::{ApiError, Call, DecodeError, Error, Language, Response, RetryPolicy, StatusError};

const LANG: HeaderName = HeaderName::from_static("x-authing-lang");
const REQUEST_FROM: HeaderName = HeaderName::from_static("x-authing-request-from");
const SDK_VERSION: HeaderName = HeaderName::from_static("x-authing-sdk-version");

/// Settings common to both client builders.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) host: String,
    pub(crate) language: Language,
    pub(crate) timeout: Duration,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) retry: RetryPolicy,
}

impl Settings {
    pub(crate) fn new(host: String) -> Self {
        Settings {
            host,
            language: Language::default(),
            timeout: Duration::from_secs(10),
            http: None,
            retry: RetryPolicy::default(),
        }
    }
}

/// Builder methods for the [`Settings`] field `settings` of a builder.
macro_rules! settings_methods {
    () => {
        /// Language of API messages, sent as `x-authing-lang`
        /// (default `zh-CN`).
        pub fn language(mut self, language: super::Language) -> Self {
            self.settings.language = language;
            self
        }

        /// Time allowed for one attempt, from connecting to reading the
        /// whole body (default 10 s). Applies to a custom client too.
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.settings.timeout = timeout;
            self
        }

        /// Sends requests through `client` (proxies, certificates, pooling)
        /// instead of a default one.
        pub fn http_client(mut self, client: reqwest::Client) -> Self {
            self.settings.http = Some(client);
            self
        }

        /// How failed requests are retried (default:
        /// [`RetryPolicy::default`](super::RetryPolicy::default)).
        pub fn retry_policy(mut self, policy: super::RetryPolicy) -> Self {
            self.settings.retry = policy;
            self
        }
    };
}
pub(crate) use settings_methods;

/// The HTTP side of a client, shared behind its `Arc`.
pub(crate) struct Transport {
    http: reqwest::Client,
    base: Url,
    headers: HeaderMap,
    timeout: Duration,
    retry: RetryPolicy,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base", &self.base.as_str())
            .field("headers", &self.headers)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Validates `settings`; `headers` are sent with every request in
    /// addition to the SDK's own.
    pub(crate) fn new(settings: Settings, mut headers: HeaderMap) -> Result<Transport, Error> {
        let base =
            Url::parse(&settings.host).map_err(|error| Error::Config(format!("host `{}`: {error}", settings.host)))?;
        if !matches!(base.scheme(), "http" | "https")
            || base.host().is_none()
            || !base.username().is_empty()
            || base.password().is_some()
            || base.query().is_some()
            || base.fragment().is_some()
        {
            return Err(Error::Config(format!(
                "host `{}` must be an http(s) URL without credentials, query or fragment",
                settings.host
            )));
        }
        headers.insert(LANG, HeaderValue::from_static(settings.language.as_str()));
        headers.insert(REQUEST_FROM, HeaderValue::from_static("sdk"));
        headers.insert(SDK_VERSION, HeaderValue::from_static(env!("CARGO_PKG_VERSION")));
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let http = match settings.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(concat!("genauth-rust/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|error| Error::Config(format!("HTTP client: {error}")))?,
        };
        Ok(Transport { http, base, headers, timeout: settings.timeout, retry: settings.retry })
    }

    /// Sends `call` with the extra `headers`, retrying as the policy allows,
    /// and returns the parsed body of a successful response.
    #[cfg_attr(
        feature = "tracing",
        tracing::instrument(
            name = "genauth.call",
            skip_all,
            fields(method = %call.method, path = call.path)
        )
    )]
    pub(crate) async fn execute(&self, call: Call, headers: HeaderMap) -> Result<Body, Error> {
        let url = self.url(&call)?;
        let body = call.body.map(Bytes::from);
        let idempotent = call.idempotent || call.method == Method::GET;
        let attempts = self.retry.attempts_for(idempotent);
        let mut attempt = 1;
        loop {
            let mut request = self
                .http
                .request(call.method.clone(), url.clone())
                .headers(self.headers.clone())
                .headers(headers.clone())
                .timeout(self.timeout);
            if let Some(body) = &body {
                // Bodies are JSON unless the caller says otherwise (forms).
                if !headers.contains_key(CONTENT_TYPE) {
                    request = request.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                }
                request = request.body(body.clone());
            }
            let more = attempt < attempts;
            let delay = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    let transient = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
                    let delay = if more && transient {
                        self.retry.delay(attempt, retry_after(response.headers()))
                    } else {
                        None
                    };
                    match delay {
                        Some(delay) => delay,
                        None => return self.finish(response).await,
                    }
                }
                Err(error) if more && is_transient(&error) => self.retry.backoff(attempt),
                Err(error) => return Err(Error::from_reqwest(error, self.timeout)),
            };
            #[cfg(feature = "tracing")]
            tracing::debug!(attempt, ?delay, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    pub(crate) fn url(&self, call: &Call) -> Result<Url, Error> {
        let mut url = self.base.clone();
        let mut path = format!("{}{}", self.base.path().trim_end_matches('/'), call.path);
        for (name, value) in &call.path_params {
            // No URL can carry these as a segment: `.` and `..` would be
            // resolved away, an empty one names another endpoint.
            if matches!(value.as_str(), "" | "." | "..") {
                return Err(Error::Config(format!("path parameter `{name}` cannot be `{value}`")));
            }
            path = path.replace(&format!("{{{name}}}"), &path_segment(value));
        }
        url.set_path(&path);
        if !call.query.is_empty() {
            url.query_pairs_mut().extend_pairs(call.query.iter().map(|(name, value)| (*name, value)));
        }
        Ok(url)
    }

    async fn finish(&self, response: reqwest::Response) -> Result<Body, Error> {
        let status = response.status();
        #[cfg(feature = "tracing")]
        tracing::debug!(status = status.as_u16(), "response");
        let content_type =
            response.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(str::to_owned);
        let body = response.bytes().await.map_err(|error| Error::from_reqwest(error, self.timeout))?;
        check(status, content_type, body)
    }
}

/// `value` percent-encoded as one path segment: all but unreserved
/// characters (RFC 3986), so `/`, `?`, `#` and `%` cannot change the URL's
/// structure.
fn path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A header value hidden from `Debug` and from HTTP/2 header compression.
pub(crate) fn sensitive(text: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(text)
        .map_err(|_| Error::Config("a credential is not a valid header value".to_owned()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Connection-level failures that happened before any response; timeouts
/// are left out since repeating them multiplies the wait.
fn is_transient(error: &reqwest::Error) -> bool {
    !error.is_timeout() && (error.is_connect() || error.is_request())
}

/// `Retry-After` in seconds; the HTTP-date form falls back to backoff.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds))
}

/// A successful response body: JSON, checked not to be an API error.
/// It is decoded straight from its text, into the type asked for.
pub(crate) struct Body {
    pub(crate) raw: Bytes,
    content_type: Option<String>,
    /// The envelope's `requestId`, if the body is an envelope.
    request_id: Option<String>,
}

impl Body {
    /// Decodes the whole body as `T`, reporting the failing field's path.
    /// This is the only generic step of a call; keep it small.
    pub(crate) fn decode<T: FromJson>(self) -> Result<T, Error> {
        json::from_slice(&self.raw).map_err(|error| self.failed(error))
    }

    /// Decodes the envelope's `data` as `T`, keeping its `requestId`.
    pub(crate) fn decode_data<T: FromJson>(self) -> Result<Response<T>, Error> {
        match json::data_from_slice(&self.raw) {
            Ok(data) => Ok(Response::new(data, self.request_id)),
            Err(error) => Err(self.failed(error)),
        }
    }

    #[cold]
    fn failed(self, error: JsonError) -> Error {
        let Body { raw, content_type, .. } = self;
        Error::Decode(Box::new(DecodeError::new(error.path(), content_type, error.message().to_owned(), raw)))
    }
}

/// The envelope members that tell an error and identify a request.
const ENVELOPE_KEYS: &[&str] = &["statusCode", "message", "apiCode", "requestId"];

/// Turns a response into its body or the error it reports.
///
/// A JSON object with a `statusCode` other than 200 is an API error
/// whatever the HTTP status; otherwise a non-2xx status is a status error;
/// otherwise the body must be JSON (of any shape: bodies that are not
/// envelopes, such as `/oidc/token` responses, are decoded as is). Only
/// the envelope's own members are built here; `data` is skipped, to be
/// decoded once into its type.
fn check(status: StatusCode, content_type: Option<String>, raw: Bytes) -> Result<Body, Error> {
    let envelope = json::members_from_slice(&raw, ENVELOPE_KEYS);
    if let Ok(Some(envelope)) = &envelope {
        if let Some(error) = api_error(status, envelope) {
            return Err(Error::Api(Box::new(error)));
        }
    }
    if !status.is_success() {
        return Err(Error::Status(Box::new(StatusError::new(status, content_type, raw))));
    }
    match envelope {
        Ok(envelope) => Ok(Body { request_id: envelope.as_ref().and_then(request_id), raw, content_type }),
        // serde_json's syntax messages give a position, never the text.
        Err(error) => Err(Error::Decode(Box::new(DecodeError::not_json(content_type, error.to_string(), raw)))),
    }
}

/// The error an envelope reports, if its `statusCode` is there and not 200.
/// The fields are read leniently: an odd `message` or `apiCode` must not
/// hide the error.
fn api_error(status: StatusCode, envelope: &Map<String, Value>) -> Option<ApiError> {
    let integer = |key: &str| {
        let value = envelope.get(key).filter(|value| value.is_number() || value.is_string())?;
        i64::from_json(value.clone()).ok()
    };
    let status_code = integer("statusCode").filter(|code| *code != 200)?;
    Some(ApiError {
        http_status: status,
        status_code,
        message: match envelope.get("message") {
            Some(Value::String(text)) => text.clone(),
            None | Some(Value::Null) => String::new(),
            Some(other) => other.to_string(),
        },
        api_code: integer("apiCode"),
        request_id: request_id(envelope),
    })
}

/// The envelope's `requestId`, as text.
fn request_id(envelope: &Map<String, Value>) -> Option<String> {
    match envelope.get("requestId") {
        Some(Value::String(text)) => Some(text.clone()),
        Some(Value::Number(number)) => Some(number.to_string()),
        _ => None,
    }
}
