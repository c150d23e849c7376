//! Rewrites inside progenitor's raw methods: its error renamed `RawError`, JSON bodies sized up front,
//! and bodiless successes decoded as `{}` where the spec allows them.

use quote::{ToTokens, format_ident};
use syn::visit_mut::VisitMut;

/// progenitor's `Error` becomes `RawError` inside the generated file; `Error` is the runtime's.
pub struct RenameRawError;

impl VisitMut for RenameRawError {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && path.segments.len() <= 2
            && path.segments[0].ident == "Error"
        {
            path.segments[0].ident = format_ident!("RawError");
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// `.json(&body)` → `rampkit_runtime::to_json_body`: a body of exact length whose documents are
/// base64-encoded chunk by chunk as it is written (never held encoded).
pub struct SizedJsonBody;

impl VisitMut for SizedJsonBody {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::MethodCall(call) = expr else {
            return;
        };
        if call.method != "json" || call.args.len() != 1 {
            return;
        }
        let receiver = &call.receiver;
        *expr = syn::parse_quote! {
            #receiver
                .header(
                    ::reqwest::header::CONTENT_TYPE,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .body(
                    ::rampkit_runtime::to_json_body(body)
                        .map_err(|e| RawError::InvalidRequest(e.to_string()))?,
                )
        };
    }
}

/// For an operation whose success response says `x-empty-body: true` (the vendor may answer that status
/// range with no body): the success arm decodes an empty body as `{}`, so a bodiless `201` is a success
/// with every (optional) field unset instead of a decoding error.
pub struct EmptyBodyDecodesAsEmptyObject;

impl VisitMut for EmptyBodyDecodesAsEmptyObject {
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        syn::visit_mut::visit_arm_mut(self, arm);
        let pattern = arm.pat.to_token_stream().to_string();
        let body = arm.body.to_token_stream().to_string();
        let body = body.trim_start_matches('{').trim_start();
        let success = pattern.starts_with('2') && pattern.len() >= 3 && !pattern.starts_with("2 ");
        if !success || !body.starts_with("ResponseValue :: from_response") {
            return;
        }
        *arm.body = syn::parse_quote! {
            {
                let status = response.status();
                let headers = response.headers().clone();
                let full = response.bytes().await.map_err(RawError::ResponseBodyError)?;
                let json: &[u8] = if full.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &full };
                let inner = ::serde_json::from_slice(json)
                    .map_err(|e| RawError::InvalidResponsePayload(full.clone(), e))?;
                Ok(ResponseValue::new(inner, status, headers))
            }
        };
    }
}
