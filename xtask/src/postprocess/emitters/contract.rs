//! Crate attributes and the vendor-contract constants: API version, spec hash and path, base URLs.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::postprocess::context::Context;

/// Crate attributes, the vendor-contract constants and re-exports.
pub fn contract_items(ctx: &Context<'_>) -> TokenStream {
    let doc = &ctx.spec.value;
    let version = doc["info"]["version"].as_str().unwrap_or_default();
    let title = doc["info"]["title"].as_str().unwrap_or_default();
    let sha = &ctx.spec.sha256;
    let path = &ctx.spec.rel_path;
    let packaged = format!("spec/{}.yaml", ctx.provider.name);
    let mut servers = Vec::new();
    for server in doc["servers"].as_array().into_iter().flatten() {
        let (Some(url), Some(env)) = (server["url"].as_str(), server["x-environment"].as_str())
        else {
            continue;
        };
        let host = server["x-host"].as_str();
        let ident = match host {
            Some(host) => format_ident!(
                "{}_{}_URL",
                env.to_shouty_snake_case(),
                host.to_shouty_snake_case()
            ),
            None => format_ident!("{}_URL", env.to_shouty_snake_case()),
        };
        let text = match host {
            Some(host) => format!(
                "The vendor's {env} base URL for its `{host}` host (`servers` in `{path}`): operations marked `x-host: {host}` are sent there."
            ),
            None => format!("The vendor's {env} base URL (`servers` in `{path}`)."),
        };
        servers.push(quote! { #[doc = #text] pub const #ident: &str = #url; });
    }
    let version_doc =
        format!("The {title} version this client speaks: `info.version` of `{path}`.");
    quote! {
        #![cfg_attr(rustfmt, rustfmt_skip)]
        #![allow(clippy::all, clippy::pedantic, unused_imports, unused_mut)]

        #[doc = #version_doc]
        pub const API_VERSION: &str = #version;
        /// SHA-256 of the spec file this client was generated from; log it to know the exact contract.
        pub const SPEC_SHA256: &str = #sha;
        /// The spec file this client was generated from, relative to this crate's package root (a copy
        /// of the rampkit repository's `specs/` file, shipped in the package).
        pub const SPEC_PATH: &str = #packaged;
        #(#servers)*
    }
}
