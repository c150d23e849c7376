//! Reading progenitor's output: its `Client` impl, and each method's request body, success and error
//! types.

use std::collections::BTreeMap;

use quote::ToTokens;

/// progenitor's inherent `impl Client` (not a trait impl).
pub fn is_client_impl(imp: &syn::ItemImpl) -> bool {
    imp.trait_.is_none() && imp.self_ty.to_token_stream().to_string() == "Client"
}

/// A client method's body, success and error types, read from progenitor's signature
/// (`Result<ResponseValue<S>, Error<E>>`, `body: &'a B`).
pub struct Method {
    pub body: Option<syn::Type>,
    pub success: Option<syn::Type>,
    pub error: Option<syn::Type>,
}

/// progenitor's client methods: the `async fn`s of its inherent `impl Client`.
pub fn client_async_fns(file: &syn::File) -> impl Iterator<Item = &syn::ImplItemFn> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(imp) if is_client_impl(imp) => Some(&imp.items),
            _ => None,
        })
        .flatten()
        .filter_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.asyncness.is_some() => Some(f),
            _ => None,
        })
}

/// Client method name → its types.
pub fn client_methods(file: &syn::File) -> BTreeMap<String, Method> {
    let mut out = BTreeMap::new();
    for f in client_async_fns(file) {
        let syn::ReturnType::Type(_, ty) = &f.sig.output else {
            continue;
        };
        // Result<ResponseValue<S>, Error<E>>
        let args = generic_args(ty);
        let success = args
            .first()
            .and_then(|t| generic_args(t).into_iter().next());
        let error = args.get(1).and_then(|t| generic_args(t).into_iter().next());
        let body = f.sig.inputs.iter().find_map(|input| match input {
            syn::FnArg::Typed(t) if t.pat.to_token_stream().to_string() == "body" => match &*t.ty {
                syn::Type::Reference(r) => Some((*r.elem).clone()),
                other => Some(other.clone()),
            },
            _ => None,
        });
        out.insert(
            f.sig.ident.to_string(),
            Method {
                body,
                success,
                error,
            },
        );
    }
    out
}

pub fn generic_args(ty: &syn::Type) -> Vec<syn::Type> {
    let syn::Type::Path(p) = ty else {
        return Vec::new();
    };
    let Some(last) = p.path.segments.last() else {
        return Vec::new();
    };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

pub fn is_unit(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Tuple(t) if t.elems.is_empty())
}
