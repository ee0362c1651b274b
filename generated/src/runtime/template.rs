//! What a method sends when it does not send its parameters as they are: a
//! wrapper's JSON body over another endpoint, a protocol call's form, a
//! local helper's URL query. Generated methods describe it as constant data
//! and fill it from the request's JSON object.

use serde_json::{Map, Value};

/// One value of a body, form or query.
#[derive(Debug, Clone, Copy)]
pub enum Template {
    /// The request parameter of this wire name; absent when not given.
    Param(&'static str),
    /// A fixed string.
    Text(&'static str),
    /// A setting of the client; absent when not configured.
    Setting(Setting),
    /// The first of these that is present.
    First(&'static [Template]),
    /// An object of these entries (absent ones left out).
    Object(&'static [(&'static str, Template)]),
}

/// Client settings a template may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// The application id.
    AppId,
    /// The application's configured redirect URI.
    RedirectUri,
}

/// The values of [`Setting`]s a client has.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings<'a> {
    pub app_id: Option<&'a str>,
    pub redirect_uri: Option<&'a str>,
}

impl Template {
    /// The value for `params` (a request as a JSON object), if present.
    pub fn fill(&self, params: &Value, settings: &Settings<'_>) -> Option<Value> {
        match self {
            Template::Param(name) => params.get(name).filter(|value| !value.is_null()).cloned(),
            Template::Text(text) => Some(Value::String((*text).to_owned())),
            Template::Setting(Setting::AppId) => settings.app_id.map(|id| Value::String(id.to_owned())),
            Template::Setting(Setting::RedirectUri) => settings.redirect_uri.map(|uri| Value::String(uri.to_owned())),
            Template::First(values) => values.iter().find_map(|value| value.fill(params, settings)),
            Template::Object(entries) => Some(Value::Object(
                entries
                    .iter()
                    .filter_map(|(key, value)| Some(((*key).to_owned(), value.fill(params, settings)?)))
                    .collect::<Map<String, Value>>(),
            )),
        }
    }
}

/// Flat name-value pairs for a form or a query: strings as they are, other
/// values as JSON text.
pub(crate) fn pairs(
    entries: &'static [(&'static str, Template)],
    params: &Value,
    settings: &Settings<'_>,
) -> Vec<(&'static str, String)> {
    entries
        .iter()
        .filter_map(|(key, value)| {
            let text = match value.fill(params, settings)? {
                Value::String(text) => text,
                other => other.to_string(),
            };
            Some((*key, text))
        })
        .collect()
}
