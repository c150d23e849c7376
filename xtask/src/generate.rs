//! spec → lint → progenitor → post-processing → prettyplease.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Mutex;

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use progenitor_impl::{
    CrateVers, GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};
use quote::format_ident;
use serde_json::{Value, json};

use crate::lint::{self, BASE64_DOCUMENT, PII};
use crate::postprocess::{self, context::Context, emitters::header::generator_versions};
use crate::providers::Provider;
use crate::spec::{self, OpenEnum, Spec};

/// What the README table and the console report say of one provider.
pub struct Summary {
    pub provider: &'static str,
    pub api_version: String,
    pub operations: usize,
    pub types: usize,
}

pub struct Generated {
    pub code: String,
    /// `src/mock.rs`: typed httpmock `When`/`Then` helpers for every operation (feature `httpmock`).
    pub mock: String,
    pub summary: Summary,
}

pub fn generate(root: &Path, provider: &'static Provider) -> Result<Generated, String> {
    let spec = spec::load(root, provider.name)?;
    generate_spec(&spec, provider, &generator_versions(root)?)
}

/// [`generate`] from a spec already in memory; `generator` names the generator crates' versions for the
/// header (`generator_versions`).
pub fn generate_spec(
    spec: &Spec,
    provider: &'static Provider,
    generator: &str,
) -> Result<Generated, String> {
    let identifiers: Vec<&str> = provider
        .modules
        .iter()
        .flat_map(|m| m.exports.iter().copied())
        .collect();
    lint::lint(provider.name, &identifiers, &spec.rel_path, &spec.value)?;
    let open_enums = spec::open_enums(&spec.value);

    let mut value = spec.value.clone();
    mark_runtime_types(&mut value);
    redact_free_form(&mut value);
    let settings = settings(provider, &open_enums);
    let tokens =
        run_progenitor(&settings, &value).map_err(|e| format!("{}: {e}", spec.rel_path))?;

    let ctx = Context {
        provider,
        generator,
        spec,
        open_enums: &open_enums,
    };
    let (code, counts) = postprocess::finish(tokens, &ctx)?;
    let mock = crate::mock::generate(&settings, &value, &ctx)
        .map_err(|e| format!("{}: httpmock helpers: {e}", spec.rel_path))?;

    let api_version = spec.value["info"]["version"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    Ok(Generated {
        code,
        mock,
        summary: Summary {
            provider: provider.name,
            api_version,
            operations: counts.operations,
            types: counts.types,
        },
    })
}

/// `format: pii` and `format: base64-document` strings become runtime types, through typify's
/// `x-rust-type` extension (which, unlike a schema conversion, survives descriptions and examples).
fn mark_runtime_types(node: &mut Value) {
    match node {
        Value::Object(map) => {
            let runtime_type = match map.get("format").and_then(Value::as_str) {
                Some(PII) => Some("rampkit_runtime::Pii"),
                Some(BASE64_DOCUMENT) => Some("rampkit_runtime::Base64Document"),
                _ => None,
            };
            match (runtime_type, map.get("type").and_then(Value::as_str)) {
                (Some(path), Some("string")) => {
                    map.insert("x-rust-type".to_owned(), rust_type_extension(path, None));
                }
                // Coordinates and other personal numbers: `Pii<f64>`, `Pii<i64>`.
                (Some("rampkit_runtime::Pii"), Some(ty @ ("number" | "integer"))) => {
                    let inner = json!({ "type": ty, "format": if ty == "number" { "double" } else { "int64" } });
                    map.insert(
                        "x-rust-type".to_owned(),
                        rust_type_extension("rampkit_runtime::Pii", Some(inner)),
                    );
                }
                _ => {}
            }
            for (key, child) in map.iter_mut() {
                // Examples are data, not schemas.
                if key != "example" && key != "examples" {
                    mark_runtime_types(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mark_runtime_types),
        _ => {}
    }
}

/// typify's `x-rust-type` extension naming a rampkit-runtime type, with its type parameter if any.
fn rust_type_extension(path: &str, parameter: Option<Value>) -> Value {
    let mut extension = json!({ "crate": "rampkit-runtime", "version": "*", "path": path });
    if let Some(parameter) = parameter {
        extension["parameters"] = json!([parameter]);
    }
    extension
}

/// Free-form JSON (a schema with no type and no shape, or an object without properties) can hold
/// anything the vendor sends — a holder's name, a selfie file name — so it is generated as
/// `Pii<serde_json::Value>` (redacted in `Debug`) unless the spec says `x-not-pii: true`.
fn redact_free_form(doc: &mut Value) {
    fn is_free_form(schema: &serde_json::Map<String, Value>) -> bool {
        let shaped = [
            "$ref",
            "properties",
            "items",
            "enum",
            "allOf",
            "oneOf",
            "anyOf",
            "format",
            "x-rust-type",
        ]
        .iter()
        .any(|k| schema.contains_key(*k));
        let typed_map = schema
            .get("additionalProperties")
            .is_some_and(|a| a.as_object().is_some_and(|o| !o.is_empty()));
        let free_type = matches!(
            schema.get("type").and_then(Value::as_str),
            None | Some("object")
        );
        !shaped && !typed_map && free_type && schema.get("x-not-pii") != Some(&Value::Bool(true))
    }
    fn visit(schema: &mut Value) {
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        if is_free_form(map) {
            map.insert(
                "x-rust-type".to_owned(),
                rust_type_extension("rampkit_runtime::Pii", Some(json!({}))),
            );
            return;
        }
        if let Some(props) = map.get_mut("properties").and_then(Value::as_object_mut) {
            props.values_mut().for_each(visit);
        }
        for key in ["items", "additionalProperties"] {
            if let Some(child) = map.get_mut(key).filter(|c| c.is_object()) {
                visit(child);
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.values_mut().for_each(visit);
    }
}

fn settings(provider: &Provider, open_enums: &[OpenEnum]) -> GenerationSettings {
    let auth = format_ident!("{}", provider.auth);
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        // The generated file implements ClientHooks itself (credentials in `pre`).
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote! { ::rampkit_runtime::Context<crate::auth::#auth> })
        .with_crate("rampkit-runtime", CrateVers::Any, None);
    for e in open_enums {
        settings.with_replacement(
            &e.name,
            format!("crate::types::{}", e.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

/// Runs progenitor on the whole spec. If it panics or fails, runs it again on each operation alone to
/// say which operation caused it.
fn run_progenitor(settings: &GenerationSettings, value: &Value) -> Result<TokenStream, String> {
    match generate_tokens(settings, value) {
        Ok(tokens) => Ok(tokens),
        Err(whole) => {
            for op in spec::operations(value) {
                let mut single = value.clone();
                let paths = single["paths"].as_object_mut().expect("paths is an object");
                paths.retain(|p, _| p == op.path);
                if let Some(item) = paths.get_mut(op.path).and_then(Value::as_object_mut) {
                    item.retain(|m, _| m == op.method || !spec::HTTP_METHODS.contains(&m.as_str()));
                }
                if let Err(e) = generate_tokens(settings, &single) {
                    return Err(format!("progenitor failed on {}: {e}", op.label()));
                }
            }
            Err(format!(
                "progenitor failed (no single operation reproduces it, so it is in the shared schemas): {whole}"
            ))
        }
    }
}

fn generate_tokens(settings: &GenerationSettings, value: &Value) -> Result<TokenStream, String> {
    let openapi: OpenAPI = serde_json::from_value(value.clone())
        .map_err(|e| format!("not an OpenAPI 3.0 document: {e}"))?;
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        *PANIC_MESSAGE.lock().unwrap_or_else(|e| e.into_inner()) = Some(info.to_string());
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        Generator::new(settings).generate_tokens(&openapi)
    }));
    panic::set_hook(previous);
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => {
            let msg = PANIC_MESSAGE
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            Err(format!(
                "panicked: {}",
                msg.unwrap_or_else(|| "no message".to_owned())
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::PROVIDERS;
    use crate::workspace::workspace_root;

    #[test]
    fn generation_is_deterministic() {
        let root = workspace_root();
        for provider in PROVIDERS {
            let (first, second) = (
                generate(&root, provider).unwrap(),
                generate(&root, provider).unwrap(),
            );
            assert!(
                first.mock == second.mock,
                "{}: two runs' mocks differ",
                provider.name
            );
            assert!(
                first
                    .mock
                    .starts_with("// @generated by `cargo xtask generate` from specs/")
            );
            let (a, b) = (first.code, second.code);
            assert!(a == b, "{}: two runs differ", provider.name);
            assert!(
                a.starts_with("// @generated by `cargo xtask generate` from specs/"),
                "{}",
                provider.name
            );
            assert!(a.contains("#![cfg_attr(rustfmt, rustfmt_skip)]"));
            assert!(
                !a.contains("api-version"),
                "{}: progenitor's api-version header is stripped",
                provider.name
            );
        }
    }
}
