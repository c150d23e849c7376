//! Rewrites progenitor's `Client` so that every public operation goes through `rampkit_runtime::call`:
//! credentials, retries, business errors and the one `rampkit_runtime::Error`.
//!
//! - progenitor's methods become private `__<operation>` raw methods (returning progenitor's error,
//!   renamed `RawError` in this file), and a public `<operation>` wrapper with the same parameters and
//!   documentation calls them through `rampkit_runtime::call`;
//! - progenitor's constructors are replaced by ones that take `impl Into<Context<Auth>>` and use the
//!   runtime's shared HTTP client, plus `for_environment`;
//! - `ClientHooks::pre` attaches the credentials; `ClientHooks::exec` sends through
//!   `rampkit_runtime::exec`, which keeps non-success answers as received for classification;
//! - every success type implements `rampkit_runtime::BusinessOutcome` (reading the spec's
//!   `x-business-error-field` where the vendor returns errors with HTTP 200).

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use serde_json::Value;
use syn::visit_mut::VisitMut;

use crate::postprocess::context::Context;
use crate::postprocess::emitters::calls;
use crate::postprocess::methods::{Method, is_client_impl};
use crate::postprocess::visitors::raw_calls::{
    EmptyBodyDecodesAsEmptyObject, RenameRawError, SizedJsonBody,
};
use crate::spec;

/// Whether the success response of `operation_id` carries `x-empty-body: true`.
fn empty_body_allowed(ctx: &Context<'_>, operation_id: &str) -> bool {
    spec::operations(&ctx.spec.value)
        .iter()
        .filter(|op| op.id() == Some(operation_id))
        .flat_map(|op| op.responses())
        .any(|(status, r)| {
            spec::is_success(status) && r.get("x-empty-body").and_then(Value::as_bool) == Some(true)
        })
}

pub fn rewrite(
    file: &mut syn::File,
    ctx: &Context<'_>,
    methods: &BTreeMap<String, Method>,
) -> Result<(), String> {
    let auth = format_ident!("{}", ctx.provider.auth);
    let context_ty = quote! { ::rampkit_runtime::Context<crate::auth::#auth> };

    // Re-exports: the runtime's Error is the crate's Error.
    for item in &mut file.items {
        if let syn::Item::Use(u) = item {
            let text = u.to_token_stream().to_string();
            if matches!(u.vis, syn::Visibility::Public(_))
                && text.contains("progenitor_client")
                && text.contains("Error")
            {
                *item = syn::parse_quote! { pub use progenitor_client::{ByteStream, ClientInfo, ResponseValue}; };
            }
        }
    }
    file.items
        .push(syn::parse_quote! { use progenitor_client::Error as RawError; });
    file.items.push(syn::parse_quote! {
        /// Every client method fails with this one error type: provider, operation, kind, HTTP status and
        /// vendor code, never a body or a personal value in its `Display`.
        pub use ::rampkit_runtime::{Error, ErrorKind};
    });

    // progenitor's constructors go; ours take the credentials alone.
    file.items.retain(|item| match item {
        syn::Item::Impl(imp) if is_client_impl(imp) => !imp
            .items
            .iter()
            .any(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "new_with_client")),
        _ => true,
    });

    let mut wrappers = Vec::new();
    let mut call_types = Vec::new();
    let mut business_impls = Vec::new();
    let mut seen_success = BTreeSet::new();
    let business_field = ctx.spec.value["info"]["x-business-error-field"].as_str();
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if !is_client_impl(imp) {
            continue;
        }
        RenameRawError.visit_item_impl_mut(imp);
        SizedJsonBody.visit_item_impl_mut(imp);
        for item in &mut imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            if f.sig.asyncness.is_none() {
                continue;
            }
            let name = f.sig.ident.clone();
            if empty_body_allowed(ctx, &name.to_string()) {
                EmptyBodyDecodesAsEmptyObject.visit_impl_item_fn_mut(f);
            }
            let raw = format_ident!("__{}", name);
            let docs: Vec<syn::Attribute> = f
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect();
            f.attrs.retain(|a| !a.path().is_ident("doc"));
            f.attrs.push(syn::parse_quote! { #[doc(hidden)] });
            f.sig.ident = raw.clone();
            f.vis = syn::Visibility::Inherited;

            let method = methods
                .get(&name.to_string())
                .ok_or_else(|| format!("{name}: not a client method"))?;
            let success = method
                .success
                .clone()
                .ok_or_else(|| format!("{name}: unexpected return type"))?;
            let call = calls::call(ctx, &name, f, &docs, &success)?;
            wrappers.push(call.method);
            call_types.push(call.call_type);

            let success_text = success.to_token_stream().to_string();
            let generated = success_text.starts_with("types ::")
                || success_text.starts_with("crate :: types ::");
            if generated && seen_success.insert(success_text) {
                let code = business_field
                    .filter(|field| success_has_property(ctx, &name.to_string(), field))
                    .map(|field| {
                        let field = format_ident!("{}", field.to_snake_case());
                        quote! {
                            fn business_error_code(&self) -> ::std::option::Option<&str> {
                                self.#field.as_ref().map(|code| code.as_str())
                            }
                        }
                    });
                business_impls.push(
                    quote! { impl ::rampkit_runtime::BusinessOutcome for #success { #code } },
                );
            }
        }
    }

    let (sandbox, production) = main_servers(&ctx.spec.value);
    let provider = ctx.provider.name;
    let extra: syn::File = syn::parse2(quote! {
        impl Client {
            /// A client for `baseurl` (e.g. [`SANDBOX_URL`](crate) or a local mock), using rampkit's shared
            /// HTTP client (rustls, timeouts, `rampkit/<version>` user agent). `context` is the
            /// credentials alone, or a [`rampkit_runtime::Context`] with a retry policy.
            pub fn new(baseurl: &str, context: impl ::std::convert::Into<#context_ty>) -> Self {
                Self::new_with_client(baseurl, ::rampkit_runtime::transport::HttpClient::shared(), context)
            }

            /// A client over your own HTTP client settings: build it with
            /// [`HttpClient::from_builder`](::rampkit_runtime::transport::HttpClient::from_builder),
            /// which turns redirects and `Referer` off whatever the builder says, so that no redirect
            /// carries the credentials or a personal value to another host.
            pub fn new_with_client(
                baseurl: &str,
                client: ::rampkit_runtime::transport::HttpClient,
                context: impl ::std::convert::Into<#context_ty>,
            ) -> Self {
                Self {
                    baseurl: baseurl.trim_end_matches('/').to_string(),
                    client: client.into(),
                    inner: context.into(),
                }
            }

            /// A client for the vendor's sandbox or production base URL from the spec, or a custom one.
            pub fn for_environment(
                environment: ::rampkit_runtime::Environment,
                context: impl ::std::convert::Into<#context_ty>,
            ) -> ::std::result::Result<Self, ::rampkit_runtime::Error> {
                let baseurl = environment.base_url(#provider, #sandbox, #production)?;
                Ok(Self::new(&baseurl, context))
            }

            /// The credentials and retry policy.
            pub fn context(&self) -> &#context_ty {
                &self.inner
            }

            fn parts(&self) -> ::rampkit_runtime::ClientParts<'_, crate::auth::#auth> {
                ::rampkit_runtime::ClientParts { http: &self.client, base_url: &self.baseurl, context: &self.inner }
            }

            #(#wrappers)*
        }

        /// The calls of this client, one type per operation: what [`Client`]'s methods return, with a
        /// method per optional parameter, sent by `.await`.
        pub mod calls {
            use super::types;

            #(#call_types)*
        }

        impl ClientHooks<#context_ty> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> ::std::result::Result<(), RawError<E>> {
                let operation = operations::find(info.operation_id).expect("every operation is in the operations table");
                ::rampkit_runtime::auth::apply(&self.inner.auth, request, operation)
                    .map_err(|e| RawError::Custom(e.to_string()))
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                _info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                ::rampkit_runtime::exec(&self.client, request).await
            }
        }

        #(#business_impls)*
    })
    .map_err(|e| format!("client wrappers do not parse: {e}"))?;
    file.items.extend(extra.items);
    Ok(())
}

fn success_has_property(ctx: &Context<'_>, operation_id: &str, field: &str) -> bool {
    let doc = &ctx.spec.value;
    spec::operations(doc)
        .iter()
        .filter(|op| op.id() == Some(operation_id))
        .flat_map(|op| op.responses())
        .filter(|(status, _)| spec::is_success(status))
        .filter_map(|(_, r)| spec::json_schema(r).and_then(spec::ref_name))
        .filter_map(|name| spec::components(doc)?.get(name))
        .any(|schema| {
            schema
                .get("properties")
                .and_then(|p| p.get(field))
                .is_some()
        })
}

/// The sandbox and production URLs of the main host (servers without `x-host`).
fn main_servers(doc: &Value) -> (TokenStream, TokenStream) {
    let find = |env: &str| {
        doc["servers"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| s["x-environment"] == env && s.get("x-host").is_none())
            .and_then(|s| s["url"].as_str())
            .map_or_else(|| quote!(None), |url| quote!(Some(#url)))
    };
    (find("sandbox"), find("production"))
}
