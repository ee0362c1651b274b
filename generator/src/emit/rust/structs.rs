//! Struct items with their plain-code JSON conversions, shared by models
//! and request types, and the Rust types of schema types.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{self, doc_attrs};
use super::names::ident;
use super::plan::OperationPlan;
use super::plan::{FieldPlan, Plan};
use super::template::{Fill, parsed};
use crate::schema::Type;

pub(super) fn cfg_attr(features: &BTreeSet<String>) -> TokenStream {
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

/// The Rust type of a schema type; `models` is the path prefix of model
/// types from the module being emitted.
pub(super) fn rust_type(ty: &Type, enum_type: Option<&str>, plan: &Plan, models: &TokenStream) -> TokenStream {
    match ty {
        // A string field whose example is a value of its concept's enum.
        Type::String => match enum_type {
            Some(name) => {
                let name = format_ident!("{}", name);
                quote! { #models #name }
            }
            None => quote! { String },
        },
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
        Type::Enum { .. } => match enum_type {
            Some(name) => {
                let name = format_ident!("{}", name);
                quote! { #models #name }
            }
            None => quote! { String },
        },
    }
}

pub(super) fn field_type(f: &FieldPlan, plan: &Plan, models: &TokenStream) -> TokenStream {
    let ty = rust_type(&f.field.ty, f.enum_type.as_deref(), plan, models);
    let ty = if f.boxed {
        quote! { Box<#ty> }
    } else {
        ty
    };
    if f.required() {
        ty
    } else {
        quote! { Option<#ty> }
    }
}

/// A field's Rust type as the emitted code spells it (`Option<Vec<models::UserDto>>`);
/// `in_models` for fields of `models.rs`, else request fields of a client module.
pub fn field_type_text(f: &FieldPlan, plan: &Plan, in_models: bool) -> String {
    let models = if in_models {
        quote! {}
    } else {
        quote! { models:: }
    };
    type_text(field_type(f, plan, &models))
}

/// An operation's response type as the emitted method returns it.
pub fn response_type_text(op: &OperationPlan, plan: &Plan) -> String {
    type_text(match &op.op.response {
        Some(ty) => rust_type(ty, None, plan, &quote! { models:: }),
        None => quote! { json::Value },
    })
}

/// A field's or method's name as the emitted code spells it (`r#type`, `self_`).
pub fn ident_text(name: &str) -> String {
    ident(name).to_string()
}

/// Type tokens as source text: `Option < String >` → `Option<String>`.
fn type_text(tokens: TokenStream) -> String {
    tokens.to_string().replace(' ', "").replace(',', ", ")
}

fn field_docs(f: &FieldPlan) -> TokenStream {
    let default = f.field.default.as_ref().map(|d| format!("Default: {}.", docs::code_span(&json_text(d))));
    let example = f.field.example.as_ref().map(docs::example);
    doc_attrs([f.field.description.as_str(), default.as_deref().unwrap_or(""), example.as_deref().unwrap_or("")])
}

fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Which conversions a struct gets.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Conversions {
    /// Models: `Fields` (hence `FromJson`), `ToJson`, and serde's traits.
    Full,
    /// Request types sent as a JSON body: `ToJson` only.
    ToJson,
    /// Request types sent as query parameters: none.
    None,
}

/// A struct with plain-code JSON conversions and serde impls.
pub(super) fn struct_item(
    type_name: &str,
    docs: TokenStream,
    fields: &[FieldPlan],
    cfg: &TokenStream,
    conversions: Conversions,
    plan: &Plan,
    models: &TokenStream,
) -> syn::Result<syn::File> {
    let name = format_ident!("{}", type_name);
    let cfg = attributes(cfg.clone())?;
    let secrets = fields.iter().any(|f| f.secret);
    let mut definition = if secrets {
        parsed!(
            syn::ItemStruct,
            #[derive(Clone, Default, PartialEq)]
            pub struct __Name {}
        )?
    } else {
        parsed!(
            syn::ItemStruct,
            #[derive(Debug, Clone, Default, PartialEq)]
            pub struct __Name {}
        )?
    };
    definition.ident = name.clone();
    definition.attrs = [attributes(docs)?, cfg.clone(), definition.attrs].concat();
    if let syn::Fields::Named(named) = &mut definition.fields {
        for f in fields {
            named.named.push_value(syn::Field {
                attrs: attributes(field_docs(f))?,
                vis: syn::Visibility::Public(Default::default()),
                mutability: syn::FieldMutability::None,
                ident: Some(ident(&f.ident)),
                colon_token: Some(Default::default()),
                ty: parsed_type(field_type(f, plan, models))?,
            });
            named.named.push_punct(Default::default());
        }
    }
    let mut file = syn::File { shebang: None, attrs: Vec::new(), items: vec![syn::Item::Struct(definition)] };
    if secrets {
        file.items.push(redacted_debug_impl(&name, fields, &cfg)?);
    }
    if conversions == Conversions::None {
        return Ok(file);
    }
    let to_json = to_json_impl(&name, fields, &cfg)?;
    if conversions == Conversions::ToJson {
        file.items.push(to_json);
        return Ok(file);
    }
    file.items.push(fields_impl(&name, fields, &cfg)?);
    file.items.push(to_json);
    let idents = [("__Name", &name)];
    let serialize = parsed!(syn::ItemImpl,
        impl serde::Serialize for __Name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                json::serialize(self, serializer)
            }
        }
    );
    file.items.push(filled_impl(serialize, &cfg, Fill { idents: &idents, ..Fill::default() })?);
    let deserialize = parsed!(
        syn::ItemImpl,
        impl<'de> serde::Deserialize<'de> for __Name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                json::decode_fields(deserializer)
            }
        }
    );
    file.items.push(filled_impl(deserialize, &cfg, Fill { idents: &idents, ..Fill::default() })?);
    Ok(file)
}

/// `Debug` that prints secret fields as `<redacted>` (`None` stays `None`).
fn redacted_debug_impl(name: &syn::Ident, fields: &[FieldPlan], cfg: &[syn::Attribute]) -> syn::Result<syn::Item> {
    let type_name = name.to_string();
    let calls = fields.iter().map(|f| {
        let id = ident(&f.ident);
        let label = id.to_string().trim_start_matches("r#").to_string();
        match (f.secret, f.required()) {
            (false, _) => quote! { .field(#label, &self.#id) },
            (true, true) => quote! { .field(#label, &json::Redacted) },
            (true, false) => quote! { .field(#label, &self.#id.as_ref().map(|_| json::Redacted)) },
        }
    });
    let mut item: syn::ItemImpl = syn::parse2(quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name) #(#calls)* .finish()
            }
        }
    })?;
    item.attrs = cfg.to_vec();
    Ok(syn::Item::Impl(item))
}

/// The syntax tree of a field type. Few types recur on many fields, so
/// each is parsed once per thread.
fn parsed_type(tokens: TokenStream) -> syn::Result<syn::Type> {
    thread_local! {
        static TYPES: RefCell<HashMap<String, syn::Type>> = RefCell::new(HashMap::new());
    }
    let key = tokens.to_string();
    if let Some(ty) = TYPES.with(|types| types.borrow().get(&key).cloned()) {
        return Ok(ty);
    }
    let ty: syn::Type = syn::parse2(tokens)?;
    TYPES.with(|types| types.borrow_mut().insert(key, ty.clone()));
    Ok(ty)
}

/// Outer attributes from their tokens.
pub(super) fn attributes(tokens: TokenStream) -> syn::Result<Vec<syn::Attribute>> {
    syn::parse::Parser::parse2(syn::Attribute::parse_outer, tokens)
}

/// A template impl, filled and gated by `cfg`.
pub(super) fn filled_impl(
    template: syn::Result<syn::ItemImpl>,
    cfg: &[syn::Attribute],
    mut fill: Fill,
) -> syn::Result<syn::Item> {
    let mut item = template?;
    syn::visit_mut::VisitMut::visit_item_impl_mut(&mut fill, &mut item);
    item.attrs = cfg.to_vec();
    Ok(syn::Item::Impl(item))
}

/// `Fields`: one arm per field, decoding its value in place.
fn fields_impl(name: &syn::Ident, fields: &[FieldPlan], cfg: &[syn::Attribute]) -> syn::Result<syn::Item> {
    let template = parsed!(syn::ItemImpl,
        impl json::Fields for __Name {
            fn field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                match key {
                    __arms => {}
                    _ => json::skip(map),
                }
            }
        }
    );
    let arms = fields
        .iter()
        .map(|f| {
            let id = ident(&f.ident);
            let fill = Fill { idents: &[("__field", &id)], wire: Some(&f.field.name), ..Fill::default() };
            if f.boxed {
                fill.arm(parsed!(syn::Arm, "__wire" => json::set_boxed(&mut self.__field, map, "__wire"),))
            } else {
                fill.arm(parsed!(syn::Arm, "__wire" => json::set(&mut self.__field, map, "__wire"),))
            }
        })
        .collect::<syn::Result<_>>()?;
    filled_impl(template, cfg, Fill { idents: &[("__Name", name)], arms, ..Fill::default() })
}

fn to_json_impl(name: &syn::Ident, fields: &[FieldPlan], cfg: &[syn::Attribute]) -> syn::Result<syn::Item> {
    let template = if fields.is_empty() {
        parsed!(syn::ItemImpl,
            impl json::ToJson for __Name {
                fn to_json(&self) -> json::Value {
                    let map = json::Map::new();
                    json::Value::Object(map)
                }
            }
        )
    } else {
        parsed!(syn::ItemImpl,
            impl json::ToJson for __Name {
                fn to_json(&self) -> json::Value {
                    let mut map = json::Map::new();
                    __stmts!();
                    json::Value::Object(map)
                }
            }
        )
    };
    let stmts = fields
        .iter()
        .map(|f| {
            let id = ident(&f.ident);
            let fill = Fill { idents: &[("__field", &id)], wire: Some(&f.field.name), ..Fill::default() };
            if f.required() {
                fill.stmt(parsed!(syn::Stmt, json::put(&mut map, "__wire", &self.__field);))
            } else {
                fill.stmt(parsed!(syn::Stmt, json::put_some(&mut map, "__wire", &self.__field);))
            }
        })
        .collect::<syn::Result<_>>()?;
    filled_impl(template, cfg, Fill { idents: &[("__Name", name)], stmts, ..Fill::default() })
}
