//! Decisions the Rust emitter makes once for the whole API: identifiers,
//! shared enum types, boxing of recursive fields, secret fields, and the
//! cargo features that gate each item.

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

/// A field as emitted.
#[derive(Debug, Clone)]
pub struct FieldPlan<'a> {
    pub field: &'a Field,
    pub ident: String,
    /// Name of the (shared) enum type of this field, if it has one.
    pub enum_type: Option<String>,
    pub boxed: bool,
    /// Whether the value is a secret, kept out of `Debug` output.
    pub secret: bool,
}

impl FieldPlan<'_> {
    /// Whether the Rust field is not an `Option`. A recursive (boxed) field
    /// is optional even when documented as required: no finite value could
    /// have it everywhere, and `Default` would recurse forever.
    pub fn required(&self) -> bool {
        self.field.required && !self.boxed
    }
}

/// A string enum as emitted: an enum-bodied model, or the values of one
/// concept shared by every field and parameter that lists them.
#[derive(Debug, Clone)]
pub struct EnumPlan<'a> {
    pub ident: String,
    /// What the enum belongs to, for its doc comment: the model's
    /// documented name, or the fields using it (`Model::field`).
    pub owners: Vec<String>,
    pub values: &'a [EnumValue],
    pub variants: Vec<String>,
    pub cfg: BTreeSet<String>,
}

#[derive(Debug, Clone)]
pub struct ModelPlan<'a> {
    pub name: &'a str,
    pub ident: String,
    /// Empty when the model is free-form: documented with an empty table,
    /// it is emitted as a JSON object that keeps whatever it holds.
    pub fields: Vec<FieldPlan<'a>>,
    pub cfg: BTreeSet<String>,
}

impl ModelPlan<'_> {
    pub fn free_form(&self) -> bool {
        self.fields.is_empty()
    }
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
    /// Enum-bodied models and the shared enums of fields, all in `models`.
    pub enums: Vec<EnumPlan<'a>>,
    pub operations: Vec<OperationPlan<'a>>,
    pub model_idents: BTreeMap<&'a str, String>,
    /// All features, sorted, per client.
    pub features: BTreeMap<Client, BTreeSet<String>>,
}

impl Plan<'_> {
    /// The Rust name of the enum of a request parameter or model field;
    /// `owner` is the request type or the model's Rust name.
    pub fn enum_of(&self, owner: &str, field: &str) -> Option<&str> {
        let fields = match self.operations.iter().find(|o| o.request.as_deref() == Some(owner)) {
            Some(o) => o.params.as_slice(),
            None => self.models.iter().find(|m| m.ident == owner)?.fields.as_slice(),
        };
        fields.iter().find(|f| f.field.name == field)?.enum_type.as_deref()
    }
}

pub fn plan(api: &Api) -> Plan<'_> {
    let mut types = Namespace::with_reserved(RESERVED_TYPES);
    let model_idents: BTreeMap<&str, String> =
        api.models.iter().map(|m| (m.name.as_str(), types.claim(&camel(&m.name, "Model"), "Dto"))).collect();
    let cfgs = model_features(api);
    let boxed = boxed_fields(api);

    let mut models = Vec::new();
    for model in &api.models {
        if let ModelBody::Struct { fields } = &model.body {
            let ident = model_idents[model.name.as_str()].clone();
            let cfg = cfgs.get(model.name.as_str()).cloned().unwrap_or_default();
            let refs: Vec<&Field> = fields.iter().collect();
            let fields = field_plans(&refs, |field| boxed.contains(&(model.name.as_str(), field)));
            models.push(ModelPlan { name: &model.name, ident, fields, cfg });
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
        let params = field_plans(&fields, |_| false);
        operations.push(OperationPlan { op, method, request, params, feature });
    }
    let enums = shared_enums(api, &model_idents, &cfgs, &mut models, &mut operations, &mut types);
    Plan { models, enums, operations, model_idents, features }
}

/// One use of a value list: by a field of a model or a parameter.
struct EnumUse<'p, 'a> {
    field: &'p mut FieldPlan<'a>,
    owner: String,
    cfg: BTreeSet<String>,
}

/// One enum type per value set: every field and parameter listing the same
/// values (in any order) shares it, and so does an enum-bodied model with
/// those values. It is named after the fields' wire name (`userIdType` →
/// `UserIdType`); where several value sets want one name, the set used most
/// gets it and the others are named after their first owner and field. A
/// plain string field whose example is a value of the one enum of its
/// concept (a field of the same name elsewhere) gets that enum too: the
/// example shows one value, the other page the list.
fn shared_enums<'a>(
    api: &'a Api,
    model_idents: &BTreeMap<&str, String>,
    cfgs: &BTreeMap<&str, BTreeSet<String>>,
    models: &mut [ModelPlan<'a>],
    operations: &mut [OperationPlan<'a>],
    types: &mut Namespace,
) -> Vec<EnumPlan<'a>> {
    let mut uses: Vec<EnumUse> = Vec::new();
    for model in models.iter_mut() {
        for f in &mut model.fields {
            uses.push(EnumUse { owner: format!("{}::{}", model.ident, f.ident), cfg: model.cfg.clone(), field: f });
        }
    }
    for op in operations.iter_mut() {
        let request = op.request.clone().unwrap_or_default();
        for p in &mut op.params {
            uses.push(EnumUse {
                owner: format!("{request}::{}", p.ident),
                cfg: BTreeSet::from([op.feature.clone()]),
                field: p,
            });
        }
    }

    // Value set → its enum; enum-bodied models first, their names fixed.
    let mut groups: Vec<EnumGroup<'a>> = Vec::new();
    let mut by_set: BTreeMap<Vec<&'a str>, usize> = BTreeMap::new();
    for model in &api.models {
        if let ModelBody::Enum { values } = &model.body {
            by_set.entry(value_set(values)).or_insert(groups.len());
            groups.push(EnumGroup {
                ident: Some(model_idents[model.name.as_str()].clone()),
                values,
                concepts: BTreeMap::new(),
                owners: vec![model.name.clone()],
                cfg: Some(cfgs.get(model.name.as_str()).cloned().unwrap_or_default()),
                uses: Vec::new(),
            });
        }
    }
    for (i, u) in uses.iter().enumerate() {
        let Some(values) = enum_values(&u.field.field.ty) else { continue };
        let group = *by_set.entry(value_set(values)).or_insert_with(|| {
            groups.push(EnumGroup::new(values));
            groups.len() - 1
        });
        groups[group].add(i, u);
    }
    // A string field whose example is a value of its concept's one enum.
    let mut by_concept: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (g, group) in groups.iter().enumerate() {
        for concept in group.concepts.keys() {
            by_concept.entry(concept.clone()).or_default().push(g);
        }
    }
    for (i, u) in uses.iter().enumerate() {
        let Some(example) = string_example(u.field.field) else { continue };
        if let Some(&[g]) = by_concept.get(&concept(&u.field.field.name)).map(Vec::as_slice)
            && groups[g].values.iter().any(|v| v.value == example)
        {
            groups[g].add(i, u);
        }
    }

    // Names: the most used set gets its concept's name. Among concepts
    // used equally often, a set takes one that no other set wants, so that
    // a set with a single concept keeps it.
    let mut order: Vec<usize> = (0..groups.len()).filter(|&g| groups[g].ident.is_none()).collect();
    order.sort_by_key(|&g| std::cmp::Reverse(groups[g].uses.len()));
    let mut wanted_by: BTreeMap<String, usize> = BTreeMap::new();
    for &g in &order {
        for concept in groups[g].concepts.keys() {
            *wanted_by.entry(concept.clone()).or_default() += 1;
        }
    }
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    for g in order {
        let group = &mut groups[g];
        let most = group.concepts.values().copied().max().unwrap_or(0);
        let mut names: Vec<&String> =
            group.concepts.iter().filter(|(_, n)| **n == most).map(|(name, _)| name).collect();
        names.sort_by_key(|name| wanted_by[name.as_str()]);
        let name = names.into_iter().find(|name| !wanted.contains(name.as_str())).cloned();
        group.ident = Some(match name {
            Some(name) => {
                wanted.insert(name.clone());
                types.claim(&name, "Enum")
            }
            None => {
                let first = &uses[group.uses[0]];
                types.claim(&camel(&first.owner, "Enum"), "Enum")
            }
        });
    }

    for group in &groups {
        for &i in &group.uses {
            uses[i].field.enum_type.clone_from(&group.ident);
        }
    }
    groups
        .into_iter()
        .map(|group| {
            let ident = group.ident.unwrap_or_default();
            let cfg = group.cfg.unwrap_or_default();
            enum_plan(ident, group.owners, group.values, cfg)
        })
        .collect()
}

struct EnumGroup<'a> {
    ident: Option<String>,
    values: &'a [EnumValue],
    /// Field names (as type names) using it, with how often.
    concepts: BTreeMap<String, usize>,
    owners: Vec<String>,
    /// The union of the users' features; `None` before the first use, and
    /// empty when a user is compiled always.
    cfg: Option<BTreeSet<String>>,
    /// Indexes of the uses.
    uses: Vec<usize>,
}

impl<'a> EnumGroup<'a> {
    fn new(values: &'a [EnumValue]) -> Self {
        EnumGroup { ident: None, values, concepts: BTreeMap::new(), owners: Vec::new(), cfg: None, uses: Vec::new() }
    }

    fn add(&mut self, index: usize, u: &EnumUse) {
        *self.concepts.entry(concept(&u.field.field.name)).or_default() += 1;
        self.owners.push(u.owner.clone());
        self.cfg = Some(match self.cfg.take() {
            None => u.cfg.clone(),
            Some(cfg) if cfg.is_empty() || u.cfg.is_empty() => BTreeSet::new(),
            Some(cfg) => cfg.union(&u.cfg).cloned().collect(),
        });
        self.uses.push(index);
    }
}

/// A field's concept: its wire name as a type name.
fn concept(wire: &str) -> String {
    camel(wire, "Enum")
}

/// The values of a set, sorted: the key that identifies it.
fn value_set(values: &[EnumValue]) -> Vec<&str> {
    let mut set: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// The example of a plain string field.
fn string_example(field: &Field) -> Option<&str> {
    match (&field.ty, &field.example) {
        (Type::String, Some(serde_json::Value::String(example))) => Some(example),
        _ => None,
    }
}

fn enum_plan<'a>(ident: String, owners: Vec<String>, values: &'a [EnumValue], cfg: BTreeSet<String>) -> EnumPlan<'a> {
    let mut variants = Namespace::with_reserved(&["Unknown", "Self"]);
    let variants = values.iter().map(|v| variants.claim(&camel(&v.value, "Empty"), "Value")).collect();
    EnumPlan { ident, owners, values, variants, cfg }
}

fn enum_values(ty: &Type) -> Option<&[EnumValue]> {
    match ty {
        Type::Enum { values } => Some(values),
        Type::Array { items } => enum_values(items),
        _ => None,
    }
}

fn field_plans<'a>(fields: &[&'a Field], boxed: impl Fn(&str) -> bool) -> Vec<FieldPlan<'a>> {
    let mut idents = Namespace::default();
    fields
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let ident = idents.claim(&snake(&field.name, &format!("field_{}", i + 1)), "_2");
            FieldPlan { field, ident, enum_type: None, boxed: boxed(&field.name), secret: is_secret(field) }
        })
        .collect()
}

/// Whether a field holds a secret, by its name's words: the last word is
/// `password`, `secret`, `token` (`accessToken`, `id_token`), `otp` or
/// `passcode`, or the name ends in a verification code (`smsCode`,
/// `passCode`, `mfaCode`). Words elsewhere do not count:
/// `tokenEndpointAuthMethod` and `passwordStrength` are settings, not
/// secrets, and `statusCode` is no code a user types. A bare `code` is
/// most often an identifier (a role's, a group's); it is a secret when its
/// description says it comes from a login or is an authorization,
/// verification or one-time code. Booleans are never secrets.
pub fn is_secret(field: &Field) -> bool {
    // A flag (`keepPassword`) says something about a secret; it is none.
    if field.ty == Type::Boolean {
        return false;
    }
    let snake = snake(&field.name, "");
    let words: Vec<&str> = snake.split('_').filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [.., "password" | "passwd" | "secret" | "token" | "otp" | "passcode"] => true,
        ["code"] => {
            let description = field.description.to_lowercase();
            ["登录", "授权码", "验证码", "一次性", "login", "authorization", "verification", "one-time"]
                .iter()
                .any(|w| description.contains(w))
        }
        [.., "verify" | "verification" | "sms" | "email" | "phone" | "mfa" | "totp" | "recovery" | "pass", "code"] => {
            true
        }
        _ => false,
    }
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
        let params = params.into_iter().map(|field| Parameter { field, location: ParamLocation::Body }).collect();
        Operation {
            client,
            tag: Tag { name: String::new(), slug: slug.into() },
            http_rule: HttpRule::BodyRows,
            response: response.map(Type::reference),
            ..Operation::sketch(name, HttpMethod::Post, &format!("/api/v3/{name}"), params)
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
        // The request's enum is shared in `models`, named after its field.
        assert_eq!(plan.enums.len(), 1);
        assert_eq!(
            (plan.enums[0].ident.as_str(), plan.enums[0].owners.as_slice()),
            ("Status", &["LoginRequest::status".to_string()][..])
        );
        assert_eq!(plan.enums[0].variants, ["UnknownValue", "On", "OnValue"]);
        assert_eq!(plan.enums[0].cfg, BTreeSet::from(["auth-login".to_string()]));
    }

    #[test]
    fn secrets_by_the_last_word_of_the_name() {
        let field = |name: &str, description: &str| Field {
            name: name.into(),
            ty: Type::String,
            required: true,
            default: None,
            description: description.into(),
            example: None,
        };
        for secret in [
            "password",
            "newPassword",
            "clientSecret",
            "access_token",
            "accessToken",
            "idToken",
            "token",
            "otp",
            "passcode",
            "passCode",
            "smsCode",
        ] {
            assert!(is_secret(&field(secret, "")), "{secret}");
        }
        for setting in [
            "tokenEndpointAuthMethod",
            "passwordStrength",
            "tokenType",
            "token_type",
            "statusCode",
            "apiCode",
            "secretId",
        ] {
            assert!(!is_secret(&field(setting, "")), "{setting}");
        }
        assert!(is_secret(&field("code", "移动端社会化登录返回的一次性临时 code")));
        assert!(is_secret(&field("code", "The authorization code")));
        assert!(!is_secret(&field("code", "分组 code")));
        assert!(!is_secret(&field("code", "权限分组内角色的唯一标识符")));
    }
}
