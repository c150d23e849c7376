//! The HTTP client behind the crate's `client` feature.

/// Puts the HTTP client behind the crate's `client` feature (on by default): without it the crate is the
/// types, the contract constants and the operations table — no reqwest, tokio or TLS — which is what a
/// webhook handler needs.
pub fn gate_client_items(file: &mut syn::File) {
    let gate: syn::Attribute = syn::parse_quote!(#[cfg(feature = "client")]);
    for item in &mut file.items {
        let attrs = match item {
            syn::Item::Const(c) if c.ident != "_" => continue,
            syn::Item::Const(c) => &mut c.attrs,
            syn::Item::Mod(m) if m.ident == "types" || m.ident == "operations" => continue,
            syn::Item::Mod(m) => &mut m.attrs,
            syn::Item::Use(u) => &mut u.attrs,
            syn::Item::Struct(s) => &mut s.attrs,
            syn::Item::Impl(i) => &mut i.attrs,
            syn::Item::Fn(f) => &mut f.attrs,
            syn::Item::Enum(e) => &mut e.attrs,
            syn::Item::Trait(t) => &mut t.attrs,
            _ => continue,
        };
        attrs.insert(0, gate.clone());
    }
}
