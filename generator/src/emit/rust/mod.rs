//! Schema → the Rust SDK crate: `models.rs` (DTOs and enums), one module per
//! client with its request types and methods, `lib.rs` and `Cargo.toml`.
//!
//! Models get plain-code JSON conversion (`FromJson`/`ToJson` of the runtime)
//! instead of serde derives: it compiles several times faster. Each
//! operation and the models it reaches are gated by a cargo feature per API
//! group, so a user who needs logins does not compile the management API.

mod docs;
mod manifest;
mod names;
mod plan;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::schema::{Api, Client, ParamLocation, Type};
use docs::{doc_attrs, own_doc_attrs, own_inner_doc_attrs, paragraphs};
use names::ident;
use plan::{EnumPlan, FieldPlan, ModelPlan, Module, OperationPlan, Plan};

use manifest::{FLOWS, Flow, RUNTIME_FILES};

/// The command that regenerates the committed SDK, named in file headers.
pub const REGENERATE: &str = "cargo run -p generator";

/// How the crate's manifest is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrateKind {
    /// The committed `generated/` crate, a member of this workspace.
    WorkspaceMember,
    /// A crate of its own (`generate --out DIR`).
    Standalone,
}

/// A file of the generated crate: path relative to the crate root, contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}

/// The hand-written files a crate generated from `api` needs next to the
/// generated ones: the runtime, and the flows whose operations exist.
pub fn handwritten_files(api: &Api) -> Vec<File> {
    let runtime =
        RUNTIME_FILES.iter().map(|(path, source)| File { path: path.to_string(), contents: source.to_string() });
    let flows =
        available_flows(api).map(|flow| File { path: flow.path.to_string(), contents: flow.source.to_string() });
    runtime.chain(flows).collect()
}

/// Flows whose operations `api` has, with the feature of the first one.
fn available_flows(api: &Api) -> impl Iterator<Item = &'static Flow> + '_ {
    FLOWS.iter().filter(|flow| flow.needs.iter().all(|name| flow_operation(api, name).is_some()))
}

fn flow_operation<'a>(api: &'a Api, name: &str) -> Option<&'a crate::schema::Operation> {
    api.operations.iter().find(|op| op.client == Client::Authentication && op.name == name)
}

/// The cargo feature a flow is compiled under: that of its first operation.
fn flow_feature(api: &Api, flow: &Flow) -> Option<String> {
    flow.needs.first().and_then(|name| flow_operation(api, name)).map(plan::feature_of)
}

/// The generated files of the crate (without the hand-written runtime).
pub fn emit(api: &Api, kind: CrateKind) -> Vec<File> {
    let plan = plan::plan(api);
    let lib: Piece = Box::new(|| lib_rs(api, &plan));
    let mut sources = vec![("src/lib.rs".to_string(), vec![lib]), ("src/models.rs".to_string(), models_rs(&plan))];
    for client in [Client::Authentication, Client::Management] {
        sources.push((format!("src/{}.rs", module_name(client)), client_rs(client, &plan)));
    }
    let pieces: Vec<&Piece> = sources.iter().flat_map(|(_, pieces)| pieces).collect();
    let mut texts = format_pieces(&pieces).into_iter();
    let examples: Vec<(&str, String)> =
        available_flows(api).filter_map(|flow| Some((flow.example.0, flow_feature(api, flow)?))).collect();
    let mut files = vec![File { path: "Cargo.toml".into(), contents: manifest::cargo_toml(&plan, kind, &examples) }];
    for (path, pieces) in &sources {
        files.push(rust_file(path, texts.by_ref().take(pieces.len()).collect()));
    }
    files
}

/// Builds the tokens of one or more items of a file. Items are built, parsed
/// and formatted piece by piece: the pieces spread over the cores, and small
/// syntax trees are cheaper than one per file.
type Piece<'a> = Box<dyn Fn() -> TokenStream + Sync + 'a>;

/// Formats the pieces on all cores; the texts come back in order.
fn format_pieces(pieces: &[&Piece]) -> Vec<Result<String, String>> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = pieces.get(i) else { return done };
            let text = syn::parse2::<syn::File>(piece()).map(|file| prettyplease::unparse(&file));
            done.push((i, text.map_err(|err| err.to_string())));
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut done: Vec<_> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for helper in helpers {
            done.extend(helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, text)| text).collect()
}

fn module_name(client: Client) -> &'static str {
    match client {
        Client::Authentication => "authentication",
        Client::Management => "management",
    }
}

/// A file from the formatted texts of its pieces.
fn rust_file(path: &str, texts: Vec<Result<String, String>>) -> File {
    let header = format!("// @generated by `{REGENERATE}` from the documentation pages. Do not edit.\n\n");
    let contents = match texts.into_iter().collect::<Result<Vec<String>, String>>() {
        Ok(texts) => separate_items(&texts.concat()),
        // Unreachable for well-formed emitter output; kept visible rather
        // than panicking so a bug shows up in the staleness diff and build.
        Err(err) => format!("compile_error!({err:?});\n"),
    };
    File { path: path.to_string(), contents: format!("{header}{contents}") }
}

/// Puts a blank line between items, which prettyplease runs together.
fn separate_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 20);
    let mut previous = "";
    for line in code.lines() {
        let indent = line.len() - line.trim_start().len();
        let closes_item = previous.trim_start() == "}" && previous.len() - previous.trim_start().len() == indent;
        let starts_item =
            ["///", "#[", "pub ", "impl", "fn ", "async fn", "use "].iter().any(|s| line.trim_start().starts_with(s));
        if closes_item && starts_item {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}

fn cfg_attr(features: &BTreeSet<String>) -> TokenStream {
    match features.len() {
        0 => quote! {},
        1 => {
            let f = features.iter().next();
            quote! { #[cfg(feature = #f)] }
        }
        _ => {
            let fs = features.iter();
            quote! { #[cfg(any(#(feature = #fs),*))] }
        }
    }
}

fn lib_rs(api: &Api, plan: &Plan) -> TokenStream {
    let auth = plan.features.get(&Client::Authentication).map_or(0, |f| f.len());
    let mgmt = plan.features.get(&Client::Management).map_or(0, |f| f.len());
    let count = |client| api.operations.iter().filter(|o| o.client == client).count();
    let doc = format!(
        "Rust SDK for the GenAuth (Authing) V3 API, generated from its documentation.\n\n\
         - [`AuthenticationClient`]: {} operations in {auth} feature groups (`auth-*`, all enabled by `authentication`).\n\
         - [`ManagementClient`]: {} operations in {mgmt} feature groups (`mgmt-*`, all enabled by `management`).\n\
         - [`models`]: {} data types shared by both.\n\n\
         Both client features are on by default; disable default features and pick groups to compile less.",
        count(Client::Authentication),
        count(Client::Management),
        api.models.len(),
    );
    let doc = own_inner_doc_attrs(&doc);
    let flows = available_flows(api).map(|flow| {
        let module = format_ident!("{}", flow.module);
        let path = flow.path.trim_start_matches("src/");
        let feature = flow_feature(api, flow);
        quote! {
            #[cfg(feature = #feature)]
            #[path = #path]
            pub mod #module;
        }
    });
    quote! {
        #doc
        mod runtime;
        pub use runtime::*;
        pub mod models;
        pub mod authentication;
        pub mod management;
        #(#flows)*
    }
}

/// The Rust type of a schema type; `models` is the path prefix of model
/// types from the module being emitted.
fn rust_type(ty: &Type, enum_type: Option<&str>, plan: &Plan, models: &TokenStream) -> TokenStream {
    match ty {
        Type::String => quote! { String },
        Type::Integer => quote! { i64 },
        Type::Number => quote! { f64 },
        Type::Boolean => quote! { bool },
        Type::Object => quote! { json::Map<String, json::Value> },
        Type::Any => quote! { json::Value },
        Type::Array { items } => {
            let item = rust_type(items, enum_type, plan, models);
            quote! { Vec<#item> }
        }
        Type::Ref { name } => match plan.model_idents.get(name.as_str()) {
            Some(model) => {
                let model = format_ident!("{}", model);
                quote! { #models #model }
            }
            None => quote! { json::Value },
        },
        Type::Enum { .. } => {
            let name = format_ident!("{}", enum_type.unwrap_or("String"));
            quote! { #name }
        }
    }
}

fn field_type(f: &FieldPlan, plan: &Plan, models: &TokenStream) -> TokenStream {
    let ty = rust_type(&f.field.ty, f.enum_type.as_deref(), plan, models);
    let ty = if f.boxed {
        quote! { Box<#ty> }
    } else {
        ty
    };
    if f.field.required {
        ty
    } else {
        quote! { Option<#ty> }
    }
}

fn field_docs(f: &FieldPlan) -> TokenStream {
    let default = f.field.default.as_ref().map(|d| format!("Default: {}.", docs::code_span(&json_text(d))));
    let example = f.field.example.as_ref().map(docs::example);
    doc_attrs(&paragraphs([
        f.field.description.as_str(),
        default.as_deref().unwrap_or(""),
        example.as_deref().unwrap_or(""),
    ]))
}

fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Which conversions a struct gets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Conversions {
    /// Models: `FromJson`, `ToJson`, and serde's traits through them.
    Full,
    /// Request types sent as a JSON body: `ToJson` only.
    ToJson,
    /// Request types sent as query parameters: none.
    None,
}

/// A struct with plain-code JSON conversion and serde impls through it.
fn struct_item(
    type_name: &str,
    docs: TokenStream,
    fields: &[FieldPlan],
    cfg: &TokenStream,
    conversions: Conversions,
    plan: &Plan,
    models: &TokenStream,
) -> TokenStream {
    let name = format_ident!("{}", type_name);
    let field_defs = fields.iter().map(|f| {
        let doc = field_docs(f);
        let id = ident(&f.ident);
        let ty = field_type(f, plan, models);
        quote! { #doc pub #id: #ty, }
    });
    let from_arms = fields.iter().map(|f| {
        let id = ident(&f.ident);
        let wire = &f.field.name;
        quote! { #wire => out.#id = json::field(value, #wire)?, }
    });
    let to_stmts = fields.iter().map(|f| {
        let id = ident(&f.ident);
        let wire = &f.field.name;
        if f.field.required {
            quote! { json::put(&mut map, #wire, &self.#id); }
        } else {
            quote! { json::put_some(&mut map, #wire, &self.#id); }
        }
    });
    let from_body = if fields.is_empty() {
        quote! { json::object(value).map(|_| Self {}) }
    } else if let [f] = fields {
        let id = ident(&f.ident);
        let wire = &f.field.name;
        quote! {
            let mut out = Self::default();
            for (key, value) in json::object(value)? {
                if key == #wire {
                    out.#id = json::field(value, #wire)?;
                }
            }
            Ok(out)
        }
    } else {
        quote! {
            let mut out = Self::default();
            for (key, value) in json::object(value)? {
                match key.as_str() {
                    #(#from_arms)*
                    _ => {}
                }
            }
            Ok(out)
        }
    };
    let map_decl = if fields.is_empty() {
        quote! { let map = json::Map::new(); }
    } else {
        quote! { let mut map = json::Map::new(); }
    };
    let definition = quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#field_defs)*
        }
    };
    let to_json = quote! {
        #cfg
        impl json::ToJson for #name {
            fn to_json(&self) -> json::Value {
                #map_decl
                #(#to_stmts)*
                json::Value::Object(map)
            }
        }
    };
    match conversions {
        Conversions::None => definition,
        Conversions::ToJson => quote! { #definition #to_json },
        Conversions::Full => quote! {
            #definition
            #cfg
            impl json::FromJson for #name {
                fn from_json(value: json::Value) -> Result<Self, json::JsonError> {
                    #from_body
                }
            }
            #to_json
            #cfg
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    json::serialize(self, serializer)
                }
            }
            #cfg
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    json::deserialize(deserializer)
                }
            }
        },
    }
}

fn model_item(model: &ModelPlan, plan: &Plan) -> TokenStream {
    let docs = if model.ident == model.name {
        quote! {}
    } else {
        own_doc_attrs(&format!("`{}` in the API documentation.", model.name.replace('`', "")))
    };
    let cfg = cfg_attr(&model.cfg);
    struct_item(&model.ident, docs, &model.fields, &cfg, Conversions::Full, plan, &quote! {})
}

fn enum_item(e: &EnumPlan) -> TokenStream {
    let name = format_ident!("{}", e.ident);
    let cfg = cfg_attr(&e.cfg);
    let docs = if e.owner.contains("::") {
        own_doc_attrs(&format!("Values of [`{}`].", e.owner))
    } else {
        own_doc_attrs(&format!("`{}` in the API documentation.", e.owner.replace('`', "")))
    };
    let variants: Vec<_> = e.variants.iter().map(|v| format_ident!("{}", v)).collect();
    let wires: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
    let variant_defs = e.values.iter().zip(&variants).map(|(value, variant)| {
        let wire = docs::code_span(&value.value);
        let doc = if value.description.is_empty() {
            own_doc_attrs(&wire)
        } else {
            let description = docs::rustdoc_lines(&value.description).join("\n");
            own_doc_attrs(&format!("{wire}: {description}"))
        };
        quote! { #doc #variant, }
    });
    quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variant_defs)*
            /// A value the documentation does not list, kept as received.
            Unknown(String),
        }
        #cfg
        impl #name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(value) => value,
                }
            }
        }
        #cfg
        impl json::StringEnum for #name {
            fn as_str(&self) -> &str {
                self.as_str()
            }
            fn from_wire(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        #cfg
        impl Default for #name {
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }
        #cfg
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #cfg
        impl json::FromJson for #name {
            fn from_json(value: json::Value) -> Result<Self, json::JsonError> {
                json::enum_from_json(value)
            }
        }
        #cfg
        impl json::ToJson for #name {
            fn to_json(&self) -> json::Value {
                json::enum_to_json(self)
            }
        }
        #cfg
        impl crate::QueryValue for #name {
            fn append_to(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>) {
                pairs.push((name, self.as_str().to_owned()));
            }
        }
        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                json::deserialize(deserializer)
            }
        }
    }
}

fn models_rs<'a>(plan: &'a Plan) -> Vec<Piece<'a>> {
    let head: Piece = Box::new(|| {
        quote! {
            //! Data types of the API: the documented DTOs and the enumerations
            //! of their fields.
            // Items are gated by features; with all off, the import goes unused.
            #[allow(unused_imports)]
            use crate::json;
        }
    });
    let models = plan.models.iter().map(|m| -> Piece { Box::new(move || model_item(m, plan)) });
    let enums =
        plan.enums.get(&Module::Models).into_iter().flatten().map(|e| -> Piece { Box::new(move || enum_item(e)) });
    std::iter::once(head).chain(models).chain(enums).collect()
}

fn client_rs<'a>(client: Client, plan: &'a Plan) -> Vec<Piece<'a>> {
    let ops: Vec<&OperationPlan> = plan.operations.iter().filter(|o| o.op.client == client).collect();
    let head_ops = ops.clone();
    let head: Piece = Box::new(move || {
        let client_ident = format_ident!("{}", client.class_name());
        let module_doc =
            own_inner_doc_attrs(&format!("Request types of the [`crate::{0}`] methods.", client.class_name()));
        let uses = if head_ops.is_empty() {
            quote! {}
        } else {
            // Items are gated by features; with some off, imports go unused.
            quote! {
                #[allow(unused_imports)]
                use crate::{json, models, Call, Error, Method, #client_ident};
            }
        };
        quote! {
            #module_doc
            #uses
        }
    });
    let requests = ops.iter().filter(|o| o.request.is_some()).map(|&o| -> Piece {
        Box::new(move || {
            let request = o.request.as_deref().unwrap_or_default();
            let docs =
                own_doc_attrs(&format!("Parameters of [`{}::{}`](crate::{0}::{1}).", client.class_name(), o.method));
            let cfg = cfg_attr(&BTreeSet::from([o.feature.clone()]));
            let body = o.op.params.iter().any(|p| p.location == ParamLocation::Body);
            let conversions = if body { Conversions::ToJson } else { Conversions::None };
            struct_item(request, docs, &o.params, &cfg, conversions, plan, &quote! { models:: })
        })
    });
    let enums = plan
        .enums
        .get(&Module::Client(client))
        .into_iter()
        .flatten()
        .map(|e| -> Piece { Box::new(move || enum_item(e)) });
    let mut pieces: Vec<Piece> = std::iter::once(head).chain(requests).chain(enums).collect();
    let impl_block: Option<Piece> = (!ops.is_empty()).then(|| -> Piece {
        Box::new(move || {
            let client_ident = format_ident!("{}", client.class_name());
            let methods = ops.iter().map(|o| method_item(o, plan));
            quote! {
                impl #client_ident {
                    #(#methods)*
                }
            }
        })
    });
    pieces.extend(impl_block);
    pieces
}

fn method_item(o: &OperationPlan, plan: &Plan) -> TokenStream {
    let op = o.op;
    let name = ident(&o.method);
    let cfg = cfg_attr(&BTreeSet::from([o.feature.clone()]));
    let route = format!("`{} {}`", op.method.as_str(), op.path);
    let docs = doc_attrs(&paragraphs([op.summary.as_str(), op.description.as_str(), route.as_str()]));
    let method = format_ident!("{}", op.method.as_str());
    let path = &op.path;
    let response = match &op.response {
        Some(ty) => rust_type(ty, None, plan, &quote! { models:: }),
        None => quote! { json::Value },
    };
    let mut call = quote! { Call::new(Method::#method, #path) };
    for (p, param) in o.params.iter().zip(&op.params) {
        let id = ident(&p.ident);
        let wire = &p.field.name;
        match param.location {
            ParamLocation::Query | ParamLocation::Path => {
                let value = if is_query_value(&p.field.ty) {
                    quote! { &request.#id }
                } else {
                    quote! { &json::ToJson::to_json(&request.#id) }
                };
                call = quote! { #call.query(#wire, #value) };
            }
            ParamLocation::Body => {}
        }
    }
    if op.params.iter().any(|p| p.location == ParamLocation::Body) {
        call = quote! { #call.body(json::ToJson::to_json(request)) };
    }
    let signature = match o.request.as_deref() {
        Some(request) => {
            let request = format_ident!("{}", request);
            quote! { pub async fn #name(&self, request: &#request) -> Result<#response, Error> }
        }
        None => quote! { pub async fn #name(&self) -> Result<#response, Error> },
    };
    quote! {
        #docs
        #cfg
        #signature {
            self.send(#call).await
        }
    }
}

/// Types the runtime's `QueryValue` writes directly; others go as JSON text.
fn is_query_value(ty: &Type) -> bool {
    match ty {
        Type::String | Type::Integer | Type::Number | Type::Boolean | Type::Enum { .. } => true,
        Type::Array { items } => {
            matches!(**items, Type::String | Type::Integer | Type::Number | Type::Boolean | Type::Enum { .. })
        }
        _ => false,
    }
}
