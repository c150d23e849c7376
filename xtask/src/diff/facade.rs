//! Facade mappings: which functions of the facade (`crates/rampkit`) name a generated type, so that a
//! report can say what to review when a response enum the facade maps gains a value.

use std::path::Path;

/// The facade functions that mention the generated type `name` of `provider`'s crate, as
/// `crates/rampkit/src/…/<file>.rs: <function>()`. Scans every `.rs` file under `crates/rampkit/src`
/// that uses the provider's crate or lives in a directory or file named after the provider, so it
/// finds the mappings wherever they are kept (`providers/<p>.rs` or `providers/<p>/…`).
pub fn facade_mappings(root: &Path, provider: &str, name: &str) -> Vec<String> {
    let mut files = Vec::new();
    collect_rs(&root.join("crates/rampkit/src"), &mut files);
    files.sort();
    let needle_a = format!("types::{name}");
    let krate = format!("rampkit_{provider}");
    let mut out = Vec::new();
    for file in files {
        let Ok(source) = std::fs::read_to_string(&file) else {
            continue;
        };
        let rel = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let about_provider = source.contains(&krate)
            || rel
                .split('/')
                .any(|seg| seg == provider || seg == format!("{provider}.rs"));
        if !about_provider {
            continue;
        }
        let mut current_fn: Option<String> = None;
        for line in source.lines() {
            let trimmed = line.trim_start();
            if let Some(name) = fn_name(trimmed) {
                current_fn = Some(name);
            }
            if trimmed.starts_with("//") {
                continue;
            }
            if contains_type(line, &needle_a)
                && let Some(f) = &current_fn
            {
                let entry = format!("{rel}: {f}()");
                if !out.contains(&entry) {
                    out.push(entry);
                }
            }
        }
    }
    out
}

pub(crate) fn contains_type(line: &str, needle: &str) -> bool {
    line.match_indices(needle).any(|(i, _)| {
        !line[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

fn fn_name(line: &str) -> Option<String> {
    let mut rest = line;
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
