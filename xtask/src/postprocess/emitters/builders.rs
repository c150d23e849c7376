//! Constructors and setters of the request structs: `Name::new(required…)` takes every required property
//! (in alphabetical order of the field names, so the vendor reordering its `required` list or its
//! properties changes nothing), `with_<field>(value)` sets an optional one and `set_<field>(option)` sets
//! or unsets it from an `Option`.
//!
//! Request structs are `#[non_exhaustive]`: callers build them only this way, so a property the vendor
//! adds as optional is one more `with_` method and their code keeps compiling, while a required one is
//! one more argument of `new` and fails to compile until they supply it — the same judgments the wire
//! gets. (typify's builders, `types::builder::*`, check required properties only at run time, in
//! `TryFrom`; see docs/benchmarks.md for the comparison.)

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::postprocess::methods::generic_args;

/// How a field starts out in `new`.
enum Start {
    /// A constructor argument.
    Required,
    /// `None`, set by `with_<field>(value)` to `Some(value)`.
    Optional(syn::Type),
    /// `#[serde(default)]` (an optional array): its default, replaced by `with_<field>(value)`.
    Default(Option<syn::ExprPath>),
}

struct Field<'f> {
    ident: &'f syn::Ident,
    ty: &'f syn::Type,
    start: Start,
    /// The first paragraph of the field's documentation.
    summary: String,
}

/// The constructor and setters of every request struct with named fields.
pub fn builders(
    items: &[syn::Item],
    requests: &BTreeSet<String>,
) -> Result<Vec<syn::Item>, String> {
    let mut out = Vec::new();
    for item in items {
        let syn::Item::Struct(s) = item else { continue };
        let syn::Fields::Named(named) = &s.fields else {
            continue;
        };
        if !requests.contains(&s.ident.to_string()) {
            continue;
        }
        let mut fields: Vec<Field<'_>> = named
            .named
            .iter()
            .map(|f| {
                let ident = f.ident.as_ref().expect("named field");
                Ok(Field {
                    ident,
                    ty: &f.ty,
                    start: start(f).map_err(|e| format!("{}.{ident}: {e}", s.ident))?,
                    summary: summary(&f.attrs),
                })
            })
            .collect::<Result<_, String>>()?;
        fields.sort_by_key(|f| plain_name(f.ident));
        let tokens = impl_block(&s.ident, &fields);
        out.push(syn::parse2(tokens).map_err(|e| format!("builders of {}: {e}", s.ident))?);
    }
    Ok(out)
}

fn start(field: &syn::Field) -> Result<Start, String> {
    if let syn::Type::Path(p) = &field.ty
        && p.path.segments.last().is_some_and(|s| s.ident == "Option")
    {
        let inner = generic_args(&field.ty)
            .into_iter()
            .next()
            .ok_or("`Option` without a type")?;
        return Ok(Start::Optional(inner));
    }
    let mut default = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                let path = if meta.input.peek(syn::Token![=]) {
                    let text: syn::LitStr = meta.value()?.parse()?;
                    Some(text.parse::<syn::ExprPath>()?)
                } else {
                    None
                };
                default = Some(Start::Default(path));
            } else if meta.input.peek(syn::Token![=]) {
                // rename = "…", skip_serializing_if = "…": not ours to read.
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        })
        .map_err(|e| format!("unreadable serde attribute: {e}"))?;
    }
    Ok(default.unwrap_or(Start::Required))
}

/// The first paragraph of `#[doc]` attributes, on one line.
pub fn summary(attrs: &[syn::Attribute]) -> String {
    let text: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }),
                ..
            }) => Some(s.value()),
            _ => None,
        })
        .collect();
    let text = text.join("\n");
    let first = text.trim().split("\n\n").next().unwrap_or_default();
    first.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A field's name without `r#` and typify's trailing `_` (`type_` → `type`), for `with_<name>`.
fn plain_name(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    name.trim_start_matches("r#")
        .trim_end_matches('_')
        .to_owned()
}

fn impl_block(name: &syn::Ident, fields: &[Field<'_>]) -> TokenStream {
    let required: Vec<&Field<'_>> = fields
        .iter()
        .filter(|f| matches!(f.start, Start::Required))
        .collect();
    let args = required.iter().map(|f| {
        let (ident, ty) = (f.ident, f.ty);
        quote!(#ident: impl ::std::convert::Into<#ty>)
    });
    let inits = fields.iter().map(|f| {
        let ident = f.ident;
        match &f.start {
            Start::Required => quote!(#ident: #ident.into()),
            Start::Optional(_) => quote!(#ident: ::std::option::Option::None),
            Start::Default(None) => quote!(#ident: ::std::default::Default::default()),
            Start::Default(Some(path)) => quote!(#ident: #path()),
        }
    });
    let new_doc = if required.is_empty() {
        format!(
            "A `{name}` with every property unset (all are optional): set them with the `with_` methods."
        )
    } else {
        let list: String = required
            .iter()
            .map(|f| {
                let summary = if f.summary.is_empty() {
                    String::new()
                } else {
                    format!(": {}", f.summary)
                };
                format!("\n- `{}`{summary}", f.ident)
            })
            .collect();
        format!(
            "A `{name}` with its required properties, in alphabetical order:\n{list}\n\nEvery optional \
             property starts unset: set it with its `with_` method."
        )
    };
    let setters = fields.iter().filter_map(|f| {
        let ident = f.ident;
        let setter = format_ident!("with_{}", plain_name(ident));
        let (value_ty, assign) = match &f.start {
            Start::Required => return None,
            Start::Optional(inner) => (
                inner,
                quote!(self.#ident = ::std::option::Option::Some(value.into());),
            ),
            Start::Default(_) => (f.ty, quote!(self.#ident = value.into();)),
        };
        let doc = if f.summary.is_empty() {
            format!("Sets `{ident}`.")
        } else {
            format!("Sets `{ident}`: {}", f.summary)
        };
        // `set_<field>(Option<T>)` for a value that may be absent, as aws-sdk-rust's builders have.
        let maybe = match &f.start {
            Start::Optional(inner) => {
                let set = format_ident!("set_{}", plain_name(ident));
                let doc = format!("Sets `{ident}`, or unsets it with `None`.");
                quote! {
                    #[doc = #doc]
                    pub fn #set(mut self, value: ::std::option::Option<#inner>) -> Self {
                        self.#ident = value;
                        self
                    }
                }
            }
            _ => TokenStream::new(),
        };
        Some(quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: impl ::std::convert::Into<#value_ty>) -> Self {
                #assign
                self
            }
            #maybe
        })
    });
    quote! {
        impl #name {
            #[doc = #new_doc]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }

            #(#setters)*
        }
    }
}
