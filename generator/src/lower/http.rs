//! HTTP method and path of an operation. The pages state neither; the file
//! name is the path after `/api/v3/`, and the method follows from how the
//! docs generator laid out the parameter table:
//!
//! 1. **indented-rows**: parameter rows written as ` | name | …` (a space
//!    before the first pipe) come from the generator's query-parameter
//!    template: `GET`, parameters in the query string.
//! 2. **body-rows**: parameter rows without that space come from the
//!    request-body template: `POST`, parameters in a JSON body.
//! 3. **no-parameters**: an empty parameter table: `GET` when the path starts
//!    with `get-` or `list-`, or the title starts with 获取/查询/Get/List;
//!    otherwise `POST`.
//! 4. **name-and-types**: rendered pages (HTML, text) lose the indentation,
//!    and so do Markdown tables that a formatter realigned (English pages):
//!    `GET` when the path starts with `get-`, `list-`, `check-`, `search-` or
//!    `is-`, or has a `get` or `list` word elsewhere, and every parameter is
//!    a scalar or a list of scalars; otherwise `POST`.
//! 5. **override**: `docs/overrides.toml` corrects the method or the path of
//!    any operation, keyed by the path after `/api/v3/`. It can also mark
//!    parameters the pages over-require as optional.
//!
//! The overrides file also says what the official SDKs do where a page
//! documents a method rather than an endpoint: the page may document the
//! endpoint of another page (`same_as`), wrap another endpoint with a fixed
//! body (`body`), call a standard OAuth/OIDC endpoint with a form (`form`) or
//! build a URL locally (`url_query`); templates of these name parameters as
//! `"$wireName"`, client settings as `"@app_id"`/`"@redirect_uri"`, take the
//! first value present from an array and nest tables. Endpoints no SDK
//! release knows are listed with the reason (`unverified`).
//!
//! 6. **official-sdk**: where the official SDKs call the path with one verb
//!    only (`docs/official-sdk-endpoints.json`, read beside the overrides
//!    file), that verb wins over rules 1-4; rule 5 still wins over it.
//!
//! Where pages of several forms document one operation, a Markdown page's
//! decision (rules 1-2) wins over rule 4.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::table::FieldRow;
use crate::diag::{Diagnostics, Kind};
use crate::schema::{
    ClientSetting, Field, HttpMethod, HttpRule, Shape, TemplateEntry, TemplateValue, Type, path_reads,
};

pub const PATH_PREFIX: &str = "/api/v3/";

/// The method a page's parameter table implies.
pub fn infer_method(
    stem: &str,
    title: &str,
    indentation_known: bool,
    rows: &[FieldRow],
    params: &[Field],
) -> (HttpMethod, HttpRule) {
    let stem = stem.trim_start_matches('-');
    if rows.is_empty() {
        let title = title.trim().to_lowercase();
        let reads = ["get-", "list-"].iter().any(|p| stem.starts_with(p))
            || ["获取", "查询", "get ", "list ", "query "].iter().any(|p| title.starts_with(p));
        let method = if reads { HttpMethod::Get } else { HttpMethod::Post };
        return (method, HttpRule::NoParameters);
    }
    if indentation_known {
        let indented = rows.iter().filter(|r| r.indented).count();
        return if indented * 2 > rows.len() {
            (HttpMethod::Get, HttpRule::IndentedRows)
        } else {
            (HttpMethod::Post, HttpRule::BodyRows)
        };
    }
    // `metadata-get-row`, `mydevices-list` and `user-list` read, too.
    let reads = path_reads(stem);
    let scalar =
        |ty: &Type| matches!(ty, Type::String | Type::Integer | Type::Number | Type::Boolean | Type::Enum { .. });
    let all_scalar = params.iter().all(|p| match &p.ty {
        Type::Array { items } => scalar(items),
        ty => scalar(ty),
    });
    let method = if reads && all_scalar { HttpMethod::Get } else { HttpMethod::Post };
    (method, HttpRule::NameAndTypes)
}

/// Corrections from the overrides file, keyed by the path after `/api/v3/`
/// (the page's file name without extension).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    entries: BTreeMap<String, Override>,
    /// Path → the verbs the official SDKs call it with.
    sdk_verbs: BTreeMap<String, Vec<HttpMethod>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// HTTP method, e.g. `GET`.
    pub method: Option<String>,
    /// Full path, e.g. `/api/v3/metadata/create-field`.
    pub path: Option<String>,
    /// Tag slug for pages outside a tag folder, e.g. `login`.
    pub tag: Option<String>,
    /// The file name of the page documenting the same endpoint; this
    /// page's operation is merged into that one.
    pub same_as: Option<String>,
    /// With `same_as`: this page's method name stays, deprecated.
    #[serde(default)]
    pub alias: bool,
    /// A wrapper: the JSON body it sends to `path`.
    pub body: Option<toml::Table>,
    /// A protocol call: the form it posts to `path`, with client authentication.
    pub form: Option<toml::Table>,
    /// A local helper: the query of the URL on the host at `path`.
    pub url_query: Option<toml::Table>,
    /// Why no official SDK release confirms this endpoint.
    pub unverified: Option<String>,
    /// The shape `body`, `form` or `url_query` describe.
    #[serde(skip)]
    pub shape: Shape,
    /// Parameters the pages mark required that the API does not need
    /// (`metadata-create-field`): they become optional.
    #[serde(default)]
    pub optional: Vec<String>,
}

impl Override {
    fn parse_shape(&self) -> Result<Shape, String> {
        match (&self.body, &self.form, &self.url_query) {
            (None, None, None) => Ok(Shape::Direct),
            (Some(body), None, None) => Ok(Shape::Wrapper { body: template(body)? }),
            (None, Some(form), None) => Ok(Shape::Protocol { form: template(form)? }),
            (None, None, Some(query)) => Ok(Shape::LocalUrl { query: template(query)? }),
            _ => Err("`body`, `form` and `url_query` exclude each other".to_owned()),
        }
    }
}

fn template(table: &toml::Table) -> Result<Vec<TemplateEntry>, String> {
    table.iter().map(|(key, value)| Ok(TemplateEntry { key: key.clone(), value: template_value(value)? })).collect()
}

fn template_value(value: &toml::Value) -> Result<TemplateValue, String> {
    Ok(match value {
        toml::Value::String(text) => match (text.strip_prefix('$'), text.strip_prefix('@')) {
            (Some(name), _) => TemplateValue::Param { name: name.to_owned() },
            (_, Some("app_id")) => TemplateValue::Setting { setting: ClientSetting::AppId },
            (_, Some("redirect_uri")) => TemplateValue::Setting { setting: ClientSetting::RedirectUri },
            (_, Some(other)) => return Err(format!("unknown client setting `@{other}`")),
            _ => TemplateValue::Text { value: text.clone() },
        },
        toml::Value::Array(values) => {
            TemplateValue::First { values: values.iter().map(template_value).collect::<Result<_, _>>()? }
        }
        toml::Value::Table(table) => TemplateValue::Object { entries: template(table)? },
        other => return Err(format!("template value `{other}` is not a string, array or table")),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverridesFile {
    #[serde(default)]
    operation: BTreeMap<String, Override>,
}

/// The official SDKs' verbs and paths, read beside the overrides file.
pub const SDK_REFERENCE: &str = "official-sdk-endpoints.json";

impl Overrides {
    /// Reads the overrides file at `path` and the official SDKs' reference
    /// (`SDK_REFERENCE`) beside it, when there is one.
    pub fn load(path: &std::path::Path, diags: &mut Diagnostics) -> std::io::Result<Overrides> {
        let text = std::fs::read_to_string(path)?;
        let mut overrides = Overrides::parse(&text, &path.display().to_string(), diags);
        let reference = path.with_file_name(SDK_REFERENCE);
        if let Ok(text) = std::fs::read_to_string(&reference) {
            overrides.add_sdk_reference(&text, &reference.display().to_string(), diags);
        }
        Ok(overrides)
    }

    /// Parses the overrides file; malformed entries are reported and skipped.
    pub fn parse(text: &str, file: &str, diags: &mut Diagnostics) -> Overrides {
        let parsed: OverridesFile = match toml::from_str(text) {
            Ok(parsed) => parsed,
            Err(err) => {
                let line =
                    err.span().map_or(0, |span| text[..span.start.min(text.len())].lines().count().max(1) as u32);
                diags.warn(Kind::BadOverride, file, line, format!("overrides file ignored: {}", err.message()));
                return Overrides::default();
            }
        };
        let mut entries = BTreeMap::new();
        for (key, entry) in parsed.operation {
            let line = text
                .lines()
                .position(|l| l.contains(&format!("operation.{key}")) || l.contains(&format!("operation.\"{key}\"")))
                .map_or(0, |i| i as u32 + 1);
            if let Some(method) = &entry.method
                && HttpMethod::parse(method).is_none()
            {
                diags.warn(
                    Kind::BadOverride,
                    file,
                    line,
                    format!("`{key}`: unknown HTTP method `{method}`; entry ignored"),
                );
                continue;
            }
            if let Some(tag) = &entry.tag
                && (tag.is_empty() || !tag.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            {
                diags.warn(
                    Kind::BadOverride,
                    file,
                    line,
                    format!("`{key}`: tag `{tag}` must be lowercase ASCII letters, digits and `-` (a cargo feature); entry ignored"),
                );
                continue;
            }
            if let Some(path) = &entry.path
                && !path.starts_with('/')
            {
                diags.warn(
                    Kind::BadOverride,
                    file,
                    line,
                    format!("`{key}`: path `{path}` must start with `/`; entry ignored"),
                );
                continue;
            }
            let mut entry = entry;
            match entry.parse_shape() {
                Ok(shape) => entry.shape = shape,
                Err(err) => {
                    diags.warn(Kind::BadOverride, file, line, format!("`{key}`: {err}; entry ignored"));
                    continue;
                }
            }
            entries.insert(key, entry);
        }
        Overrides { entries, sdk_verbs: BTreeMap::new() }
    }

    /// Adds the verbs of the official SDKs' reference
    /// (`official-sdk-endpoints.json`: facts with `requests` of `verb` and
    /// `path`, also under `by_client_auth`); a reference that is not JSON is
    /// reported and ignored.
    pub fn add_sdk_reference(&mut self, text: &str, file: &str, diags: &mut Diagnostics) {
        let reference: serde_json::Value = match serde_json::from_str(text) {
            Ok(reference) => reference,
            Err(err) => {
                diags.warn(Kind::BadOverride, file, err.line() as u32, format!("SDK reference ignored: {err}"));
                return;
            }
        };
        let facts = ["python", "node"].into_iter().filter_map(|sdk| reference[sdk].as_array()).flatten();
        for fact in facts {
            let by_auth = fact["by_client_auth"].as_object().into_iter().flat_map(|m| m.values());
            let requests = std::iter::once(fact).chain(by_auth).filter_map(|f| f["requests"].as_array()).flatten();
            for request in requests {
                let (Some(verb), Some(path)) =
                    (request["verb"].as_str().and_then(HttpMethod::parse), request["path"].as_str())
                else {
                    continue;
                };
                let verbs = self.sdk_verbs.entry(path.to_owned()).or_default();
                if !verbs.contains(&verb) {
                    verbs.push(verb);
                    verbs.sort();
                }
            }
        }
    }

    /// The verbs the official SDKs call `path` with (none if unknown).
    pub fn sdk_verbs(&self, path: &str) -> &[HttpMethod] {
        self.sdk_verbs.get(path).map_or(&[], Vec::as_slice)
    }

    pub fn get(&self, stem: &str) -> Option<&Override> {
        self.entries.get(stem)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(indented: bool) -> FieldRow {
        FieldRow { indented, ..FieldRow::default() }
    }

    #[test]
    fn rules() {
        assert_eq!(
            infer_method("check-qrcode-status", "", true, &[row(true)], &[]),
            (HttpMethod::Get, HttpRule::IndentedRows)
        );
        assert_eq!(infer_method("create-user", "", true, &[row(false)], &[]), (HttpMethod::Post, HttpRule::BodyRows));
        assert_eq!(infer_method("list-roles", "", true, &[], &[]), (HttpMethod::Get, HttpRule::NoParameters));
        assert_eq!(
            infer_method("system", "获取服务器公开信息", true, &[], &[]),
            (HttpMethod::Get, HttpRule::NoParameters)
        );
        assert_eq!(infer_method("logout", "登出", true, &[], &[]), (HttpMethod::Post, HttpRule::NoParameters));
        let string = Field {
            name: "id".into(),
            ty: Type::String,
            required: true,
            default: None,
            description: String::new(),
            example: None,
        };
        assert_eq!(
            infer_method("get-user", "", false, &[row(false)], std::slice::from_ref(&string)),
            (HttpMethod::Get, HttpRule::NameAndTypes)
        );
        assert_eq!(
            infer_method("metadata-get-row", "", false, &[row(false)], std::slice::from_ref(&string)),
            (HttpMethod::Get, HttpRule::NameAndTypes)
        );
        let object = Field { ty: Type::Object, ..string };
        assert_eq!(
            infer_method("get-user", "", false, &[row(false)], &[object]),
            (HttpMethod::Post, HttpRule::NameAndTypes)
        );
    }

    #[test]
    fn overrides_file() {
        let mut diags = Diagnostics::default();
        let text = "[operation.userpool-tenant-config]\nmethod = \"GET\"\n\n[operation.bad]\nmethod = \"FETCH\"\n";
        let overrides = Overrides::parse(text, "overrides.toml", &mut diags);
        assert_eq!(overrides.get("userpool-tenant-config").and_then(|o| o.method.as_deref()), Some("GET"));
        assert!(overrides.get("bad").is_none());
        assert_eq!(diags.sorted()[0].line, 4);
        let bad_tag = Overrides::parse("[operation.x]\ntag = \"Log In\"\n", "o.toml", &mut diags);
        assert!(bad_tag.get("x").is_none());
        let broken = Overrides::parse("[operation.x]\nverb = 1\n", "o.toml", &mut diags);
        assert!(broken.is_empty());
    }

    #[test]
    fn shapes_and_sdk_verbs() {
        let mut diags = Diagnostics::default();
        let text = r#"
[operation.signin-by-x]
path = "/api/v3/signin"
body = { connection = "X", xPayload = { id = "$id" } }

[operation.get-token]
form = { grant_type = "code", redirect_uri = ["$redirectUri", "@redirect_uri"] }

[operation.two]
body = { a = "$a" }
form = { a = "$a" }

[operation.setting]
url_query = { who = "@user" }

[operation.old-name]
same_as = "new-name"
alias = true
unverified = "newer than the SDKs"
"#;
        let mut overrides = Overrides::parse(text, "o.toml", &mut diags);
        let param = |name: &str| TemplateValue::Param { name: name.into() };
        let entry = |key: &str, value| TemplateEntry { key: key.into(), value };
        assert_eq!(
            overrides.get("signin-by-x").map(|o| &o.shape),
            Some(&Shape::Wrapper {
                body: vec![
                    entry("connection", TemplateValue::Text { value: "X".into() }),
                    entry("xPayload", TemplateValue::Object { entries: vec![entry("id", param("id"))] }),
                ]
            })
        );
        let Some(Shape::Protocol { form }) = overrides.get("get-token").map(|o| &o.shape) else { panic!("protocol") };
        assert_eq!(
            form[1].value,
            TemplateValue::First {
                values: vec![param("redirectUri"), TemplateValue::Setting { setting: ClientSetting::RedirectUri }]
            }
        );
        let old = overrides.get("old-name").expect("old-name");
        assert_eq!((old.same_as.as_deref(), old.alias, old.unverified.is_some()), (Some("new-name"), true, true));
        // Two shapes at once, or an unknown setting: reported, entry ignored.
        assert!(overrides.get("two").is_none() && overrides.get("setting").is_none());
        assert_eq!(diags.sorted().iter().filter(|d| d.kind == Kind::BadOverride).count(), 2);

        let reference = r#"{"python": [{"requests": [{"verb": "GET", "path": "/a"}]}],
            "node": [{"by_client_auth": {"none": {"requests": [{"verb": "POST", "path": "/a"}]}}}, {"requests": [{"verb": "POST", "path": "/b"}]}]}"#;
        overrides.add_sdk_reference(reference, "r.json", &mut diags);
        assert_eq!(overrides.sdk_verbs("/a"), [HttpMethod::Get, HttpMethod::Post]);
        assert_eq!(overrides.sdk_verbs("/b"), [HttpMethod::Post]);
        assert!(overrides.sdk_verbs("/c").is_empty());
        overrides.add_sdk_reference("not json", "r.json", &mut diags);
        assert_eq!(diags.sorted().iter().filter(|d| d.kind == Kind::BadOverride).count(), 3);
    }
}
