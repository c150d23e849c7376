//! The `operations` module: every operation's metadata, lookup by id, and example decoding.

use std::collections::BTreeMap;

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use serde_json::Value;

use crate::postprocess::context::Context;
use crate::postprocess::methods::{Method, is_unit};
use crate::spec;

pub fn operations_module(
    ctx: &Context<'_>,
    methods: &BTreeMap<String, Method>,
) -> Result<TokenStream, String> {
    let mut consts = Vec::new();
    let mut names = Vec::new();
    let mut decode_arms = Vec::new();
    let mut find_arms = Vec::new();
    for op in spec::operations(&ctx.spec.value) {
        let id = op.id().unwrap_or_default();
        let method = op.method.to_uppercase();
        let path = op.path;
        let source = op
            .body
            .get("x-source")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let confidence = match op.body.get("x-confidence").and_then(Value::as_str) {
            Some("confirmed") => quote!(Confidence::Confirmed),
            Some("older-docs") => quote!(Confidence::OlderDocs),
            Some("unpublished-spec") => quote!(Confidence::UnpublishedSpec),
            _ => quote!(Confidence::Inferred),
        };
        let idempotent = op.idempotent();
        let authenticated = op.authenticated();
        let ident = format_ident!("{}", id.to_shouty_snake_case());
        let summary = op
            .body
            .get("summary")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let doc = format!("`{method} {path}` — {summary}");
        consts.push(quote! {
            #[doc = #doc]
            pub const #ident: OperationMeta = OperationMeta {
                id: #id, method: #method, path: #path, confidence: #confidence, source: #source,
                idempotent: #idempotent, authenticated: #authenticated,
            };
        });
        find_arms.push(quote! { #id => Some(&#ident), });
        names.push(ident);
        let m = methods.get(id).ok_or_else(|| {
            format!("operation `{id}` has no client method in progenitor's output")
        })?;
        for (part, ty) in [
            ("request", &m.body),
            ("success", &m.success),
            ("error", &m.error),
        ] {
            if let Some(ty) = ty.as_ref().filter(|t| !is_unit(t)) {
                // `types::X` is relative to the crate root; a replaced type is already `crate::types::X`.
                let ty = if ty.to_token_stream().to_string().starts_with("crate ::") {
                    quote!(#ty)
                } else {
                    quote!(super::#ty)
                };
                decode_arms.push(quote! {
                    (#id, #part) => Some(
                        serde_json::from_slice::<#ty>(json)
                            .map(|v| Box::new(v) as Box<dyn ::std::fmt::Debug>),
                    ),
                });
            }
        }
    }
    Ok(quote! {
        /// Metadata of every operation in the spec, in spec order: method, path, how sure the spec is
        /// (`x-confidence`), the vendor page it comes from (`x-source`) and whether it is safe to repeat.
        pub mod operations {
            use ::rampkit_runtime::meta::{Confidence, OperationMeta};
            #(#consts)*
            /// Every operation, in spec order.
            pub const ALL: &[OperationMeta] = &[#(#names),*];

            /// The operation with this `operationId`.
            pub fn find(operation_id: &str) -> Option<&'static OperationMeta> {
                match operation_id {
                    #(#find_arms)*
                    _ => None,
                }
            }

            /// Decodes `json` as the `"request"`, `"success"` or `"error"` body type of `operation_id`.
            /// `None` when the operation has no such body. Used by the tests that decode every spec example.
            #[doc(hidden)]
            pub fn decode_example(
                operation_id: &str,
                part: &str,
                json: &[u8],
            ) -> Option<Result<Box<dyn ::std::fmt::Debug>, serde_json::Error>> {
                match (operation_id, part) {
                    #(#decode_arms)*
                    _ => None,
                }
            }
        }
    })
}
