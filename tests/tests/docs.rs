//! The docs stay true: every path a README or a doc names exists, nothing links outside the repository,
//! every library crate's README carries an example its tests compile, and every crate a package ships
//! has the CHANGELOG its package names.

use std::fs;
use std::path::{Path, PathBuf};

use rampkit_tests::{PROVIDERS, workspace_root};

/// Folders never read: build output, git's own, vendored snapshots of tools.
const SKIP_DIRS: [&str; 3] = ["target", ".git", "node_modules"];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIP_DIRS.contains(&name.as_str()) {
                files(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

fn docs() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut all = Vec::new();
    files(&root, &mut all);
    all.retain(|p| p.extension().is_some_and(|e| e == "md"));
    all
}

/// The repository paths a Markdown text names: link targets without a scheme, and code spans that
/// start with one of the repository's top folders.
fn named_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("](") {
        let rest = &text[i + 2..];
        if let Some(end) = rest.find(')') {
            let target = rest[..end].split('#').next().unwrap_or_default();
            if !target.is_empty() && !target.contains("://") && !target.starts_with("mailto:") {
                out.push(format!("link:{target}"));
            }
        }
    }
    for span in text.split('`').skip(1).step_by(2) {
        let first = span.split_whitespace().next().unwrap_or_default();
        let first = first.split(':').next().unwrap_or_default();
        const TOP: [&str; 6] = ["crates/", "specs/", "docs/", "tests/", "xtask/", ".ci/"];
        if TOP.iter().any(|t| first.starts_with(t))
            && !first.contains('*')
            && !first.contains('…')
            && !first.contains('{')
        {
            out.push(first.trim_end_matches([',', '.', ';']).to_owned());
        }
    }
    out
}

/// `<provider>` and `<p>` stand for every provider; a simulator room may be a module or a folder.
fn expansions(path: &str) -> Vec<String> {
    if path.contains("<provider>") || path.contains("<p>") {
        PROVIDERS
            .iter()
            .map(|p| path.replace("<provider>", p).replace("<p>", p))
            .collect()
    } else {
        vec![path.to_owned()]
    }
}

fn exists(base: &Path, path: &str) -> bool {
    let full = base.join(path);
    full.exists() || full.with_extension("rs").exists()
}

#[test]
fn every_path_the_docs_name_exists() {
    let root = workspace_root();
    let mut missing = Vec::new();
    let mut checked = 0;
    for doc in docs() {
        let text = fs::read_to_string(&doc).unwrap();
        let dir = doc.parent().unwrap();
        for named in named_paths(&text) {
            let (base, path) = match named.strip_prefix("link:") {
                Some(link) => (dir, link.to_owned()),
                None => (root.as_path(), named),
            };
            // Placeholders other than the provider's (`<version>`, `<rev>`) name no one file.
            let candidates = expansions(&path);
            if candidates.iter().any(|c| c.contains('<')) {
                continue;
            }
            checked += 1;
            // A provider placeholder names a family of paths (Kriptomat's SumSub has no facade room of its
            // own): it holds when some provider has it. A code span in a crate's README may be relative
            // to that crate.
            let found = candidates
                .iter()
                .any(|c| exists(base, c) || (base == root.as_path() && exists(dir, c)));
            if !found {
                let rel = doc
                    .strip_prefix(&root)
                    .unwrap_or(&doc)
                    .display()
                    .to_string();
                missing.push(format!("{rel}: {path}"));
            }
        }
    }
    assert!(
        checked > 40,
        "only {checked} paths found: the scan is broken"
    );
    assert!(
        missing.is_empty(),
        "docs name paths that do not exist:\n{}",
        missing.join("\n")
    );
}

#[test]
fn nothing_links_outside_the_repository() {
    let root = workspace_root();
    let mut all = Vec::new();
    files(&root, &mut all);
    // Spelled in two pieces so that this file does not match itself.
    let needle = format!("..{}shared", '/');
    let mut found = Vec::new();
    for file in all {
        let Ok(text) = fs::read_to_string(&file) else {
            continue; // not text
        };
        if text.contains(&needle) {
            found.push(
                file.strip_prefix(&root)
                    .unwrap_or(&file)
                    .display()
                    .to_string(),
            );
        }
    }
    assert!(
        found.is_empty(),
        "files that point outside the repository: {found:?}"
    );
}

/// A library crate's README is compiled and run: either it is the crate's rustdoc front page or a
/// `cfg(doctest)` item includes it; and it has at least one Rust example.
#[test]
fn every_library_readme_has_a_compiled_example() {
    let root = workspace_root();
    let mut problems = Vec::new();
    for entry in fs::read_dir(root.join("crates")).unwrap().flatten() {
        let dir = entry.path();
        let lib = dir.join("src/lib.rs");
        let Ok(source) = fs::read_to_string(&lib) else {
            continue; // a binary crate
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let readme = fs::read_to_string(dir.join("README.md")).unwrap_or_default();
        if !readme.contains("```rust") {
            problems.push(format!("{name}: README.md has no Rust example"));
        }
        if !source.contains("include_str!(\"../README.md\")") {
            problems.push(format!("{name}: src/lib.rs does not compile its README"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// A crate whose package names a CHANGELOG has one (cargo package would fail later, on a fresh machine).
#[test]
fn every_crate_has_a_changelog() {
    let root = workspace_root();
    let mut missing = Vec::new();
    for entry in fs::read_dir(root.join("crates")).unwrap().flatten() {
        let dir = entry.path();
        if !dir.join("Cargo.toml").exists() {
            continue;
        }
        let log = dir.join("CHANGELOG.md");
        match fs::read_to_string(&log) {
            Ok(text) if text.starts_with("# Changelog") => {}
            _ => missing.push(entry.file_name().to_string_lossy().into_owned()),
        }
    }
    assert!(
        missing.is_empty(),
        "crates without a CHANGELOG.md: {missing:?}"
    );
}

#[test]
fn the_scan_finds_what_it_looks_for() {
    let text = "see [`x`](../a/b.md#part), `crates/rampkit/src/lib.rs: status()`, `specs/<provider>.yaml`, `cargo test` and [web](https://x.example)";
    assert_eq!(
        named_paths(text),
        [
            "link:../a/b.md",
            "crates/rampkit/src/lib.rs",
            "specs/<provider>.yaml"
        ]
    );
    assert_eq!(expansions("specs/<p>.yaml").len(), PROVIDERS.len());
}

/// `cargo doc --workspace` writes one folder per documented target name: the `rampkit` binary must not
/// be documented over the `rampkit` library.
#[test]
fn the_binary_does_not_document_over_the_library() {
    let manifest =
        fs::read_to_string(workspace_root().join("crates/rampkit-cli/Cargo.toml")).unwrap();
    let bin = manifest
        .split("[[bin]]")
        .nth(1)
        .expect("rampkit-cli declares its binary");
    let bin = bin.split("\n[").next().unwrap_or_default();
    assert!(bin.contains("name = \"rampkit\""), "{bin}");
    assert!(
        bin.lines().any(|l| l.trim() == "doc = false"),
        "the rampkit binary collides with the rampkit library in cargo doc: {bin}"
    );
}
