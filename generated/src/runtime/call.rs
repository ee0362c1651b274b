//! The request description shared by generated methods and hand-written calls.

use std::fmt;

use reqwest::Method;
use serde::Serialize;

use super::Error;

/// A request about to be sent with [`AuthenticationClient::send`] or
/// [`ManagementClient::send`].
///
/// Generated methods build one per API operation; it is public so that
/// endpoints the documentation does not cover can be called the same way:
///
/// ```
/// use genauth::{Call, Method};
///
/// # fn main() -> Result<(), genauth::Error> {
/// let call = Call::new(Method::GET, "/api/v3/get-user")
///     .query("userId", "6229ffaxxxxxxxxcade3e3d9")
///     .query("withCustomData", &Some(true))
///     .query("tags", &vec!["a", "b"]);
/// let call = Call::new(Method::POST, "/api/v3/create-role")
///     .body(serde_json::json!({ "code": "admin" }));
/// # let _ = call;
/// // Any `Serialize` type works too:
/// let call = Call::new(Method::POST, "/api/v3/create-role")
///     .json(&std::collections::BTreeMap::from([("code", "admin")]))?;
/// # let _ = call;
/// # Ok(())
/// # }
/// ```
///
/// [`AuthenticationClient::send`]: super::AuthenticationClient::send
/// [`ManagementClient::send`]: super::ManagementClient::send
///
/// Its `Debug` output shows the method, path and parameter names only: values
/// and bodies may hold passwords or tokens.
#[derive(Clone)]
pub struct Call {
    pub(crate) method: Method,
    pub(crate) path: &'static str,
    /// Values of the path's `{name}` segments.
    pub(crate) path_params: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) idempotent: bool,
}

impl Call {
    /// Starts a request with `method` on `path`, which is relative to the
    /// client's host and starts with `/`, e.g. `"/api/v3/check-qrcode-status"`.
    pub fn new(method: Method, path: &'static str) -> Call {
        Call { method, path, path_params: Vec::new(), query: Vec::new(), body: None, idempotent: false }
    }

    /// Fills the path's `{name}` segment with `value`, written as for
    /// [`Call::query`] (a sequence joins its items with `,`) and
    /// percent-encoded, so that a `/` or `?` in it stays inside the segment.
    pub fn path_param(mut self, name: &'static str, value: &(impl QueryValue + ?Sized)) -> Call {
        let mut pairs = Vec::new();
        value.append_to(name, &mut pairs);
        let text: Vec<String> = pairs.into_iter().map(|(_, value)| value).collect();
        self.path_params.push((name, text.join(",")));
        self
    }

    /// Appends query parameter `name`; see [`QueryValue`] for how values
    /// are written (`None` adds nothing, a `Vec` repeats the name).
    pub fn query(mut self, name: &'static str, value: &(impl QueryValue + ?Sized)) -> Call {
        value.append_to(name, &mut self.query);
        self
    }

    /// Sets the JSON request body from a JSON value, as generated methods
    /// do with their models' [`to_json`](super::json::ToJson::to_json).
    pub fn body(mut self, body: serde_json::Value) -> Call {
        // A `Value` always serializes: its keys are strings.
        self.body = Some(body.to_string().into_bytes());
        self
    }

    /// Sets the JSON request body from any serde type.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] if `body` cannot be serialized (e.g. a map with
    /// non-string keys).
    pub fn json(mut self, body: &(impl Serialize + ?Sized)) -> Result<Call, Error> {
        self.body = Some(serde_json::to_vec(body).map_err(Error::Encode)?);
        Ok(self)
    }

    /// Marks the call as safe to repeat, so that the client's
    /// [`RetryPolicy`](super::RetryPolicy) applies to it even though its
    /// method is not `GET` (e.g. read-only `POST /api/v3/list-*` endpoints).
    pub fn idempotent(mut self) -> Call {
        self.idempotent = true;
        self
    }
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.query.iter().map(|(name, _)| *name).collect();
        let path_names: Vec<&str> = self.path_params.iter().map(|(name, _)| *name).collect();
        f.debug_struct("Call")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("path_params", &path_names)
            .field("query", &names)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

/// A value that can be written as query parameters by [`Call::query`].
///
/// Scalars write one `name=value` pair; `Option::None` writes nothing;
/// sequences (`Vec<T>`, `[T]`) write one pair per element, repeating the
/// name (`name=a&name=b`). Generated string enums implement it through their
/// `as_str()`.
pub trait QueryValue {
    /// Appends the pairs for this value under `name` to `pairs`.
    fn append_to(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>);
}

impl QueryValue for str {
    fn append_to(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((name, self.to_owned()));
    }
}

impl QueryValue for String {
    fn append_to(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((name, self.clone()));
    }
}

/// Written with `to_string()`: `true`/`false`, decimal numbers.
macro_rules! display_query_value {
    ($($ty:ty),*) => {$(
        impl QueryValue for $ty {
            fn append_to(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>) {
                pairs.push((name, self.to_string()));
            }
        }
    )*};
}

display_query_value!(bool, i32, i64, u32, u64, usize, f32, f64);

impl<T: QueryValue> QueryValue for Option<T> {
    fn append_to(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>) {
        if let Some(value) = self {
            value.append_to(name, pairs);
        }
    }
}

impl<T: QueryValue> QueryValue for [T] {
    fn append_to(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>) {
        for value in self {
            value.append_to(name, pairs);
        }
    }
}

impl<T: QueryValue> QueryValue for Vec<T> {
    fn append_to(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>) {
        self.as_slice().append_to(name, pairs);
    }
}

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn append_to(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>) {
        (**self).append_to(name, pairs);
    }
}

/// Untyped values (`any` in the documentation): `null` writes nothing, a
/// string is written as is (no quotes), anything else as JSON text.
impl QueryValue for serde_json::Value {
    fn append_to(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>) {
        match self {
            serde_json::Value::Null => {}
            serde_json::Value::String(text) => pairs.push((name, text.clone())),
            other => pairs.push((name, other.to_string())),
        }
    }
}
