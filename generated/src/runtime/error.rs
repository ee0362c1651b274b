//! The single error type of the SDK.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;

/// Everything that can go wrong when building a client or calling the API.
///
/// Secrets (app secret, access key secret, tokens) never appear in its
/// `Display` or `Debug` output; raw response bodies are kept but only shown
/// through [`DecodeError::body`] and [`StatusError::body`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client configuration is invalid (reported by `build()`), a
    /// credential cannot be sent as an HTTP header, or a path parameter
    /// cannot be sent as a path segment (empty, `.` or `..`).
    Config(String),
    /// The request body could not be serialized to JSON.
    Encode(serde_json::Error),
    /// The request could not be sent or the response not read: connection
    /// refused or reset, DNS or TLS failure.
    Transport(reqwest::Error),
    /// No complete response arrived within the configured timeout.
    Timeout(Duration),
    /// A non-2xx HTTP response that is not an API envelope, e.g. an HTML
    /// error page from a proxy.
    Status(Box<StatusError>),
    /// The response could not be decoded into the expected type, or is not
    /// JSON at all.
    Decode(Box<DecodeError>),
    /// The API answered with an envelope whose `statusCode` is not 200.
    Api(Box<ApiError>),
}

/// An API envelope reporting failure (`statusCode != 200`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status of the response (often 200 even for API errors).
    pub http_status: StatusCode,
    /// The envelope's business status code, e.g. 400, 403, 404.
    pub status_code: i64,
    /// The envelope's human-readable message, in the configured language.
    pub message: String,
    /// The envelope's fine-grained error code, if any.
    pub api_code: Option<i64>,
    /// The request id to quote to support, if any.
    pub request_id: Option<String>,
}

/// A non-2xx HTTP response without an API envelope.
#[derive(Clone)]
#[non_exhaustive]
pub struct StatusError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response's `content-type`, if any.
    pub content_type: Option<String>,
    body: Bytes,
}

/// A response body that could not be decoded.
///
/// Its `Display` and `Debug` output never show the body (it may hold tokens)
/// and the SDK's messages never quote values from it; the raw body is
/// available through [`body`](Self::body).
#[non_exhaustive]
pub struct DecodeError {
    /// Where decoding failed, e.g. `data.list[0].createdAt` (`.` for the
    /// whole body).
    pub path: String,
    /// The response's `content-type`, if known.
    pub content_type: Option<String>,
    /// What was wrong there, e.g. `expected a string, found a number`.
    pub message: String,
    body: Bytes,
    not_json: bool,
}

/// How much of an unexpected body `Display` shows.
const SNIPPET_CHARS: usize = 200;

impl StatusError {
    pub(crate) fn new(status: StatusCode, content_type: Option<String>, body: Bytes) -> Self {
        StatusError { status, content_type, body }
    }

    /// The raw response body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl DecodeError {
    /// A body that is JSON but not of the expected shape.
    pub(crate) fn new(path: String, content_type: Option<String>, message: String, body: Bytes) -> Self {
        DecodeError { path, content_type, message, body, not_json: false }
    }

    /// A body that is not JSON at all.
    pub(crate) fn not_json(content_type: Option<String>, message: String, body: Bytes) -> Self {
        DecodeError { path: ".".to_owned(), content_type, message, body, not_json: true }
    }

    /// The raw response body. It may contain tokens of a signed-in user,
    /// which is why it is not part of `Display` or `Debug`.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Whether the body is not JSON at all (empty, HTML, plain text…)
    /// rather than JSON of an unexpected shape.
    pub fn is_not_json(&self) -> bool {
        self.not_json
    }
}

impl fmt::Debug for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StatusError")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("path", &self.path)
            .field("content_type", &self.content_type)
            .field("message", &self.message)
            .field("body_len", &self.body.len())
            .field("not_json", &self.not_json)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
            Error::Encode(source) => write!(f, "could not serialize the request body: {source}"),
            Error::Transport(source) => {
                // reqwest's own message ("error sending request") says
                // little; the innermost cause says what happened.
                let mut cause: &dyn StdError = source;
                while let Some(next) = cause.source() {
                    cause = next;
                }
                if source.is_connect() {
                    write!(f, "could not connect to the server: {cause}")
                } else {
                    write!(f, "transport error: {cause}")
                }
            }
            Error::Timeout(after) => write!(f, "no response within {after:?}"),
            Error::Status(error) => error.fmt(f),
            Error::Decode(error) => error.fmt(f),
            Error::Api(error) => error.fmt(f),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {}", self.status_code)?;
        if let Some(api_code) = self.api_code {
            write!(f, " (apiCode {api_code})")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(request_id) = &self.request_id {
            write!(f, " [requestId {request_id}]")?;
        }
        Ok(())
    }
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} without an API response", self.status)?;
        if let Some(content_type) = &self.content_type {
            write!(f, " ({content_type})")?;
        }
        let text = String::from_utf8_lossy(&self.body);
        let snippet: String =
            text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(SNIPPET_CHARS).collect();
        if !snippet.is_empty() {
            write!(f, ": {snippet}")?;
        }
        Ok(())
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.not_json {
            write!(f, "the response body is not JSON")?;
            if let Some(content_type) = &self.content_type {
                write!(f, " (content-type {content_type})")?;
            }
            write!(f, ": {}", self.message)
        } else {
            write!(f, "could not decode the response at `{}`: {}", self.path, self.message)
        }
    }
}

impl StdError for Error {
    // Decode and encode errors are already spelled out by `Display`; the
    // transport chain is exposed in full as it has several levels.
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Transport(source) => Some(source),
            _ => None,
        }
    }
}

impl StdError for ApiError {}
impl StdError for StatusError {}
impl StdError for DecodeError {}

impl Error {
    /// Classifies a `reqwest` failure, dropping the URL: its query string
    /// may carry user data.
    pub(crate) fn from_reqwest(error: reqwest::Error, timeout: Duration) -> Error {
        if error.is_timeout() { Error::Timeout(timeout) } else { Error::Transport(error.without_url()) }
    }
}
