//! One module per client: its request types and its methods.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Piece;
use super::docs::{doc_attrs, own_doc_attrs, own_inner_doc_attrs};
use super::names::ident;
use super::plan::{OperationPlan, Plan};
use super::structs::{Conversions, cfg_attr, rust_type, struct_item};
use crate::schema::{Client, ParamLocation, Type};

pub(super) fn client_rs<'a>(client: Client, plan: &'a Plan) -> Vec<Piece<'a>> {
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
        syn::parse2(quote! {
            #module_doc
            #uses
        })
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
    let mut pieces: Vec<Piece> = std::iter::once(head).chain(requests).collect();
    let impl_block: Option<Piece> = (!ops.is_empty()).then(|| -> Piece {
        Box::new(move || {
            let client_ident = format_ident!("{}", client.class_name());
            let methods = ops.iter().map(|o| method_item(o, plan));
            syn::parse2(quote! {
                impl #client_ident {
                    #(#methods)*
                }
            })
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
    let docs = doc_attrs([op.summary.as_str(), op.description.as_str(), route.as_str()]);
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
