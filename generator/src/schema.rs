//! The intermediate schema: operations and models recovered from the pages.
//! Plain serde data; the contract between reading and emitting. It knows
//! nothing of Markdown, HTML or Rust syntax.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Api {
    /// Sorted by client, then method name.
    pub operations: Vec<Operation>,
    /// Sorted by name.
    pub models: Vec<Model>,
}

impl Api {
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.binary_search_by(|m| m.name.as_str().cmp(name)).ok().map(|i| &self.models[i])
    }

    /// Where an example of type `ty` is no value of it, in the two ways
    /// the docs have (see [`MismatchKind`]). Text that holds a JSON
    /// document is read as that document, as decoding reads it.
    pub fn example_mismatches(&self, ty: &Type, example: &serde_json::Value) -> Vec<Mismatch> {
        let mut found = Vec::new();
        let mut walk = Walk { api: self, path: String::new(), found: &mut found };
        walk.visit(ty, example, (String::new(), true), None);
        found
    }
}

struct Walk<'a, 'f> {
    api: &'a Api,
    /// The decode error path of the value being visited.
    path: String,
    found: &'f mut Vec<Mismatch>,
}

impl Walk<'_, '_> {
    /// `pointer` is the JSON pointer of `value` and whether it is exact:
    /// inside a document held in text it stays at that text. `owner` is
    /// the model and field `value` is the value of.
    fn visit(&mut self, ty: &Type, value: &serde_json::Value, pointer: (String, bool), owner: Option<(&str, &str)>) {
        use serde_json::Value;
        let held = |text: &str, open: char| {
            text.trim_start().starts_with(open).then(|| serde_json::from_str::<Value>(text).ok()).flatten()
        };
        let mark = self.path.len();
        let (at, exact) = &pointer;
        let deeper = |step: &str| if *exact { (format!("{at}/{step}"), true) } else { pointer.clone() };
        match (ty, value) {
            (Type::Ref { name }, _) => {
                let Some(Model { body: ModelBody::Struct { fields }, .. }) = self.api.model(name) else { return };
                match value {
                    Value::Object(members) => {
                        for field in fields {
                            let Some(member) = members.get(&field.name) else { continue };
                            if !self.path.is_empty() {
                                self.path.push('.');
                            }
                            self.path.push_str(&field.name);
                            let step = field.name.replace('~', "~0").replace('/', "~1");
                            self.visit(&field.ty, member, deeper(&step), Some((name, &field.name)));
                            self.path.truncate(mark);
                        }
                    }
                    Value::String(text) => match held(text, '{') {
                        Some(document) => self.visit(ty, &document, (at.clone(), false), owner),
                        None => self.push(at, MismatchKind::TextForModel { model: name.clone() }),
                    },
                    _ => {}
                }
            }
            (Type::Array { items }, Value::Array(values)) => {
                for (index, item) in values.iter().enumerate() {
                    self.path.push_str(&format!("[{index}]"));
                    self.visit(items, item, deeper(&index.to_string()), owner);
                    self.path.truncate(mark);
                }
            }
            (Type::Array { items }, Value::String(text)) => match held(text, '[') {
                Some(document) => self.visit(ty, &document, (at.clone(), false), owner),
                // A single value is read as a list of one.
                None => self.visit(items, value, pointer, owner),
            },
            (Type::Array { items }, _) => self.visit(items, value, pointer, owner),
            (
                Type::String | Type::Enum { .. } | Type::Integer | Type::Number | Type::Boolean,
                Value::Object(_) | Value::Array(_),
            ) => {
                if let Some((model, field)) = owner {
                    let kind = MismatchKind::StructureForScalar { model: model.to_string(), field: field.to_string() };
                    self.push(at, kind);
                }
            }
            _ => {}
        }
    }

    fn push(&mut self, pointer: &str, kind: MismatchKind) {
        let path = if self.path.is_empty() { ".".to_string() } else { self.path.clone() };
        self.found.push(Mismatch { path, pointer: pointer.to_string(), kind });
    }
}

impl Model {
    /// The model's field examples as one object, as its documentation
    /// shows an instance; `None` without any.
    pub fn example_object(&self) -> Option<serde_json::Value> {
        let ModelBody::Struct { fields } = &self.body else { return None };
        let object: serde_json::Map<String, serde_json::Value> =
            fields.iter().filter_map(|f| Some((f.name.clone(), f.example.clone()?))).collect();
        (!object.is_empty()).then_some(serde_json::Value::Object(object))
    }
}

/// Where an example is no value of its documented type (see
/// [`Api::example_mismatches`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Where decoding fails, as the SDK's decode errors name it
    /// (`data.briefUserInfo`, `enabledExtIdpConns[0]`).
    pub path: String,
    /// The JSON pointer of the example value to leave out to decode the
    /// rest: the value itself, or the text holding the document it is in.
    pub pointer: String,
    pub kind: MismatchKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MismatchKind {
    /// Text that is no JSON document where a model is documented: a
    /// description in the example column (`"briefUserInfo": "当二维码状态为…"`),
    /// ids for a list of DTOs. It is no value of the type.
    TextForModel { model: String },
    /// An object or array where the table documents a scalar field
    /// (`defaultRegisterMethod | string`, shown as `{"connectionType": …}`):
    /// the table's type is wrong, as the value shown is what the API sends.
    StructureForScalar { model: String, field: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Client {
    Authentication,
    Management,
}

impl Client {
    pub fn class_name(self) -> &'static str {
        match self {
            Client::Authentication => "AuthenticationClient",
            Client::Management => "ManagementClient",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub client: Client,
    /// Rust method name, snake_case (`check_qr_code_status`).
    pub name: String,
    /// The API group the page sits in.
    pub tag: Tag,
    /// The page title.
    pub summary: String,
    /// The page's intro text, Markdown.
    pub description: String,
    pub method: HttpMethod,
    /// Full path, e.g. `/api/v3/check-qrcode-status`.
    pub path: String,
    /// Which rule decided `method` and `path`.
    pub http_rule: HttpRule,
    pub params: Vec<Parameter>,
    /// The response type: a model, or (on hand-written pages) a primitive.
    pub response: Option<Type>,
    /// The page's sample result, when it is valid JSON.
    pub response_example: Option<serde_json::Value>,
    /// Pages that document this operation, as `path:line`.
    pub sources: Vec<String>,
    /// How the method reaches its endpoint when it does not send its
    /// parameters as they are (overrides file, see `lower::http`).
    #[serde(default, skip_serializing_if = "Shape::is_direct")]
    pub shape: Shape,
    /// Method names of other pages documenting this endpoint, kept as
    /// deprecated aliases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Why no official SDK release can confirm the verb and path, for
    /// endpoints newer than the SDKs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
}

/// What a method sends for its parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    /// The parameters as documented: query string or JSON body.
    #[default]
    Direct,
    /// A convenience method over another endpoint: this JSON body.
    Wrapper { body: Vec<TemplateEntry> },
    /// A standard OAuth/OIDC endpoint: these form fields, with the client
    /// authentication the application is configured for.
    Protocol { form: Vec<TemplateEntry> },
    /// No request: a URL on the host with this query, for the browser.
    LocalUrl { query: Vec<TemplateEntry> },
}

impl Shape {
    pub fn is_direct(&self) -> bool {
        *self == Shape::Direct
    }

    /// The parameter names the template refers to.
    pub fn param_names(&self) -> Vec<&str> {
        fn walk<'a>(value: &'a TemplateValue, out: &mut Vec<&'a str>) {
            match value {
                TemplateValue::Param { name } => out.push(name),
                TemplateValue::First { values } => values.iter().for_each(|v| walk(v, out)),
                TemplateValue::Object { entries } => entries.iter().for_each(|e| walk(&e.value, out)),
                TemplateValue::Text { .. } | TemplateValue::Setting { .. } => {}
            }
        }
        let mut out = Vec::new();
        match self {
            Shape::Direct => {}
            Shape::Wrapper { body: entries }
            | Shape::Protocol { form: entries }
            | Shape::LocalUrl { query: entries } => entries.iter().for_each(|e| walk(&e.value, &mut out)),
        }
        out
    }
}

/// One key of a body, form or query built from the parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateEntry {
    pub key: String,
    pub value: TemplateValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TemplateValue {
    /// The parameter of this wire name; left out when not given.
    Param { name: String },
    /// A fixed string.
    Text { value: String },
    /// A setting of the client.
    Setting { setting: ClientSetting },
    /// The first of these that has a value.
    First { values: Vec<TemplateValue> },
    /// A nested object.
    Object { entries: Vec<TemplateEntry> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientSetting {
    AppId,
    RedirectUri,
}

#[cfg(test)]
impl Operation {
    /// A management operation of the `users` group answering `UserDto`, for
    /// unit tests; they set what they look at.
    pub(crate) fn sketch(name: &str, method: HttpMethod, path: &str, params: Vec<Parameter>) -> Operation {
        Operation {
            client: Client::Management,
            name: name.into(),
            tag: Tag { name: String::new(), slug: "users".into() },
            summary: String::new(),
            description: String::new(),
            method,
            path: path.into(),
            http_rule: HttpRule::Override,
            params,
            response: Some(Type::reference("UserDto")),
            response_example: None,
            sources: Vec::new(),
            shape: Shape::default(),
            aliases: Vec::new(),
            unverified: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Tag {
    /// Tag as the docs name it (the folder name, e.g. `登录`).
    pub name: String,
    /// ASCII kebab-case slug, e.g. `login`; used for cargo features.
    pub slug: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Operation {
    /// Whether sending the operation twice is safe, so that it may be
    /// retried: a `GET`, or a `POST` whose path names a read
    /// ([`path_reads`]: `list-users`, `check-permission`, …).
    pub fn is_read(&self) -> bool {
        match self.method {
            HttpMethod::Get => true,
            HttpMethod::Post => path_reads(&self.path),
            HttpMethod::Put | HttpMethod::Patch | HttpMethod::Delete => false,
        }
    }
}

/// Whether the last segment of `path` names a read: it starts with `get-`,
/// `list-`, `check-`, `search-` or `is-`, or has a `get` or `list` word
/// elsewhere (`metadata-get-row`, `user-list`).
pub fn path_reads(path: &str) -> bool {
    let stem = path.rsplit('/').next().unwrap_or(path).trim_start_matches('-');
    let mut words = stem.split('-');
    words.next().is_some_and(|w| matches!(w, "get" | "list" | "check" | "search" | "is"))
        || words.any(|w| matches!(w, "get" | "list"))
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    pub fn parse(s: &str) -> Option<HttpMethod> {
        match s.trim().to_ascii_uppercase().as_str() {
            "GET" => Some(HttpMethod::Get),
            "POST" => Some(HttpMethod::Post),
            "PUT" => Some(HttpMethod::Put),
            "PATCH" => Some(HttpMethod::Patch),
            "DELETE" => Some(HttpMethod::Delete),
            _ => None,
        }
    }

    /// Whether parameters travel in the query string (else in a JSON body).
    pub fn uses_query(self) -> bool {
        matches!(self, HttpMethod::Get | HttpMethod::Delete)
    }
}

/// The rule that decided an operation's HTTP method and path (see
/// `lower::http` for the rules themselves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HttpRule {
    /// The overrides file names this operation.
    Override,
    /// Parameter rows are indented: the generator's query-parameter template.
    IndentedRows,
    /// Parameter rows are not indented: the JSON-body template.
    BodyRows,
    /// No parameters: `get-`/`list-` paths are GETs, others POSTs.
    NoParameters,
    /// The page form does not carry indentation: decided from the path's
    /// verb and the parameter types.
    NameAndTypes,
    /// The official SDKs call this path with one verb only, and it is not
    /// the one the page's rule gave.
    OfficialSdk,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    #[serde(flatten)]
    pub field: Field,
    pub location: ParamLocation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    Query,
    Body,
    Path,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The DTO name as the docs spell it (`CheckQRCodeStatusDataDto`).
    pub name: String,
    pub body: ModelBody,
    /// Pages that define this model, as `path:line`.
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelBody {
    Struct {
        fields: Vec<Field>,
    },
    /// A DTO whose rows are the values of an enumeration.
    Enum {
        values: Vec<EnumValue>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The name on the wire, exactly as documented.
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Type,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// Markdown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Type {
    String,
    Integer,
    Number,
    Boolean,
    /// A free-form JSON object.
    Object,
    /// Unknown shape: any JSON value.
    Any,
    Array {
        items: Box<Type>,
    },
    /// A DTO by name.
    Ref {
        name: String,
    },
    /// A string with a documented set of values.
    Enum {
        values: Vec<EnumValue>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EnumValue {
    pub value: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl Type {
    pub fn array(items: Type) -> Type {
        Type::Array { items: Box::new(items) }
    }

    pub fn reference(name: impl Into<String>) -> Type {
        Type::Ref { name: name.into() }
    }

    /// DTO names this type refers to, directly or through arrays.
    pub fn referenced_model(&self) -> Option<&str> {
        match self {
            Type::Ref { name } => Some(name),
            Type::Array { items } => items.referenced_model(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn field(name: &str, ty: Type) -> Field {
        Field { name: name.into(), ty, required: false, default: None, description: String::new(), example: None }
    }

    fn api() -> Api {
        let model = |name: &str, fields: Vec<Field>| Model {
            name: name.into(),
            body: ModelBody::Struct { fields },
            sources: Vec::new(),
        };
        Api {
            operations: Vec::new(),
            models: vec![
                model("Conn", vec![field("id", Type::String)]),
                model(
                    "Data",
                    vec![
                        field("info", Type::reference("Conn")),
                        field("conns", Type::array(Type::reference("Conn"))),
                        field("name", Type::String),
                    ],
                ),
                model("Resp", vec![field("data", Type::reference("Data"))]),
            ],
        }
    }

    fn found(example: serde_json::Value) -> Vec<(String, String)> {
        api()
            .example_mismatches(&Type::reference("Resp"), &example)
            .into_iter()
            .map(|m| {
                assert!(matches!(m.kind, MismatchKind::TextForModel { .. }), "{m:?}");
                (m.path, m.pointer)
            })
            .collect()
    }

    #[test]
    fn text_where_a_model_is_documented_is_a_placeholder() {
        let pair = |path: &str, pointer: &str| (path.to_string(), pointer.to_string());
        assert_eq!(found(json!({ "data": { "info": "returned when scanned" } })), [pair("data.info", "/data/info")]);
        assert_eq!(
            found(json!({ "data": { "conns": ["a", { "id": "b" }] } })),
            [pair("data.conns[0]", "/data/conns/0")]
        );
        // Inside a document held in text, the pointer stays at the text.
        assert_eq!(
            found(json!({ "data": { "conns": "[\"a\",\"b\"]" } })),
            [pair("data.conns[0]", "/data/conns"), pair("data.conns[1]", "/data/conns")]
        );
        // A single text is a list of one.
        assert_eq!(found(json!({ "data": { "conns": "a" } })), [pair("data.conns", "/data/conns")]);
        assert_eq!(found(json!("text")), [pair(".", "")]);
    }

    #[test]
    fn structures_where_a_scalar_is_documented_name_the_field() {
        let mismatches =
            api().example_mismatches(&Type::reference("Resp"), &json!({ "data": { "name": { "first": "A" } } }));
        let kind = MismatchKind::StructureForScalar { model: "Data".into(), field: "name".into() };
        assert_eq!(mismatches, [Mismatch { path: "data.name".into(), pointer: "/data/name".into(), kind }]);
    }

    #[test]
    fn values_and_documents_held_in_text_are_not_placeholders() {
        assert!(found(json!({ "data": { "info": { "id": "x" }, "conns": [{ "id": "y" }], "name": "n" } })).is_empty());
        assert!(found(json!({ "data": { "info": "{\"id\":\"x\"}", "conns": "[{\"id\":\"y\"}]" } })).is_empty());
        assert!(found(json!({ "data": null, "other": "text" })).is_empty());
    }
}
