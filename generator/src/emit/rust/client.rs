//! One module per client: its request types and its methods.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Piece;
use super::docs::{doc_attrs, own_doc_attrs, own_inner_doc_attrs};
use super::models::enum_item;
use super::names::ident;
use super::plan::{Module, OperationPlan, Plan};
use super::structs::{Conversions, cfg_attr, rust_type, struct_item};
use crate::schema::{Client, ClientSetting, ParamLocation, Shape, TemplateEntry, TemplateValue, Type};

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
                use crate::{json, models, template, Call, Error, Method, #client_ident};
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
            let body = o.op.params.iter().any(|p| p.location == ParamLocation::Body) || !o.op.shape.is_direct();
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
    let route = match &op.shape {
        Shape::Direct => format!("`{} {}`", op.method.as_str(), op.path),
        Shape::Wrapper { .. } => {
            format!("`{} {}`, with a fixed body as the official SDKs send it", op.method.as_str(), op.path)
        }
        Shape::Protocol { .. } => {
            format!("`{} {}`, form-encoded, with the application's client authentication", op.method.as_str(), op.path)
        }
        Shape::LocalUrl { .. } => format!("Builds the URL `{}` on the host, sending nothing", op.path),
    };
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
        let value = if is_query_value(&p.field.ty) {
            quote! { &request.#id }
        } else {
            quote! { &json::ToJson::to_json(&request.#id) }
        };
        match param.location {
            ParamLocation::Query => call = quote! { #call.query(#wire, #value) },
            ParamLocation::Path => call = quote! { #call.path_param(#wire, #value) },
            ParamLocation::Body => {}
        }
    }
    if op.params.iter().any(|p| p.location == ParamLocation::Body) {
        call = quote! { #call.body(json::ToJson::to_json(request)) };
    }
    let request_arg = o.request.as_deref().map(|request| {
        let request = format_ident!("{}", request);
        quote! { , request: &#request }
    });
    let params = match request_arg {
        Some(_) => quote! { &json::ToJson::to_json(request) },
        None => quote! { &json::Value::Null },
    };
    let shape = if op.client == Client::Authentication { &op.shape } else { &Shape::Direct };
    let local = matches!(shape, Shape::LocalUrl { .. });
    let signature = |name: &syn::Ident| {
        if local {
            quote! { fn #name(&self #request_arg) -> String }
        } else {
            quote! { async fn #name(&self #request_arg) -> Result<#response, Error> }
        }
    };
    let body = match shape {
        Shape::Direct => quote! { self.send(#call).await },
        Shape::Wrapper { body } => {
            let body = template_value(&TemplateValue::Object { entries: body.clone() });
            quote! {
                const BODY: template::Template = #body;
                let body = BODY.fill(#params, &template::Settings::default()).unwrap_or_default();
                self.send(Call::new(Method::#method, #path).body(body)).await
            }
        }
        Shape::Protocol { form } => {
            let form = template_entries(form);
            quote! { self.send_form(#path, #form, #params).await }
        }
        Shape::LocalUrl { query } => {
            let query = template_entries(query);
            quote! { self.local_url(#path, #query, #params) }
        }
    };
    let aliases = op.aliases.iter().map(|alias| {
        let alias = ident(alias);
        let signature = signature(&alias);
        let doc = format!("Deprecated name of [`{0}`](Self::{0}).", o.method);
        let note = format!("use `{}`, the method of this endpoint", o.method);
        let args = request_arg.as_ref().map(|_| quote! { request });
        let forward = if local {
            quote! { self.#name(#args) }
        } else {
            quote! { self.#name(#args).await }
        };
        quote! {
            #[doc = #doc]
            #[deprecated(note = #note)]
            #cfg
            pub #signature {
                #forward
            }
        }
    });
    let signature = signature(&name);
    quote! {
        #docs
        #cfg
        pub #signature {
            #body
        }
        #(#aliases)*
    }
}

/// `&[("key", Template), …]` for a form, query or object.
fn template_entries(entries: &[TemplateEntry]) -> TokenStream {
    let entries = entries.iter().map(|e| {
        let key = &e.key;
        let value = template_value(&e.value);
        quote! { (#key, #value) }
    });
    quote! { &[#(#entries),*] }
}

fn template_value(value: &TemplateValue) -> TokenStream {
    match value {
        TemplateValue::Param { name } => quote! { template::Template::Param(#name) },
        TemplateValue::Text { value } => quote! { template::Template::Text(#value) },
        TemplateValue::Setting { setting: ClientSetting::AppId } => {
            quote! { template::Template::Setting(template::Setting::AppId) }
        }
        TemplateValue::Setting { setting: ClientSetting::RedirectUri } => {
            quote! { template::Template::Setting(template::Setting::RedirectUri) }
        }
        TemplateValue::First { values } => {
            let values = values.iter().map(template_value);
            quote! { template::Template::First(&[#(#values),*]) }
        }
        TemplateValue::Object { entries } => {
            let entries = template_entries(entries);
            quote! { template::Template::Object(#entries) }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_scalars_and_lists_of_scalars() {
        assert!(is_query_value(&Type::Integer));
        assert!(is_query_value(&Type::array(Type::Boolean)));
        assert!(!is_query_value(&Type::array(Type::Object)));
        assert!(!is_query_value(&Type::reference("UserDto")));
        assert!(!is_query_value(&Type::Any));
    }
}
