//! Per-call work progenitor's request code does that rampkit's clients do not need.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// Three things progenitor's request code does on every call that rampkit's clients do not need
/// (measured with the 64-concurrency bench, docs/benchmarks.md):
/// - an empty `HeaderMap` built and merged into the request of an operation without header parameters
///   (none of ours has any once `api-version` is stripped): both are dropped;
/// - `encode_path(&p.to_string())` for a `&str` path parameter copies the string before encoding it:
///   `encode_path(p)`;
/// - `ResponseValue::from_response` clones the answer's headers: `rampkit_runtime::response_value`
///   moves them (same value, same errors).
#[derive(Default)]
pub struct LeanRequests {
    /// The `&str` parameters of the method being visited.
    str_params: BTreeSet<String>,
    /// Inside a block whose `header_map` was dropped: drop `.headers(header_map)` too.
    drop_headers: bool,
}

fn is_header_map_let(stmt: &syn::Stmt) -> bool {
    matches!(stmt, syn::Stmt::Local(local)
        if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "header_map"))
}

fn is_path(expr: &syn::Expr, segments: &[&str]) -> bool {
    matches!(expr, syn::Expr::Path(p)
        if p.qself.is_none()
            && p.path.segments.len() == segments.len()
            && p.path.segments.iter().zip(segments).all(|(s, want)| s.ident == want && s.arguments.is_none()))
}

impl VisitMut for LeanRequests {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let outer = std::mem::take(&mut self.str_params);
        for input in &f.sig.inputs {
            if let syn::FnArg::Typed(typed) = input
                && let syn::Pat::Ident(id) = &*typed.pat
                && let syn::Type::Reference(reference) = &*typed.ty
                && let syn::Type::Path(path) = &*reference.elem
                && path.path.is_ident("str")
            {
                self.str_params.insert(id.ident.to_string());
            }
        }
        syn::visit_mut::visit_impl_item_fn_mut(self, f);
        self.str_params = outer;
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let appends = block.stmts.iter().any(|s| {
            s.to_token_stream()
                .to_string()
                .contains("header_map . append")
        });
        let outer = self.drop_headers;
        if !appends && block.stmts.iter().any(is_header_map_let) {
            block.stmts.retain(|s| !is_header_map_let(s));
            self.drop_headers = true;
        }
        syn::visit_mut::visit_block_mut(self, block);
        self.drop_headers = outer;
    }

    /// `format!` (which builds the URL) is a macro: its arguments are parsed, visited and put back.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        use syn::punctuated::Punctuated;
        if mac.path.is_ident("format")
            && let Ok(mut args) =
                mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        {
            for arg in args.iter_mut() {
                self.visit_expr_mut(arg);
            }
            mac.tokens = args.to_token_stream();
        }
        syn::visit_mut::visit_macro_mut(self, mac);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        match expr {
            syn::Expr::MethodCall(call)
                if self.drop_headers
                    && call.method == "headers"
                    && call.args.len() == 1
                    && is_path(&call.args[0], &["header_map"]) =>
            {
                *expr = (*call.receiver).clone();
            }
            syn::Expr::Call(call)
                if is_path(&call.func, &["encode_path"]) && call.args.len() == 1 =>
            {
                if let syn::Expr::Reference(reference) = &call.args[0]
                    && let syn::Expr::MethodCall(to_string) = &*reference.expr
                    && to_string.method == "to_string"
                    && to_string.args.is_empty()
                    && let syn::Expr::Path(param) = &*to_string.receiver
                    && param
                        .path
                        .get_ident()
                        .is_some_and(|i| self.str_params.contains(&i.to_string()))
                {
                    call.args[0] = (*to_string.receiver).clone();
                }
            }
            syn::Expr::Path(_) if is_path(expr, &["ResponseValue", "from_response"]) => {
                *expr = syn::parse_quote!(::rampkit_runtime::response_value);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LeanRequests;
    use syn::visit_mut::VisitMut;

    fn lean(code: &str) -> String {
        let mut file: syn::File = syn::parse_str(code).unwrap();
        LeanRequests::default().visit_file_mut(&mut file);
        prettyplease::unparse(&file)
    }

    /// A progenitor method as it comes (trimmed): the empty header map, the copied `&str` path
    /// parameter and `from_response` go; an `i64` parameter keeps its `to_string`, and a block that
    /// appends to its header map keeps it.
    #[test]
    fn lean_requests_drops_what_rampkit_does_not_need() {
        let out = lean(
            r#"impl Client {
                async fn __get<'a>(&'a self, locator: &'a str, page: i64) -> R {
                    let url = format!("{}/users/{}/{}", self.baseurl, encode_path(&locator.to_string()), encode_path(&page.to_string()),);
                    let header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                    let mut request = self.client.get(url).header(ACCEPT, v).headers(header_map).build()?;
                    match response.status().as_u16() {
                        200u16 => ResponseValue::from_response(response).await,
                        _ => Err(RawError::ErrorResponse(ResponseValue::from_response(response).await?)),
                    }
                }
                async fn __with_header<'a>(&'a self, key: &'a str) -> R {
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                    header_map.append("x-key", key.to_string().try_into()?);
                    let mut request = self.client.get(url).headers(header_map).build()?;
                }
            }"#,
        );
        let get = &out[..out.find("__with_header").unwrap()];
        assert!(!get.contains("header_map"), "{get}");
        assert!(get.contains("encode_path(locator)"), "{get}");
        let compact: String = get.split_whitespace().collect();
        assert!(compact.contains("encode_path(&page.to_string())"), "{get}");
        assert!(!get.contains("from_response"), "{get}");
        assert_eq!(
            get.matches("::rampkit_runtime::response_value(response)")
                .count(),
            2,
            "{get}"
        );
        let with_header = &out[out.find("__with_header").unwrap()..];
        assert!(
            with_header.contains(".headers(header_map)"),
            "{with_header}"
        );
        assert!(with_header.contains("let mut header_map"), "{with_header}");
    }
}
