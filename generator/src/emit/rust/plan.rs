//! Decisions the Rust emitter makes once for the whole API: identifiers,
//! inline enum types, boxing of recursive fields, and the cargo features
//! that gate each item.

use std::collections::{BTreeMap, BTreeSet};

use super::names::{Namespace, RESERVED_METHODS, RESERVED_TYPES, camel, snake};
use crate::schema::{Api, Client, EnumValue, Field, ModelBody, Operation, Type};

/// The cargo feature of an operation: client prefix and tag slug.
pub fn feature_of(op: &Operation) -> String {
    let prefix = match op.client {
        Client::Authentication => "auth",
        Client::Management => "mgmt",
    };
    format!("{prefix}-{}", op.tag.slug)
}

/// Which module an item lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Module {
    Models,
    Client(Client),
}

/// A field as emitted.
#[derive(Debug, Clone)]
pub struct FieldPlan<'a> {
    pub field: &'a Field,
    pub ident: String,
    /// Name of the inline enum type of this field, if it has one.
    pub enum_type: Option<String>,
    pub boxed: bool,
}

impl FieldPlan<'_> {
    /// Whether the Rust field is not an `Option`. A recursive (boxed) field
    /// is optional even when documented as required: no finite value could
    /// have it everywhere, and `Default` would recurse forever.
    pub fn required(&self) -> bool {
        self.field.required && !self.boxed
    }
}

/// A string enum as emitted.
#[derive(Debug, Clone)]
pub struct EnumPlan<'a> {
    pub ident: String,
    /// What the enum belongs to, for its doc comment (`[`Model::field`]`).
    pub owner: String,
    pub values: &'a [EnumValue],
    pub variants: Vec<String>,
    pub cfg: BTreeSet<String>,
}

#[derive(Debug, Clone)]
pub struct ModelPlan<'a> {
    pub name: &'a str,
    pub ident: String,
    pub fields: Vec<FieldPlan<'a>>,
    pub cfg: BTreeSet<String>,
}

#[derive(Debug, Clone)]
pub struct OperationPlan<'a> {
    pub op: &'a Operation,
    pub method: String,
    /// The request struct, when the operation has parameters.
    pub request: Option<String>,
    pub params: Vec<FieldPlan<'a>>,
    pub feature: String,
}

#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub models: Vec<ModelPlan<'a>>,
    /// Enum-bodied models and inline enums, per module.
    pub enums: BTreeMap<Module, Vec<EnumPlan<'a>>>,
    pub operations: Vec<OperationPlan<'a>>,
    pub model_idents: BTreeMap<&'a str, String>,
    /// All features, sorted, per client.
    pub features: BTreeMap<Client, BTreeSet<String>>,
}

pub fn plan(api: &Api) -> Plan<'_> {
    let mut types = Namespace::with_reserved(RESERVED_TYPES);
    let model_idents: BTreeMap<&str, String> =
        api.models.iter().map(|m| (m.name.as_str(), types.claim(&camel(&m.name, "Model"), "Dto"))).collect();
    let cfgs = model_features(api);
    let boxed = boxed_fields(api);
    let mut enums: BTreeMap<Module, Vec<EnumPlan>> = BTreeMap::new();

    let mut models = Vec::new();
    for model in &api.models {
        let ident = model_idents[model.name.as_str()].clone();
        let cfg = cfgs.get(model.name.as_str()).cloned().unwrap_or_default();
        match &model.body {
            ModelBody::Enum { values } => {
                enums.entry(Module::Models).or_default().push(enum_plan(ident, model.name.to_string(), values, cfg));
            }
            ModelBody::Struct { fields } => {
                let refs: Vec<&Field> = fields.iter().collect();
                let fields =
                    field_plans(&refs, &ident, &mut types, |field| boxed.contains(&(model.name.as_str(), field)));
                for f in &fields {
                    if let (Some(enum_ident), Some(values)) = (&f.enum_type, enum_values(&f.field.ty)) {
                        let owner = format!("{ident}::{}", f.ident);
                        enums.entry(Module::Models).or_default().push(enum_plan(
                            enum_ident.clone(),
                            owner,
                            values,
                            cfg.clone(),
                        ));
                    }
                }
                models.push(ModelPlan { name: &model.name, ident, fields, cfg });
            }
        }
    }

    let mut client_types: BTreeMap<Client, Namespace> = BTreeMap::new();
    let mut methods: BTreeMap<Client, Namespace> = BTreeMap::new();
    let mut operations = Vec::new();
    let mut features: BTreeMap<Client, BTreeSet<String>> = BTreeMap::new();
    for op in &api.operations {
        let feature = feature_of(op);
        features.entry(op.client).or_default().insert(feature.clone());
        let method = methods
            .entry(op.client)
            .or_insert_with(|| Namespace::with_reserved(RESERVED_METHODS))
            .claim(&snake(&op.name, "operation"), "_2");
        let names = client_types.entry(op.client).or_insert_with(|| Namespace::with_reserved(RESERVED_TYPES));
        let base = camel(&method, "Operation");
        let request = (!op.params.is_empty()).then(|| names.claim(&format!("{base}Request"), "Params"));
        let fields: Vec<&Field> = op.params.iter().map(|p| &p.field).collect();
        let params = field_plans(&fields, &base, names, |_| false);
        let cfg = BTreeSet::from([feature.clone()]);
        for p in &params {
            if let (Some(enum_ident), Some(values)) = (&p.enum_type, enum_values(&p.field.ty)) {
                let owner = format!("{}::{}", request.as_deref().unwrap_or_default(), p.ident);
                enums.entry(Module::Client(op.client)).or_default().push(enum_plan(
                    enum_ident.clone(),
                    owner,
                    values,
                    cfg.clone(),
                ));
            }
        }
        operations.push(OperationPlan { op, method, request, params, feature });
    }
    Plan { models, enums, operations, model_idents, features }
}

fn enum_plan<'a>(ident: String, owner: String, values: &'a [EnumValue], cfg: BTreeSet<String>) -> EnumPlan<'a> {
    let mut variants = Namespace::with_reserved(&["Unknown", "Self"]);
    let variants = values.iter().map(|v| variants.claim(&camel(&v.value, "Empty"), "Value")).collect();
    EnumPlan { ident, owner, values, variants, cfg }
}

fn enum_values(ty: &Type) -> Option<&[EnumValue]> {
    match ty {
        Type::Enum { values } => Some(values),
        Type::Array { items } => enum_values(items),
        _ => None,
    }
}

fn field_plans<'a>(
    fields: &[&'a Field],
    owner: &str,
    types: &mut Namespace,
    boxed: impl Fn(&str) -> bool,
) -> Vec<FieldPlan<'a>> {
    let mut idents = Namespace::default();
    fields
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let ident = idents.claim(&snake(&field.name, &format!("field_{}", i + 1)), "_2");
            let enum_type = enum_values(&field.ty)
                .map(|_| types.claim(&format!("{owner}{}", camel(&field.name, &format!("Field{}", i + 1))), "Enum"));
            FieldPlan { field, ident, enum_type, boxed: boxed(&field.name) }
        })
        .collect()
}

/// The features of the operations that reach each model, through
/// parameters, responses and nested fields. A model no operation reaches is
/// compiled always, and so is everything it refers to (an empty set).
fn model_features(api: &Api) -> BTreeMap<&str, BTreeSet<String>> {
    let mut features: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for op in &api.operations {
        let mut roots: Vec<&str> = op.params.iter().filter_map(|p| p.field.ty.referenced_model()).collect();
        roots.extend(op.response.as_ref().and_then(Type::referenced_model));
        for name in reachable_models(api, roots) {
            features.entry(name).or_default().insert(feature_of(op));
        }
    }
    let unreached: Vec<&str> =
        api.models.iter().map(|m| m.name.as_str()).filter(|n| !features.contains_key(n)).collect();
    for name in reachable_models(api, unreached) {
        features.insert(name, BTreeSet::new());
    }
    features
}

/// The models `roots` name and every model they refer to, transitively.
pub fn reachable_models<'a>(api: &'a Api, roots: Vec<&'a str>) -> BTreeSet<&'a str> {
    let mut stack = roots;
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        if let Some(ModelBody::Struct { fields }) = api.model(name).map(|m| &m.body) {
            stack.extend(fields.iter().filter_map(|f| f.ty.referenced_model()));
        }
    }
    seen
}

/// Fields that refer back to their own model without a `Vec` in between
/// need a `Box`.
fn boxed_fields(api: &Api) -> BTreeSet<(&str, &str)> {
    let direct = |name: &str| -> Vec<&str> {
        match api.model(name).map(|m| &m.body) {
            Some(ModelBody::Struct { fields }) => fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Type::Ref { name } => Some(name.as_str()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let reaches = |from: &str, target: &str| {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if name == target {
                return true;
            }
            if seen.insert(name) {
                stack.extend(direct(name));
            }
        }
        false
    };
    let mut boxed = BTreeSet::new();
    for model in &api.models {
        let ModelBody::Struct { fields } = &model.body else { continue };
        for field in fields {
            if let Type::Ref { name } = &field.ty
                && reaches(name, &model.name)
            {
                boxed.insert((model.name.as_str(), field.name.as_str()));
            }
        }
    }
    boxed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{HttpMethod, HttpRule, Model, ParamLocation, Parameter, Tag};

    fn field(name: &str, ty: Type, required: bool) -> Field {
        Field { name: name.into(), ty, required, default: None, description: String::new(), example: None }
    }

    fn model(name: &str, fields: Vec<Field>) -> Model {
        Model { name: name.into(), body: ModelBody::Struct { fields }, sources: Vec::new() }
    }

    fn operation(client: Client, name: &str, slug: &str, params: Vec<Field>, response: Option<&str>) -> Operation {
        Operation {
            client,
            name: name.into(),
            tag: Tag { name: String::new(), slug: slug.into() },
            summary: String::new(),
            description: String::new(),
            method: HttpMethod::Post,
            path: format!("/api/v3/{name}"),
            http_rule: HttpRule::BodyRows,
            params: params.into_iter().map(|field| Parameter { field, location: ParamLocation::Body }).collect(),
            response: response.map(Type::reference),
            response_example: None,
            sources: Vec::new(),
            shape: Default::default(),
            aliases: Vec::new(),
            unverified: None,
        }
    }

    fn status() -> Type {
        Type::Enum {
            values: ["Unknown", "on", "ON"].map(|v| EnumValue { value: v.into(), description: String::new() }).to_vec(),
        }
    }

    fn api() -> Api {
        let mut api = Api {
            operations: vec![
                operation(
                    Client::Authentication,
                    "login",
                    "login",
                    vec![field("status", status(), true)],
                    Some("Node"),
                ),
                operation(Client::Authentication, "send", "login", Vec::new(), None),
                operation(
                    Client::Management,
                    "list_users",
                    "users",
                    vec![field("page", Type::Integer, false)],
                    Some("Page"),
                ),
                operation(Client::Management, "listUsers", "users", Vec::new(), Some("Node")),
            ],
            models: vec![
                // A tree: `parent` closes a cycle, `children` goes through a Vec.
                model(
                    "Node",
                    vec![
                        field("parent", Type::reference("Node"), true),
                        field("children", Type::array(Type::reference("Node")), true),
                        field("owner", Type::reference("Owner"), true),
                    ],
                ),
                model(
                    "Owner",
                    vec![field("node", Type::reference("Node"), false), field("userId", Type::String, true)],
                ),
                model("Page", vec![field("total", Type::Integer, true)]),
                model("Result", vec![field("type", Type::String, true), field("Type", Type::String, true)]),
                model("Orphan", vec![field("page", Type::reference("Page"), true)]),
            ],
        };
        api.models.sort_by(|a, b| a.name.cmp(&b.name));
        api
    }

    #[test]
    fn features_follow_client_and_tag() {
        let api = api();
        assert_eq!(feature_of(&api.operations[0]), "auth-login");
        assert_eq!(feature_of(&api.operations[2]), "mgmt-users");
        let plan = plan(&api);
        assert_eq!(plan.features[&Client::Authentication], BTreeSet::from(["auth-login".to_string()]));
        assert_eq!(plan.features[&Client::Management], BTreeSet::from(["mgmt-users".to_string()]));
    }

    #[test]
    fn models_are_gated_by_the_operations_that_reach_them() {
        let api = api();
        let plan = plan(&api);
        let cfg = |name: &str| {
            let m = plan.models.iter().find(|m| m.name == name).expect(name);
            m.cfg.iter().map(String::as_str).collect::<Vec<_>>()
        };
        assert_eq!(cfg("Node"), ["auth-login", "mgmt-users"]);
        assert_eq!(cfg("Owner"), ["auth-login", "mgmt-users"], "reached through Node");
        // `Orphan` is reached by no operation, so it and `Page` compile always.
        assert_eq!(cfg("Orphan"), Vec::<&str>::new());
        assert_eq!(cfg("Page"), Vec::<&str>::new());
    }

    #[test]
    fn fields_that_close_a_cycle_are_boxed_and_optional() {
        let api = api();
        let plan = plan(&api);
        let fields = |name: &str| plan.models.iter().find(|m| m.name == name).expect(name).fields.clone();
        let node: Vec<(String, bool, bool)> =
            fields("Node").iter().map(|f| (f.ident.clone(), f.boxed, f.required())).collect();
        assert_eq!(
            node,
            [("parent".into(), true, false), ("children".into(), false, true), ("owner".into(), true, false)]
        );
        let owner: Vec<(bool, bool)> = fields("Owner").iter().map(|f| (f.boxed, f.required())).collect();
        assert_eq!(owner, [(true, false), (false, true)]);
    }

    #[test]
    fn names_are_unique_and_keep_clear_of_reserved_ones() {
        let api = api();
        let plan = plan(&api);
        assert_eq!(plan.model_idents["Result"], "ResultDto");
        let result = plan.models.iter().find(|m| m.name == "Result").expect("Result");
        let idents: Vec<&str> = result.fields.iter().map(|f| f.ident.as_str()).collect();
        assert_eq!(idents, ["type", "type_2"]);
        let methods: Vec<(&str, Option<&str>)> =
            plan.operations.iter().map(|o| (o.method.as_str(), o.request.as_deref())).collect();
        assert_eq!(
            methods,
            [
                ("login", Some("LoginRequest")),
                ("send_2", None),
                ("list_users", Some("ListUsersRequest")),
                ("list_users_2", None),
            ]
        );
        let enums = &plan.enums[&Module::Client(Client::Authentication)];
        assert_eq!(enums.len(), 1);
        assert_eq!((enums[0].ident.as_str(), enums[0].owner.as_str()), ("LoginStatus", "LoginRequest::status"));
        assert_eq!(enums[0].variants, ["UnknownValue", "On", "OnValue"]);
        assert_eq!(enums[0].cfg, BTreeSet::from(["auth-login".to_string()]));
    }
}
