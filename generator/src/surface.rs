//! What SDK users see of an API, as facts only: each method with its verb,
//! path and parameters, each model with its fields, each enumeration with
//! its values, under their wire names and the Rust names the emitter gives
//! them. No doc text, so a change of a description is no change here.
//!
//! The committed manifest of the corpus API (`tests/corpus-api.jsonl`) is
//! this, written as JSON lines: one line per item and per parameter, field
//! or value, so that a change to the generator shows as a reviewed diff.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::emit::rust::plan;
use crate::emit::rust::{field_type_text, ident_text, response_type_text};
use crate::schema::{Api, Client, HttpMethod, HttpRule, ParamLocation};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// In the schema's order: by client, then method name.
    pub operations: Vec<OperationSurface>,
    /// Struct models, by wire name.
    pub models: Vec<ModelSurface>,
    /// Enum models and the enum types of fields and parameters, per module
    /// (`models`, `authentication`, `management`) in emitting order.
    pub enums: Vec<EnumSurface>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSurface {
    pub client: Client,
    /// The Rust method (`check_qr_code_status`).
    pub method: String,
    pub verb: HttpMethod,
    pub path: String,
    pub http_rule: HttpRule,
    /// The cargo feature the method is compiled under.
    pub feature: String,
    /// The request struct, when the operation has parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// The Rust type the method returns.
    pub response: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamSurface>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamSurface {
    pub wire: String,
    pub rust: String,
    pub location: ParamLocation,
    /// The Rust type of the request field.
    #[serde(rename = "type")]
    pub rust_type: String,
    /// Whether the docs say it is required.
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelSurface {
    /// The DTO name as the docs spell it.
    pub wire: String,
    pub rust: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldSurface>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSurface {
    pub wire: String,
    pub rust: String,
    #[serde(rename = "type")]
    pub rust_type: String,
    /// Whether the docs say it is required.
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumSurface {
    pub rust: String,
    /// What it enumerates: a DTO name, or `Type::field` for each field whose
    /// values it is (one enum serves every field with the same value set).
    pub of: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueSurface>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueSurface {
    pub wire: String,
    /// The Rust variant.
    pub rust: String,
}

/// The surface of the crate the Rust emitter makes from `api`.
pub fn surface(api: &Api) -> Surface {
    let plan = plan::plan(api);
    let operations = plan
        .operations
        .iter()
        .map(|o| OperationSurface {
            client: o.op.client,
            method: ident_text(&o.method),
            verb: o.op.method,
            path: o.op.path.clone(),
            http_rule: o.op.http_rule,
            feature: o.feature.clone(),
            request: o.request.clone(),
            response: response_type_text(o, &plan),
            params: o
                .params
                .iter()
                .zip(&o.op.params)
                .map(|(p, param)| ParamSurface {
                    wire: p.field.name.clone(),
                    rust: ident_text(&p.ident),
                    location: param.location,
                    rust_type: field_type_text(p, &plan, false),
                    required: p.field.required,
                })
                .collect(),
        })
        .collect();
    let models = plan
        .models
        .iter()
        .map(|m| ModelSurface {
            wire: m.name.to_string(),
            rust: m.ident.clone(),
            fields: m
                .fields
                .iter()
                .map(|f| FieldSurface {
                    wire: f.field.name.clone(),
                    rust: ident_text(&f.ident),
                    rust_type: field_type_text(f, &plan, true),
                    required: f.field.required,
                })
                .collect(),
        })
        .collect();
    let enums = plan
        .enums
        .iter()
        .map(|e| EnumSurface {
            rust: e.ident.clone(),
            of: e.owners.clone(),
            values: e
                .values
                .iter()
                .zip(&e.variants)
                .map(|(v, variant)| ValueSurface { wire: v.value.clone(), rust: variant.clone() })
                .collect(),
        })
        .collect();
    Surface { operations, models, enums }
}

/// One line of the JSON-lines form: an item, or a part of the item above.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Line {
    Operation(OperationSurface),
    Param(ParamSurface),
    Model(ModelSurface),
    Field(FieldSurface),
    Enum(EnumSurface),
    Value(ValueSurface),
}

impl Surface {
    /// JSON lines: each item on a line of its own, followed by its
    /// parameters, fields or values, indented, one per line.
    pub fn to_lines(&self) -> String {
        self.items().into_iter().flat_map(|(_, lines)| lines).map(|line| line + "\n").collect()
    }

    /// Reads what [`Surface::to_lines`] wrote.
    pub fn from_lines(text: &str) -> Result<Surface, String> {
        let mut surface = Surface::default();
        for (i, text) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let line: Line = serde_json::from_str(text).map_err(|e| format!("line {}: {e}", i + 1))?;
            let orphan = || format!("line {}: no item above it", i + 1);
            match line {
                Line::Operation(op) => surface.operations.push(op),
                Line::Model(model) => surface.models.push(model),
                Line::Enum(e) => surface.enums.push(e),
                Line::Param(p) => surface.operations.last_mut().ok_or_else(orphan)?.params.push(p),
                Line::Field(f) => surface.models.last_mut().ok_or_else(orphan)?.fields.push(f),
                Line::Value(v) => surface.enums.last_mut().ok_or_else(orphan)?.values.push(v),
            }
        }
        Ok(surface)
    }

    /// Each item's identity (`operation management /api/v3/get-user`,
    /// `model UserDto`, `enum UserDto::status`) with its lines. Operations
    /// are known by client and path, so a renamed method is a change of
    /// one item rather than one removed and one added.
    fn items(&self) -> Vec<(String, Vec<String>)> {
        let line = |line: &Line, indent: &str| match serde_json::to_string(line) {
            Ok(json) => format!("{indent}{json}"),
            // Plain strings, enums and bools always serialize.
            Err(e) => format!("{indent}unserializable: {e}"),
        };
        let mut items = Vec::new();
        for op in &self.operations {
            let key = format!("operation {} {} {}", client_name(op.client), op.verb.as_str(), op.path);
            let head = line(&Line::Operation(OperationSurface { params: Vec::new(), ..op.clone() }), "");
            let parts = op.params.iter().map(|p| line(&Line::Param(p.clone()), "  "));
            items.push((key, std::iter::once(head).chain(parts).collect()));
        }
        for model in &self.models {
            let head = line(&Line::Model(ModelSurface { fields: Vec::new(), ..model.clone() }), "");
            let parts = model.fields.iter().map(|f| line(&Line::Field(f.clone()), "  "));
            items.push((format!("model {}", model.wire), std::iter::once(head).chain(parts).collect()));
        }
        for e in &self.enums {
            let head = line(&Line::Enum(EnumSurface { values: Vec::new(), ..e.clone() }), "");
            let parts = e.values.iter().map(|v| line(&Line::Value(v.clone()), "  "));
            items.push((format!("enum {}", e.rust), std::iter::once(head).chain(parts).collect()));
        }
        items
    }
}

fn client_name(client: Client) -> &'static str {
    match client {
        Client::Authentication => "authentication",
        Client::Management => "management",
    }
}

/// What changed from `old` to `new`, item by item: `+ item` and `- item`
/// for added and removed items, and for a changed one its identity with
/// the lines that left (`-`) and came (`+`). Empty when they are equal.
pub fn diff(old: &Surface, new: &Surface) -> String {
    let group = |surface: &Surface| {
        let mut items: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, lines) in surface.items() {
            items.entry(key).or_default().extend(lines);
        }
        items
    };
    let (old, new) = (group(old), group(new));
    let mut out = String::new();
    let keys: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for key in keys {
        match (old.get(key), new.get(key)) {
            (Some(_), None) => out.push_str(&format!("- {key}\n")),
            (None, Some(_)) => out.push_str(&format!("+ {key}\n")),
            (Some(a), Some(b)) if a != b => {
                out.push_str(&format!("~ {key}\n"));
                for line in a.iter().filter(|l| !b.contains(l)) {
                    out.push_str(&format!("    - {}\n", line.trim_start()));
                }
                for line in b.iter().filter(|l| !a.contains(l)) {
                    out.push_str(&format!("    + {}\n", line.trim_start()));
                }
                if a.iter().filter(|l| b.contains(l)).ne(b.iter().filter(|l| a.contains(l))) {
                    out.push_str("    (order changed)\n");
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{EnumValue, Field, Model, ModelBody, Operation, Parameter, Tag, Type};

    fn field(name: &str, ty: Type, required: bool) -> Field {
        Field { name: name.into(), ty, required, default: None, description: "text".into(), example: None }
    }

    fn api() -> Api {
        let status = Type::Enum { values: vec![EnumValue { value: "PENDING".into(), description: "waiting".into() }] };
        Api {
            operations: vec![Operation {
                client: Client::Authentication,
                tag: Tag { name: "用户".into(), slug: "users".into() },
                summary: "Get a user".into(),
                description: "Long text".into(),
                http_rule: HttpRule::IndentedRows,
                sources: vec!["a.md:1".into()],
                ..Operation::sketch(
                    "getUser",
                    HttpMethod::Get,
                    "/api/v3/get-user",
                    vec![Parameter { field: field("userId", Type::String, true), location: ParamLocation::Query }],
                )
            }],
            models: vec![Model {
                name: "UserDto".into(),
                body: ModelBody::Struct {
                    fields: vec![field("status", status, true), field("type", Type::array(Type::Integer), false)],
                },
                sources: vec!["a.md:9".into()],
            }],
        }
    }

    #[test]
    fn projects_rust_names_and_wire_names() {
        let surface = surface(&api());
        let op = &surface.operations[0];
        assert_eq!(op.method, "get_user");
        assert_eq!((op.verb, op.path.as_str()), (HttpMethod::Get, "/api/v3/get-user"));
        assert_eq!(op.request.as_deref(), Some("GetUserRequest"));
        assert_eq!(op.response, "models::UserDto");
        assert_eq!(op.feature, "auth-users");
        assert_eq!(
            op.params,
            [ParamSurface {
                wire: "userId".into(),
                rust: "user_id".into(),
                location: ParamLocation::Query,
                rust_type: "String".into(),
                required: true,
            }]
        );
        let fields = &surface.models[0].fields;
        assert_eq!(fields[0].rust_type, "Status");
        assert_eq!((fields[1].rust.as_str(), fields[1].rust_type.as_str()), ("r#type", "Option<Vec<i64>>"));
        assert_eq!(surface.enums[0].of, ["UserDto::status"]);
        assert_eq!(surface.enums[0].values, [ValueSurface { wire: "PENDING".into(), rust: "Pending".into() }]);
    }

    #[test]
    fn lines_hold_no_doc_text_and_read_back() {
        let surface = surface(&api());
        let lines = surface.to_lines();
        assert!(!lines.contains("text") && !lines.contains("Get a user") && !lines.contains("waiting"), "{lines}");
        assert_eq!(lines.lines().count(), 1 + 1 + 1 + 2 + 1 + 1, "{lines}");
        assert!(lines.lines().nth(1).is_some_and(|l| l.starts_with("  {\"param\":")), "{lines}");
        assert_eq!(Surface::from_lines(&lines), Ok(surface));
        assert!(Surface::from_lines("  {\"param\":{}}").is_err());
    }

    #[test]
    fn diff_names_each_changed_item() {
        let old = surface(&api());
        assert_eq!(diff(&old, &old), "");
        let mut new = old.clone();
        new.operations[0].method = "fetch_user".into();
        new.operations[0].params[0].location = ParamLocation::Path;
        new.models.clear();
        let report = diff(&old, &new);
        assert!(report.contains("~ operation authentication GET /api/v3/get-user\n"), "{report}");
        assert!(
            report.contains("    - {\"operation\":{\"client\":\"authentication\",\"method\":\"get_user\""),
            "{report}"
        );
        assert!(
            report.contains("    + {\"operation\":{\"client\":\"authentication\",\"method\":\"fetch_user\""),
            "{report}"
        );
        assert!(report.contains("\"location\":\"path\""), "{report}");
        assert!(report.contains("- model UserDto\n"), "{report}");
        assert!(diff(&new, &old).contains("+ model UserDto\n"));
    }
}
