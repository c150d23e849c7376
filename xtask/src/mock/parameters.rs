//! The parameter matchers of progenitor's `…When` types, made to take and match what the client sends.
//!
//! - A parameter the spec marks `x-identifier-type` (Crossmint's `userLocator`) is a typed identifier in
//!   the client (`&crate::UserLocator`, rendered by `rampkit_runtime::Identifier` when the URL is built),
//!   so its matcher takes the same type and renders it the same way. Otherwise a user would have to write
//!   the wire form by hand in the mock and a typed value in the call.
//! - progenitor puts a path parameter's value into the path regex as it is: neither percent-encoded as
//!   the client's `encode_path` sends it (httpmock matches the raw request path), nor regex-escaped. So
//!   `email:ana+1@example.com` never matched its own request (`+` is a quantifier) and `.` matched any
//!   character. The matcher renders the value with the client's `encode_path`, then escapes it.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::visit_mut::VisitMut;

use super::{MockOperation, impls_mut};
use crate::postprocess::context::Context;
use crate::postprocess::emitters::calls::{SpecParameter, spec_parameters};

pub fn fit(
    file: &mut syn::File,
    ctx: &Context<'_>,
    operations: &[MockOperation],
) -> Result<(), String> {
    for (name, block) in impls_mut(file)? {
        let Some(op) = operations.iter().find(|op| op.when == name) else {
            continue;
        };
        let params = spec_parameters(ctx, &op.id);
        for item in &mut block.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            let method = f.sig.ident.to_string();
            if ["new", "into_inner", "body"].contains(&method.as_str()) {
                continue;
            }
            let (_, param) = spec_parameter(&params, &method).ok_or_else(|| {
                format!(
                    "{}: progenitor's mock has `{method}`, which the spec does not name",
                    op.id
                )
            })?;
            let identifier = match &param.identifier {
                Some(type_name) => {
                    let path: syn::Path = syn::parse_str(&format!("crate::{type_name}"))
                        .map_err(|e| format!("{}: `{type_name}`: {e}", op.id))?;
                    let mut retype = Retype { path, replaced: 0 };
                    retype.visit_signature_mut(&mut f.sig);
                    if retype.replaced != 1 {
                        return Err(format!(
                            "{}.{method}: has `x-identifier-type` but progenitor's mock does not take it as `&str`",
                            op.id
                        ));
                    }
                    true
                }
                None => false,
            };
            let by_ref_str = !identifier && takes_str(&f.sig);
            let rendered = render(&param.location, identifier, by_ref_str);
            let mut replaced = 0;
            let body = replace_to_string(f.block.to_token_stream(), &rendered, &mut replaced);
            if replaced == 0 {
                return Err(format!(
                    "{}.{method}: progenitor's matcher no longer renders `value.to_string()`",
                    op.id
                ));
            }
            f.block = syn::parse2(body).map_err(|e| format!("{}.{method}: {e}", op.id))?;
        }
    }
    Ok(())
}

/// The spec's parameter of a matcher method: its snake-case name, with `_` after a Rust keyword
/// (`type_`), as progenitor names it.
pub fn spec_parameter<'p>(
    params: &'p [(String, SpecParameter)],
    method: &str,
) -> Option<&'p (String, SpecParameter)> {
    params
        .iter()
        .find(|(n, _)| n == method || method.strip_suffix('_') == Some(n.as_str()))
}

/// What replaces progenitor's `value.to_string()` in a matcher of a parameter in `location`.
fn render(location: &str, identifier: bool, by_ref_str: bool) -> TokenStream {
    let text = if identifier {
        quote!(::rampkit_runtime::Identifier::to_parameter(value).expose_str())
    } else if by_ref_str {
        quote!(value)
    } else {
        quote!(&value.to_string())
    };
    match location {
        // As the client builds the URL (`encode_path`), then literal in the regex.
        "path" => quote!(regex::escape(&::progenitor_client::encode_path(#text))),
        // httpmock compares query values and headers decoded: the plain text.
        _ if identifier => quote!(#text),
        _ => quote!(value.to_string()),
    }
}

/// `value: &str` (a required string parameter).
fn takes_str(sig: &syn::Signature) -> bool {
    sig.inputs.iter().any(|input| match input {
        syn::FnArg::Typed(t) => t.ty.to_token_stream().to_string().replace(' ', "") == "&str",
        syn::FnArg::Receiver(_) => false,
    })
}

/// Replaces the `str` of `&str` or `&'a str` with the identifier type.
struct Retype {
    path: syn::Path,
    replaced: usize,
}

impl VisitMut for Retype {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        if let syn::Type::Path(p) = reference.elem.as_mut()
            && p.qself.is_none()
            && p.path.is_ident("str")
        {
            p.path = self.path.clone();
            self.replaced += 1;
        }
        syn::visit_mut::visit_type_reference_mut(self, reference);
    }
}

/// `tokens` with every `value.to_string()` replaced by `with` (also inside `format!`'s arguments, which
/// syn does not parse).
fn replace_to_string(tokens: TokenStream, with: &TokenStream, count: &mut usize) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if is_value_to_string(&tokens[i..]) {
            out.extend(with.clone());
            *count += 1;
            i += 4;
            continue;
        }
        match &tokens[i] {
            TokenTree::Group(g) => {
                let mut group =
                    Group::new(g.delimiter(), replace_to_string(g.stream(), with, count));
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// `value . to_string ()` at the start of `tokens`.
fn is_value_to_string(tokens: &[TokenTree]) -> bool {
    matches!(
        tokens,
        [
            TokenTree::Ident(value),
            TokenTree::Punct(dot),
            TokenTree::Ident(method),
            TokenTree::Group(args),
            ..
        ] if value == "value"
            && dot.as_char() == '.'
            && method == "to_string"
            && args.delimiter() == Delimiter::Parenthesis
            && args.stream().is_empty()
    )
}
