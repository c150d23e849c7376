//! The house rules of the source tree, checked on every run (issue 19):
//!
//! 1. A provider's knowledge lives in its rooms: no hand-written, non-test source file outside them names
//!    a vendor in code (comments and doc comments may), except the one registry file per crate listed in
//!    [`REGISTRIES`] and the few exceptions in [`EXCEPTIONS`], each with its reason.
//! 2. No hand-written, non-test source file is over [`MAX_LINES`] lines (its `#[cfg(test)]` module at the
//!    end does not count).
//! 3. No two modules of a crate import each other. A module and its own ancestors are one family (a
//!    parent declares and re-exports its children, a child uses its parent's items), so a
//!    parent-child pair is not a circle; any other pair that imports both ways is.
//!
//! Generated files (a provider crate's `src/generated.rs` and `src/mock.rs`) are the generator's, not
//! hand-written. Tests, benches and
//! examples are test code. The tree is found at run time, so a moved checkout checks itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use quote::ToTokens;
use rampkit_tests::workspace_root;

/// The vendors whose names must stay in their rooms.
const VENDORS: &[&str] = &["crossmint", "cryptopocket", "kriptomat", "leap", "sumsub"];

/// The most lines a hand-written source file may have.
const MAX_LINES: usize = 800;

/// The one file per crate that lists the providers (a registry: hyperswitch's connector list).
const REGISTRIES: &[&str] = &[
    "crates/rampkit/src/providers/mod.rs",
    "crates/rampkit-sim/src/vendors/mod.rs",
    "crates/rampkit-cli/src/providers.rs",
    "crates/rampkit-webhooks/src/lib.rs",
    "xtask/src/providers.rs",
];

/// Files outside the rooms that may name a vendor, and why.
const EXCEPTIONS: &[(&str, &str)] = &[(
    "crates/rampkit/src/customer.rs",
    "the canonical customer's KYC history names who verified it (`KycVerifier::Sumsub`, the applicant \
     a SumSub share token shares): customer data, not a provider's rule",
)];

/// Vendor APIs a provider's flow calls besides its own (Kriptomat imports the KYC from SumSub), which its
/// rooms may therefore name.
const USES: &[(&str, &str)] = &[("kriptomat", "sumsub")];

/// Whether `file` (relative to the workspace, `/`-separated) is in the rooms of `vendor`, or of a
/// provider whose flow calls `vendor` ([`USES`]).
fn in_rooms_of(file: &str, vendor: &str) -> bool {
    in_own_rooms(file, vendor)
        || USES
            .iter()
            .any(|(user, used)| *used == vendor && in_own_rooms(file, user))
}

fn in_own_rooms(file: &str, vendor: &str) -> bool {
    [
        format!("crates/rampkit-{vendor}/"),
        format!("crates/rampkit/src/providers/{vendor}/"),
        format!("crates/rampkit-sim/src/vendors/{vendor}/"),
        format!("crates/rampkit-sim/src/vendors/{vendor}.rs"),
        format!("crates/rampkit-webhooks/src/{vendor}.rs"),
    ]
    .iter()
    .any(|room| file.starts_with(room.as_str()))
}

/// The crates whose sources are checked, as `src` folders relative to the workspace.
fn source_roots(root: &Path) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .expect("crates/ is readable")
        .filter_map(|entry| entry.ok().map(|e| e.path().join("src")))
        .filter(|src| src.is_dir())
        .collect();
    roots.push(root.join("xtask/src"));
    roots.sort();
    roots
}

/// Whether a file is compiled for tests only (`…_tests.rs`, or under a `tests` folder of `src`).
fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with("_tests.rs"))
        || path.components().any(|c| c.as_os_str() == "tests")
}

/// Every `.rs` file under `dir`, recursively, except generated files and test-only files.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a source folder is readable")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && !is_generated(&path)
            && !is_test_file(&path)
        {
            out.push(path);
        }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The file's code without its `#[cfg(test)]` items and without comments or doc attributes, as tokens.
fn code_tokens(text: &str) -> String {
    let Ok(mut file) = syn::parse_file(text) else {
        return String::new();
    };
    let is_test = |attrs: &[syn::Attribute]| {
        attrs.iter().any(|a| {
            a.path().is_ident("cfg") && a.meta.to_token_stream().to_string().contains("test")
        })
    };
    file.items.retain(|item| match item {
        syn::Item::Mod(m) => !is_test(&m.attrs),
        syn::Item::Fn(f) => !is_test(&f.attrs),
        syn::Item::Impl(i) => !is_test(&i.attrs),
        syn::Item::Use(u) => !is_test(&u.attrs),
        _ => true,
    });
    file.attrs.clear();
    let tokens = file.into_token_stream().to_string();
    strip_doc_attributes(&tokens)
}

/// Removes `# [doc = …]` attributes (doc comments) from a token string.
fn strip_doc_attributes(tokens: &str) -> String {
    let mut out = String::with_capacity(tokens.len());
    let mut rest = tokens;
    while let Some(at) = rest.find("# [doc = ") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // The attribute ends at the `]` that closes it, outside the string literal.
        let mut in_string = false;
        let mut escaped = false;
        let mut end = after.len();
        for (i, c) in after.char_indices().skip("# [doc = ".len()) {
            match (in_string, escaped, c) {
                (true, true, _) => escaped = false,
                (true, false, '\\') => escaped = true,
                (_, false, '"') => in_string = !in_string,
                (false, _, ']') => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The lines before the file's `#[cfg(test)]` module.
fn non_test_lines(text: &str) -> usize {
    text.lines()
        .take_while(|line| !line.starts_with("#[cfg(test)]"))
        .count()
}

#[test]
fn vendors_are_named_only_in_their_rooms_and_registries() {
    let root = workspace_root();
    let mut offences = Vec::new();
    for src in source_roots(&root) {
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        for path in files {
            let file = relative(&root, &path);
            if REGISTRIES.contains(&file.as_str()) || EXCEPTIONS.iter().any(|(f, _)| *f == file) {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a source file is readable");
            let code = code_tokens(&text).to_lowercase();
            for vendor in VENDORS {
                if code.contains(vendor) && !in_rooms_of(&file, vendor) {
                    offences.push(format!("{file} names {vendor}"));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "a vendor named outside its rooms (move it there, or reach it through the registry):\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_rules_see_what_they_must() {
    // The token form catches code, not comments.
    let code = code_tokens(
        "/// Crossmint's docs.\n// leap\nfn f() -> &'static str { \"leap\" }\n#[cfg(test)]\nmod tests { fn sumsub() {} }\n",
    );
    assert!(code.contains("leap") && !code.contains("crossmint") && !code.contains("sumsub"));
    assert!(in_rooms_of(
        "crates/rampkit/src/providers/leap/mod.rs",
        "leap"
    ));
    assert!(!in_rooms_of("crates/rampkit/src/batch/mod.rs", "leap"));
    assert_eq!(non_test_lines("a\nb\n#[cfg(test)]\nmod tests {}\n"), 2);
    let modules = modules_of(&["src/lib.rs", "src/a/mod.rs", "src/a/b.rs", "src/c.rs"]);
    assert_eq!(
        resolve(&modules, &["a".into()], "super :: c :: X"),
        Some(vec!["c".to_owned()])
    );
    assert_eq!(
        resolve(&modules, &["a".into(), "b".into()], "crate :: c :: Y"),
        Some(vec!["c".to_owned()])
    );
}

#[test]
fn no_hand_written_source_file_is_over_the_limit() {
    let root = workspace_root();
    let mut long = Vec::new();
    for src in source_roots(&root) {
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        for path in files {
            let text = std::fs::read_to_string(&path).expect("a source file is readable");
            let lines = non_test_lines(&text);
            if lines > MAX_LINES {
                long.push(format!("{} ({lines} lines)", relative(&root, &path)));
            }
        }
    }
    assert!(
        long.is_empty(),
        "hand-written files over {MAX_LINES} lines (split by concern):\n{}",
        long.join("\n")
    );
}

type Module = Vec<String>;

/// The module path of each file (`src/a/b.rs` is `a::b`, `src/a/mod.rs` is `a`, `src/lib.rs` the root).
fn modules_of(files: &[&str]) -> BTreeMap<Module, String> {
    files
        .iter()
        .map(|file| {
            let inner = file.strip_prefix("src/").unwrap_or(file);
            let inner = inner.strip_suffix(".rs").unwrap_or(inner);
            let mut parts: Vec<String> = inner.split('/').map(str::to_owned).collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            (parts, (*file).to_owned())
        })
        .collect()
}

/// The module a path names from `from` (`crate :: a :: X`, `super :: b :: Y`, as token text): the
/// longest prefix of its segments that is a module of the crate.
fn resolve(modules: &BTreeMap<Module, String>, from: &[String], path: &str) -> Option<Module> {
    let segments: Vec<&str> = path.split("::").map(str::trim).collect();
    let mut base: Vec<String> = match *segments.first()? {
        "crate" => Vec::new(),
        "super" => from[..from.len().checked_sub(1)?].to_vec(),
        "self" => from.to_vec(),
        _ => return None,
    };
    let mut rest = &segments[1..];
    while rest.first() == Some(&"super") {
        base.pop();
        rest = &rest[1..];
    }
    let mut best = None;
    let mut candidate = base;
    if modules.contains_key(&candidate) {
        best = Some(candidate.clone());
    }
    for segment in rest {
        candidate.push((*segment).to_owned());
        if modules.contains_key(&candidate) {
            best = Some(candidate.clone());
        }
    }
    best
}

/// Every `crate::…`, `super::…` and `self::…` path of the code, with `use` groups expanded.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let tokens: Vec<&str> = code.split_whitespace().collect();
    let mut i = 0;
    while i < tokens.len() {
        if matches!(tokens[i], "crate" | "super" | "self")
            && tokens.get(i + 1) == Some(&"::")
            && (i == 0 || tokens[i - 1] != "::")
        {
            let mut path = vec![tokens[i].to_owned()];
            let mut j = i + 1;
            while tokens.get(j) == Some(&"::") {
                match tokens.get(j + 1) {
                    Some(&"{") => {
                        // A use group: each first segment inside it extends the path.
                        let mut depth = 0;
                        let mut k = j + 1;
                        let mut expect_segment = true;
                        while k < tokens.len() {
                            match tokens[k] {
                                "{" => {
                                    depth += 1;
                                    expect_segment = depth == 1;
                                }
                                "}" => {
                                    depth -= 1;
                                    if depth == 0 {
                                        break;
                                    }
                                }
                                "," if depth == 1 => expect_segment = true,
                                segment if expect_segment && depth == 1 => {
                                    let mut group = path.clone();
                                    group.push(segment.to_owned());
                                    out.push(group.join(" :: "));
                                    expect_segment = false;
                                }
                                _ => {}
                            }
                            k += 1;
                        }
                        j = k;
                        break;
                    }
                    Some(segment) => {
                        path.push((*segment).to_owned());
                        j += 2;
                    }
                    None => break,
                }
            }
            out.push(path.join(" :: "));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn related(a: &[String], b: &[String]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

#[test]
fn no_two_modules_of_a_crate_import_each_other() {
    let root = workspace_root();
    let mut circles = Vec::new();
    for src in source_roots(&root) {
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let names: Vec<String> = files.iter().map(|f| relative(&src, f)).collect();
        let names: Vec<String> = names.iter().map(|n| format!("src/{n}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let modules = modules_of(&refs);
        let mut edges: BTreeSet<(Module, Module)> = BTreeSet::new();
        for (module, file) in &modules {
            let path = src.join(file.strip_prefix("src/").unwrap_or(file));
            let text = std::fs::read_to_string(&path).expect("a source file is readable");
            for p in paths(&code_tokens(&text)) {
                if let Some(target) = resolve(&modules, module, &p)
                    && !related(module, &target)
                {
                    edges.insert((module.clone(), target));
                }
            }
        }
        for (a, b) in &edges {
            if a < b && edges.contains(&(b.clone(), a.clone())) {
                circles.push(format!(
                    "{}: {} <-> {}",
                    relative(&root, &src),
                    modules[a],
                    modules[b]
                ));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "modules that import each other (move what both need into one of them, or a third):\n{}",
        circles.join("\n")
    );
}

/// A provider crate's client or mocks, written by `cargo xtask generate` (its header says so).
fn is_generated(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == "generated.rs" || n == "mock.rs")
        && std::fs::read_to_string(path)
            .is_ok_and(|text| text.starts_with("// @generated by `cargo xtask generate`"))
}
