//! The crate root (`lib.rs`) and the hand-written files the crate carries:
//! the runtime and the flows whose operations the API has.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::File;
use super::docs::own_inner_doc_attrs;
use super::guide;
use super::manifest::{EXAMPLES, Example, FLOWS, Flow, RUNTIME_FILES};
use super::plan::{self, Plan};
use crate::schema::{Api, Client};

/// The hand-written files a crate generated from `api` needs next to the
/// generated ones: the runtime, and the flows whose operations exist with
/// their example programs.
pub fn handwritten_files(api: &Api) -> Vec<File> {
    let runtime =
        RUNTIME_FILES.iter().map(|(path, source)| File { path: path.to_string(), contents: source.to_string() });
    let flows = available_flows(api).flat_map(|flow| {
        let (example, source) = flow.example;
        [
            File { path: flow.path.to_string(), contents: flow.source.to_string() },
            File { path: format!("examples/{example}.rs"), contents: source.to_string() },
        ]
    });
    runtime.chain(flows).collect()
}

/// Examples whose methods `api` has, with the features they need and their
/// source with the enum names filled in.
pub(super) fn available_examples<'a>(
    api: &'a Api,
    plan: &'a Plan,
) -> impl Iterator<Item = (&'static Example, Vec<String>, String)> + 'a {
    EXAMPLES
        .iter()
        .filter_map(|example| Some((example, example_features(api, example)?, fill_enum_names(example.source, plan)?)))
}

/// Fills each `{enum:Owner.field}` of a hand-written snippet with the Rust
/// name of that field's enum, which depends on the whole doc set (see
/// `plan::shared_enums`); `None` if one of them has no enum.
pub(super) fn fill_enum_names(text: &str, plan: &Plan) -> Option<String> {
    const OPEN: &str = "{enum:";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let end = after.find('}')?;
        let (owner, field) = after[..end].split_once('.')?;
        out.push_str(plan.enum_of(owner, field)?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The features of the methods `example` calls, or `None` if one is missing.
fn example_features(api: &Api, example: &Example) -> Option<Vec<String>> {
    let features: Option<BTreeSet<String>> = example
        .needs
        .iter()
        .map(|(client, name)| {
            api.operations.iter().find(|op| op.client == *client && op.name == *name).map(plan::feature_of)
        })
        .collect();
    features.map(|features| features.into_iter().collect())
}

/// Flows whose operations `api` has, with the feature of the first one.
pub(super) fn available_flows(api: &Api) -> impl Iterator<Item = &'static Flow> + '_ {
    FLOWS.iter().filter(|flow| flow.needs.iter().all(|name| flow_operation(api, name).is_some()))
}

fn flow_operation<'a>(api: &'a Api, name: &str) -> Option<&'a crate::schema::Operation> {
    api.operations.iter().find(|op| op.client == Client::Authentication && op.name == name)
}

/// The cargo feature a flow is compiled under: that of its first operation.
pub(super) fn flow_feature(api: &Api, flow: &Flow) -> Option<String> {
    flow.needs.first().and_then(|name| flow_operation(api, name)).map(plan::feature_of)
}

pub(super) fn lib_rs(api: &Api, plan: &Plan) -> TokenStream {
    let auth = plan.features.get(&Client::Authentication).map_or(0, |f| f.len());
    let mgmt = plan.features.get(&Client::Management).map_or(0, |f| f.len());
    let count = |client| api.operations.iter().filter(|o| o.client == client).count();
    let doc = format!(
        "Rust SDK for the GenAuth (Authing) V3 API, generated from its documentation.\n\n\
         - [`AuthenticationClient`]: {} operations in {auth} feature groups (`auth-*`, all enabled by `authentication`).\n\
         - [`ManagementClient`]: {} operations in {mgmt} feature groups (`mgmt-*`, all enabled by `management`).\n\
         - [`models`]: {} data types shared by both.\n\n\
         Both client features are on by default; disable default features and pick groups to compile less.\n\n\
         {}",
        count(Client::Authentication),
        count(Client::Management),
        api.models.len(),
        guide::guide(api, plan),
    );
    let doc = own_inner_doc_attrs(&doc);
    let flows = available_flows(api).map(|flow| {
        let module = format_ident!("{}", flow.module);
        let path = flow.path.trim_start_matches("src/");
        let feature = flow_feature(api, flow);
        let enums_module = format_ident!("{}_enums", flow.module);
        let enums = flow.enums.iter().filter_map(|(alias, model, field)| {
            let model = plan.models.iter().find(|m| m.name == *model)?;
            let ty = model.fields.iter().find(|f| f.field.name == *field)?.enum_type.as_deref()?;
            let (ty, alias) = (format_ident!("{}", ty), format_ident!("{}", alias));
            Some(quote! { pub use crate::models::#ty as #alias; })
        });
        let enums: Vec<TokenStream> = enums.collect();
        let enums = (!enums.is_empty()).then(|| {
            quote! {
                #[cfg(feature = #feature)]
                mod #enums_module {
                    #(#enums)*
                }
            }
        });
        quote! {
            #[cfg(feature = #feature)]
            #[path = #path]
            pub mod #module;
            #enums
        }
    });
    quote! {
        #doc
        #![cfg_attr(docsrs, feature(doc_cfg))]
        mod runtime;
        pub use runtime::*;
        // Generated files are formatted by the generator (prettyplease);
        // `cargo fmt` leaves them as they are.
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod authentication;
        #[rustfmt::skip]
        pub mod management;
        #(#flows)*
    }
}
