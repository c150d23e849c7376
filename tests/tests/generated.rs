//! Tests over the whole generated surface of every provider: insta snapshots of the public API, every
//! spec example decoded into its generated type, unknown enum values, and redaction of personal data.

use quote::ToTokens;
use rampkit_runtime::meta::OperationMeta;
use rampkit_tests::{Leaf, PROVIDERS, examples, load_spec, walk_strings, workspace_root};
use serde_json::Value;

type Decoder = fn(&str, &str, &[u8]) -> Option<Result<Box<dyn std::fmt::Debug>, serde_json::Error>>;

struct Crate {
    name: &'static str,
    operations: &'static [OperationMeta],
    decode: Decoder,
    api_version: &'static str,
}

fn crates() -> [Crate; 5] {
    [
        Crate {
            name: "cryptopocket",
            operations: rampkit_cryptopocket::operations::ALL,
            decode: rampkit_cryptopocket::operations::decode_example,
            api_version: rampkit_cryptopocket::API_VERSION,
        },
        Crate {
            name: "kriptomat",
            operations: rampkit_kriptomat::operations::ALL,
            decode: rampkit_kriptomat::operations::decode_example,
            api_version: rampkit_kriptomat::API_VERSION,
        },
        Crate {
            name: "crossmint",
            operations: rampkit_crossmint::operations::ALL,
            decode: rampkit_crossmint::operations::decode_example,
            api_version: rampkit_crossmint::API_VERSION,
        },
        Crate {
            name: "leap",
            operations: rampkit_leap::operations::ALL,
            decode: rampkit_leap::operations::decode_example,
            api_version: rampkit_leap::API_VERSION,
        },
        Crate {
            name: "sumsub",
            operations: rampkit_sumsub::operations::ALL,
            decode: rampkit_sumsub::operations::decode_example,
            api_version: rampkit_sumsub::API_VERSION,
        },
    ]
}

#[test]
fn crate_list_matches_providers() {
    let mut names: Vec<_> = crates().iter().map(|c| c.name.to_owned()).collect();
    names.sort();
    assert_eq!(names, *PROVIDERS);
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the generated public surface.

fn tidy(tokens: &impl quote::ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let mut text = text
        .replace(":: std :: option :: Option", "Option")
        .replace(":: std :: string :: String", "String")
        .replace(":: std :: vec :: Vec", "Vec")
        .replace(":: std :: collections :: HashMap", "HashMap")
        .replace(":: serde_json :: Map", "Map")
        .replace(":: serde_json :: Value", "Value")
        .replace(":: rampkit_runtime :: ", "")
        .replace("crate :: types :: ", "")
        .replace("types :: ", "");
    for (from, to) in [
        (" < ", "<"),
        (" >", ">"),
        (" , ", ", "),
        ("& 'a ", "&"),
        (" :: ", "::"),
        ("& ", "&"),
    ] {
        text = text.replace(from, to);
    }
    text
}

fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .find_map(|a| {
            let text = a.meta.to_token_stream().to_string();
            let start = text.find("rename = \"")? + "rename = \"".len();
            let end = text[start..].find('"')? + start;
            Some(text[start..end].to_owned())
        })
}

fn generic_args(ty: &syn::Type) -> Vec<syn::Type> {
    let syn::Type::Path(p) = ty else {
        return Vec::new();
    };
    let Some(syn::PathArguments::AngleBracketed(args)) =
        p.path.segments.last().map(|s| &s.arguments)
    else {
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

/// A text listing of a generated crate: contract constants, every operation (id, method, path,
/// confidence, parameters, body, success and error types) and every public type with its fields
/// or values as they are on the wire.
fn surface(krate: &Crate) -> String {
    let path = workspace_root().join(format!("crates/rampkit-{}/src/generated.rs", krate.name));
    let file: syn::File = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut out = format!(
        "rampkit-{} — vendor API version {}\n\n## operations\n",
        krate.name, krate.api_version
    );

    let methods: Vec<&syn::ImplItemFn> = file
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Impl(imp) if imp.trait_.is_none() && tidy(&imp.self_ty) == "Client" => {
                Some(imp)
            }
            _ => None,
        })
        .flat_map(|imp| imp.items.iter())
        .filter_map(|i| match i {
            // The public operation methods, which return the operation's call (the private
            // `__<operation>` ones are progenitor's raw calls).
            syn::ImplItem::Fn(f)
                if matches!(f.vis, syn::Visibility::Public(_))
                    && matches!(&f.sig.output, syn::ReturnType::Type(_, t) if tidy(t).starts_with("calls::")) =>
            {
                Some(f)
            }
            _ => None,
        })
        .collect();
    // The calls' methods: one per optional parameter, and `send`.
    let calls: Vec<&syn::ItemImpl> = file
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Mod(m) if m.ident == "calls" => m.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items)
        .filter_map(|i| match i {
            syn::Item::Impl(imp) if imp.trait_.is_none() => Some(imp),
            _ => None,
        })
        .collect();
    let call_methods = |call: &str| -> Vec<&syn::ImplItemFn> {
        calls
            .iter()
            .filter(|imp| tidy(&imp.self_ty).split('<').next() == Some(call))
            .flat_map(|imp| imp.items.iter())
            .filter_map(|i| match i {
                syn::ImplItem::Fn(f) => Some(f),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        methods.len(),
        krate.operations.len(),
        "{}: one client method per operation",
        krate.name
    );
    for op in krate.operations {
        let f = methods
            .iter()
            .find(|f| f.sig.ident == op.id)
            .expect("method for operation");
        let typed = |f: &syn::ImplItemFn, optional: bool| -> Vec<String> {
            f.sig
                .inputs
                .iter()
                .filter_map(|i| match i {
                    syn::FnArg::Typed(t) if optional => {
                        Some(format!("{}?: {}", f.sig.ident, tidy(&t.ty)))
                    }
                    syn::FnArg::Typed(t) => Some(format!("{}: {}", tidy(&t.pat), tidy(&t.ty))),
                    _ => None,
                })
                .collect()
        };
        let call = match &f.sig.output {
            syn::ReturnType::Type(_, t) => tidy(t)
                .trim_start_matches("calls::")
                .split('<')
                .next()
                .unwrap_or_default()
                .to_owned(),
            syn::ReturnType::Default => String::new(),
        };
        let methods = call_methods(&call);
        let send = methods
            .iter()
            .find(|m| m.sig.ident == "send")
            .expect("the call's send method");
        // Positional parameters, then the optional ones (methods of the call) marked `?`.
        let mut params = typed(f, false);
        for m in methods.iter().filter(|m| m.sig.ident != "send") {
            params.extend(typed(m, true));
        }
        // Result<ResponseValue<Success>, Error<ErrorBody>>
        let ret = match &send.sig.output {
            syn::ReturnType::Type(_, t) => {
                let outer = generic_args(t);
                let inner: Vec<String> = outer
                    .iter()
                    .map(|t| generic_args(t).first().map(tidy).unwrap_or_else(|| tidy(t)))
                    .collect();
                inner.join(" | error ")
            }
            syn::ReturnType::Default => "()".into(),
        };
        out.push_str(&format!(
            "{} {} {} [{}{}]\n  ({})\n  -> {}\n",
            op.id,
            op.method,
            op.path,
            op.confidence.as_str(),
            if op.idempotent { ", idempotent" } else { "" },
            params.join(", "),
            ret
        ));
    }

    out.push_str("\n## types\n");
    let types = file.items.iter().find_map(|i| match i {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    let mut entries = Vec::new();
    for item in types.into_iter().flatten() {
        match item {
            syn::Item::Struct(s) => {
                let mut e = format!("struct {}\n", s.ident);
                for field in &s.fields {
                    let name = field
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    let wire = serde_rename(&field.attrs).unwrap_or_else(|| name.clone());
                    e.push_str(&format!("  {wire}: {}\n", tidy(&field.ty)));
                }
                entries.push((s.ident.to_string(), e));
            }
            syn::Item::Enum(en) => {
                let open = en
                    .variants
                    .iter()
                    .any(|v| v.ident == "Unknown" && !v.fields.is_empty());
                let values: Vec<String> = en
                    .variants
                    .iter()
                    .filter(|v| !(open && v.ident == "Unknown"))
                    .map(|v| match serde_rename(&v.attrs) {
                        Some(r) => format!("{r:?}"),
                        None => v.ident.to_string(),
                    })
                    .collect();
                let kind = if open { "open enum" } else { "enum" };
                entries.push((
                    en.ident.to_string(),
                    format!("{kind} {}: {}\n", en.ident, values.join(" | ")),
                ));
            }
            _ => {}
        }
    }
    // Open-enum wire values live in the open_enum_impls! invocation.
    for item in types.into_iter().flatten() {
        if let syn::Item::Macro(m) = item {
            let text = m.mac.tokens.to_string();
            let name = text
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            let values: Vec<&str> = text
                .split("=>")
                .skip(1)
                .map(|s| {
                    s.split(',')
                        .next()
                        .unwrap()
                        .trim()
                        .trim_end_matches('}')
                        .trim()
                })
                .collect();
            if let Some((_, e)) = entries.iter_mut().find(|(n, _)| *n == name) {
                *e = format!("open enum {name}: {}\n", values.join(" | "));
            }
        }
    }
    entries.sort();
    for (_, e) in entries {
        out.push_str(&e);
    }
    out
}

/// Every provider's snapshot is checked, and the failure names all that changed (not only the first).
#[test]
fn generated_surface_snapshots() {
    let mut changed = Vec::new();
    for krate in crates() {
        let surface = surface(&krate);
        let name = format!("surface_{}", krate.name);
        let checked = std::panic::catch_unwind(|| insta::assert_snapshot!(name, surface));
        if checked.is_err() {
            changed.push(krate.name);
        }
    }
    assert!(
        changed.is_empty(),
        "the generated surface changed for: {} (review with `cargo insta review`)",
        changed.join(", ")
    );
}

// ---------------------------------------------------------------------------------------------
// Spec examples.

#[test]
fn every_spec_example_decodes_into_its_generated_type() {
    let mut failures = Vec::new();
    for krate in crates() {
        let spec = load_spec(krate.name);
        let all = examples(&spec);
        let responses = all.iter().filter(|e| e.part != "request").count();
        assert!(
            responses > 0,
            "{}: the spec carries no response example",
            krate.name
        );
        for mut ex in all {
            // Vendor examples elide image payloads ("/9j/4AAQ...2Q==", "<base64-encoded-image>"); put
            // a real payload where the vendor left a placeholder, so the rest of the example is checked.
            walk_strings(&spec, &ex.schema.clone(), &mut ex.value, &mut |leaf, v| {
                let text = v.as_str().unwrap_or_default();
                if leaf == Leaf::Base64Document && (text.contains("...") || text.starts_with('<')) {
                    *v = Value::String("data:image/jpeg;base64,/9j/4AAQ".into());
                }
            });
            let json = serde_json::to_vec(&ex.value).unwrap();
            match (krate.decode)(&ex.operation_id, ex.part, &json) {
                Some(Ok(_)) => {}
                Some(Err(e)) => failures.push(format!("{}: {}: {e}", krate.name, ex.label)),
                None => failures.push(format!(
                    "{}: {}: no generated type for this example",
                    krate.name, ex.label
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not decode:\n  {}",
        failures.join("\n  ")
    );
}

#[test]
fn unseen_enum_values_in_responses_still_decode() {
    let mut replaced = 0;
    let mut failures = Vec::new();
    for krate in crates() {
        let spec = load_spec(krate.name);
        for mut ex in examples(&spec).into_iter().filter(|e| e.part != "request") {
            let mut here = 0;
            walk_strings(&spec, &ex.schema, &mut ex.value, &mut |leaf, v| {
                if leaf == Leaf::Enum {
                    *v = Value::String("rampkit-value-the-spec-never-listed".into());
                    here += 1;
                }
            });
            if here == 0 {
                continue;
            }
            replaced += here;
            let json = serde_json::to_vec(&ex.value).unwrap();
            match (krate.decode)(&ex.operation_id, ex.part, &json) {
                Some(Ok(v)) => assert!(
                    format!("{v:?}").contains("Unknown(\"rampkit-value-the-spec-never-listed\")")
                ),
                other => failures.push(format!(
                    "{}: {}: {:?}",
                    krate.name,
                    ex.label,
                    other.map(|r| r.err())
                )),
            }
        }
    }
    assert!(
        replaced >= 5,
        "expected response examples with enum values in the specs, found {replaced}"
    );
    assert!(
        failures.is_empty(),
        "unseen enum values broke decoding:\n  {}",
        failures.join("\n  ")
    );
}

#[test]
fn debug_of_decoded_examples_prints_no_personal_data() {
    let mut planted_total = 0;
    for krate in crates() {
        let spec = load_spec(krate.name);
        for mut ex in examples(&spec) {
            let mut planted = Vec::new();
            walk_strings(
                &spec,
                &ex.schema,
                &mut ex.value,
                &mut |leaf, v| match leaf {
                    Leaf::Pii => {
                        let marker = format!("PLANTED-PII-{}", planted.len());
                        *v = Value::String(marker.clone());
                        planted.push(marker);
                    }
                    Leaf::Base64Document => {
                        // base64 of "PLANTEDDOC": the encoded text must not show either.
                        *v = Value::String("data:image/jpeg;base64,UExBTlRFRERPQw==".into());
                        planted.push("UExBTlRFRERPQw".into());
                    }
                    _ => {}
                },
            );
            if planted.is_empty() {
                continue;
            }
            planted_total += planted.len();
            let json = serde_json::to_vec(&ex.value).unwrap();
            let decoded = (krate.decode)(&ex.operation_id, ex.part, &json)
                .unwrap_or_else(|| panic!("{}: no type for {}", krate.name, ex.label))
                .unwrap_or_else(|e| panic!("{}: {}: {e}", krate.name, ex.label));
            let debug = format!("{decoded:?}\n{decoded:#?}");
            for marker in &planted {
                assert!(
                    !debug.contains(marker.as_str()),
                    "{}: {}: Debug shows {marker}:\n{debug}",
                    krate.name,
                    ex.label
                );
            }
            assert!(debug.contains("[redacted]"), "{}: {}", krate.name, ex.label);
        }
    }
    assert!(
        planted_total >= 30,
        "expected personal data in the spec examples, planted {planted_total}"
    );
}
