//! Documentation for every public item of the mock module (progenitor documents only the module and
//! the trait), written from the spec: which request a `…When` matches and what each of its methods
//! adds, what each `…Then` method answers, and which client method each mock stands in for.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

use super::parameters::spec_parameter;
use super::{MockOperation, ext_trait_mut, impls_mut, operations_items_mut};
use crate::postprocess::context::Context;
use crate::postprocess::emitters::calls::spec_parameters;
use crate::spec;

fn doc(text: &str) -> syn::Attribute {
    syn::parse_quote!(#[doc = #text])
}

/// `POST /2022-06-09/orders`, from the spec.
fn request_line(ctx: &Context<'_>, id: &str) -> Result<String, String> {
    spec::operations(&ctx.spec.value)
        .into_iter()
        .find(|op| op.id() == Some(id))
        .map(|op| format!("{} {}", op.method.to_uppercase(), op.path))
        .ok_or_else(|| format!("{id}: progenitor mocks an operation the spec does not have"))
}

pub fn document(
    file: &mut syn::File,
    ctx: &Context<'_>,
    operations: &[MockOperation],
) -> Result<(), String> {
    let mut lines = Vec::with_capacity(operations.len());
    for op in operations {
        lines.push(request_line(ctx, &op.id)?);
    }
    let find = |name: &str| {
        operations
            .iter()
            .zip(&lines)
            .find(|(op, _)| op.when == name || op.then == name)
    };

    for item in operations_items_mut(file)? {
        let syn::Item::Struct(s) = item else { continue };
        let name = s.ident.to_string();
        let Some((op, line)) = find(&name) else {
            continue;
        };
        let id = &op.id;
        let text = if op.when == name {
            format!(
                "What a [`{id}`](crate::Client::{id}) request (`{line}`) must be for its mock to answer: \
                 the method and the path, and what each method of this type adds."
            )
        } else {
            format!(
                "What the mock of [`{id}`](crate::Client::{id}) answers: a method per response the spec \
                 documents, or [`into_inner`](Self::into_inner) for any other."
            )
        };
        s.attrs.push(doc(&text));
    }

    for (name, block) in impls_mut(file)? {
        let Some((op, line)) = find(&name) else {
            continue;
        };
        let params = spec_parameters(ctx, &op.id);
        for item in &mut block.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            let method = f.sig.ident.to_string();
            let text = if op.when == name {
                match method.as_str() {
                    "new" => format!(
                        "Matches `{line}` with any parameter values and any body (what \
                         [`MockServerExt::{0}`](super::MockServerExt::{0}) starts from).",
                        op.id
                    ),
                    "into_inner" => "httpmock's [`When`](::httpmock::When), to match more than the spec says \
                                     (or something else)."
                        .to_owned(),
                    "body" => "Matches a JSON body equal to `value` as the client serializes it (the whole \
                               body: a field more or less does not match)."
                        .to_owned(),
                    _ => {
                        let (_, param) = spec_parameter(&params, &method).ok_or_else(|| format!("{}.{method}: not in the spec", op.id))?;
                        let (wire, location) = (&param.wire_name, &param.location);
                        let how = if location == "path" {
                            ": `value` as the client sends it (percent-encoded)"
                        } else {
                            ""
                        };
                        if f.sig.generics.params.is_empty() {
                            format!("Matches the `{wire}` {location} parameter{how}.")
                        } else {
                            format!(
                                "Matches the optional `{wire}` {location} parameter{how}: with a value, that \
                                 value must be sent; with `None`, none may be."
                            )
                        }
                    }
                }
            } else {
                match method.as_str() {
                    "new" => format!(
                        "Wraps httpmock's [`Then`](::httpmock::Then) (what \
                         [`MockServerExt::{0}`](super::MockServerExt::{0}) does).",
                        op.id
                    ),
                    "into_inner" => {
                        "httpmock's [`Then`](::httpmock::Then), to answer what the spec does \
                                     not describe."
                            .to_owned()
                    }
                    _ => answer(f),
                }
            };
            f.attrs.push(doc(&text));
        }
    }

    for item in &mut ext_trait_mut(file)?.items {
        let syn::TraitItem::Fn(f) = item else {
            continue;
        };
        let id = f.sig.ident.to_string();
        let Some((op, line)) = operations.iter().zip(&lines).find(|(op, _)| op.id == id) else {
            continue;
        };
        f.attrs.push(doc(&format!(
            "Mocks [`{id}`](crate::Client::{id}) (`{line}`): `config_fn` says what the request must be \
             ([`{when}`](operations::{when})) and what the mock answers ([`{then}`](operations::{then})).",
            when = op.when,
            then = op.then,
        )));
    }
    Ok(())
}

/// What a `…Then` method answers: progenitor names it after the status (`ok`, `created`) or the
/// status class (`success`, `client_error`: `status` must be in it), or `default_response`.
fn answer(f: &syn::ImplItemFn) -> String {
    let body = if f.sig.inputs.iter().any(|input| {
        matches!(input, syn::FnArg::Typed(t) if t.pat.to_token_stream().to_string() == "value")
    }) {
        "with `value` as its JSON body"
    } else {
        "with no body"
    };
    let class = match f.sig.ident.to_string().as_str() {
        "informational" => Some(1),
        "success" => Some(2),
        "redirect" => Some(3),
        "client_error" => Some(4),
        "server_error" => Some(5),
        _ => None,
    };
    match (class, status_code(f.block.to_token_stream())) {
        (Some(class), _) => {
            format!("Answers `status`, a {class}xx status (any other panics), {body}.")
        }
        (None, Some(code)) => format!("Answers `{code}` {body}."),
        (None, None) => format!("Answers `status` (the spec's `default` response) {body}."),
    }
}

/// The literal of `.status(200u16)`, if the status is fixed.
fn status_code(tokens: TokenStream) -> Option<u16> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(name) if name == "status" => {
                if let Some(TokenTree::Group(args)) = tokens.get(i + 1)
                    && let Ok(lit) = syn::parse2::<syn::LitInt>(args.stream())
                {
                    return lit.base10_parse().ok();
                }
            }
            TokenTree::Group(g) => {
                if let Some(code) = status_code(g.stream()) {
                    return Some(code);
                }
            }
            _ => {}
        }
    }
    None
}
