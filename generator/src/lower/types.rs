//! Field rows → schema fields: the type cell, the nested-type note, enums,
//! integer-or-number, examples and defaults.

use serde_json::Value;

use super::enums::{is_value_token, listed_values};
use super::table::FieldRow;
use crate::diag::{Diagnostics, Kind};
use crate::page::{Cell, Inline};
use crate::schema::{EnumValue, Field, Type};

/// Which table a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Request,
    Response,
    Model,
}

/// Page facts that type interpretation needs.
pub struct Context<'a> {
    pub path: &'a str,
    pub table: TableKind,
    /// Whether the form marks code spans, so that a bare example (an
    /// enum's first value on generated pages) can be told from a code one.
    pub examples_marked: bool,
}

pub fn lower_field(row: &FieldRow, ctx: &Context, diags: &mut Diagnostics) -> Field {
    let (nested, description) = split_nested_note(&row.description);
    let (example_text, example_is_code) = example_of(&row.example);
    let ty = base_type(row, nested.as_deref(), example_text.as_deref(), ctx, diags);
    let ty = with_enum(ty, row, &description, example_text.as_deref(), example_is_code, ctx);
    let default = row.default.as_deref().and_then(|d| default_value(d, &ty, row, ctx, diags));
    let example = example_text.map(|e| typed_value(&e, &ty));
    let required = row.required.unwrap_or_else(|| {
        ctx.table == TableKind::Response
            && !ERROR_ONLY_FIELDS.contains(&row.name.as_str())
            && !is_conditional(&description)
    });
    Field { name: row.name.clone(), ty, required, default, description, example }
}

/// Fields of the response envelope (`statusCode`, `message`, `apiCode`,
/// `requestId`, `data`) that only a failed request's response carries,
/// however (or whether) the page says so.
const ERROR_ONLY_FIELDS: &[&str] = &["apiCode", "requestId"];

/// Response tables have no required column: a field is required unless its
/// description says it is only sometimes returned. The English pages are
/// machine-translated and say so in ever new words (`successful request does
/// not return`, `no return for successful requests`, `returned when the
/// request fails`), so a clause counts when it speaks of returning and
/// either negates success or makes it depend on a failure.
fn is_conditional(description: &str) -> bool {
    let lower = description.to_lowercase();
    if ["不返回", "时会返回", "时返回", "失败时", "only returned", "returned only"].iter().any(|m| lower.contains(m))
    {
        return true;
    }
    lower.split(['.', ';', '(', ')', '。', '；', '（', '）']).any(|clause| {
        let words: Vec<&str> =
            clause.split(|c: char| !c.is_ascii_alphabetic() && c != '\'').filter(|w| !w.is_empty()).collect();
        let starts = |stems: &[&str]| words.iter().any(|w| stems.iter().any(|s| w.starts_with(s)));
        let is = |all: &[&str]| words.iter().any(|w| all.contains(w));
        let returned = starts(&["return", "present", "include"]);
        let absent = starts(&["omit", "absent", "missing"]);
        let negated = is(&["not", "no", "never", "without"]) || words.iter().any(|w| w.ends_with("n't"));
        let on_failure = starts(&["fail", "error"]) && is(&["when", "if", "only", "upon", "case"]);
        ((returned && negated) || absent) && starts(&["success", "succeed"]) || returned && on_failure
    })
}

/// Finds `嵌套类型：X` / `Nested type: X` in a description: the target DTO
/// and the description without the note.
pub fn split_nested_note(cell: &Cell) -> (Option<String>, String) {
    let markdown = cell.markdown();
    let lower = markdown.to_lowercase();
    let found = ["嵌套类型", "nested type"].iter().find_map(|m| lower.find(m).map(|at| (at, m.len())));
    let Some((at, len)) = found else {
        return (None, markdown);
    };
    let after = &markdown[at + len..];
    let trimmed = after.trim_start_matches([':', '：', ',', '，', ' ']);
    let name_len = trimmed.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(trimmed.len());
    let mut name = trimmed[..name_len].to_string();
    let mut end = at + len + (after.len() - trimmed.len()) + name_len;
    if markdown[end..].starts_with("[]") {
        end += 2;
    }
    let rest = markdown[end..].trim_start_matches(['。', '.']);
    // The link target is the reliable name where the form has links.
    if let Some(anchor) = cell.anchors().find(|a| !a.is_empty()) {
        name = anchor.to_string();
    }
    let description = format!("{}{}", markdown[..at].trim_end().trim_end_matches([',', '，']), rest).trim().to_string();
    ((!name.is_empty()).then_some(name), description)
}

/// The example cell's text, and whether it was a code span. A lone `-`
/// is the tables' mark for "no example".
fn example_of(cell: &Cell) -> (Option<String>, bool) {
    let (text, is_code) = match cell.inlines.as_slice() {
        [] => return (None, false),
        [Inline::Code(code)] => (code.trim().to_string(), true),
        _ => (cell.plain(), false),
    };
    ((!text.is_empty() && text != "-").then_some(text), is_code)
}

fn base_type(
    row: &FieldRow,
    nested: Option<&str>,
    example: Option<&str>,
    ctx: &Context,
    diags: &mut Diagnostics,
) -> Type {
    let nested_ref = nested.map(Type::reference);
    if let Some(anchor) = row.ty.anchors().next() {
        let text = row.ty.plain();
        if anchor.is_empty() {
            return nested_ref.unwrap_or_else(|| {
                diags.warn(
                    Kind::UnknownType,
                    ctx.path,
                    row.line,
                    format!("`{}` has an empty type link; typed as any JSON value", row.name),
                );
                Type::Any
            });
        }
        let target = Type::reference(anchor.trim_end_matches("[]"));
        let is_array = text.ends_with("[]") || anchor.ends_with("[]");
        return if is_array || shows_array(example) { Type::array(target) } else { target };
    }
    let text = row.ty.plain();
    let word = text.trim_matches('`').trim_start_matches(['\\', '*']).trim();
    if let Some(scalar) = scalar_type(word) {
        let ty = match scalar {
            Type::String => nested_ref.unwrap_or(Type::String),
            Type::Integer => numeric(&row.name, example, row.default.as_deref()),
            other => other,
        };
        return with_example_kind(ty, example);
    }
    match word.to_lowercase().as_str() {
        "" => nested_ref.map(|target| if shows_array(example) { Type::array(target) } else { target }).unwrap_or_else(
            || {
                diags.warn(
                    Kind::UnknownType,
                    ctx.path,
                    row.line,
                    format!("`{}` has no type; typed as any JSON value", row.name),
                );
                Type::Any
            },
        ),
        // A free-form object whose own example is not an object (`test`,
        // `"Activated"`) holds any JSON value.
        "object" | "map" | "json" | "dict" => nested_ref.unwrap_or_else(|| match example {
            Some(example) if !example.trim_start().starts_with('{') => Type::Any,
            _ => Type::Object,
        }),
        "array" | "list" => Type::array(match nested_ref {
            Some(item) => item,
            None => item_type_from_example(example).unwrap_or(Type::Any),
        }),
        "string[]" | "str[]" => Type::array(Type::String),
        "number[]" => Type::array(Type::Integer),
        "boolean[]" => Type::array(Type::Boolean),
        "object[]" => Type::array(nested_ref.unwrap_or(Type::Object)),
        _ => {
            let (name, is_array) = match word.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (word, false),
            };
            if is_type_name(name) {
                let target = nested_ref.unwrap_or_else(|| Type::reference(name));
                if is_array || shows_array(example) { Type::array(target) } else { target }
            } else {
                diags.warn(
                    Kind::UnknownType,
                    ctx.path,
                    row.line,
                    format!("type `{text}` of `{}` is not understood; typed as any JSON value", row.name),
                );
                Type::Any
            }
        }
    }
}

/// Whether an example is a JSON array: a DTO-typed field whose own
/// example is a list (`children | TreeStructs | [{…}]`) holds a list of them.
fn shows_array(example: Option<&str>) -> bool {
    example.is_some_and(|e| {
        e.trim_start().starts_with('[') && serde_json::from_str::<Value>(e).is_ok_and(|v| v.is_array())
    })
}

/// A boolean or number whose own example is of another kind (a
/// `boolean` `totalCount` with the example `10`, a `number` `format`
/// with the example `email`) takes the example's kind: the page shows
/// such values, and decoding must not reject them.
fn with_example_kind(ty: Type, example: Option<&str>) -> Type {
    let example = example.map(str::trim).filter(|e| !e.is_empty() && *e != "-");
    let Some(example) = example.filter(|_| matches!(ty, Type::Boolean | Type::Integer | Type::Number)) else {
        return ty;
    };
    let shown = match serde_json::from_str::<Value>(example) {
        Ok(Value::Bool(_)) => Type::Boolean,
        Ok(Value::Number(n)) => {
            if n.is_f64() {
                Type::Number
            } else {
                Type::Integer
            }
        }
        Ok(Value::String(text)) => match text.trim() {
            "true" | "false" => Type::Boolean,
            t if t.parse::<f64>().is_ok() => return ty,
            _ => Type::String,
        },
        Ok(_) => return ty,
        Err(_) if example.parse::<f64>().is_ok() => return ty,
        Err(_) => Type::String,
    };
    match (&ty, &shown) {
        (Type::Boolean, Type::Boolean)
        | (Type::Integer | Type::Number, Type::Integer | Type::Number)
        | (Type::Integer | Type::Number, Type::Boolean) => ty,
        _ => shown,
    }
}

/// The scalar a type word names: `string`, `number` (an integer until
/// evidence says otherwise), `boolean` and their SDK-language spellings.
pub fn scalar_type(word: &str) -> Option<Type> {
    match word.trim().to_lowercase().as_str() {
        "string" | "str" | "time" | "date" | "datetime" | "enum" => Some(Type::String),
        "number" | "integer" | "int" | "int32" | "int64" | "long" | "uint64" | "float" | "double" => {
            Some(Type::Integer)
        }
        "boolean" | "bool" => Some(Type::Boolean),
        _ => None,
    }
}

fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The item type an `array` example shows: `["a"]`, `[1]`, `[{…}]`.
pub fn item_type_from_example(example: Option<&str>) -> Option<Type> {
    let value: Value = serde_json::from_str(example?).ok()?;
    type_of_value(value.as_array()?.first()?).filter(|t| !matches!(t, Type::Array { .. }))
}

/// The type a JSON value shows; `None` for `null`.
pub fn type_of_value(value: &Value) -> Option<Type> {
    Some(match value {
        Value::String(_) => Type::String,
        Value::Number(n) if n.is_i64() || n.is_u64() => Type::Integer,
        Value::Number(_) => Type::Number,
        Value::Bool(_) => Type::Boolean,
        Value::Object(_) => Type::Object,
        Value::Array(items) => Type::array(items.first().and_then(type_of_value).unwrap_or(Type::Any)),
        Value::Null => return None,
    })
}

/// `number` is an integer unless an example or the default is fractional,
/// or the name says it is (`rate`, `ratio`, …): an integer example of a
/// rate (`lastSyncRate`: `80`) is one value, and the next one may be `80.5`.
/// The API's other numbers are counts, codes, pages, sizes, durations and
/// timestamps.
fn numeric(name: &str, example: Option<&str>, default: Option<&str>) -> Type {
    let fractional_evidence = [example, default]
        .into_iter()
        .flatten()
        .any(|evidence| matches!(serde_json::from_str::<Value>(evidence.trim()), Ok(Value::Number(n)) if n.is_f64()));
    // The last word of the name (`lastSyncRate`, `success_ratio`; not `crate`).
    let snake = heck::ToSnakeCase::to_snake_case(name);
    let last = snake.rsplit('_').next().unwrap_or_default();
    let fractional_name = [
        "rate",
        "ratio",
        "percent",
        "percentage",
        "price",
        "amount",
        "score",
        "latitude",
        "longitude",
        "weight",
        "lat",
        "lng",
    ]
    .contains(&last);
    if fractional_evidence || fractional_name { Type::Number } else { Type::Integer }
}

/// Turns a string (or string-array) type into an enum when the row lists
/// values.
fn with_enum(
    ty: Type,
    row: &FieldRow,
    description: &str,
    example: Option<&str>,
    example_is_code: bool,
    ctx: &Context,
) -> Type {
    match ty {
        Type::String => enum_values(row, description, example, example_is_code, ctx)
            .map_or(Type::String, |values| Type::Enum { values }),
        Type::Array { items } if *items == Type::String => Type::array(
            enum_values(row, description, None, false, ctx).map_or(Type::String, |values| Type::Enum { values }),
        ),
        other => other,
    }
}

fn enum_values(
    row: &FieldRow,
    description: &str,
    example: Option<&str>,
    example_is_code: bool,
    ctx: &Context,
) -> Option<Vec<EnumValue>> {
    let mut values = listed_values(description);
    if let Some(example) = example {
        // An example made of several listed values (`openid profile`) shows
        // a multi-valued string, not an enum.
        let parts: Vec<&str> = example.split([' ', ',']).filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 && parts.iter().all(|p| values.iter().any(|v| v.value == *p)) {
            return None;
        }
        // An example shows one value, not a list: it joins a listed set
        // (where the list misses it) but never makes an enum of its own.
        let bare = ctx.examples_marked && !example_is_code && ctx.table == TableKind::Model;
        if bare
            && !values.is_empty()
            && is_value_token(example)
            && example != "-"
            && !values.iter().any(|v| v.value == example)
        {
            values.push(EnumValue { value: example.to_string(), description: String::new() });
        }
    }
    if let Some(default) = row.default.as_deref().filter(|d| *d != "-" && is_value_token(d))
        && !values.is_empty()
        && !values.iter().any(|v| v.value == default)
    {
        values.push(EnumValue { value: default.to_string(), description: String::new() });
    }
    (!values.is_empty()).then_some(values)
}

fn default_value(text: &str, ty: &Type, row: &FieldRow, ctx: &Context, diags: &mut Diagnostics) -> Option<Value> {
    let text = text.trim().trim_matches('`');
    match text {
        "" | "-" => None,
        "[object Object]" => {
            diags.warn(
                Kind::BadRow,
                ctx.path,
                row.line,
                format!("default of `{}` is `[object Object]` (a JavaScript stringification bug); ignored", row.name),
            );
            None
        }
        _ => Some(typed_value(text, ty)),
    }
}

/// An example or default as JSON: parsed where the type is not a string
/// and the text is valid JSON, else the text itself.
fn typed_value(text: &str, ty: &Type) -> Value {
    let text = text.trim();
    match ty {
        Type::String | Type::Enum { .. } => match serde_json::from_str::<Value>(text) {
            Ok(Value::String(s)) => Value::String(s),
            _ => Value::String(text.to_string()),
        },
        _ => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::inline::parse_cell;

    fn row(name: &str, ty: &str, required: Option<bool>, description: &str, example: &str) -> FieldRow {
        FieldRow {
            line: 1,
            name: name.into(),
            ty: parse_cell(ty),
            required,
            default: None,
            description: parse_cell(description),
            example: parse_cell(example),
            indented: false,
        }
    }

    fn lower(row: &FieldRow, table: TableKind) -> Field {
        let ctx = Context { path: "p.md", table, examples_marked: true };
        lower_field(row, &ctx, &mut Diagnostics::default())
    }

    #[test]
    fn nested_type_notes() {
        let f = lower(
            &row("user", "", Some(true), "User info 嵌套类型：<a href=\"#UserDto\">UserDto</a>。", ""),
            TableKind::Model,
        );
        assert_eq!(f.ty, Type::reference("UserDto"));
        assert_eq!(f.description, "User info");
        let f = lower(&row("list", "array", Some(true), "Nested type: <a href=\"#X\">X</a>.", ""), TableKind::Model);
        assert_eq!(f.ty, Type::array(Type::reference("X")));
        let f = lower(&row("t", "", Some(false), "foo 嵌套类型：LoginDto。", ""), TableKind::Model);
        assert_eq!(f.ty, Type::reference("LoginDto"));
    }

    #[test]
    fn scalars_take_the_kind_of_a_contradicting_example() {
        assert_eq!(lower(&row("totalCount", "boolean", Some(true), "", "`10`"), TableKind::Model).ty, Type::Integer);
        assert_eq!(lower(&row("errMsg", "boolean", Some(true), "", "`ok`"), TableKind::Model).ty, Type::String);
        assert_eq!(lower(&row("format", "number", Some(true), "", "`email`"), TableKind::Model).ty, Type::String);
        assert_eq!(lower(&row("ok", "boolean", Some(true), "", "`true`"), TableKind::Model).ty, Type::Boolean);
        assert_eq!(lower(&row("n", "number", Some(true), "", "`\"10\"`"), TableKind::Model).ty, Type::Integer);
        assert_eq!(lower(&row("phone", "string", Some(true), "", "`188`"), TableKind::Model).ty, Type::String);
    }

    #[test]
    fn objects_with_a_scalar_example_hold_any_value() {
        assert_eq!(lower(&row("value", "object", Some(false), "", "`test`"), TableKind::Model).ty, Type::Any);
        assert_eq!(lower(&row("value", "object", Some(false), "", "`{\"a\":1}`"), TableKind::Model).ty, Type::Object);
        assert_eq!(lower(&row("value", "object", Some(false), "", ""), TableKind::Model).ty, Type::Object);
    }

    #[test]
    fn links_and_arrays() {
        assert_eq!(
            lower(&row("a", "<a href=\"#X\">X[]</a>", Some(true), "", ""), TableKind::Request).ty,
            Type::array(Type::reference("X"))
        );
        assert_eq!(lower(&row("a", "string[]", Some(true), "", ""), TableKind::Request).ty, Type::array(Type::String));
        assert_eq!(
            lower(&row("a", "array", Some(true), "", "`[1,2]`"), TableKind::Model).ty,
            Type::array(Type::Integer)
        );
        assert_eq!(
            lower(&row("a", "TreeStructs[]", Some(true), "", ""), TableKind::Model).ty,
            Type::array(Type::reference("TreeStructs"))
        );
    }

    #[test]
    fn a_model_whose_own_example_is_a_list_is_a_list_of_it() {
        let tree = Type::array(Type::reference("TreeStructs"));
        assert_eq!(
            lower(&row("children", "TreeStructs", Some(false), "", "`[{\"code\":\"c\"}]`"), TableKind::Model).ty,
            tree
        );
        let linked = "<a href=\"#TreeStructs\">TreeStructs</a>";
        assert_eq!(lower(&row("children", linked, Some(false), "", "`[]`"), TableKind::Model).ty, tree);
        let nested = "Children 嵌套类型：<a href=\"#TreeStructs\">TreeStructs</a>。";
        assert_eq!(lower(&row("children", "", Some(false), nested, "`[{}]`"), TableKind::Model).ty, tree);
        // An object example, or text that only starts like a list, is one model.
        assert_eq!(
            lower(&row("child", "TreeStructs", Some(false), "", "`{\"code\":\"c\"}`"), TableKind::Model).ty,
            Type::reference("TreeStructs")
        );
        assert_eq!(
            lower(&row("child", "TreeStructs", Some(false), "", "`[draft`"), TableKind::Model).ty,
            Type::reference("TreeStructs")
        );
    }

    #[test]
    fn a_lone_dash_is_no_example() {
        assert_eq!(lower(&row("list", "TreeStructs[]", Some(true), "", "-"), TableKind::Model).example, None);
        assert_eq!(lower(&row("name", "string", Some(true), "", "`-`"), TableKind::Model).example, None);
        assert_eq!(
            lower(&row("range", "string", Some(true), "", "`1-2`"), TableKind::Model).example,
            Some(serde_json::json!("1-2"))
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(lower(&row("expire_in", "number", Some(true), "", "`7200`"), TableKind::Model).ty, Type::Integer);
        assert_eq!(lower(&row("x", "number", Some(true), "", "`0.5`"), TableKind::Model).ty, Type::Number);
        assert_eq!(lower(&row("successRate", "number", Some(true), "", ""), TableKind::Model).ty, Type::Number);
        assert_eq!(lower(&row("totalCount", "number", Some(true), "", ""), TableKind::Model).ty, Type::Integer);
        assert_eq!(lower(&row("lastSyncRate", "number", Some(false), "", "`80`"), TableKind::Model).ty, Type::Number);
        assert_eq!(lower(&row("crate", "number", Some(false), "", "`1`"), TableKind::Model).ty, Type::Integer);
    }

    #[test]
    fn enums_from_lists_and_bare_examples() {
        let f = lower(
            &row(
                "status",
                "string",
                Some(true),
                "共分为 PENDING(未扫码)、SCANNED(已扫码)、ERROR(未知错误)。",
                "PENDING",
            ),
            TableKind::Model,
        );
        let Type::Enum { values } = &f.ty else { panic!("{:?}", f.ty) };
        assert_eq!(values.len(), 3);
        // One example is not a list of values.
        let f = lower(&row("factorType", "string", Some(true), "要素类型", "OTP"), TableKind::Model);
        assert_eq!(f.ty, Type::String);
        let f = lower(&row("gender", "string", Some(true), "性别\n- `M`: 男\n- `F`: 女", "U"), TableKind::Model);
        assert!(matches!(&f.ty, Type::Enum { values } if values.len() == 3 && values[2].value == "U"));
        let f = lower(&row("name", "string", Some(true), "名称", "`OTP`"), TableKind::Model);
        assert_eq!(f.ty, Type::String);
        let scope = "- `openid`: 必须\n- `profile`: 资料";
        assert_eq!(
            lower(&row("scope", "string", Some(false), scope, "`openid profile`"), TableKind::Model).ty,
            Type::String
        );
    }

    #[test]
    fn response_rows_are_required_unless_conditional() {
        assert!(lower(&row("message", "string", None, "描述信息", ""), TableKind::Response).required);
        assert!(
            !lower(&row("requestId", "string", None, "请求 ID。当请求失败时会返回。", ""), TableKind::Response)
                .required
        );
        assert!(
            !lower(
                &row("apiCode", "number", None, "Segmented error code (successful requests are not returned).", ""),
                TableKind::Response
            )
            .required
        );
        // Wordings of machine translation, none of them listed anywhere.
        for said in [
            "Error details (a successful call doesn't return it).",
            "Omitted on success.",
            "Request ID, present only if the call failed",
            "Code (no return for successful requests)",
        ] {
            assert!(!lower(&row("extra", "string", None, said, ""), TableKind::Response).required, "{said}");
        }
        for said in [
            "Business status code; 200 means success.",
            "Whether to enable or not. If not enabled, the built-in service is used.",
            "Returns the error details of each item.",
            "Number of items",
        ] {
            assert!(lower(&row("extra", "string", None, said, ""), TableKind::Response).required, "{said}");
        }
        // The envelope's error-only fields, whatever their description says.
        assert!(!lower(&row("apiCode", "number", None, "Segmented error code.", ""), TableKind::Response).required);
        assert!(lower(&row("apiCode", "number", Some(true), "", ""), TableKind::Model).required);
    }

    #[test]
    fn examples_and_defaults_are_typed() {
        let mut r = row("limit", "number", Some(false), "", "`10`");
        r.default = Some("10".into());
        let f = lower(&r, TableKind::Request);
        assert_eq!(f.default, Some(Value::from(10)));
        assert_eq!(f.example, Some(Value::from(10)));
        let f = lower(&row("ids", "string[]", Some(false), "", "`[\"a\",\"b\"]`"), TableKind::Request);
        assert_eq!(f.example, Some(serde_json::json!(["a", "b"])));
    }
}
