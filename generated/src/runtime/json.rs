//! JSON conversion of models without serde derives.
//!
//! Generated models implement [`FromJson`] and [`ToJson`] with plain code
//! (one `match` arm per field) instead of `#[derive(Serialize, Deserialize)]`:
//! for an API of a thousand models that compiles several times faster and
//! with a third of the memory. They decode straight from serde (a
//! [`Deserialize`](serde::Deserialize) impl that hands each key to the
//! model's [`Fields`] impl, one `match` arm per field, with the leniency
//! below in the generic [`Decode`] impls here), as fast as a derive; they
//! serialize through [`serde_json::Value`].
//!
//! Decoding is lenient where real responses differ from the docs:
//! unknown fields are ignored; a missing field or `null` gives the type's
//! default (an empty string, 0, `false`, an empty list, a default model);
//! numbers and booleans are accepted where text is expected, numeric text
//! where numbers are, `"true"`/`"false"` where booleans are, a single
//! value where a list is (a list of one), and text holding a JSON object
//! or array where one is expected (`"actions": "[{…}]"`, as sample results
//! show nested values). Anything
//! else fails with the JSON path of the field, e.g. `data.list[2].status`.
//! Error messages name the JSON kind found, never the value (it may be a
//! token).

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

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

    /// Decodes `Self` straight from a serde deserializer, as the clients
    /// decode response bodies. The default builds a [`Value`] and converts
    /// it with [`from_json`](Self::from_json); generated models (every
    /// [`Decode`] type) decode directly, without the intermediate tree.
    ///
    /// # Errors
    ///
    /// The deserializer's error when the value has the wrong shape.
    fn from_deserializer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
        Self::from_json(value).map_err(|error| {
            for segment in error.segments {
                record(segment);
            }
            de::Error::custom(error.message)
        })
    }
}

/// Converts `self` into a JSON value.
pub trait ToJson {
    /// The JSON form of `self`, with the documented wire names.
    fn to_json(&self) -> Value;
}

/// A string enumeration: documented values plus a catch-all that keeps any
/// other value as received. Generated enums implement [`Decode`] and
/// [`ToJson`] with [`decode_enum`] and [`enum_to_json`].
pub trait StringEnum: Sized {
    /// The value on the wire.
    fn as_str(&self) -> &str;
    /// The variant of a wire value (the catch-all for unknown ones).
    fn from_wire(value: &str) -> Self;
}

/// Stands for a secret in `Debug` output: generated types print their
/// secret fields (passwords, secrets, tokens, one-time codes) as this.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
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

/// Lenient decoding from any serde [`Deserializer`]: what the generated
/// models' fields are decoded with. Every [`Decode`] type is [`FromJson`].
pub trait Decode: Sized {
    /// Decodes `Self`; `null` gives the type's default.
    ///
    /// # Errors
    ///
    /// The deserializer's error when the value has the wrong shape.
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// A generated model, decoded key by key: each key of its JSON object is
/// handed to [`Fields::field`], which decodes the value into its field
/// (with [`set`]) or skips it (with [`skip`]).
pub trait Fields: Default {
    /// Decodes the value of `key` from `map` into its field.
    ///
    /// # Errors
    ///
    /// The deserializer's error when the value has the wrong shape.
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

impl<T: Decode> FromJson for T {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        with_error_path(|| T::decode(value))
    }

    #[inline]
    fn from_deserializer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode(deserializer)
    }
}

/// Decodes `T` from JSON text, as the clients decode a response body:
/// straight from the text, leniently (see the [module](self)), with the
/// path of the first value of the wrong shape.
///
/// ```
/// let tags: Vec<i64> = genauth::json::from_slice(br#"[1, "2"]"#)?;
/// assert_eq!(tags, [1, 2]);
/// let error = genauth::json::from_slice::<Vec<i64>>(br#"[1, "x"]"#).unwrap_err();
/// assert_eq!(error.path(), "[1]");
/// # Ok::<(), genauth::json::JsonError>(())
/// ```
///
/// # Errors
///
/// When the text is not JSON or a value has the wrong shape.
pub fn from_slice<T: FromJson>(text: &[u8]) -> Result<T, JsonError> {
    with_error_path(|| {
        let mut deserializer = serde_json::Deserializer::from_slice(text);
        let value = T::from_deserializer(&mut deserializer)?;
        deserializer.end()?;
        Ok(value)
    })
}

/// Decodes the member `data` of the JSON object in `text` (an API
/// envelope) as `T`, skipping the other members without building them. A
/// missing `data` decodes as `null`. Error paths start at `data`.
///
/// # Errors
///
/// When the text is not a JSON object or `data` has the wrong shape.
pub(crate) fn data_from_slice<T: FromJson>(text: &[u8]) -> Result<T, JsonError> {
    with_error_path(|| {
        let mut deserializer = serde_json::Deserializer::from_slice(text);
        let value = deserializer.deserialize_any(DataVisitor(PhantomData))?;
        deserializer.end()?;
        Ok(value)
    })
}

/// The members named `keys` of the JSON object in `text`, the others
/// skipped without building them; `None` when `text` is JSON but not an
/// object.
///
/// # Errors
///
/// When the text is not JSON.
pub(crate) fn members_from_slice(
    text: &[u8],
    keys: &'static [&'static str],
) -> Result<Option<Map<String, Value>>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let members = deserializer.deserialize_any(MembersVisitor(keys))?;
    deserializer.end()?;
    Ok(members)
}

/// Runs a decode, turning serde_json's error into a [`JsonError`] with the
/// path the helpers recorded.
fn with_error_path<T>(decode: impl FnOnce() -> Result<T, serde_json::Error>) -> Result<T, JsonError> {
    ERROR_PATH.with(|path| path.borrow_mut().clear());
    decode().map_err(|error| JsonError {
        segments: ERROR_PATH.with(|path| std::mem::take(&mut *path.borrow_mut())),
        message: message_without_position(&error),
    })
}

/// serde_json's message without its ` at line L column C` suffix: the path
/// says where, and every decode reports the same message for one problem
/// whether it read text or a [`Value`].
fn message_without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    if error.line() == 0 {
        return message;
    }
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&suffix) {
        Some(bare) => bare.to_owned(),
        None => message,
    }
}

thread_local! {
    /// The path of the last decode error, innermost first. serde's errors
    /// carry only a message, so the helpers that know a key or an index
    /// record it here when an error passes through them.
    static ERROR_PATH: RefCell<Vec<Segment>> = const { RefCell::new(Vec::new()) };
}

#[cold]
fn record(segment: Segment) {
    ERROR_PATH.with(|path| path.borrow_mut().push(segment));
}

/// Decodes the value of field `key` into `slot`.
///
/// # Errors
///
/// When the value has the wrong shape.
#[inline]
pub fn set<'de, A: MapAccess<'de>, T: Decode>(slot: &mut T, map: &mut A, key: &'static str) -> Result<(), A::Error> {
    match map.next_value_seed(Seed::<T>(PhantomData)) {
        Ok(value) => {
            *slot = value;
            Ok(())
        }
        Err(error) => {
            record(Segment::Key(key));
            Err(error)
        }
    }
}

/// [`set`] for a field boxed to break a cycle of models.
///
/// # Errors
///
/// When the value has the wrong shape.
#[inline]
pub fn set_boxed<'de, A: MapAccess<'de>, T: Decode>(
    slot: &mut Option<Box<T>>,
    map: &mut A,
    key: &'static str,
) -> Result<(), A::Error> {
    let mut value = None;
    set(&mut value, map, key)?;
    *slot = value.map(Box::new);
    Ok(())
}

/// Skips the value of a key the model does not know.
///
/// # Errors
///
/// When the value is not well-formed.
#[inline]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// [`serde::Deserialize`] of a generated model: an object goes key by key
/// through [`Fields`], `null` gives the default model.
///
/// # Errors
///
/// When the value is not an object or `null`, or a field has the wrong shape.
#[inline]
pub fn decode_fields<'de, D: Deserializer<'de>, T: Fields>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(FieldsVisitor(PhantomData))
}

impl<T: Fields> Decode for T {
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        decode_fields(deserializer)
    }
}

/// [`Decode`] of a [`StringEnum`]: any JSON text (or number or boolean)
/// is accepted and unknown values land in the catch-all; `null` gives the
/// variant of the empty text (normally the catch-all holding `""`).
///
/// # Errors
///
/// When the value is an array or an object.
#[inline]
pub fn decode_enum<'de, D: Deserializer<'de>, T: StringEnum>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(TextVisitor(PhantomData::<Wire<T>>)).map(|wire| wire.0)
}

struct Seed<T>(PhantomData<T>);

impl<'de, T: Decode> DeserializeSeed<'de> for Seed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::decode(deserializer)
    }
}

fn found<E: de::Error>(what: &str, kind: &str) -> E {
    E::custom(format_args!("expected {what}, found {kind}"))
}

/// The visits of JSON kinds a container visitor does not accept.
macro_rules! wrong_scalars {
    ($what:expr) => {
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str($what)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Err(found($what, "a boolean"))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(found($what, "a number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(found($what, "a number"))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(found($what, "a number"))
        }
    };
}

/// A JSON document held in a string where an object (`open` is `{`) or an
/// array (`[`) is expected: sample results, and some responses, encode
/// nested values so (`"actions": "[{\"name\":\"ecs:Start\"}]"`). `None`
/// when the text is not such a document.
fn embedded<T: Decode, E: de::Error>(text: &str, open: char) -> Option<Result<T, E>> {
    if !text.trim_start().starts_with(open) {
        return None;
    }
    let value: Value = serde_json::from_str(text).ok()?;
    Some(T::decode(value).map_err(E::custom))
}

struct FieldsVisitor<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for FieldsVisitor<T> {
    type Value = T;

    wrong_scalars!("an object");

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        embedded(text, '{').unwrap_or_else(|| Err(found("an object", "a string")))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(found("an object", "an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            out.field(&key, &mut map)?;
        }
        Ok(out)
    }
}

/// An object key, borrowed from the input where it can be.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key))
    }
}

/// The `data` member of an envelope, through [`FromJson::from_deserializer`].
struct DataVisitor<T>(PhantomData<T>);

impl<'de, T: FromJson> Visitor<'de> for DataVisitor<T> {
    type Value = T;

    wrong_scalars!("an envelope");

    fn visit_str<E: de::Error>(self, _: &str) -> Result<T, E> {
        Err(found("an envelope", "a string"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Err(found("an envelope", "null"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(found("an envelope", "an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut data = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if key == "data" {
                match map.next_value_seed(FromJsonSeed::<T>(PhantomData)) {
                    Ok(value) => data = Some(value),
                    Err(error) => {
                        record(Segment::Key("data"));
                        return Err(error);
                    }
                }
            } else {
                skip(&mut map)?;
            }
        }
        match data {
            Some(data) => Ok(data),
            None => {
                T::from_deserializer(de::value::UnitDeserializer::new()).inspect_err(|_| record(Segment::Key("data")))
            }
        }
    }
}

struct FromJsonSeed<T>(PhantomData<T>);

impl<'de, T: FromJson> DeserializeSeed<'de> for FromJsonSeed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::from_deserializer(deserializer)
    }
}

/// Some members of an object, the others skipped.
struct MembersVisitor(&'static [&'static str]);

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Option<Map<String, Value>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if self.0.contains(&key.as_ref()) {
                members.insert(key.into_owned(), map.next_value()?);
            } else {
                skip(&mut map)?;
            }
        }
        Ok(Some(members))
    }
}

/// A JSON scalar as received; arrays and objects are errors.
enum Scalar<'de> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Text(Cow<'de, str>),
}

/// The scalar at `deserializer`; `what` names the expected kind in errors.
#[inline]
fn scalar<'de, D: Deserializer<'de>>(deserializer: D, what: &'static str) -> Result<Scalar<'de>, D::Error> {
    deserializer.deserialize_any(ScalarVisitor(what))
}

/// What decodes from text: [`String`], and enums through [`Wire`]. Other
/// scalars are read as their JSON text, `null` as empty text.
trait FromText: Sized {
    fn from_text(text: &str) -> Self;

    fn from_string(text: String) -> Self {
        Self::from_text(&text)
    }
}

impl FromText for String {
    #[inline]
    fn from_text(text: &str) -> Self {
        text.to_owned()
    }

    fn from_string(text: String) -> Self {
        text
    }
}

/// A [`StringEnum`] read from its wire value.
struct Wire<T>(T);

impl<T: StringEnum> FromText for Wire<T> {
    #[inline]
    fn from_text(text: &str) -> Self {
        Wire(T::from_wire(text))
    }
}

/// Text straight from the input, without an intermediate scalar: strings
/// are the common case of every model.
struct TextVisitor<T>(PhantomData<T>);

impl<'de, T: FromText> Visitor<'de> for TextVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        Ok(T::from_text(text))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<T, E> {
        Ok(T::from_string(text))
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<T, E> {
        Ok(T::from_text(if flag { "true" } else { "false" }))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<T, E> {
        Ok(T::from_text(&number.to_string()))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<T, E> {
        Ok(T::from_text(&number.to_string()))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<T, E> {
        Ok(T::from_text(&serde_json::Number::from_f64(number).map_or_else(String::new, |n| n.to_string())))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::from_text(""))
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::from_text(""))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(found("a string", "an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(found("a string", "an object"))
    }
}

struct ScalarVisitor(&'static str);

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(flag))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Int(number))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Self::Value, E> {
        Ok(Scalar::UInt(number))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Float(number))
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(text)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(found(self.0, "an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(found(self.0, "an object"))
    }
}

impl Decode for String {
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor(PhantomData))
    }
}

impl Decode for i64 {
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const RANGE: &str = "expected an integer, found a fraction or an out-of-range number";
        match scalar(deserializer, "an integer")? {
            Scalar::Null => Ok(0),
            Scalar::Int(number) => Ok(number),
            Scalar::UInt(number) => i64::try_from(number).map_err(|_| de::Error::custom(RANGE)),
            Scalar::Float(number) if number.fract() == 0.0 && number.abs() < 9.0e15 => Ok(number as i64),
            Scalar::Float(_) => Err(de::Error::custom(RANGE)),
            Scalar::Text(text) => text.trim().parse().map_err(|_| found("an integer", "a string")),
            Scalar::Bool(_) => Err(found("an integer", "a boolean")),
        }
    }
}

impl Decode for f64 {
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match scalar(deserializer, "a number")? {
            Scalar::Null => Ok(0.0),
            Scalar::Int(number) => Ok(number as f64),
            Scalar::UInt(number) => Ok(number as f64),
            Scalar::Float(number) => Ok(number),
            // `parse` also accepts "NaN" and "inf", which JSON cannot hold.
            Scalar::Text(text) => {
                text.trim().parse().ok().filter(|f: &f64| f.is_finite()).ok_or_else(|| found("a number", "a string"))
            }
            Scalar::Bool(_) => Err(found("a number", "a boolean")),
        }
    }
}

impl Decode for bool {
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match scalar(deserializer, "a boolean")? {
            Scalar::Null => Ok(false),
            Scalar::Bool(flag) => Ok(flag),
            Scalar::Text(text) if matches!(text.trim(), "true" | "false") => Ok(text.trim() == "true"),
            Scalar::Text(_) => Err(found("a boolean", "a string")),
            Scalar::Int(_) | Scalar::UInt(_) | Scalar::Float(_) => Err(found("a boolean", "a number")),
        }
    }
}

impl Decode for Value {
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
}

impl Decode for Map<String, Value> {
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::decode(deserializer)? {
            Value::Object(map) => Ok(map),
            Value::Null => Ok(Map::new()),
            Value::String(text) => embedded(&text, '{').unwrap_or_else(|| Err(found("an object", "a string"))),
            other => Err(found("an object", kind(&other))),
        }
    }
}

impl<T: Decode> Decode for Option<T> {
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(OptionVisitor(PhantomData))
    }
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Decode> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        T::decode(deserializer).map(Some)
    }
}

impl<T: Decode> Decode for Vec<T> {
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(VecVisitor(PhantomData))
    }
}

/// Also reads a single value as a list of one: the docs' sample results
/// show one element where a list is returned (`"departmentIds": "id"`).
struct VecVisitor<T>(PhantomData<T>);

impl<'de, T: Decode> VecVisitor<T> {
    fn one<E: de::Error, D: Deserializer<'de, Error = E>>(deserializer: D) -> Result<Vec<T>, E> {
        T::decode(deserializer).map(|item| vec![item])
    }
}

impl<'de, T: Decode> Visitor<'de> for VecVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Self::one(de::value::BoolDeserializer::new(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Self::one(de::value::I64Deserializer::new(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Self::one(de::value::U64Deserializer::new(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Self::one(de::value::F64Deserializer::new(value))
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        embedded(value, '[').unwrap_or_else(|| Self::one(de::value::BorrowedStrDeserializer::new(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        embedded(value, '[').unwrap_or_else(|| Self::one(de::value::StringDeserializer::new(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        match embedded(&value, '[') {
            Some(items) => items,
            None => Self::one(de::value::StringDeserializer::new(value)),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Self::one(de::value::MapAccessDeserializer::new(map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            match seq.next_element_seed(Seed::<T>(PhantomData)) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(items),
                Err(error) => {
                    record(Segment::Index(items.len()));
                    return Err(error);
                }
            }
        }
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
