//! `cargo xtask` — the rampkit generator.
//!
//! - `cargo xtask generate [--provider P]`: lint each `specs/<P>.yaml`, run progenitor, post-process,
//!   format with prettyplease and write `crates/rampkit-<P>/src/generated.rs` (the crate's hand-written
//!   `lib.rs` includes it) and the packaged copy of the spec, `crates/rampkit-<P>/spec/<P>.yaml`; refresh
//!   the provider table in README.md.
//! - `cargo xtask generate --check`: do all of that in memory and fail with a diff when a committed file
//!   is stale or was edited by hand.
//! - `cargo xtask coverage`: per provider, documented / generated / wire-tested / excluded operations.
//! - `cargo xtask bench`: measure generation and per-crate build times (docs/benchmarks.md).

mod bench;
mod client;
mod coverage;
mod generate;
mod lint;
mod postprocess;
mod readme;
mod spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// One provider: its spec stem and the runtime credential type its client carries.
pub struct Provider {
    pub name: &'static str,
    pub auth: &'static str,
}

pub const PROVIDERS: &[Provider] = &[
    Provider {
        name: "cryptopocket",
        auth: "CryptoPocketAuth",
    },
    Provider {
        name: "kriptomat",
        auth: "KriptomatAuth",
    },
    Provider {
        name: "crossmint",
        auth: "CrossmintAuth",
    },
    Provider {
        name: "leap",
        auth: "LeapAuth",
    },
    Provider {
        name: "sumsub",
        auth: "SumsubAuth",
    },
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

const USAGE: &str = "usage: cargo xtask generate [--provider <name>] [--check]\n       cargo xtask coverage\n       cargo xtask bench";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") => match parse_generate(&args[1..]) {
            Ok((providers, check)) => run_generate(&providers, check),
            Err(e) => {
                eprintln!("{e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        Some("coverage") => run_coverage(),
        Some("bench") => match bench::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse_generate(args: &[String]) -> Result<(Vec<&'static Provider>, bool), String> {
    let mut check = false;
    let mut only: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--provider" | "-p" => only = Some(it.next().ok_or("--provider needs a name")?.clone()),
            other => match other.strip_prefix("--provider=") {
                Some(name) => only = Some(name.to_owned()),
                None => return Err(format!("unknown argument `{other}`")),
            },
        }
    }
    let providers: Vec<&Provider> = match &only {
        Some(name) => {
            let p = PROVIDERS.iter().find(|p| p.name == name).ok_or_else(|| {
                let known: Vec<_> = PROVIDERS.iter().map(|p| p.name).collect();
                format!("unknown provider `{name}` (known: {})", known.join(", "))
            })?;
            vec![p]
        }
        None => PROVIDERS.iter().collect(),
    };
    Ok((providers, check))
}

fn run_generate(providers: &[&'static Provider], check: bool) -> ExitCode {
    let root = workspace_root();
    let started = Instant::now();
    let mut failed = false;
    let mut summaries = Vec::new();
    for provider in providers {
        let t = Instant::now();
        let generated = match generate::generate(&root, provider) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("error: {}: {e}", provider.name);
                failed = true;
                continue;
            }
        };
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
        for (path, text) in [(&target, &generated.code), (&spec_copy, &spec_text)] {
            if check {
                if let Err(diff) = compare(path, text) {
                    eprintln!(
                        "error: {} is stale or was edited by hand:\n{diff}",
                        rel(&root, path)
                    );
                    failed = true;
                }
            } else if let Err(e) = write_if_changed(path, text) {
                eprintln!("error: writing {}: {e}", path.display());
                failed = true;
            }
        }
        println!(
            "{:<13} {:>3} operations {:>4} types  {:>7.1} ms",
            provider.name,
            generated.summary.operations,
            generated.summary.types,
            elapsed.as_secs_f64() * 1000.0
        );
        summaries.push(generated.summary);
    }
    // The README table and docs/operations.md list every provider; refresh them only when all of
    // them were generated.
    if !failed && providers.len() == PROVIDERS.len() {
        match documents(&root, &summaries) {
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
            Ok(docs) => {
                for (path, new) in docs {
                    let result = if check {
                        compare(&path, &new)
                            .map_err(|diff| format!("{} is stale:\n{diff}", rel(&root, &path)))
                    } else {
                        write_if_changed(&path, &new)
                            .map_err(|e| format!("writing {}: {e}", rel(&root, &path)))
                    };
                    if let Err(e) = result {
                        eprintln!("error: {e}");
                        failed = true;
                    }
                }
            }
        }
    }
    let verb = if check { "checked" } else { "generated" };
    println!(
        "{verb} {} provider(s) in {:.1} ms",
        providers.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
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

fn run_coverage() -> ExitCode {
    let root = workspace_root();
    let mut all = Vec::new();
    for provider in PROVIDERS {
        let loaded = spec::load(&root, provider.name).and_then(|spec| {
            let version = spec.value["info"]["version"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            Ok((coverage::load(&root, provider.name, &spec.value)?, version))
        });
        match loaded {
            Ok((coverage, version)) => {
                let types = generate::generate(&root, provider)
                    .map(|g| g.summary.types)
                    .unwrap_or(0);
                all.push((coverage, version, types));
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    print!("{}", coverage::table(&all));
    for (c, _, _) in &all {
        let untested: Vec<&str> = c
            .operations
            .iter()
            .filter(|o| !o.wire_tested)
            .map(|o| o.id.as_str())
            .collect();
        if !untested.is_empty() {
            println!(
                "{}: no wire test yet for {}",
                c.provider,
                untested.join(", ")
            );
        }
    }
    ExitCode::SUCCESS
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

    #[test]
    fn generation_is_deterministic() {
        let root = workspace_root();
        for provider in PROVIDERS {
            let a = generate::generate(&root, provider).unwrap().code;
            let b = generate::generate(&root, provider).unwrap().code;
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
