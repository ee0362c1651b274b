//! One module per client: its request types and its methods.
//!
//! A request type has a `new` taking the required parameters and a setter
//! per optional one; it implements `Default` only when nothing is required,
//! so a forgotten parameter is a compile error. Methods return the
//! response envelope's `data` in a `Response` that keeps the request id,
//! sit in one impl block per API group, and mark reads sent as `POST`
//! idempotent so that they are retried like `GET`s.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Piece;
use super::docs::{self, doc_attrs, own_doc_attrs, own_inner_doc_attrs};
use super::names::ident;
use super::paging::{Items, Paging, data_field, paging};
use super::plan::{FieldPlan, OperationPlan, Plan};
use super::structs::{Conversions, cfg_attr, field_type, rust_type, struct_item};
use crate::schema::{Client, ClientSetting, HttpMethod, ParamLocation, Shape, TemplateEntry, TemplateValue, Type};

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
                use crate::{json, models, template, Call, Error, Method, Pages, Response, #client_ident};
            }
        };
        syn::parse2(quote! {
            #module_doc
            // Setters are named after parameters (`is_deleted`, `add`),
            // and `new` takes every required one.
            #![allow(clippy::should_implement_trait, clippy::too_many_arguments, clippy::wrong_self_convention)]
            #uses
        })
    });
    let requests = ops.iter().filter(|o| o.request.is_some()).map(|&o| -> Piece {
        Box::new(move || {
            let request = o.request.as_deref().unwrap_or_default();
            let docs = own_doc_attrs(&format!(
                "Parameters of [`{}::{}`](crate::{0}::{1}): [`new`]({request}::new) takes the required ones, \
                 a method named after each optional one sets it.",
                client.class_name(),
                o.method
            ));
            let cfg = feature_attrs(&o.feature);
            let body = o.op.params.iter().any(|p| p.location == ParamLocation::Body) || !o.op.shape.is_direct();
            let conversions = if body { Conversions::ToJson } else { Conversions::None };
            let mut file = struct_item(request, docs, &o.params, &cfg, conversions, plan, &quote! { models:: })?;
            if o.params.iter().any(FieldPlan::required) {
                // No value may stand in for a required parameter.
                remove_default_derive(&mut file);
            }
            file.items.push(syn::parse2(constructor_impl(request, &o.params, &cfg, plan))?);
            Ok(file)
        })
    });
    let mut pieces: Vec<Piece> = std::iter::once(head).chain(requests).collect();
    // One impl block per API group: rustdoc shows each with its heading.
    let mut groups: BTreeMap<&str, Vec<&OperationPlan>> = BTreeMap::new();
    for o in &ops {
        groups.entry(o.feature.as_str()).or_default().push(o);
    }
    let taken: BTreeSet<&str> = ops.iter().map(|o| o.method.as_str()).collect();
    for (feature, group) in groups {
        let taken = taken.clone();
        pieces.push(Box::new(move || {
            let client_ident = format_ident!("{}", client.class_name());
            let cfg = feature_attrs(feature);
            let tag = &group[0].op.tag;
            let name = if tag.name.is_empty() { &tag.slug } else { &tag.name };
            let heading = format!("**{name}** (feature `{feature}`)");
            let docs = doc_attrs([heading.as_str()]);
            let methods = group.iter().map(|o| method_item(o, plan, &taken));
            syn::parse2(quote! {
                #docs
                #cfg
                impl #client_ident {
                    #(#methods)*
                }
            })
        }));
    }
    pieces
}

/// `#[cfg(feature)]` with the docs.rs badge naming the feature.
fn feature_attrs(feature: &str) -> TokenStream {
    let cfg = cfg_attr(&BTreeSet::from([feature.to_string()]));
    quote! {
        #cfg
        #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
    }
}

/// Drops `Default` from the derives of the file's struct.
fn remove_default_derive(file: &mut syn::File) {
    for item in &mut file.items {
        let syn::Item::Struct(definition) = item else { continue };
        for attr in &mut definition.attrs {
            if !attr.path().is_ident("derive") {
                continue;
            }
            let Ok(paths) =
                attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            else {
                continue;
            };
            let kept = paths.into_iter().filter(|path| !path.is_ident("Default"));
            *attr = syn::parse_quote! { #[derive(#(#kept),*)] };
        }
    }
}

/// `new` from the required parameters, in documented order, and a setter
/// per optional one.
fn constructor_impl(request: &str, params: &[FieldPlan], cfg: &TokenStream, plan: &Plan) -> TokenStream {
    let name = format_ident!("{}", request);
    let inner = |f: &FieldPlan| rust_type(&f.field.ty, f.enum_type.as_deref(), plan, &quote! { models:: });
    let (required, optional): (Vec<&FieldPlan>, Vec<&FieldPlan>) = params.iter().partition(|f| f.required());
    let args = required.iter().map(|f| {
        let id = ident(&f.ident);
        let ty = inner(f);
        quote! { #id: impl Into<#ty> }
    });
    let inits = params.iter().map(|f| {
        let id = ident(&f.ident);
        if f.required() {
            quote! { #id: #id.into() }
        } else {
            quote! { #id: None }
        }
    });
    let names: Vec<String> = required.iter().map(|f| docs::code_span(&f.field.name)).collect();
    let new_doc = if names.is_empty() {
        own_doc_attrs("Parameters with none of the optional ones set.")
    } else {
        own_doc_attrs(&format!("Parameters from the required ones: {}.", names.join(", ")))
    };
    let setters = optional.iter().map(|f| {
        let id = ident(&f.ident);
        // `new` is the constructor.
        let setter = if f.ident == "new" { format_ident!("with_new") } else { id.clone() };
        let ty = inner(f);
        let doc = own_doc_attrs(&format!("Sets {}.", docs::code_span(&f.field.name)));
        quote! {
            #doc
            pub fn #setter(mut self, #id: impl Into<#ty>) -> Self {
                self.#id = Some(#id.into());
                self
            }
        }
    });
    quote! {
        #cfg
        impl #name {
            #new_doc
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

fn method_item(o: &OperationPlan, plan: &Plan, taken: &BTreeSet<&str>) -> TokenStream {
    let op = o.op;
    let name = ident(&o.method);
    // Wrappers, protocol calls and local helpers act for an application.
    let shape = if op.client == Client::Authentication { &op.shape } else { &Shape::Direct };
    let route = match shape {
        Shape::Direct => format!("`{} {}`", op.method.as_str(), op.path),
        Shape::Wrapper { .. } => {
            format!("`{} {}`, with a fixed body as the official SDKs send it", op.method.as_str(), op.path)
        }
        Shape::Protocol { .. } => {
            format!("`{} {}`, form-encoded, with the application's client authentication", op.method.as_str(), op.path)
        }
        Shape::LocalUrl { .. } => format!("Builds the URL `{}` on the host, sending nothing", op.path),
    };
    let paging = if shape.is_direct() { paging(o, plan) } else { None };
    let pages_method = paging.as_ref().map(|_| {
        let candidate = format!("{}_pages", o.method);
        if taken.contains(candidate.as_str()) { format!("{candidate}_2") } else { candidate }
    });
    let see_pages = pages_method.as_deref().map(|m| format!("Every page: [`{m}`](Self::{m})."));
    let docs = doc_attrs([op.summary.as_str(), op.description.as_str(), route.as_str()]);
    let see_pages = see_pages.map(|text| own_doc_attrs(&text));
    let method = format_ident!("{}", op.method.as_str());
    let path = &op.path;
    let mut call = quote! { Call::new(Method::#method, #path) };
    if op.method != HttpMethod::Get && op.is_read() {
        // A read sent as POST: safe to retry like a GET.
        call = quote! { #call.idempotent() };
    }
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
    // Protocol endpoints answer with a bare OAuth/OIDC document, not the
    // API's envelope.
    let data = if matches!(shape, Shape::Protocol { .. }) { None } else { data_field(o, plan) };
    let (response, send) = match (data, &op.response) {
        (Some(data), _) => {
            let ty = field_type(data, plan, &quote! { models:: });
            (quote! { Response<#ty> }, quote! { send_data })
        }
        (None, Some(ty)) => (rust_type(ty, None, plan, &quote! { models:: }), quote! { send }),
        (None, None) => (quote! { json::Value }, quote! { send }),
    };
    let request_arg = o.request.as_deref().map(|request| {
        let request = format_ident!("{}", request);
        quote! { request: &#request }
    });
    let params = match request_arg {
        Some(_) => quote! { &json::ToJson::to_json(request) },
        None => quote! { &json::Value::Null },
    };
    let local = matches!(shape, Shape::LocalUrl { .. });
    let signature = |name: &syn::Ident| {
        if local {
            quote! { fn #name(&self, #request_arg) -> String }
        } else {
            quote! { async fn #name(&self, #request_arg) -> Result<#response, Error> }
        }
    };
    let body = match shape {
        Shape::Direct => quote! { self.#send(#call).await },
        Shape::Wrapper { body } => {
            let body = template_value(&TemplateValue::Object { entries: body.clone() });
            quote! {
                const BODY: template::Template = #body;
                let body = BODY.fill(#params, &template::Settings::default()).unwrap_or_default();
                self.#send(Call::new(Method::#method, #path).body(body)).await
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
            pub #signature {
                #forward
            }
        }
    });
    let pages = paging.zip(pages_method).zip(o.request.as_deref()).map(|((paging, pages_method), request)| {
        pages_item(&name, &format_ident!("{}", pages_method), &format_ident!("{}", request), &call, &paging, plan)
    });
    let signature = signature(&name);
    quote! {
        #docs
        #see_pages
        pub #signature {
            #body
        }
        #pages
        #(#aliases)*
    }
}

/// The `*_pages` method of a paginated operation: closures that make the
/// call of a page and split its data, for the runtime's generic `pages`.
/// No async code per operation: that is what kept compile time down.
fn pages_item(
    method: &syn::Ident,
    pages_method: &syn::Ident,
    request: &syn::Ident,
    call: &TokenStream,
    paging: &Paging,
    plan: &Plan,
) -> TokenStream {
    let mut target = quote! { request };
    let (last, containers) = paging.page.split_last().map_or((None, &[][..]), |(l, c)| (Some(l), c));
    for f in containers {
        let id = ident(&f.ident);
        target = if f.required() {
            quote! { #target.#id }
        } else {
            quote! { #target.#id.get_or_insert_with(Default::default) }
        };
    }
    let set_page = last.map(|f| {
        let id = ident(&f.ident);
        let page = if f.field.ty == Type::String {
            quote! { page.to_string() }
        } else {
            quote! { page }
        };
        if f.required() {
            quote! { #target.#id = #page; }
        } else {
            quote! { #target.#id = Some(#page); }
        }
    });
    let optional = |f: &FieldPlan, value: TokenStream| {
        if f.required() {
            value
        } else {
            quote! { #value.unwrap_or_default() }
        }
    };
    let data_type = field_type(paging.data, plan, &quote! { models:: });
    let data = optional(paging.data, quote! { data });
    let parts = match paging.items {
        Items::Bare => quote! { (#data, None) },
        Items::List { list, total } => {
            let list_id = ident(&list.ident);
            let list = optional(list, quote! { data.#list_id });
            let total_id = ident(&total.ident);
            let total = match (total.required(), &total.field.ty) {
                (true, Type::String) => quote! { data.#total_id.parse().ok() },
                (false, Type::String) => quote! { data.#total_id.and_then(|total| total.parse().ok()) },
                (true, _) => quote! { Some(data.#total_id) },
                (false, _) => quote! { data.#total_id },
            };
            if paging.data.required() {
                quote! { (#list, #total) }
            } else {
                quote! { { let data = #data; (#list, #total) } }
            }
        }
    };
    let item = rust_type(paging.item, None, plan, &quote! { models:: });
    let doc = own_doc_attrs(&format!(
        "Every result of [`{method}`](Self::{method}), fetched page by page from page 1 as they are read; \
         the request's page number is replaced."
    ));
    quote! {
        #doc
        pub fn #pages_method(&self, request: &#request) -> Pages<#item> {
            let request = request.clone();
            self.pages(
                move |page| {
                    let mut request = request.clone();
                    #set_page
                    let request = &request;
                    #call
                },
                |data: #data_type| #parts,
            )
        }
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
