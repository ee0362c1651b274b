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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Client, EnumValue, HttpMethod, HttpRule, Model, Parameter, Tag};

    fn field(name: &str, ty: Type, required: bool) -> Field {
        Field { name: name.into(), ty, required, default: None, description: String::new(), example: None }
    }

    fn operation(client: Client, name: &str, method: HttpMethod, path: &str, params: Vec<Parameter>) -> Operation {
        Operation {
            client,
            tag: Tag { name: "用户".into(), slug: "users".into() },
            summary: "Get it".into(),
            http_rule: HttpRule::IndentedRows,
            response: Some(Type::reference("User Dto")),
            response_example: Some(json!({ "statusCode": 200 })),
            sources: vec!["a.md:3".into()],
            ..Operation::sketch(name, method, path, params)
        }
    }

    fn api() -> Api {
        let query = |name: &str, ty: Type, required: bool| Parameter {
            field: field(name, ty, required),
            location: ParamLocation::Query,
        };
        let body = |name: &str, required: bool| Parameter {
            field: field(name, Type::String, required),
            location: ParamLocation::Body,
        };
        let status = Type::Enum {
            values: vec![
                EnumValue { value: "ON".into(), description: "enabled".into() },
                EnumValue { value: "OFF".into(), description: String::new() },
            ],
        };
        let described =
            Field { description: "The owner.".into(), ..field("owner", Type::reference("User Dto"), false) };
        Api {
            operations: vec![
                operation(
                    Client::Authentication,
                    "get_user",
                    HttpMethod::Get,
                    "/api/v3/users/{userId}",
                    vec![
                        Parameter {
                            field: Field { description: "The user.".into(), ..field("userId", Type::String, false) },
                            location: ParamLocation::Path,
                        },
                        query("withCustomData", Type::Boolean, false),
                        query("ids", Type::array(Type::String), true),
                    ],
                ),
                Operation {
                    description: "Long text.".into(),
                    ..operation(
                        Client::Management,
                        "get_user",
                        HttpMethod::Post,
                        "/api/v3/get-user",
                        vec![body("email", false), body("phone", true)],
                    )
                },
                operation(
                    Client::Management,
                    "list_users",
                    HttpMethod::Post,
                    "/api/v3/list-users",
                    vec![body("q", false)],
                ),
            ],
            models: vec![
                Model {
                    name: "User Dto".into(),
                    body: ModelBody::Struct {
                        fields: vec![
                            Field { description: "The id.".into(), ..field("userId", Type::String, true) },
                            field("next", Type::reference("User Dto"), false),
                            field(
                                "kind",
                                Type::Enum {
                                    values: vec![EnumValue { value: "A".into(), description: String::new() }],
                                },
                                false,
                            ),
                            Field { default: Some(json!("ON")), ..field("status", status, false) },
                            field("tags", Type::array(Type::Integer), true),
                            described,
                        ],
                    },
                    sources: vec!["a.md:9".into()],
                },
                Model { name: "User/Dto".into(), body: ModelBody::Struct { fields: vec![] }, sources: vec![] },
                Model { name: "User_Dto".into(), body: ModelBody::Struct { fields: vec![] }, sources: vec![] },
            ],
        }
    }

    #[test]
    fn models_keep_their_required_lists_enums_and_docs() {
        let doc = document(&api());
        let user = &doc["components"]["schemas"]["User_Dto"];
        assert_eq!(user["required"], json!(["userId", "tags"]));
        assert_eq!(user["x-genauth-name"], "User Dto");
        assert_eq!(user["x-genauth-sources"], json!(["a.md:9"]));
        assert_eq!(user["properties"]["userId"], json!({ "type": "string", "description": "The id." }));
        assert_eq!(user["properties"]["next"], json!({ "$ref": "#/components/schemas/User_Dto" }), "nothing to wrap");
        assert_eq!(user["properties"]["kind"], json!({ "type": "string", "enum": ["A"] }), "no empty descriptions");
        let status = &user["properties"]["status"];
        assert_eq!(status["enum"], json!(["ON", "OFF"]));
        assert_eq!(status["x-enum-descriptions"], json!(["enabled", ""]));
        assert_eq!(status["default"], "ON");
        assert_eq!(
            user["properties"]["tags"],
            json!({ "type": "array", "items": { "type": "integer", "format": "int64" } })
        );
        assert_eq!(
            user["properties"]["owner"],
            json!({ "allOf": [{ "$ref": "#/components/schemas/User_Dto" }], "description": "The owner." })
        );
        // Names that sanitize to a taken key get the next free suffix.
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        let keys: Vec<(&str, &Value)> = schemas.iter().map(|(k, v)| (k.as_str(), &v["x-genauth-name"])).collect();
        assert_eq!(
            keys,
            [("User_Dto", &json!("User Dto")), ("User_Dto_2", &json!("User/Dto")), ("User_Dto_3", &json!("User_Dto"))]
        );
        assert_eq!(schemas["User_Dto_3"].get("required"), None, "no empty required list");
    }

    #[test]
    fn parameters_go_to_the_path_the_query_or_a_required_body() {
        let doc = document(&api());
        let get = &doc["paths"]["/api/v3/users/{userId}"]["get"];
        assert_eq!(get.get("description"), None, "no empty description");
        assert_eq!(doc["paths"]["/api/v3/get-user"]["post"]["description"], "Long text.");
        assert_eq!(get["operationId"], "authenticationClientGetUser", "both clients have `get_user`");
        let params = get["parameters"].as_array().expect("parameters");
        let summary: Vec<(&str, &str, bool)> = params
            .iter()
            .map(|p| (p["name"].as_str().unwrap_or(""), p["in"].as_str().unwrap_or(""), p["required"] == true))
            .collect();
        assert_eq!(summary, [("userId", "path", true), ("withCustomData", "query", false), ("ids", "query", true)]);
        assert_eq!((&params[2]["style"], &params[2]["explode"]), (&json!("form"), &json!(true)));
        assert_eq!((&params[0]["description"], params[1].get("description")), (&json!("The user."), None));
        assert_eq!(params[1].get("style"), None);
        assert_eq!(get.get("requestBody"), None);
        let response = &get["responses"]["200"]["content"]["application/json"];
        assert_eq!(response["schema"], json!({ "$ref": "#/components/schemas/User_Dto" }));
        assert_eq!(response["example"], json!({ "statusCode": 200 }));
        assert_eq!(get["x-genauth-client"], "AuthenticationClient");
        assert_eq!(get["x-genauth-method"], "get_user");
        assert_eq!(get["x-genauth-http-rule"], "indented-rows");

        let post = &doc["paths"]["/api/v3/get-user"]["post"];
        assert_eq!(post["operationId"], "managementClientGetUser");
        assert_eq!(post.get("parameters"), None);
        let body = &post["requestBody"];
        assert_eq!(body["required"], true, "a required body field makes the body required");
        assert_eq!(body["content"]["application/json"]["schema"]["required"], json!(["phone"]));
        let list = &doc["paths"]["/api/v3/list-users"]["post"];
        assert_eq!(list["operationId"], "listUsers");
        assert_eq!(list["requestBody"]["required"], false);
        assert_eq!(doc["tags"], json!([{ "name": "用户", "x-genauth-slug": "users" }]));
    }

    #[test]
    fn unknown_references_and_any_values_are_unconstrained() {
        let keys = Keys::new();
        assert_eq!(type_schema(&Type::reference("Nowhere"), &keys), json!({}));
        assert_eq!(type_schema(&Type::Any, &keys), json!({}));
        assert_eq!(type_schema(&Type::Object, &keys), json!({ "type": "object", "additionalProperties": true }));
        assert_eq!(type_schema(&Type::Number, &keys), json!({ "type": "number" }));
    }
}
