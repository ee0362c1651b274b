//! JSON conversion of models without serde derives.
//!
//! Generated models implement [`FromJson`] and [`ToJson`] with plain code
//! (one `match` arm per field) instead of `#[derive(Serialize, Deserialize)]`:
//! for an API of a thousand models that compiles several times faster and
//! with a third of the memory. They still implement serde's traits, through
//! [`serde_json::Value`], so they can be embedded in users' own types.
//!
//! Decoding is lenient where real responses differ from the docs:
//! unknown fields are ignored; a missing field or `null` gives the type's
//! default (an empty string, 0, `false`, an empty list, a default model);
//! numbers and booleans are accepted where text is expected, numeric text
//! where numbers are, and `"true"`/`"false"` where booleans are. Anything
//! else fails with the JSON path of the field, e.g. `data.list[2].status`.
//! Error messages name the JSON kind found, never the value (it may be a
//! token).

use std::fmt;

pub use serde_json::{Map, Value};

/// Converts a decoded JSON value into `Self`.
///
/// It is the bound of `send` on both clients. Generated models implement
/// it, and so does [`Value`], which accepts any JSON: to decode a response
/// into your own serde type, ask for a `Value` and convert it with
/// [`serde_json::from_value`]:
///
/// ```no_run
/// use genauth::{Call, ManagementClient, Method};
/// # type MyUser = std::collections::BTreeMap<String, serde_json::Value>;
///
/// # async fn example(management: ManagementClient) -> Result<(), Box<dyn std::error::Error>> {
/// let call = Call::new(Method::GET, "/api/v3/get-user").query("userId", "6229ffa");
/// let mut body: serde_json::Value = management.send(call).await?;
/// // `MyUser` is any `serde::Deserialize` type of yours.
/// let user: MyUser = serde_json::from_value(body["data"].take())?;
/// # let _ = user;
/// # Ok(())
/// # }
/// ```
///
/// A type that implements only [`FromJson`] and [`ToJson`] can be a field
/// of your own serde types with `#[serde(deserialize_with =
/// "genauth::json::deserialize", serialize_with = "genauth::json::serialize")]`
/// (see [`deserialize`] and [`serialize`]).
pub trait FromJson: Sized {
    /// Converts `value`; `null` gives the type's default.
    ///
    /// # Errors
    ///
    /// A [`JsonError`] naming the path of the first value of the wrong shape.
    fn from_json(value: Value) -> Result<Self, JsonError>;
}

/// Converts `self` into a JSON value.
pub trait ToJson {
    /// The JSON form of `self`, with the documented wire names.
    fn to_json(&self) -> Value;
}

/// A string enumeration: documented values plus a catch-all that keeps any
/// other value as received. Generated enums implement [`FromJson`] and
/// [`ToJson`] with [`enum_from_json`] and [`enum_to_json`].
pub trait StringEnum: Sized {
    /// The value on the wire.
    fn as_str(&self) -> &str;
    /// The variant of a wire value (the catch-all for unknown ones).
    fn from_wire(value: &str) -> Self;
}

/// A value of the wrong shape, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Path segments, innermost first while the error propagates.
    segments: Vec<Segment>,
    message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(&'static str),
    Index(usize),
}

impl JsonError {
    /// An error at the current position.
    pub fn new(message: impl Into<String>) -> Self {
        JsonError { segments: Vec::new(), message: message.into() }
    }

    /// The error, one level further out: inside field `key`.
    pub fn at(mut self, key: &'static str) -> Self {
        self.segments.push(Segment::Key(key));
        self
    }

    fn at_index(mut self, index: usize) -> Self {
        self.segments.push(Segment::Index(index));
        self
    }

    /// The path from the root, e.g. `data.list[2].status`; `.` for the root.
    pub fn path(&self) -> String {
        let mut path = String::new();
        for segment in self.segments.iter().rev() {
            match segment {
                Segment::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Index(index) => path.push_str(&format!("[{index}]")),
            }
        }
        if path.is_empty() { ".".to_owned() } else { path }
    }

    /// What was wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path(), self.message)
    }
}

impl std::error::Error for JsonError {}

/// The JSON kind of a value, for messages that must not quote the value
/// itself (it may be a token).
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(what: &str, value: &Value) -> JsonError {
    JsonError::new(format!("expected {what}, found {}", kind(value)))
}

/// The members of a model's JSON object (`null` gives none).
///
/// # Errors
///
/// When `value` is not an object or `null`.
pub fn object(value: Value) -> Result<Map<String, Value>, JsonError> {
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(expected("an object", &other)),
    }
}

/// Converts the value of field `key`, adding `key` to the path of errors.
///
/// # Errors
///
/// When the value has the wrong shape.
pub fn field<T: FromJson>(value: Value, key: &'static str) -> Result<T, JsonError> {
    T::from_json(value).map_err(|error| error.at(key))
}

/// Adds field `key` to a model's JSON object.
pub fn put(map: &mut Map<String, Value>, key: &str, value: &impl ToJson) {
    map.insert(key.to_owned(), value.to_json());
}

/// Adds field `key` unless it is `None` (optional fields are left out, not
/// sent as `null`).
pub fn put_some<T: ToJson>(map: &mut Map<String, Value>, key: &str, value: &Option<T>) {
    if let Some(value) = value {
        put(map, key, value);
    }
}

/// [`FromJson`] of a [`StringEnum`]: any JSON text (or number or boolean)
/// is accepted and unknown values land in the catch-all; `null` gives the
/// variant of the empty text (normally the catch-all holding `""`).
///
/// # Errors
///
/// When the value is an array or an object.
pub fn enum_from_json<T: StringEnum>(value: Value) -> Result<T, JsonError> {
    String::from_json(value).map(|text| T::from_wire(&text))
}

/// [`ToJson`] of a [`StringEnum`].
pub fn enum_to_json<T: StringEnum>(value: &T) -> Value {
    Value::String(value.as_str().to_owned())
}

/// Deserializes a model with serde, through [`Value`].
///
/// # Errors
///
/// serde's error, with the JSON path in its message.
pub fn deserialize<'de, D: serde::Deserializer<'de>, T: FromJson>(deserializer: D) -> Result<T, D::Error> {
    let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
    T::from_json(value).map_err(serde::de::Error::custom)
}

/// Serializes a model with serde, through [`Value`].
///
/// # Errors
///
/// The serializer's error.
pub fn serialize<S: serde::Serializer, T: ToJson>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&value.to_json(), serializer)
}

impl FromJson for String {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::String(text) => Ok(text),
            Value::Null => Ok(String::new()),
            Value::Number(number) => Ok(number.to_string()),
            Value::Bool(flag) => Ok(flag.to_string()),
            other => Err(expected("a string", &other)),
        }
    }
}

impl FromJson for i64 {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match &value {
            Value::Null => Ok(0),
            Value::Number(number) => number
                .as_i64()
                .or_else(|| number.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64))
                .ok_or_else(|| JsonError::new("expected an integer, found a fraction or an out-of-range number")),
            Value::String(text) => text.trim().parse().map_err(|_| expected("an integer", &value)),
            other => Err(expected("an integer", other)),
        }
    }
}

impl FromJson for f64 {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match &value {
            Value::Null => Ok(0.0),
            Value::Number(number) => number.as_f64().ok_or_else(|| expected("a number", &value)),
            // `parse` also accepts "NaN" and "inf", which JSON cannot hold.
            Value::String(text) => {
                text.trim().parse().ok().filter(|f: &f64| f.is_finite()).ok_or_else(|| expected("a number", &value))
            }
            other => Err(expected("a number", other)),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Bool(flag) => Ok(flag),
            Value::Null => Ok(false),
            Value::String(text) if text == "true" || text == "false" => Ok(text == "true"),
            other => Err(expected("a boolean", &other)),
        }
    }
}

impl FromJson for Value {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        Ok(value)
    }
}

impl FromJson for Map<String, Value> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        object(value)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(index, item)| T::from_json(item).map_err(|error| error.at_index(index)))
                .collect(),
            Value::Null => Ok(Vec::new()),
            other => Err(expected("an array", &other)),
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        T::from_json(value).map(Box::new)
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for i64 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl ToJson for Map<String, Value> {
    fn to_json(&self) -> Value {
        Value::Object(self.clone())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

impl<T: ToJson> ToJson for Box<T> {
    fn to_json(&self) -> Value {
        self.as_ref().to_json()
    }
}
