//! Turns progenitor's token stream into the committed `src/generated.rs`: strips the `api-version` header,
//! adds the forward-compatible enums, the contract constants and the operation table, wraps the client in
//! rampkit's runtime, drops per-call work the clients do not need (`LeanRequests`), and formats the file.
//!
//! - [`visitors`]: passes that rewrite progenitor's code in place;
//! - [`emitters`]: code and text rampkit adds (constants, operations table, open enums, the public
//!   client, the header);
//! - [`methods`]: what progenitor's client methods take and return; [`context`]: what every step reads.

pub mod context;
pub mod emitters;
pub mod methods;
pub mod visitors;

use proc_macro2::TokenStream;
use syn::visit_mut::VisitMut;

use crate::postprocess::context::Context;
use crate::postprocess::emitters::{builders, client, contract, header, open_enum, operations};
use crate::postprocess::methods::client_methods;
use crate::postprocess::visitors::client_gate::gate_client_items;
use crate::postprocess::visitors::lean_requests::LeanRequests;
use crate::postprocess::visitors::missing_docs::fill_missing_docs;
use crate::postprocess::visitors::non_exhaustive::{mark_non_exhaustive, roots};
use crate::postprocess::visitors::rustdoc::RustdocSafe;
use crate::postprocess::visitors::strip_api_version::StripApiVersion;

pub struct Counts {
    pub operations: usize,
    pub types: usize,
}

pub fn finish(tokens: TokenStream, ctx: &Context<'_>) -> Result<(String, Counts), String> {
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor produced unparsable code: {e}"))?;

    StripApiVersion.visit_file_mut(&mut file);

    let (requests, responses) = roots(&file, ctx);
    let types_mod = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or("progenitor output has no `types` module")?;
    mark_non_exhaustive(types_mod, &requests, &responses);
    for e in ctx.open_enums {
        let tokens = open_enum::open_enum(e)?;
        let parsed: syn::File =
            syn::parse2(tokens).map_err(|err| format!("open enum {}: {err}", e.name))?;
        types_mod.extend(parsed.items);
    }
    fill_missing_docs(types_mod);
    let builders = builders::builders(types_mod, &requests)?;
    types_mod.extend(builders);
    let types = types_mod
        .iter()
        .filter(|i| matches!(i, syn::Item::Struct(_) | syn::Item::Enum(_)))
        .count();

    let methods = client_methods(&file);
    let operations_mod = operations::operations_module(ctx, &methods)?;
    client::rewrite(&mut file, ctx, &methods)?;
    // After `client::rewrite`, which recognises progenitor's `ResponseValue::from_response` arms.
    LeanRequests::default().visit_file_mut(&mut file);
    let mut prelude: syn::File =
        syn::parse2(contract::contract_items(ctx)).map_err(|e| e.to_string())?;
    prelude.items.extend(
        syn::parse2::<syn::File>(operations_mod)
            .map_err(|e| e.to_string())?
            .items,
    );

    file.attrs = prelude.attrs;
    let mut items = prelude.items;
    items.append(&mut file.items);
    file.items = items;
    RustdocSafe.visit_file_mut(&mut file);
    gate_client_items(&mut file);

    let code = format!("{}{}", header::header(ctx), prettyplease::unparse(&file));
    Ok((
        code,
        Counts {
            operations: methods.len(),
            types,
        },
    ))
}
