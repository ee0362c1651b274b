//! Hand-written runtime of the SDK: the two clients, their configuration,
//! the request description [`Call`] used by generated methods, and the
//! [`Error`] type.
//!
//! Every API response is an envelope
//! `{ statusCode, message, apiCode, requestId, data }`; `send` turns one
//! whose `statusCode` is not 200 into [`Error::Api`] and otherwise decodes
//! the whole body with [`json::FromJson`]. Unknown fields are ignored, and
//! a body that is not an envelope is decoded as is.

mod authentication;
mod call;
mod config;
mod error;
pub mod json;
mod management;
mod pages;
mod response;
pub mod template;
mod transport;

pub use authentication::{AuthenticationClient, AuthenticationClientBuilder};
pub use call::{Call, QueryValue};
pub use config::{Language, RetryPolicy, TokenEndpointAuthMethod};
pub use error::{ApiError, DecodeError, Error, StatusError};
pub use management::{ManagementClient, ManagementClientBuilder};
pub use pages::{Page, PageFuture, Pages};
/// The HTTP client library, for [`http_client`](AuthenticationClientBuilder::http_client).
pub use reqwest;
/// HTTP methods, for [`Call::new`].
pub use reqwest::Method;
pub use response::Response;
