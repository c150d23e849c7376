//! Drops progenitor's `api-version` request header.

use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// progenitor sends `api-version: <info.version>` on every request; none of our vendors asks for it.
pub struct StripApiVersion;

impl VisitMut for StripApiVersion {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|stmt| {
            !stmt
                .to_token_stream()
                .to_string()
                .contains("\"api-version\"")
        });
        if block.stmts.len() != before {
            let appends = block.stmts.iter().any(|s| {
                s.to_token_stream()
                    .to_string()
                    .contains("header_map . append")
            });
            if !appends {
                for stmt in &mut block.stmts {
                    if let syn::Stmt::Local(local) = stmt
                        && let syn::Pat::Ident(pat) = &mut local.pat
                        && pat.ident == "header_map"
                    {
                        pat.mutability = None;
                    }
                }
            }
        }
        syn::visit_mut::visit_block_mut(self, block);
    }
}
