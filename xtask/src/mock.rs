//! `src/mock.rs` of each provider crate: progenitor's httpmock generator (as oxide's `oxide-httpmock`)
//! run on the same spec and settings as the client, so that a user's test can say
//! `server.upsert_user(|when, then| …)` with the request and answer types of the client. Behind the
//! crate's `httpmock` feature.
//!
//! progenitor's output is then made to fit the client, as `src/generated.rs` is:
//! - [`parameters`]: a parameter matcher takes what the client method takes (a typed identifier, for
//!   `x-identifier-type`) and matches a path parameter as the client sends it;
//! - [`docs`]: every public item is documented, so the crates keep `#![deny(missing_docs)]`.

mod docs;
mod parameters;

use openapiv3::OpenAPI;
use proc_macro2::{TokenStream, TokenTree};
use progenitor_impl::{GenerationSettings, Generator};
use quote::ToTokens;
use serde_json::Value;

use crate::postprocess::context::Context;
use crate::postprocess::emitters::header::header;

/// One operation's wrappers as progenitor names them: `MockServerExt::<id>` gives its closure an
/// `operations::<when>` and an `operations::<then>`.
pub struct MockOperation {
    pub id: String,
    pub when: String,
    pub then: String,
}

/// The mock module's source for the spec in `value` (already prepared as for the client).
pub fn generate(
    settings: &GenerationSettings,
    value: &Value,
    ctx: &Context<'_>,
) -> Result<String, String> {
    let openapi: OpenAPI = serde_json::from_value(value.clone())
        .map_err(|e| format!("not an OpenAPI 3.0 document: {e}"))?;
    let tokens = Generator::new(settings)
        .httpmock(&openapi, "crate")
        .map_err(|e| e.to_string())?;
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor produced unparsable code: {e}"))?;
    let operations = operations(&mut file)?;
    parameters::fit(&mut file, ctx, &operations)?;
    docs::document(&mut file, ctx, &operations)?;
    Ok(format!(
        "{}#![cfg_attr(rustfmt, rustfmt_skip)]\n\n{}",
        header(ctx),
        prettyplease::unparse(&file)
    ))
}

/// progenitor's `MockServerExt` trait: a method per operation.
fn ext_trait_mut(file: &mut syn::File) -> Result<&mut syn::ItemTrait, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Trait(t) if t.ident == "MockServerExt" => Some(t),
            _ => None,
        })
        .ok_or_else(|| "progenitor's httpmock output has no `MockServerExt` trait".to_owned())
}

/// Every operation of progenitor's `MockServerExt` trait, in its order.
fn operations(file: &mut syn::File) -> Result<Vec<MockOperation>, String> {
    ext_trait_mut(file)?
        .items
        .iter()
        .filter_map(|item| match item {
            syn::TraitItem::Fn(f) => Some(f),
            _ => None,
        })
        .map(|f| {
            let id = f.sig.ident.to_string();
            // `where F: FnOnce(operations::<when>, operations::<then>)`.
            let mut named = Vec::new();
            after_operations(f.sig.generics.where_clause.to_token_stream(), &mut named);
            match named.as_slice() {
                [when, then] => Ok(MockOperation {
                    id,
                    when: when.clone(),
                    then: then.clone(),
                }),
                _ => Err(format!(
                    "MockServerExt::{id}: expected `FnOnce(operations::…When, operations::…Then)`"
                )),
            }
        })
        .collect()
}

/// The identifiers that follow `operations ::` in `tokens`.
fn after_operations(tokens: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(module) if module == "operations" => {
                if let Some(TokenTree::Ident(name)) = tokens.get(i + 3) {
                    out.push(name.to_string());
                }
            }
            TokenTree::Group(g) => after_operations(g.stream(), out),
            _ => {}
        }
    }
}

/// The `impl` blocks of the `operations` module, by the type they are for (`CreateOrderWhen`).
fn impls_mut(file: &mut syn::File) -> Result<Vec<(String, &mut syn::ItemImpl)>, String> {
    let items = operations_items_mut(file)?;
    Ok(items
        .iter_mut()
        .filter_map(|item| match item {
            syn::Item::Impl(block) => {
                let name = block.self_ty.to_token_stream().to_string();
                Some((name, block))
            }
            _ => None,
        })
        .collect())
}

/// The items of progenitor's `pub mod operations { … }`.
fn operations_items_mut(file: &mut syn::File) -> Result<&mut Vec<syn::Item>, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "operations" => m.content.as_mut().map(|(_, i)| i),
            _ => None,
        })
        .ok_or_else(|| "progenitor's httpmock output has no `operations` module".to_owned())
}
