//! Documentation for the generated items the spec leaves undescribed, so that the provider crates hold
//! `#![deny(missing_docs)]`: a property that is a bare `$ref` (OpenAPI 3.0 allows no description beside
//! it) and the values of an enum.

use std::collections::BTreeMap;

use quote::ToTokens;

use crate::postprocess::emitters::builders::summary;

fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

fn doc(text: &str) -> syn::Attribute {
    syn::parse_quote!(#[doc = #text])
}

/// The `rename` of a `#[serde(rename = "…")]` attribute: the wire name.
fn wire_name(attrs: &[syn::Attribute]) -> Option<String> {
    let mut name = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let text: syn::LitStr = meta.value()?.parse()?;
                name = Some(text.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    name
}

/// The last generated type a type names (`Option<Vec<Address>>` → `Address`).
fn named_types(ty: &syn::Type, summaries: &BTreeMap<String, String>) -> Option<String> {
    let mut found = None;
    for token in ty.to_token_stream() {
        collect(token, summaries, &mut found);
    }
    found
}

fn collect(
    token: proc_macro2::TokenTree,
    summaries: &BTreeMap<String, String>,
    found: &mut Option<String>,
) {
    match token {
        proc_macro2::TokenTree::Ident(i) if summaries.contains_key(&i.to_string()) => {
            *found = Some(i.to_string());
        }
        proc_macro2::TokenTree::Group(g) => {
            for t in g.stream() {
                collect(t, summaries, found);
            }
        }
        _ => {}
    }
}

/// A generated sentence for every struct field and enum variant of the `types` module without one: the
/// summary of the generated type it holds when it holds one, else its wire name.
pub fn fill_missing_docs(items: &mut [syn::Item]) {
    let summaries: BTreeMap<String, String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), summary(&s.attrs))),
            syn::Item::Enum(e) => Some((e.ident.to_string(), summary(&e.attrs))),
            _ => None,
        })
        .filter(|(_, s)| !s.is_empty())
        .collect();
    let about = |ty: &syn::Type| {
        named_types(ty, &summaries).map(|name| {
            let summary = summaries[&name].trim_end_matches('.');
            format!("{summary} (a [`{name}`]({name})).")
        })
    };
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                for (i, field) in s.fields.iter_mut().enumerate() {
                    if has_doc(&field.attrs) {
                        continue;
                    }
                    let name = wire_name(&field.attrs)
                        .or_else(|| field.ident.as_ref().map(ToString::to_string))
                        .unwrap_or_else(|| i.to_string());
                    let text =
                        about(&field.ty).unwrap_or_else(|| format!("The `{name}` property."));
                    field.attrs.insert(0, doc(&text));
                }
            }
            syn::Item::Enum(e) => {
                for variant in &mut e.variants {
                    if has_doc(&variant.attrs) {
                        continue;
                    }
                    let text = match &variant.fields {
                        syn::Fields::Unit => {
                            let value = wire_name(&variant.attrs)
                                .unwrap_or_else(|| variant.ident.to_string());
                            format!("`{value}`.")
                        }
                        fields => fields
                            .iter()
                            .find_map(|f| about(&f.ty))
                            .unwrap_or_else(|| format!("The `{}` form.", variant.ident)),
                    };
                    variant.attrs.insert(0, doc(&text));
                }
            }
            _ => {}
        }
    }
}
