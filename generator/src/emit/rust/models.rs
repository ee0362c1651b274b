//! `models.rs`: the documented DTOs and the enumerations of their fields.

use quote::{format_ident, quote};

use super::Piece;
use super::docs::{self, own_doc_attrs};
use super::plan::{EnumPlan, ModelPlan, Plan};
use super::structs::{Conversions, attributes, cfg_attr, filled_impl, struct_item};
use super::template::{Fill, parsed};

fn model_item(model: &ModelPlan, plan: &Plan) -> syn::Result<syn::File> {
    let docs = if model.ident == model.name {
        quote! {}
    } else {
        own_doc_attrs(&format!("`{}` in the API documentation.", model.name.replace('`', "")))
    };
    let cfg = cfg_attr(&model.cfg);
    if model.free_form() {
        let name = format_ident!("{}", model.ident);
        let free = own_doc_attrs("Documented without fields: a free-form JSON object, kept whole.");
        return syn::parse2(quote! {
            #docs
            #free
            #cfg
            pub type #name = json::Map<String, json::Value>;
        });
    }
    struct_item(&model.ident, docs, &model.fields, &cfg, Conversions::Full, plan, &quote! {})
}

fn enum_item(e: &EnumPlan) -> syn::Result<syn::File> {
    let name = format_ident!("{}", e.ident);
    let cfg = cfg_attr(&e.cfg);
    let docs = match e.owners.as_slice() {
        [model] if !model.contains("::") => {
            own_doc_attrs(&format!("`{}` in the API documentation.", model.replace('`', "")))
        }
        owners => own_doc_attrs(&format!("Values of {}.", owner_list(owners))),
    };
    let variants: Vec<_> = e.variants.iter().map(|v| format_ident!("{}", v)).collect();
    let variant_defs = e.values.iter().zip(&variants).map(|(value, variant)| {
        let wire = docs::code_span(&value.value);
        let doc = match docs::rustdoc_lines(&value.description).as_slice() {
            [] => own_doc_attrs(&wire),
            [line] => own_doc_attrs(&format!("{wire}: {line}")),
            // A fence or list must start its own line.
            lines => own_doc_attrs(&format!("{wire}:\n\n{}", lines.join("\n"))),
        };
        quote! { #doc #variant, }
    });
    let mut file: syn::File = syn::parse2(quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variant_defs)*
            /// A value the documentation does not list, kept as received.
            Unknown(String),
        }
    })?;
    let cfg = attributes(cfg)?;
    let idents = [("__Name", &name)];
    let arms = |template: fn() -> syn::Result<syn::Arm>| -> syn::Result<Vec<syn::Arm>> {
        e.values
            .iter()
            .zip(&variants)
            .map(|(value, variant)| {
                let fill = Fill { idents: &[("__Variant", variant)], wire: Some(&value.value), ..Fill::default() };
                fill.arm(template())
            })
            .collect()
    };
    let inherent = parsed!(syn::ItemImpl,
        impl __Name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    __arms => {}
                    Self::Unknown(value) => value,
                }
            }
        }
    );
    let arms_as_str = arms(|| parsed!(syn::Arm, Self::__Variant => "__wire",))?;
    file.items.push(filled_impl(inherent, &cfg, Fill { idents: &idents, arms: arms_as_str, ..Fill::default() })?);
    let string_enum = parsed!(syn::ItemImpl,
        impl json::StringEnum for __Name {
            fn as_str(&self) -> &str {
                self.as_str()
            }
            fn from_wire(value: &str) -> Self {
                match value {
                    __arms => {}
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
    );
    let arms_from_wire = arms(|| parsed!(syn::Arm, "__wire" => Self::__Variant,))?;
    file.items.push(filled_impl(string_enum, &cfg, Fill { idents: &idents, arms: arms_from_wire, ..Fill::default() })?);
    let fixed = [
        parsed!(syn::ItemImpl,
            impl Default for __Name {
                fn default() -> Self {
                    Self::Unknown(String::new())
                }
            }
        ),
        parsed!(syn::ItemImpl,
            impl std::fmt::Display for __Name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        ),
        parsed!(syn::ItemImpl,
            impl json::Decode for __Name {
                fn decode<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    json::decode_enum(deserializer)
                }
            }
        ),
        parsed!(syn::ItemImpl,
            impl json::ToJson for __Name {
                fn to_json(&self) -> json::Value {
                    json::enum_to_json(self)
                }
            }
        ),
        parsed!(syn::ItemImpl,
            impl crate::QueryValue for __Name {
                fn append_to(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>) {
                    pairs.push((name, self.as_str().to_owned()));
                }
            }
        ),
        parsed!(syn::ItemImpl,
            impl serde::Serialize for __Name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        ),
        parsed!(
            syn::ItemImpl,
            impl<'de> serde::Deserialize<'de> for __Name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    json::decode_enum(deserializer)
                }
            }
        ),
    ];
    for template in fixed {
        file.items.push(filled_impl(template, &cfg, Fill { idents: &idents, ..Fill::default() })?);
    }
    Ok(file)
}

/// Where an enum is used, for its doc comment: the first few fields (not
/// links: a field's type may be compiled out by features the enum's are not).
fn owner_list(owners: &[String]) -> String {
    const SHOWN: usize = 3;
    let named: Vec<String> = owners.iter().take(SHOWN).map(|o| format!("`{}`", o.replace('`', ""))).collect();
    match owners.len().saturating_sub(SHOWN) {
        0 => named.join(", "),
        1 => format!("{} and one other field", named.join(", ")),
        more => format!("{} and {more} other fields", named.join(", ")),
    }
}

pub(super) fn models_rs<'a>(plan: &'a Plan) -> Vec<Piece<'a>> {
    let head: Piece = Box::new(|| {
        syn::parse2(quote! {
            //! Data types of the API: the documented DTOs and the enumerations
            //! of their fields.
            // Items are gated by features; with all off, the import goes unused.
            #[allow(unused_imports)]
            use crate::json;
        })
    });
    let models = plan.models.iter().map(|m| -> Piece { Box::new(move || model_item(m, plan)) });
    let enums = plan.enums.iter().map(|e| -> Piece { Box::new(move || enum_item(e)) });
    std::iter::once(head).chain(models).chain(enums).collect()
}
