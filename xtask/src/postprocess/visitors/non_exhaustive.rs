//! `#[non_exhaustive]` where a later vendor addition must not break callers: response-only structs and
//! unit-variant enums, found by following types from the client methods' arguments and answers.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::ToTokens;

use crate::postprocess::context::Context;
use crate::postprocess::methods::client_async_fns;
use crate::spec;

/// Every identifier in a token stream (type paths and their generic arguments).
fn idents(tokens: TokenStream, out: &mut BTreeSet<String>) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Ident(i) => {
                out.insert(i.to_string());
            }
            proc_macro2::TokenTree::Group(g) => idents(g.stream(), out),
            _ => {}
        }
    }
}

/// The generated types reachable from what callers send (every argument of a client method) and
/// from what vendors send (success and error bodies, webhook payloads), following field types.
pub fn roots(file: &syn::File, ctx: &Context<'_>) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut requests = BTreeSet::new();
    let mut responses: BTreeSet<String> = spec::components(&ctx.spec.value)
        .into_iter()
        .flatten()
        .filter(|(_, s)| s.get("x-webhook-event").is_some())
        .map(|(name, _)| name.to_pascal_case())
        .collect();
    for f in client_async_fns(file) {
        for input in &f.sig.inputs {
            if let syn::FnArg::Typed(t) = input {
                idents(t.ty.to_token_stream(), &mut requests);
            }
        }
        if let syn::ReturnType::Type(_, ty) = &f.sig.output {
            idents(ty.to_token_stream(), &mut responses);
        }
    }
    // Field and variant types, transitively.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in file
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items)
    {
        let (name, tokens) = match item {
            syn::Item::Struct(s) => (s.ident.to_string(), s.fields.to_token_stream()),
            syn::Item::Enum(e) => (e.ident.to_string(), e.variants.to_token_stream()),
            _ => continue,
        };
        idents(tokens, edges.entry(name).or_default());
    }
    let close = |mut set: BTreeSet<String>| {
        let mut stack: Vec<String> = set.iter().cloned().collect();
        while let Some(name) = stack.pop() {
            for next in edges.get(&name).into_iter().flatten() {
                if set.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        set
    };
    (close(requests), close(responses))
}

/// `#[non_exhaustive]` on every struct with named fields and on every unit-variant enum (a value added
/// later is not a breaking change; callers match with a fallback arm). A field the vendor adds later is
/// then not a breaking change: callers never build response structs, and build request structs (request
/// bodies and everything they contain) only through `new(required…)` and `with_<field>` (the
/// `builders` emitter), never with struct literals, so only a new *required* property — one more argument
/// of `new` — breaks them.
///
/// No feature lifts it: code that plays the vendor (the simulator, tests) builds answers as JSON and
/// decodes them, so a user's test build (which may depend on the simulator) and release build see the
/// same types.
pub fn mark_non_exhaustive(
    items: &mut [syn::Item],
    requests: &BTreeSet<String>,
    responses: &BTreeSet<String>,
) {
    let attr: syn::Attribute = syn::parse_quote!(#[non_exhaustive]);
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                let name = s.ident.to_string();
                let reached = responses.contains(&name) || requests.contains(&name);
                if reached && matches!(s.fields, syn::Fields::Named(_)) {
                    s.attrs.push(attr.clone());
                }
            }
            syn::Item::Enum(e) if e.variants.iter().all(|v| v.fields.is_empty()) => {
                e.attrs.push(attr.clone());
            }
            _ => {}
        }
    }
}
