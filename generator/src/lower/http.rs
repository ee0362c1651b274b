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
//! Where pages of several forms document one operation, a Markdown page's
//! decision (rules 1-2) wins over rule 4.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::table::FieldRow;
use crate::diag::{Diagnostics, Kind};
use crate::schema::{Field, HttpMethod, HttpRule, Type, path_reads};

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
    /// Parameters the pages mark required that the API does not need
    /// (`metadata-create-field`): they become optional.
    #[serde(default)]
    pub optional: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverridesFile {
    #[serde(default)]
    operation: BTreeMap<String, Override>,
}

impl Overrides {
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
            entries.insert(key, entry);
        }
        Overrides { entries }
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
}
