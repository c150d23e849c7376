//! Forward-compatible enums: the documented values plus `Unknown(String)`.

use std::collections::BTreeMap;

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::spec::OpenEnum;

/// A forward-compatible enum: the documented variants plus `Unknown(String)`.
pub fn open_enum(e: &OpenEnum) -> Result<TokenStream, String> {
    let name = format_ident!("{}", e.name);
    let mut seen = BTreeMap::new();
    let mut variants = Vec::new();
    for value in &e.values {
        let mut base = variant_name(value);
        if base == "Unknown" {
            base = "UnknownValue".to_owned();
        }
        let count = seen.entry(base.clone()).or_insert(0);
        *count += 1;
        let ident = if *count == 1 {
            base
        } else {
            format!("{base}{count}")
        };
        variants.push(
            syn::parse_str::<syn::Ident>(&ident)
                .map_err(|err| format!("{}: variant `{ident}`: {err}", e.name))?,
        );
    }
    let values = &e.values;
    let value_docs: Vec<String> = values.iter().map(|v| format!("`{v:?}`")).collect();
    let desc = e.description.clone().unwrap_or_default();
    let compat = format!(
        "\n\nForward-compatible: a value the spec does not list decodes into [`{}::Unknown`] with the raw string.",
        e.name
    );
    Ok(quote! {
        #[doc = #desc]
        #[doc = #compat]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #value_docs] #variants, )*
            /// A value the spec does not list, kept verbatim.
            Unknown(::std::string::String),
        }
        ::rampkit_runtime::open_enum_impls!(#name { #( #variants => #values ),* });
    })
}

fn variant_name(value: &str) -> String {
    if value.is_empty() {
        return "Empty".to_owned();
    }
    let cleaned: String = value
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let mut name = cleaned.to_pascal_case();
    if name.is_empty() {
        name = "Symbol".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    if syn::parse_str::<syn::Ident>(&name).is_err() {
        name.push('_');
    }
    name
}
