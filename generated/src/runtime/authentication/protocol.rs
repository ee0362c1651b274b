//! Standard OAuth 2.0 / OIDC endpoints and browser URLs, as the official
//! SDKs call them: token, introspection and revocation endpoints take a
//! form (`application/x-www-form-urlencoded`) and authenticate the
//! application as configured; authorize and logout URLs are built locally.

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use secrecy::ExposeSecret;

use super::{AuthenticationClient, ClientAuth};
use crate::runtime::json::{FromJson, Value};
use crate::runtime::template::{Settings, Template, pairs};
use crate::runtime::{Call, DecodeError, Error, Method};

impl AuthenticationClient {
    fn template_settings(&self) -> Settings<'_> {
        Settings { app_id: Some(&self.shared.app_id), redirect_uri: self.shared.redirect_uri.as_deref() }
    }

    /// For generated methods: posts `form`, filled from `params`, to `path`, authenticating the
    /// application by its token-endpoint auth method: `client_secret_post`
    /// adds `client_id` and `client_secret` to the form,
    /// `client_secret_basic` sends them as HTTP Basic credentials, `none`
    /// adds `client_id`. An empty success body is the endpoint's acknowledgement
    /// (revocation answers 200 and nothing else, RFC 7009): it decodes as
    /// `true`, the value the official SDKs return for it.
    #[doc(hidden)]
    pub async fn send_form<T: FromJson>(
        &self,
        path: &'static str,
        form: &'static [(&'static str, Template)],
        params: &Value,
    ) -> Result<T, Error> {
        let mut fields = pairs(form, params, &self.template_settings());
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
        match &self.shared.client_auth {
            ClientAuth::Post { app_id, app_secret } => {
                fields.push(("client_id", app_id.clone()));
                fields.push(("client_secret", app_secret.expose_secret().to_owned()));
            }
            ClientAuth::Basic(value) => {
                headers.insert(AUTHORIZATION, value.clone());
            }
            ClientAuth::None => fields.push(("client_id", self.shared.app_id.clone())),
        }
        let mut call = Call::new(Method::POST, path);
        call.body = Some(form_encode(&fields).into_bytes());
        match self.shared.transport.execute(call, headers).await {
            Ok(body) => body.decode(),
            Err(Error::Decode(error)) if error.is_not_json() && error.body().is_empty() => {
                T::from_json(Value::Bool(true)).map_err(|json| {
                    Error::Decode(Box::new(DecodeError::new(
                        json.path(),
                        None,
                        json.message().to_owned(),
                        Bytes::new(),
                    )))
                })
            }
            Err(error) => Err(error),
        }
    }

    /// For generated methods: the URL of `path` on the host with `query`,
    /// filled from `params`.
    #[doc(hidden)]
    pub fn local_url(&self, path: &'static str, query: &'static [(&'static str, Template)], params: &Value) -> String {
        let mut call = Call::new(Method::GET, path);
        call.query = pairs(query, params, &self.template_settings());
        // Without path parameters the URL always builds.
        self.shared.transport.url(&call).map(String::from).unwrap_or_default()
    }
}

/// `application/x-www-form-urlencoded`: unreserved bytes as they are, space
/// as `+`, every other byte percent-encoded.
fn form_encode(fields: &[(&str, String)]) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|byte| match byte {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => (byte as char).to_string(),
                b' ' => "+".to_owned(),
                other => format!("%{other:02X}"),
            })
            .collect()
    };
    fields.iter().map(|(name, value)| format!("{}={}", encode(name), encode(value))).collect::<Vec<_>>().join("&")
}
