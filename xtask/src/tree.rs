//! Writes the generated tree — each selected provider's `src/generated.rs`, `src/lib.rs` and packaged
//! spec copy, then README.md's provider table and docs/operations.md — or, with `check`, compares it
//! with what is committed and prints a diff.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::coverage;
use crate::crate_root;
use crate::generate;
use crate::providers::{PROVIDERS, Provider};
use crate::readme;
use crate::spec;

/// Generates (or with `check`, compares) the crates of `providers`, then the README table and
/// docs/operations.md, which list every provider: the providers not selected are generated in memory
/// for their summary, so `generate --provider P` leaves the tree as `generate --check` expects.
/// `true` when everything succeeded.
pub fn generate_tree(
    root: &Path,
    providers: &[&'static Provider],
    check: bool,
    verbose: bool,
) -> bool {
    let started = Instant::now();
    let mut failed = false;
    let mut summaries = Vec::new();
    for provider in PROVIDERS {
        let selected = providers.iter().any(|p| p.name == provider.name);
        let t = Instant::now();
        let generated = match generate::generate(root, provider) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("error: {}: {e}", provider.name);
                failed = true;
                continue;
            }
        };
        if !selected {
            summaries.push(generated.summary);
            continue;
        }
        let elapsed = t.elapsed();
        let target = root.join(format!("crates/rampkit-{}/src/generated.rs", provider.name));
        // The package ships the spec it was generated from (`SPEC_PATH`): a byte-for-byte copy.
        let spec_copy = root.join(format!("crates/rampkit-{0}/spec/{0}.yaml", provider.name));
        let spec_text =
            match std::fs::read_to_string(root.join(format!("specs/{}.yaml", provider.name))) {
                Ok(text) => text,
                Err(e) => {
                    eprintln!("error: specs/{}.yaml: {e}", provider.name);
                    failed = true;
                    continue;
                }
            };
        let lib = root.join(format!("crates/rampkit-{}/src/lib.rs", provider.name));
        let lib_text = crate_root::lib_rs(provider);
        let mock = root.join(format!("crates/rampkit-{}/src/mock.rs", provider.name));
        for (path, text) in [
            (&target, &generated.code),
            (&mock, &generated.mock),
            (&lib, &lib_text),
            (&spec_copy, &spec_text),
        ] {
            if check {
                if let Err(diff) = compare(path, text) {
                    eprintln!(
                        "error: {} is stale or was edited by hand:\n{diff}",
                        rel(root, path)
                    );
                    failed = true;
                }
            } else if let Err(e) = write_if_changed(path, text) {
                eprintln!("error: writing {}: {e}", path.display());
                failed = true;
            }
        }
        if verbose {
            println!(
                "{:<13} {:>3} operations {:>4} types  {:>7.1} ms",
                provider.name,
                generated.summary.operations,
                generated.summary.types,
                elapsed.as_secs_f64() * 1000.0
            );
        }
        summaries.push(generated.summary);
    }
    if !failed {
        match documents(root, &summaries) {
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
            Ok(docs) => {
                for (path, new) in docs {
                    let result = if check {
                        compare(&path, &new)
                            .map_err(|diff| format!("{} is stale:\n{diff}", rel(root, &path)))
                    } else {
                        write_if_changed(&path, &new)
                            .map_err(|e| format!("writing {}: {e}", rel(root, &path)))
                    };
                    if let Err(e) = result {
                        eprintln!("error: {e}");
                        failed = true;
                    }
                }
            }
        }
    }
    if verbose {
        let verb = if check { "checked" } else { "generated" };
        println!(
            "{verb} {} provider(s) in {:.1} ms",
            providers.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    !failed
}

/// README.md (provider and coverage table) and docs/operations.md, as they should be.
fn documents(
    root: &Path,
    summaries: &[generate::Summary],
) -> Result<Vec<(PathBuf, String)>, String> {
    let mut all = Vec::new();
    for summary in summaries {
        let spec = spec::load(root, summary.provider)?;
        let coverage = coverage::load(root, summary.provider, &spec.value)?;
        all.push((coverage, summary.api_version.clone(), summary.types));
    }
    let readme = root.join("README.md");
    let readme_text =
        readme::refresh(&readme, &coverage::table(&all)).map_err(|e| format!("README.md: {e}"))?;
    Ok(vec![
        (readme, readme_text),
        (
            root.join("docs/operations.md"),
            coverage::operations_doc(&all),
        ),
    ])
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, contents)
}

/// `Ok` when the file holds exactly `expected`; otherwise a unified diff (committed → regenerated).
fn compare(path: &Path, expected: &str) -> Result<(), String> {
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    if actual == expected {
        return Ok(());
    }
    const MAX_LINES: usize = 200;
    let diff = similar::TextDiff::from_lines(actual.as_str(), expected)
        .unified_diff()
        .context_radius(3)
        .header("committed", "regenerated")
        .to_string();
    let mut lines: Vec<&str> = diff.lines().collect();
    let total = lines.len();
    lines.truncate(MAX_LINES);
    let mut out = lines.join("\n");
    if total > MAX_LINES {
        out.push_str(&format!("\n… {} more diff lines", total - MAX_LINES));
    }
    out.push_str(
        "\nrun `cargo xtask generate` and commit the result (never edit generated files by hand)",
    );
    Err(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::workspace_root;

    #[test]
    fn check_fails_with_a_diff_when_a_generated_file_is_edited_by_hand() {
        let root = workspace_root();
        let code = generate::generate(&root, &PROVIDERS[2]).unwrap().code;
        let dir = std::env::temp_dir().join(format!("rampkit-xtask-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("lib.rs");
        std::fs::write(&file, &code).unwrap();
        assert!(compare(&file, &code).is_ok());

        let edited = code.replacen(
            "pub const API_VERSION: &str = \"2025-06-09\";",
            "pub const API_VERSION: &str = \"2099-01-01\";",
            1,
        );
        assert_ne!(edited, code);
        std::fs::write(&file, &edited).unwrap();
        let diff = compare(&file, &code).unwrap_err();
        assert!(
            diff.contains("-pub const API_VERSION: &str = \"2099-01-01\";"),
            "{diff}"
        );
        assert!(
            diff.contains("+pub const API_VERSION: &str = \"2025-06-09\";"),
            "{diff}"
        );
        assert!(diff.contains("run `cargo xtask generate`"), "{diff}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
