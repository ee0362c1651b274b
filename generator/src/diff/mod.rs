//! The API change report (`diff OLD NEW`): what changed between two
//! recovered APIs for users of the generated SDK. Items are named as the
//! crate names them (methods, request structs, models, fields, enum
//! variants), with the wire names beside them, and each change is classed
//! by what it does to code written against the older crate.
//!
//! Names, types and verbs come from the SDK surface ([`crate::surface`]);
//! descriptions and examples, which the surface leaves out, from the schema.

mod report;
pub mod revision;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::emit::rust::code_span;
use crate::emit::rust::plan::reachable_models;
use crate::schema::{Api, EnumValue, Field, ModelBody, Operation, ParamLocation, Parameter, Type};
use crate::surface::{EnumSurface, FieldSurface, ModelSurface, OperationSurface, ParamSurface, Surface, surface};

pub use report::{json, markdown};

/// How a change affects code written against the older crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Descriptions and examples only: rustdoc changes.
    Documentation,
    /// New items; existing code compiles and behaves as before.
    Additive,
    /// An item is gone, renamed or has another Rust type, or the request
    /// goes elsewhere on the wire.
    Breaking,
}

/// One change to one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The item as the crate names it: `ManagementClient::create_user`,
    /// `CreateUserRequest.phone`, `UserDto`, `Status::Active`.
    pub item: String,
    /// Its name on the wire: `POST /api/v3/create-user`, `phone`, `ACTIVE`.
    pub wire: String,
    pub detail: String,
}

/// All changes, per class, each in the order of the schema (operations by
/// client and method, then models, then enumerations).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub breaking: Vec<Change>,
    pub additive: Vec<Change>,
    pub documentation: Vec<Change>,
}

/// The release a set of changes needs, for the 0.x generated crate: Cargo
/// treats `0.y` as the major version, so breaking changes bump the minor
/// number and everything else the patch number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
}

impl Changes {
    fn push(&mut self, class: Class, item: impl Into<String>, wire: impl Into<String>, detail: impl Into<String>) {
        let change = Change { item: item.into(), wire: wire.into(), detail: detail.into() };
        match class {
            Class::Breaking => self.breaking.push(change),
            Class::Additive => self.additive.push(change),
            Class::Documentation => self.documentation.push(change),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.breaking.is_empty() && self.additive.is_empty() && self.documentation.is_empty()
    }

    /// The strongest class with a change.
    pub fn strongest(&self) -> Option<Class> {
        [
            (Class::Breaking, &self.breaking),
            (Class::Additive, &self.additive),
            (Class::Documentation, &self.documentation),
        ]
        .into_iter()
        .find(|(_, changes)| !changes.is_empty())
        .map(|(class, _)| class)
    }

    pub fn bump(&self) -> Bump {
        match self.strongest() {
            Some(Class::Breaking) => Bump::Minor,
            Some(_) => Bump::Patch,
            None => Bump::None,
        }
    }
}

/// The changes from `old` to `new`.
pub fn compare(old: &Api, new: &Api) -> Changes {
    let (old_surface, new_surface) = (surface(old), surface(new));
    let (old, new) = (Side::new(old, &old_surface), Side::new(new, &new_surface));
    let mut changes = Changes::default();
    compare_operations(&old, &new, &mut changes);
    compare_models(&old, &new, &mut changes);
    compare_enums(&old, &new, &mut changes);
    changes
}

/// One version: its surface beside the schema it was projected from.
struct Side<'a> {
    api: &'a Api,
    /// The surface's operations are the schema's, in its order.
    operations: Vec<(&'a OperationSurface, &'a Operation)>,
    /// Struct models by wire name, with their schema fields.
    models: BTreeMap<&'a str, (&'a ModelSurface, &'a [Field])>,
    /// Enumerations by what they enumerate (a DTO, or `Type::field`).
    enums: BTreeMap<&'a str, &'a EnumSurface>,
}

impl<'a> Side<'a> {
    fn new(api: &'a Api, surface: &'a Surface) -> Side<'a> {
        let models = surface
            .models
            .iter()
            .filter_map(|m| match api.model(&m.wire).map(|model| &model.body) {
                Some(ModelBody::Struct { fields }) => Some((m.wire.as_str(), (m, fields.as_slice()))),
                _ => None,
            })
            .collect();
        Side {
            api,
            operations: surface.operations.iter().zip(&api.operations).collect(),
            models,
            enums: surface.enums.iter().flat_map(|e| e.of.iter().map(move |of| (of.as_str(), e))).collect(),
        }
    }

    /// Whether `of` names an enum-bodied DTO (not a field's values).
    fn enum_model(&self, of: &str) -> Option<&'a [EnumValue]> {
        match self.api.model(of).map(|m| &m.body) {
            Some(ModelBody::Enum { values }) => Some(values),
            _ => None,
        }
    }
}

fn method_item(op: &OperationSurface) -> String {
    format!("{}::{}", op.client.class_name(), op.method)
}

fn request_line(op: &OperationSurface) -> String {
    format!("{} {}", op.verb.as_str(), op.path)
}

/// Operations are paired by client and method; what is left, by client and
/// path (a renamed method); the rest were removed or added.
fn compare_operations(old: &Side, new: &Side, changes: &mut Changes) {
    let mut pairs = pair(old, new, &[], method_item);
    let renamed = pair(old, new, &pairs, |op| format!("{} {}", op.client.class_name(), op.path));
    pairs.extend(renamed);

    for (i, (surface, _)) in old.operations.iter().enumerate() {
        if !pairs.iter().any(|p| p.0 == i) {
            changes.push(Class::Breaking, method_item(surface), request_line(surface), "operation removed");
        }
    }
    for (j, (surface, _)) in new.operations.iter().enumerate() {
        match pairs.iter().find(|p| p.1 == j) {
            Some(&(i, _)) => compare_operation(old.operations[i], new.operations[j], changes),
            None => changes.push(Class::Additive, method_item(surface), request_line(surface), "new operation"),
        }
    }
}

/// Indices of operations of `old` and `new` with the same key, among those
/// not in `paired` yet.
fn pair(
    old: &Side,
    new: &Side,
    paired: &[(usize, usize)],
    key: impl Fn(&OperationSurface) -> String,
) -> Vec<(usize, usize)> {
    let keys = |side: &Side, taken: &dyn Fn(usize) -> bool| -> BTreeMap<String, usize> {
        side.operations.iter().enumerate().filter(|(i, _)| !taken(*i)).map(|(i, (op, _))| (key(op), i)).collect()
    };
    let old_keys = keys(old, &|i| paired.iter().any(|p| p.0 == i));
    let new_keys = keys(new, &|j| paired.iter().any(|p| p.1 == j));
    old_keys.iter().filter_map(|(key, &i)| new_keys.get(key).map(|&j| (i, j))).collect()
}

fn compare_operation(
    (old, old_op): (&OperationSurface, &Operation),
    (new, new_op): (&OperationSurface, &Operation),
    changes: &mut Changes,
) {
    let (item, wire) = (method_item(new), request_line(new));
    let mut breaking = Vec::new();
    if old.method != new.method {
        breaking.push(format!("renamed from `{}`", method_item(old)));
    }
    if (old.verb, &old.path) != (new.verb, &new.path) {
        breaking.push(format!("request `{}` → `{}`", request_line(old), wire));
    }
    breaking.extend(moved_params(old_op, new_op));
    if old.feature != new.feature {
        breaking.push(format!("cargo feature `{}` → `{}`", old.feature, new.feature));
    }
    match (&old.request, &new.request) {
        (None, Some(request)) => breaking.push(format!("now takes a `&{request}`")),
        (Some(request), None) => breaking.push(format!("no longer takes a `&{request}`")),
        (Some(a), Some(b)) if a != b => breaking.push(format!("request type `{a}` → `{b}`")),
        _ => {}
    }
    if old.response != new.response {
        breaking.push(format!("returns `{}` → `{}`", old.response, new.response));
    }
    if !breaking.is_empty() {
        changes.push(Class::Breaking, &item, &wire, breaking.join("; "));
    }
    let mut docs = Vec::new();
    if old_op.summary != new_op.summary {
        docs.push(format!("summary “{}” → “{}”", old_op.summary, new_op.summary));
    }
    if old_op.description != new_op.description {
        docs.push("description changed".to_string());
    }
    if old_op.response_example != new_op.response_example {
        docs.push("sample result changed".to_string());
    }
    if !docs.is_empty() {
        changes.push(Class::Documentation, &item, &wire, docs.join("; "));
    }

    let owner = new.request.as_deref().or(old.request.as_deref()).unwrap_or_default();
    compare_members(owner, "parameter", true, &Member::params(old, old_op), &Member::params(new, new_op), changes);
}

/// Parameters (by wire name) that travel elsewhere now, per new and old place.
fn moved_params(old: &Operation, new: &Operation) -> Vec<String> {
    let mut moved: BTreeMap<(ParamLocation, ParamLocation), Vec<String>> = BTreeMap::new();
    for n in &new.params {
        if let Some(o) = old.params.iter().find(|o| o.field.name == n.field.name)
            && o.location != n.location
        {
            moved.entry((n.location, o.location)).or_default().push(code_span(&n.field.name));
        }
    }
    moved
        .into_iter()
        .map(|((now, was), names)| {
            format!("{} sent in the {} instead of the {}", names.join(", "), location_name(now), location_name(was))
        })
        .collect()
}

/// A request parameter or a model field, as the crate has it.
struct Member<'a> {
    wire: &'a str,
    rust: &'a str,
    rust_type: &'a str,
    required: bool,
    field: &'a Field,
}

impl<'a> Member<'a> {
    fn params(surface: &'a OperationSurface, op: &'a Operation) -> Vec<Member<'a>> {
        surface.params.iter().zip(&op.params).map(|(p, param)| Member::param(p, param)).collect()
    }

    fn param(p: &'a ParamSurface, param: &'a Parameter) -> Member<'a> {
        let (wire, rust, rust_type, required) = (&p.wire, &p.rust, &p.rust_type, p.required);
        Member { wire, rust, rust_type, required, field: &param.field }
    }

    fn fields(surface: &'a ModelSurface, fields: &'a [Field]) -> Vec<Member<'a>> {
        surface.fields.iter().zip(fields).map(|(f, field)| Member::field(f, field)).collect()
    }

    fn field(f: &'a FieldSurface, field: &'a Field) -> Member<'a> {
        Member { wire: &f.wire, rust: &f.rust, rust_type: &f.rust_type, required: f.required, field }
    }
}

/// Members are paired by wire name. `sent` says whether the owner is sent
/// in requests: a new required member then needs a value from every caller.
fn compare_members(owner: &str, noun: &str, sent: bool, old: &[Member], new: &[Member], changes: &mut Changes) {
    let item = |m: &Member| format!("{owner}.{}", m.rust);
    // By wire name, else by Rust name (the same field under another wire name).
    let counterpart = |n: &Member| {
        old.iter()
            .find(|o| o.wire == n.wire)
            .or_else(|| old.iter().find(|o| o.rust == n.rust && !new.iter().any(|m| m.wire == o.wire)))
    };
    for m in old.iter().filter(|m| !new.iter().any(|n| counterpart(n).is_some_and(|o| o.wire == m.wire))) {
        changes.push(Class::Breaking, item(m), m.wire, format!("{noun} removed"));
    }
    for n in new {
        let Some(o) = counterpart(n) else {
            // Every generated struct implements `Default`, so code that builds
            // one with `..Default::default()` still compiles; but a request
            // without a required member is refused.
            let required = !n.rust_type.starts_with("Option<");
            let class = if required && sent { Class::Breaking } else { Class::Additive };
            let kind = if required { "required" } else { "optional" };
            changes.push(class, item(n), n.wire, format!("new {kind} {noun} `{}`", n.rust_type));
            continue;
        };
        let mut breaking = Vec::new();
        if o.wire != n.wire {
            breaking.push(format!("wire name `{}` → `{}`", o.wire, n.wire));
        }
        if o.rust != n.rust {
            breaking.push(format!("renamed from `{}`", o.rust));
        }
        if o.rust_type != n.rust_type {
            breaking.push(type_change(o.rust_type, n.rust_type));
        }
        if !breaking.is_empty() {
            changes.push(Class::Breaking, item(n), n.wire, breaking.join("; "));
        }
        let mut docs = field_doc_changes(o.field, n.field);
        if o.required != n.required && o.rust_type == n.rust_type {
            let now = if n.required { "required" } else { "optional" };
            docs.push(format!("documented as {now}; the Rust type stays `{}`", n.rust_type));
        }
        if !docs.is_empty() {
            changes.push(Class::Documentation, item(n), n.wire, docs.join("; "));
        }
    }
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Query => "query string",
        ParamLocation::Body => "JSON body",
        ParamLocation::Path => "path",
    }
}

/// `now required`/`now optional` when only the `Option` differs.
fn type_change(old: &str, new: &str) -> String {
    let inner = |ty: &str| ty.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')).map(str::to_string);
    if inner(old).as_deref() == Some(new) {
        format!("now required: `{old}` → `{new}`")
    } else if inner(new).as_deref() == Some(old) {
        format!("now optional: `{old}` → `{new}`")
    } else {
        format!("type `{old}` → `{new}`")
    }
}

/// Changes of a member's description, example, default and value descriptions.
fn field_doc_changes(old: &Field, new: &Field) -> Vec<String> {
    let mut docs = Vec::new();
    if old.description != new.description {
        docs.push("description changed".to_string());
    }
    if old.example != new.example {
        docs.push(format!("example {} → {}", json_text(old.example.as_ref()), json_text(new.example.as_ref())));
    }
    if old.default != new.default {
        docs.push(format!("default {} → {}", json_text(old.default.as_ref()), json_text(new.default.as_ref())));
    }
    if value_descriptions_differ(enum_values(&old.ty), enum_values(&new.ty)) {
        docs.push("value descriptions changed".to_string());
    }
    docs
}

fn enum_values(ty: &Type) -> &[EnumValue] {
    match ty {
        Type::Enum { values } => values,
        Type::Array { items } => enum_values(items),
        _ => &[],
    }
}

/// Whether a value both lists have is described differently.
fn value_descriptions_differ(old: &[EnumValue], new: &[EnumValue]) -> bool {
    old.iter().any(|o| new.iter().any(|n| n.value == o.value && n.description != o.description))
}

/// A documented value, short enough for a report line.
fn json_text(value: Option<&serde_json::Value>) -> String {
    const MAX: usize = 60;
    let Some(value) = value else { return "none".to_string() };
    let text = value.to_string();
    let text =
        if text.chars().count() > MAX { format!("{}…", text.chars().take(MAX).collect::<String>()) } else { text };
    code_span(&text)
}

fn compare_models(old: &Side, new: &Side, changes: &mut Changes) {
    let sent = sent_models(new.api);
    for (wire, (m, _)) in &old.models {
        if !new.models.contains_key(wire) {
            changes.push(Class::Breaking, &m.rust, *wire, "model removed");
        }
    }
    for (wire, (n, new_fields)) in &new.models {
        let Some((o, old_fields)) = old.models.get(wire) else {
            changes.push(Class::Additive, &n.rust, *wire, "new model");
            continue;
        };
        if o.rust != n.rust {
            changes.push(Class::Breaking, &n.rust, *wire, format!("renamed from `{}`", o.rust));
        }
        let (old_members, new_members) = (Member::fields(o, old_fields), Member::fields(n, new_fields));
        compare_members(&n.rust, "field", sent.contains(wire), &old_members, &new_members, changes);
    }
}

/// The models that parameters refer to, directly or through fields.
fn sent_models(api: &Api) -> BTreeSet<&str> {
    let roots = api.operations.iter().flat_map(|op| &op.params).filter_map(|p| p.field.ty.referenced_model());
    reachable_models(api, roots.collect())
}

/// Enumerations are paired by what they enumerate; values by wire value. An
/// enum-bodied DTO that comes or goes is a model added or removed; a field's
/// enumeration that comes or goes is already its field's type change.
fn compare_enums(old: &Side, new: &Side, changes: &mut Changes) {
    // One enum serves every field with its value set: a change to it is
    // reported once, not once per field.
    let mut enum_changes = Changes::default();
    for (of, e) in &old.enums {
        if !new.enums.contains_key(of) && old.enum_model(of).is_some() {
            enum_changes.push(Class::Breaking, &e.rust, *of, "model removed");
        }
    }
    for (of, n) in &new.enums {
        let Some(o) = old.enums.get(of) else {
            if new.enum_model(of).is_some() {
                enum_changes.push(Class::Additive, &n.rust, *of, "new model");
            }
            continue;
        };
        if o.rust != n.rust {
            enum_changes.push(Class::Breaking, &n.rust, *of, format!("renamed from `{}`", o.rust));
        }
        let variant = |rust: &str| format!("{}::{rust}", n.rust);
        for v in o.values.iter().filter(|v| !n.values.iter().any(|w| w.wire == v.wire)) {
            enum_changes.push(Class::Breaking, variant(&v.rust), &v.wire, "value removed");
        }
        for v in &n.values {
            match o.values.iter().find(|w| w.wire == v.wire) {
                None => enum_changes.push(Class::Additive, variant(&v.rust), &v.wire, "new value"),
                Some(w) if w.rust != v.rust => {
                    enum_changes.push(Class::Breaking, variant(&v.rust), &v.wire, format!("renamed from `{}`", w.rust))
                }
                Some(_) => {}
            }
        }
        if let (Some(a), Some(b)) = (old.enum_model(of), new.enum_model(of))
            && value_descriptions_differ(a, b)
        {
            enum_changes.push(Class::Documentation, &n.rust, *of, "value descriptions changed");
        }
    }
    for (class, list) in [
        (Class::Breaking, enum_changes.breaking),
        (Class::Additive, enum_changes.additive),
        (Class::Documentation, enum_changes.documentation),
    ] {
        let mut seen = BTreeSet::new();
        for change in list {
            if seen.insert((change.item.clone(), change.wire.clone(), change.detail.clone())) {
                changes.push(class, change.item, change.wire, change.detail);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{HttpMethod, HttpRule, Model, Tag};

    fn field(name: &str, ty: Type, required: bool) -> Field {
        Field { name: name.into(), ty, required, default: None, description: String::new(), example: None }
    }

    fn param(name: &str, ty: Type, required: bool, location: ParamLocation) -> Parameter {
        Parameter { field: field(name, ty, required), location }
    }

    fn operation(name: &str, path: &str, params: Vec<Parameter>) -> Operation {
        Operation {
            tag: Tag { name: "用户".into(), slug: "users".into() },
            http_rule: HttpRule::BodyRows,
            ..Operation::sketch(name, HttpMethod::Post, path, params)
        }
    }

    fn api(operations: Vec<Operation>, user_fields: Vec<Field>) -> Api {
        let user = Model { name: "UserDto".into(), body: ModelBody::Struct { fields: user_fields }, sources: vec![] };
        Api { operations, models: vec![user] }
    }

    fn base() -> Api {
        let params = vec![param("email", Type::String, true, ParamLocation::Body)];
        api(vec![operation("create_user", "/api/v3/create-user", params)], vec![field("userId", Type::String, true)])
    }

    fn lines(changes: &[Change]) -> Vec<String> {
        changes.iter().map(|c| format!("{} ({}): {}", c.item, c.wire, c.detail)).collect()
    }

    #[test]
    fn identical_apis_have_no_changes() {
        let changes = compare(&base(), &base());
        assert!(changes.is_empty());
        assert_eq!((changes.strongest(), changes.bump()), (None, Bump::None));
    }

    #[test]
    fn a_renamed_method_with_the_same_path_is_one_breaking_change() {
        let mut new = base();
        new.operations[0].name = "add_user".into();
        let changes = compare(&base(), &new);
        assert_eq!(
            lines(&changes.breaking),
            ["ManagementClient::add_user (POST /api/v3/create-user): renamed from `ManagementClient::create_user`; \
              request type `CreateUserRequest` → `AddUserRequest`"]
        );
        assert!(changes.additive.is_empty());
    }

    #[test]
    fn verb_and_parameter_places_are_breaking() {
        let mut new = base();
        new.operations[0].method = HttpMethod::Get;
        new.operations[0].params[0].location = ParamLocation::Query;
        assert_eq!(
            lines(&compare(&base(), &new).breaking),
            ["ManagementClient::create_user (GET /api/v3/create-user): request `POST /api/v3/create-user` → \
              `GET /api/v3/create-user`; `email` sent in the query string instead of the JSON body"]
        );
    }

    #[test]
    fn a_parameter_under_another_wire_name_is_one_change() {
        let mut new = base();
        new.operations[0].params[0].field.name = "Email".into();
        new.operations[0].params[0].field.description = "new text".into();
        let changes = compare(&base(), &new);
        assert_eq!(lines(&changes.breaking), ["CreateUserRequest.email (Email): wire name `email` → `Email`"]);
        assert_eq!(lines(&changes.documentation), ["CreateUserRequest.email (Email): description changed"]);
        assert!(changes.additive.is_empty());
    }

    #[test]
    fn response_fields_are_breaking_when_their_type_changes_and_additive_when_new() {
        let mut new = base();
        let ModelBody::Struct { fields } = &mut new.models[0].body else { unreachable!() };
        fields[0].required = false;
        fields.push(field("phone", Type::String, true));
        let changes = compare(&base(), &new);
        assert_eq!(lines(&changes.breaking), ["UserDto.user_id (userId): now optional: `String` → `Option<String>`"]);
        assert_eq!(lines(&changes.additive), ["UserDto.phone (phone): new required field `String`"]);
        assert_eq!(changes.bump(), Bump::Minor);
    }

    #[test]
    fn a_new_required_field_of_a_model_sent_in_requests_is_breaking() {
        let mut old = base();
        old.operations[0].params.push(param("user", Type::reference("UserDto"), false, ParamLocation::Body));
        let mut new = old.clone();
        let ModelBody::Struct { fields } = &mut new.models[0].body else { unreachable!() };
        fields.push(field("phone", Type::String, true));
        fields.push(field("nickname", Type::String, false));
        let changes = compare(&old, &new);
        assert_eq!(lines(&changes.breaking), ["UserDto.phone (phone): new required field `String`"]);
        assert_eq!(lines(&changes.additive), ["UserDto.nickname (nickname): new optional field `Option<String>`"]);
    }

    #[test]
    fn the_first_parameter_changes_the_method_signature() {
        let mut old = base();
        old.operations[0].params.clear();
        let changes = compare(&old, &base());
        assert_eq!(
            lines(&changes.breaking),
            [
                "ManagementClient::create_user (POST /api/v3/create-user): now takes a `&CreateUserRequest`",
                "CreateUserRequest.email (email): new required parameter `String`",
            ]
        );
    }

    #[test]
    fn documentation_only_changes_need_a_patch_release() {
        let mut new = base();
        new.operations[0].summary = "创建用户".into();
        new.operations[0].params[0].field.example = Some(serde_json::json!("a@b.c"));
        let changes = compare(&base(), &new);
        assert_eq!(
            lines(&changes.documentation),
            [
                "ManagementClient::create_user (POST /api/v3/create-user): summary “” → “创建用户”",
                "CreateUserRequest.email (email): example none → `\"a@b.c\"`",
            ]
        );
        assert_eq!((changes.strongest(), changes.bump()), (Some(Class::Documentation), Bump::Patch));
    }
}
