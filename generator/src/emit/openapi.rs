//! Schema → OpenAPI 3.0 document. Everything the schema knows is kept:
//! what OpenAPI has a place for goes there, the rest into `x-genauth-*`
//! extensions (client, snake_case method name, the rule that decided the
//! HTTP method, source pages, enum value descriptions, the SDK methods
//! that wrap an endpoint, local helpers).

use std::collections::BTreeMap;

use heck::ToLowerCamelCase;
use serde_json::{Map, Value, json};

use crate::schema::{Api, Field, HttpMethod, ModelBody, Operation, ParamLocation, Shape, Type};

pub fn document(api: &Api) -> Value {
    let mut paths: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    let mut tags: BTreeMap<String, String> = BTreeMap::new();
    let keys = schema_keys(api);
    let mut wrappers: BTreeMap<(&str, HttpMethod), Vec<Value>> = BTreeMap::new();
    let mut local_helpers: Vec<Value> = Vec::new();
    let mut name_uses: BTreeMap<&str, usize> = BTreeMap::new();
    for op in &api.operations {
        *name_uses.entry(&op.name).or_default() += 1;
    }
    for op in &api.operations {
        let tag = tag_name(op);
        tags.insert(tag.clone(), op.tag.slug.clone());
        // Operation ids are unique in a document; both clients may name a method alike.
        let id = if name_uses[op.name.as_str()] > 1 {
            format!("{}_{}", op.client.class_name(), op.name).to_lower_camel_case()
        } else {
            op.name.to_lower_camel_case()
        };
        match &op.shape {
            // One endpoint, one operation: wrappers are listed on the endpoint they wrap.
            Shape::Wrapper { .. } => wrappers.entry((&op.path, op.method)).or_default().push(wrapper(op, &keys)),
            Shape::LocalUrl { .. } => local_helpers.push(wrapper(op, &keys)),
            Shape::Direct | Shape::Protocol { .. } => {
                paths
                    .entry(&op.path)
                    .or_default()
                    .insert(op.method.as_str().to_lowercase(), operation(op, tag, id, &keys));
            }
        }
    }
    for ((path, method), list) in wrappers {
        let operation = paths.entry(path).or_default().entry(method.as_str().to_lowercase()).or_insert_with(|| {
            json!({ "summary": "The endpoint of the wrapper methods listed", "responses": { "200": { "description": "Success" } } })
        });
        operation["x-genauth-wrappers"] = Value::Array(list);
    }
    let schemas: Map<String, Value> = api
        .models
        .iter()
        .map(|m| {
            let mut schema = model(&m.body, &m.sources, &keys);
            if keys[m.name.as_str()] != m.name {
                schema["x-genauth-name"] = Value::String(m.name.clone());
            }
            (keys[m.name.as_str()].clone(), schema)
        })
        .collect();
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "GenAuth V3 API",
            "description": "Recovered from the GenAuth (Authing) V3 SDK documentation pages by the genauth generator.",
            "version": "3",
        },
        "servers": [{
            "url": "https://{host}",
            "variables": { "host": { "default": "core.authing.cn", "description": "Your user pool or application domain." } },
        }],
        "tags": tags.iter().map(|(name, slug)| json!({ "name": name, "x-genauth-slug": slug })).collect::<Vec<_>>(),
        "paths": paths,
        "components": { "schemas": schemas },
        "x-genauth-local-helpers": local_helpers,
    })
}

/// A wrapper or local helper: the SDK method, its parameters and what it
/// makes of them (`x-genauth-wrappers` on the wrapped endpoint, or the
/// document's `x-genauth-local-helpers`).
fn wrapper(op: &Operation, keys: &Keys) -> Value {
    json!({
        "x-genauth-client": op.client.class_name(),
        "x-genauth-method": op.name,
        "summary": op.summary,
        "path": op.path,
        "parameters": object_schema(op.params.iter().map(|p| &p.field), keys),
        "shape": op.shape,
        "x-genauth-sources": op.sources,
    })
}

/// Component names: OpenAPI allows `[A-Za-z0-9._-]`; other characters become
/// `_` (the docs name is kept in `x-genauth-name`), made unique.
type Keys<'a> = BTreeMap<&'a str, String>;

fn schema_keys(api: &Api) -> Keys<'_> {
    let mut taken = std::collections::BTreeSet::new();
    api.models
        .iter()
        .map(|m| {
            let base: String = m
                .name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
                .collect();
            let base = if base.is_empty() { "_".to_string() } else { base };
            let mut key = base.clone();
            let mut n = 2;
            while !taken.insert(key.clone()) {
                key = format!("{base}_{n}");
                n += 1;
            }
            (m.name.as_str(), key)
        })
        .collect()
}

/// The docs' own tag name (the Chinese folder name), or the slug where
/// the page sits in no tag folder.
fn tag_name(op: &Operation) -> String {
    if op.tag.name.is_empty() { op.tag.slug.clone() } else { op.tag.name.clone() }
}

fn operation(op: &Operation, tag: String, id: String, keys: &Keys) -> Value {
    let mut out = Map::new();
    out.insert("operationId".into(), Value::String(id));
    out.insert("summary".into(), Value::String(op.summary.clone()));
    if !op.description.is_empty() {
        out.insert("description".into(), Value::String(op.description.clone()));
    }
    out.insert("tags".into(), json!([tag]));
    let parameters: Vec<Value> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Body)
        .map(|p| {
            let mut param = Map::new();
            param.insert("name".into(), Value::String(p.field.name.clone()));
            param.insert(
                "in".into(),
                Value::String(if p.location == ParamLocation::Path { "path" } else { "query" }.into()),
            );
            param.insert("required".into(), Value::Bool(p.field.required || p.location == ParamLocation::Path));
            if !p.field.description.is_empty() {
                param.insert("description".into(), Value::String(p.field.description.clone()));
            }
            param.insert("schema".into(), field_schema(&p.field, false, keys));
            if let Some(example) = &p.field.example {
                param.insert("example".into(), example.clone());
            }
            if matches!(p.field.ty, Type::Array { .. }) {
                param.insert("style".into(), "form".into());
                param.insert("explode".into(), true.into());
            }
            Value::Object(param)
        })
        .collect();
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Array(parameters));
    }
    let body: Vec<&Field> = op.params.iter().filter(|p| p.location == ParamLocation::Body).map(|p| &p.field).collect();
    if !body.is_empty() {
        let schema = object_schema(body.iter().copied(), keys);
        let media = if let Shape::Protocol { .. } = op.shape {
            "application/x-www-form-urlencoded"
        } else {
            "application/json"
        };
        out.insert(
            "requestBody".into(),
            json!({ "required": body.iter().any(|f| f.required), "content": { media: { "schema": schema } } }),
        );
    }
    if let Shape::Protocol { form } = &op.shape {
        out.insert("x-genauth-form".into(), json!(form));
        out.insert("x-genauth-client-authentication".into(), "token endpoint auth method of the application".into());
    }
    if let Some(reason) = &op.unverified {
        out.insert("x-genauth-unverified".into(), Value::String(reason.clone()));
    }
    if !op.aliases.is_empty() {
        out.insert("x-genauth-deprecated-aliases".into(), json!(op.aliases));
    }
    let mut content = Map::new();
    content.insert("schema".into(), op.response.as_ref().map_or_else(|| json!({}), |ty| type_schema(ty, keys)));
    if let Some(example) = &op.response_example {
        content.insert("example".into(), example.clone());
    }
    let description = if op.summary.is_empty() { "Success".to_string() } else { op.summary.clone() };
    out.insert(
        "responses".into(),
        json!({ "200": { "description": description, "content": { "application/json": content } } }),
    );
    out.insert("x-genauth-client".into(), Value::String(op.client.class_name().into()));
    out.insert("x-genauth-method".into(), Value::String(op.name.clone()));
    out.insert("x-genauth-http-rule".into(), serde_json::to_value(op.http_rule).unwrap_or(Value::Null));
    out.insert("x-genauth-sources".into(), json!(op.sources));
    Value::Object(out)
}

fn model(body: &ModelBody, sources: &[String], keys: &Keys) -> Value {
    let mut schema = match body {
        ModelBody::Struct { fields } => object_schema(fields.iter(), keys),
        ModelBody::Enum { values } => type_schema(&Type::Enum { values: values.clone() }, keys),
    };
    if let Value::Object(map) = &mut schema {
        map.insert("x-genauth-sources".into(), json!(sources));
    }
    schema
}

fn object_schema<'a>(fields: impl Iterator<Item = &'a Field>, keys: &Keys) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields {
        properties.insert(field.name.clone(), field_schema(field, true, keys));
        if field.required {
            required.push(Value::String(field.name.clone()));
        }
    }
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    Value::Object(schema)
}

/// A field's schema; `with_docs` adds description, default and example
/// (parameters carry those on the parameter object instead).
fn field_schema(field: &Field, with_docs: bool, keys: &Keys) -> Value {
    let schema = type_schema(&field.ty, keys);
    let Value::Object(mut map) = schema else { return schema };
    // OpenAPI 3.0 ignores siblings of `$ref`; wrap it to keep the docs.
    if map.contains_key("$ref") && (with_docs && !field.description.is_empty()) {
        map = Map::from_iter([("allOf".to_string(), json!([Value::Object(map)]))]);
    }
    if with_docs && !field.description.is_empty() {
        map.insert("description".into(), Value::String(field.description.clone()));
    }
    if let Some(default) = &field.default {
        map.insert("default".into(), default.clone());
    }
    if with_docs && let Some(example) = &field.example {
        map.insert("example".into(), example.clone());
    }
    Value::Object(map)
}

fn type_schema(ty: &Type, keys: &Keys) -> Value {
    match ty {
        Type::String => json!({ "type": "string" }),
        Type::Integer => json!({ "type": "integer", "format": "int64" }),
        Type::Number => json!({ "type": "number" }),
        Type::Boolean => json!({ "type": "boolean" }),
        Type::Object => json!({ "type": "object", "additionalProperties": true }),
        Type::Any => json!({}),
        Type::Array { items } => json!({ "type": "array", "items": type_schema(items, keys) }),
        Type::Ref { name } => match keys.get(name.as_str()) {
            Some(key) => json!({ "$ref": format!("#/components/schemas/{key}") }),
            None => json!({}),
        },
        Type::Enum { values } => {
            let mut schema = json!({
                "type": "string",
                "enum": values.iter().map(|v| v.value.clone()).collect::<Vec<_>>(),
            });
            if values.iter().any(|v| !v.description.is_empty()) {
                schema["x-enum-descriptions"] = json!(values.iter().map(|v| v.description.clone()).collect::<Vec<_>>());
            }
            schema
        }
    }
}
