//! `tests/models.rs`: tests of the generated types against their own
//! documentation, written out so that they run on whatever docs the crate
//! comes from: every documented example (each DTO's field examples as one
//! object, each page's sample result) decodes with the generated types, and
//! no type with a secret field prints the secret in `Debug`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::names::ident;
use super::plan::{FieldPlan, Plan};
use super::structs::{cfg_attr, rust_type};
use crate::schema::{Api, Client, Mismatch, MismatchKind, Type};

/// What a secret field is set to: text that also decodes as a number, so
/// that it shows in `Debug` output whatever the field's type.
const SECRET: i64 = 7_458_120_391;

pub(super) fn models_test(api: &Api, plan: &Plan) -> syn::Result<syn::File> {
    let examples = examples(api, plan);
    let secrets = secrets(plan);
    let secret_text = SECRET.to_string();
    syn::parse2(quote! {
        //! The generated types against their own documentation: documented
        //! examples decode, and secrets stay out of `Debug` output.

        // Formatted by the generator; `cargo fmt` leaves it as it is.
        #[rustfmt::skip]
        mod generated {
        #![allow(dead_code, unused_imports, unused_mut, unused_variables, clippy::field_reassign_with_default)]
        use genauth::json::FromJson;
        use genauth::{authentication, json, management, models};

        /// A secret value: text that also reads as a number.
        const SECRET: &str = #secret_text;

        #[test]
        fn documented_examples_decode() {
            let mut failures: Vec<String> = Vec::new();
            #(#examples)*
            assert!(failures.is_empty(), "{} examples do not decode:\n{}", failures.len(), failures.join("\n"));
        }

        /// Decodes the JSON `text` as a `T`, as a client decodes a
        /// response body, noting a failure.
        fn decode<T: FromJson>(failures: &mut Vec<String>, what: &str, text: &str) {
            if let Err(error) = json::from_slice::<T>(text.as_bytes()) {
                failures.push(format!("{what}: {error}"));
            }
        }

        /// Decodes the JSON `text`, which has text where the docs document
        /// a model (a description or ids in the example column): decoding
        /// must fail there, at one of `paths`.
        fn fails_at<T: FromJson>(failures: &mut Vec<String>, what: &str, text: &str, paths: &[&str]) {
            match json::from_slice::<T>(text.as_bytes()) {
                Err(error) if paths.contains(&error.path().as_str()) => {}
                Err(error) => failures.push(format!("{what}: {error}")),
                Ok(_) => failures.push(format!("{what}: decodes, though it has placeholder text at {paths:?}")),
            }
        }

        #[test]
        fn secrets_stay_out_of_debug() {
            let mut leaks: Vec<String> = Vec::new();
            #(#secrets)*
            assert!(leaks.is_empty(), "secrets in `Debug` output:\n{}", leaks.join("\n"));
        }

        /// Prints `value` with `{:?}`, noting a leak of [`SECRET`].
        fn print(leaks: &mut Vec<String>, name: &str, value: &impl std::fmt::Debug) {
            let text = format!("{value:?}");
            assert!(text.contains(name), "{text}");
            if text.contains(SECRET) {
                leaks.push(text);
            }
        }
        }
    })
}

fn client_module(client: Client) -> TokenStream {
    match client {
        Client::Authentication => quote! { authentication },
        Client::Management => quote! { management },
    }
}

/// One `decode` per model with field examples and per sample result. An
/// example with text where a model is documented
/// ([`MismatchKind::TextForModel`]) decodes with that text left out, and
/// fails at it as it is.
fn examples(api: &Api, plan: &Plan) -> Vec<TokenStream> {
    let models = plan.models.iter().filter(|m| !m.free_form()).filter_map(|model| {
        let example = api.model(model.name)?.example_object()?;
        let what = format!("examples of `{}`", model.name);
        let rust = format_ident!("{}", model.ident);
        Some((Type::reference(model.name), quote! { models::#rust }, example, what, cfg_attr(&model.cfg)))
    });
    let responses = plan.operations.iter().filter_map(|op| {
        let (Some(ty), Some(example)) = (&op.op.response, &op.op.response_example) else {
            return None;
        };
        let rust = rust_type(ty, None, plan, &quote! { models:: });
        let what = format!("sample result of `{}`", op.op.path);
        Some((ty.clone(), rust, example.clone(), what, cfg_attr(&[op.feature.clone()].into())))
    });
    let mut out = Vec::new();
    for (ty, rust, example, what, cfg) in models.chain(responses) {
        let placeholders: Vec<Mismatch> = api
            .example_mismatches(&ty, &example)
            .into_iter()
            .filter(|m| matches!(m.kind, MismatchKind::TextForModel { .. }))
            .collect();
        if placeholders.is_empty() {
            let text = example.to_string();
            out.push(quote! { #cfg decode::<#rust>(&mut failures, #what, #text); });
            continue;
        }
        let mut rest = example.clone();
        for placeholder in &placeholders {
            if let Some(value) = rest.pointer_mut(&placeholder.pointer) {
                *value = Value::Null;
            }
        }
        let (text, rest) = (example.to_string(), rest.to_string());
        let paths = placeholders.iter().map(|p| p.path.as_str());
        out.push(quote! {
            #cfg
            {
                decode::<#rust>(&mut failures, #what, #rest);
                fails_at::<#rust>(&mut failures, #what, #text, &[#(#paths),*]);
            }
        });
    }
    out
}

/// One block per model or request type with a secret field that can be
/// set to [`SECRET`]: it sets them all and prints the value.
fn secrets(plan: &Plan) -> Vec<TokenStream> {
    let models = plan.models.iter().map(|m| {
        let ty = format_ident!("{}", m.ident);
        (quote! { models::#ty::default() }, m.ident.as_str(), m.fields.as_slice(), cfg_attr(&m.cfg))
    });
    let requests = plan.operations.iter().filter_map(|o| {
        let request = o.request.as_deref()?;
        let (module, ty) = (client_module(o.op.client), format_ident!("{}", request));
        // Requests with required parameters have no `Default`: `new` takes
        // a default value of each.
        let new = if o.params.iter().any(FieldPlan::required) {
            let args = o.params.iter().filter(|f| f.required()).map(|f| {
                let ty = rust_type(&f.field.ty, f.enum_type.as_deref(), plan, &quote! { models:: });
                quote! { <#ty>::default() }
            });
            quote! { #module::#ty::new(#(#args),*) }
        } else {
            quote! { #module::#ty::default() }
        };
        Some((new, request, o.params.as_slice(), cfg_attr(&[o.feature.clone()].into())))
    });
    models
        .chain(requests)
        .filter_map(|(new, name, fields, cfg)| {
            let sets: Vec<TokenStream> = fields
                .iter()
                .filter(|f| f.secret)
                .filter_map(|f| {
                    let value = secret_value(f)?;
                    let id = ident(&f.ident);
                    Some(quote! { value.#id = #value; })
                })
                .collect();
            if sets.is_empty() {
                return None;
            }
            Some(quote! {
                #cfg
                {
                    let mut value = #new;
                    #(#sets)*
                    print(&mut leaks, #name, &value);
                }
            })
        })
        .collect()
}

/// A value of the field's type holding [`SECRET`], if the type can hold it.
fn secret_value(f: &FieldPlan) -> Option<TokenStream> {
    if f.boxed {
        return None;
    }
    let value = scalar_secret(&f.field.ty, f.enum_type.as_deref())?;
    Some(if f.required() {
        value
    } else {
        quote! { Some(#value) }
    })
}

fn scalar_secret(ty: &Type, enum_type: Option<&str>) -> Option<TokenStream> {
    let secret = SECRET;
    Some(match (ty, enum_type) {
        (Type::String | Type::Enum { .. }, Some(name)) => {
            let name = format_ident!("{}", name);
            quote! { models::#name::Unknown(SECRET.into()) }
        }
        (Type::String | Type::Any, None) => quote! { SECRET.into() },
        (Type::Integer, _) => quote! { #secret },
        (Type::Number, _) => {
            let secret = secret as f64;
            quote! { #secret }
        }
        (Type::Array { items }, _) => {
            let item = scalar_secret(items, enum_type)?;
            quote! { vec![#item] }
        }
        _ => return None,
    })
}
