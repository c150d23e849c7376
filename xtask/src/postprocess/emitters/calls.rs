//! One public method per operation, returning the operation's call: `client.op(required…)` takes the
//! path parameters, the required query parameters and the body, in progenitor's order; every optional
//! query parameter is a method of the returned `calls::<Op>`, which is sent by `.await` (or `send()`).
//!
//! So a parameter the vendor adds as optional is one more method on the call — existing code compiles —
//! while a required one is one more argument and fails to compile until the caller supplies it. The
//! typed identifiers the spec names (`x-identifier-type`) are taken as that type and rendered only when
//! the URL is built.

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::lint;
use crate::postprocess::context::Context;
use crate::postprocess::methods::generic_args;
use crate::spec;

/// What the spec says of one parameter of an operation.
pub(crate) struct SpecParameter {
    /// The name on the wire (`userLocator`).
    pub wire_name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    pub description: Option<String>,
    /// `x-identifier-type`: the crate's type the method takes instead of a string.
    pub identifier: Option<String>,
}

/// The operation's parameters by their Rust argument name (progenitor's snake case of the wire name).
/// The typed httpmock helpers (`crate::mock`) read them too, to take the same types as the client.
pub(crate) fn spec_parameters(
    ctx: &Context<'_>,
    operation_id: &str,
) -> Vec<(String, SpecParameter)> {
    let doc = &ctx.spec.value;
    spec::operations(doc)
        .into_iter()
        .filter(|op| op.id() == Some(operation_id))
        .flat_map(|op| op.parameters(doc))
        .filter_map(|p| {
            let wire_name = p.get("name")?.as_str()?;
            let text = |key: &str| p.get(key).and_then(Value::as_str).map(str::to_owned);
            Some((
                wire_name.to_snake_case(),
                SpecParameter {
                    wire_name: wire_name.to_owned(),
                    location: text("in").unwrap_or_default(),
                    description: text("description"),
                    identifier: text(lint::IDENTIFIER_TYPE),
                },
            ))
        })
        .collect()
}

/// One argument of progenitor's raw method, as the call holds it.
struct Argument {
    name: syn::Ident,
    /// The type the call stores (`&'a crate::UserLocator` for an identifier).
    ty: syn::Type,
    /// An optional parameter: a method of the call, stored as `Option<inner>`.
    optional: Option<syn::Type>,
    /// How the raw method is given it, inside `send` (after `prepare`).
    pass: TokenStream,
    /// Statements before the raw call (rendering an identifier).
    prepare: TokenStream,
    description: Option<String>,
}

fn argument(pat: &syn::Pat, ty: &syn::Type, spec: Option<&SpecParameter>) -> Argument {
    let name = match pat {
        syn::Pat::Ident(p) => p.ident.clone(),
        other => syn::parse_quote!(#other),
    };
    let inner = option_inner(ty);
    let identifier = spec
        .and_then(|s| s.identifier.as_deref())
        .map(|t| syn::parse_str::<syn::Path>(&format!("crate::{t}")).expect("a type name"));
    let (ty, optional, pass, prepare) = match (identifier, inner) {
        (Some(id), None) => (
            syn::parse_quote!(&'a #id),
            None,
            quote!(#name.expose_str()),
            quote!(let #name = ::rampkit_runtime::Identifier::to_parameter(self.#name);),
        ),
        (Some(id), Some(_)) => (
            syn::parse_quote!(::std::option::Option<&'a #id>),
            Some(syn::parse_quote!(&'a #id)),
            quote!(#name.as_ref().map(|value| value.expose_str())),
            quote!(let #name = self.#name.map(::rampkit_runtime::Identifier::to_parameter);),
        ),
        (None, inner) => (ty.clone(), inner, quote!(self.#name), TokenStream::new()),
    };
    Argument {
        name,
        ty,
        optional,
        pass,
        prepare,
        description: spec.and_then(|s| s.description.clone()),
    }
}

/// `T` of `Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    (last.ident == "Option")
        .then(|| generic_args(ty).into_iter().next())
        .flatten()
}

/// The public method of `raw` (progenitor's method, already renamed `__<name>`) and its call type.
pub struct Call {
    pub method: TokenStream,
    pub call_type: TokenStream,
}

pub fn call(
    ctx: &Context<'_>,
    name: &syn::Ident,
    raw: &syn::ImplItemFn,
    docs: &[syn::Attribute],
    success: &syn::Type,
) -> Result<Call, String> {
    let operation = name.to_string();
    let spec_params = spec_parameters(ctx, &operation);
    let args: Vec<Argument> = raw
        .sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(t) => Some(t),
            syn::FnArg::Receiver(_) => None,
        })
        .map(|t| {
            let spec = spec_params
                .iter()
                .find(|(n, _)| arg_name(&t.pat) == *n)
                .map(|(_, s)| s);
            if spec.is_some_and(|s| s.identifier.is_some()) {
                let ty = &t.ty;
                let text = quote!(#ty).to_string().replace(' ', "");
                if !text.ends_with("&'astr") && !text.ends_with("Option<&'astr>") {
                    return Err(format!(
                        "{operation}: `{}` has `x-identifier-type` but progenitor gives it `{text}`, not a string",
                        arg_name(&t.pat)
                    ));
                }
            }
            Ok(argument(&t.pat, &t.ty, spec))
        })
        .collect::<Result<_, String>>()?;
    for a in &args {
        if ["send", "into_future"].contains(&a.name.to_string().as_str()) {
            return Err(format!(
                "{operation}: a parameter named `{}` would hide the call's own method",
                a.name
            ));
        }
    }

    let call_ident = format_ident!("{}", operation.to_pascal_case());
    let raw_ident = &raw.sig.ident;
    let op_const = format_ident!("{}", operation.to_shouty_snake_case());
    let positional: Vec<&Argument> = args.iter().filter(|a| a.optional.is_none()).collect();
    let pos_names: Vec<&syn::Ident> = positional.iter().map(|a| &a.name).collect();
    let pos_types: Vec<&syn::Type> = positional.iter().map(|a| &a.ty).collect();
    let optional: Vec<&Argument> = args.iter().filter(|a| a.optional.is_some()).collect();
    let opt_names: Vec<&syn::Ident> = optional.iter().map(|a| &a.name).collect();
    let field_names: Vec<&syn::Ident> = args.iter().map(|a| &a.name).collect();
    let field_types: Vec<&syn::Type> = args.iter().map(|a| &a.ty).collect();
    let setters = optional.iter().map(|a| {
        let name = &a.name;
        let inner = a.optional.as_ref().expect("optional");
        let doc = match &a.description {
            Some(d) => format!("Sets the optional `{name}` parameter: {}", d.trim_end()),
            None => format!("Sets the optional `{name}` parameter."),
        };
        quote! {
            #[doc = #doc]
            pub fn #name(mut self, value: #inner) -> Self {
                self.#name = ::std::option::Option::Some(value);
                self
            }
        }
    });
    let prepare = args.iter().map(|a| &a.prepare);
    let pass = args.iter().map(|a| &a.pass);

    let then = if optional.is_empty() {
        String::new()
    } else {
        "set its optional parameters with its methods, then ".to_owned()
    };
    let struct_doc = format!(
        "A `{operation}` call, made by [`Client::{operation}`](super::Client::{operation}): {then}\
         `.await` it (or [`send`](Self::send) it)."
    );
    let call_type = quote! {
        #[doc = #struct_doc]
        #[must_use = "a call is sent only when it is awaited"]
        pub struct #call_ident<'a> {
            pub(super) client: &'a super::Client,
            #( pub(super) #field_names: #field_types, )*
        }

        impl<'a> #call_ident<'a> {
            #(#setters)*

            /// Sends the call: credentials, retries and errors as every call of this client.
            pub async fn send(self) -> ::std::result::Result<super::ResponseValue<#success>, ::rampkit_runtime::Error> {
                #(#prepare)*
                ::rampkit_runtime::call(
                    self.client.parts(),
                    &super::operations::#op_const,
                    || self.client.#raw_ident(#(#pass),*),
                )
                .await
            }
        }

        impl<'a> ::std::future::IntoFuture for #call_ident<'a> {
            type Output = ::std::result::Result<super::ResponseValue<#success>, ::rampkit_runtime::Error>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };

    let note = if opt_names.is_empty() {
        format!(
            "\n\nReturns the call ([`calls::{call_ident}`](calls::{call_ident})): `.await` it to send it."
        )
    } else {
        let list: Vec<String> = opt_names.iter().map(|n| format!("`{n}`")).collect();
        format!(
            "\n\nReturns the call ([`calls::{call_ident}`](calls::{call_ident})): set the optional \
             parameters ({}) with its methods, then `.await` it.",
            list.join(", ")
        )
    };
    let method = quote! {
        #(#docs)*
        #[doc = #note]
        pub fn #name<'a>(&'a self, #( #pos_names: #pos_types ),*) -> calls::#call_ident<'a> {
            calls::#call_ident {
                client: self,
                #( #pos_names, )*
                #( #opt_names: ::std::option::Option::None, )*
            }
        }
    };
    Ok(Call { method, call_type })
}

fn arg_name(pat: &syn::Pat) -> String {
    match pat {
        syn::Pat::Ident(p) => p.ident.to_string(),
        _ => String::new(),
    }
}
