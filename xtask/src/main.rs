//! `cargo xtask` — the rampkit generator.
//!
//! - `cargo xtask generate [--provider P]`: lint each `specs/<P>.yaml`, run progenitor, post-process,
//!   format with prettyplease and write `crates/rampkit-<P>/src/generated.rs` (the crate's hand-written
//!   `lib.rs` includes it) and the packaged copy of the spec, `crates/rampkit-<P>/spec/<P>.yaml`; refresh
//!   the provider table in README.md and docs/operations.md (with `--provider`, too: they list every
//!   provider).
//! - `cargo xtask generate --check`: do all of that in memory and fail with a diff when a committed file
//!   is stale or was edited by hand.
//! - `cargo xtask coverage`: per provider, documented / generated / wire-tested / excluded operations.
//! - `cargo xtask bench`: measure generation and per-crate build times (docs/benchmarks.md).
//! - `cargo xtask diff [--provider P] [--base REV] [--format text|json|markdown] [--fail-on L]`: every
//!   change of the specs since `REV`, classified for the wire and the Rust API, with a proposed version.
//! - `cargo xtask release --provider P [--apply]`: bump the crate's version from that diff, write its
//!   CHANGELOG entry, regenerate.

mod bench;
mod build_cost;
mod client;
mod coverage;
mod diff;
mod generate;
mod lint;
mod postprocess;
mod readme;
mod release;
mod spec;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use diff::Level;
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

/// The workspace root, found at run time: the nearest ancestor of the current directory whose
/// `Cargo.toml` has a `[workspace]` table (`cargo xtask` and `cargo test` both run inside the workspace),
/// or `RAMPKIT_ROOT` when set. Never the path this binary was built in.
pub fn workspace_root() -> PathBuf {
    if let Some(root) = std::env::var_os("RAMPKIT_ROOT") {
        return PathBuf::from(root);
    }
    let cwd = std::env::current_dir().expect("the current directory is readable");
    find_workspace(&cwd).unwrap_or_else(|| {
        eprintln!(
            "error: no Cargo workspace above {} (run cargo xtask inside the rampkit checkout)",
            cwd.display()
        );
        std::process::exit(2)
    })
}

pub fn find_workspace(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        manifest
            .lines()
            .any(|l| l.trim() == "[workspace]")
            .then(|| dir.to_path_buf())
    })
}

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "The rampkit generator and release tools."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint the specs, run progenitor, write the client crates, README table and docs/operations.md.
    Generate {
        /// Only this provider.
        #[arg(long, short)]
        provider: Option<String>,
        /// Change nothing; fail with a diff when a committed file is stale.
        #[arg(long)]
        check: bool,
    },
    /// Per provider: documented / generated / wire-tested / excluded operations.
    Coverage,
    /// Measure generation and per-crate build times (docs/benchmarks.md).
    Bench,
    /// Build a fresh binary crate that depends on `rampkit-crossmint` and one on `rampkit` from an empty
    /// target directory, with `cargo build --timings` (docs/benchmarks.md).
    BuildCost {
        /// Only this crate (`rampkit-crossmint` or `rampkit`).
        #[arg(long = "crate")]
        krate: Option<String>,
        /// Build with the release profile.
        #[arg(long)]
        release: bool,
    },
    /// Classify every change of the specs since a git revision: breaking, additive or docs.
    Diff {
        /// Only this provider.
        #[arg(long, short)]
        provider: Option<String>,
        /// The git revision to compare with.
        #[arg(long, default_value = "HEAD")]
        base: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit with code 1 when a change is at least this level.
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
    },
    /// Bump a provider crate's version and write its changelog entry from the spec diff since its
    /// last release.
    Release {
        #[arg(long, short)]
        provider: String,
        /// Do it (without: print what it would do).
        #[arg(long)]
        apply: bool,
        /// The release date written in the changelog (default: today, UTC).
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailOn {
    Breaking,
    Additive,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate { provider, check } => match select(provider.as_deref()) {
            Ok(providers) => run_generate(&providers, check),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Coverage => run_coverage(),
        Command::Bench => match bench::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::BuildCost { krate, release } => {
            match build_cost::run(&workspace_root(), krate.as_deref(), release) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Diff {
            provider,
            base,
            format,
            fail_on,
        } => run_diff(provider.as_deref(), &base, format, fail_on),
        Command::Release {
            provider,
            apply,
            date,
        } => match select(Some(&provider)) {
            Ok(p) => match release::run(&workspace_root(), p[0], apply, date.as_deref()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}

/// The providers a `--provider` option selects (all of them without it).
pub fn select(only: Option<&str>) -> Result<Vec<&'static Provider>, String> {
    match only {
        Some(name) => {
            let p = PROVIDERS.iter().find(|p| p.name == name).ok_or_else(|| {
                let known: Vec<_> = PROVIDERS.iter().map(|p| p.name).collect();
                format!("unknown provider `{name}` (known: {})", known.join(", "))
            })?;
            Ok(vec![p])
        }
        None => Ok(PROVIDERS.iter().collect()),
    }
}

fn run_diff(only: Option<&str>, base: &str, format: Format, fail_on: Option<FailOn>) -> ExitCode {
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    ExitCode::from(diff_command(
        &workspace_root(),
        only,
        base,
        format,
        fail_on,
        &mut out,
        &mut err,
    ))
}

/// `cargo xtask diff`: 0, or 1 when `--fail-on` is reached, or 2 on bad input (one line on `err`).
pub fn diff_command(
    root: &Path,
    only: Option<&str>,
    base: &str,
    format: Format,
    fail_on: Option<FailOn>,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> u8 {
    let providers = match select(only) {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    let reports = match diff_reports(root, &providers, base) {
        Ok(r) => r,
        Err(diff::InputError(e)) => {
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    let text = match format {
        Format::Text => diff::render_text(&reports),
        Format::Json => diff::render_json(&reports),
        Format::Markdown => diff::render_markdown(&reports),
    };
    let _ = write!(out, "{text}");
    let worst = reports.iter().map(|r| r.level).max().unwrap_or(Level::None);
    let threshold = match fail_on {
        None => return 0,
        Some(FailOn::Breaking) => Level::Breaking,
        Some(FailOn::Additive) => Level::Additive,
    };
    u8::from(worst >= threshold)
}

/// One report per provider: its spec at `base` against the working tree.
pub fn diff_reports(
    root: &Path,
    providers: &[&'static Provider],
    base: &str,
) -> Result<Vec<diff::ProviderReport>, diff::InputError> {
    let mut reports = Vec::new();
    for provider in providers {
        let rel = format!("specs/{}.yaml", provider.name);
        let raw =
            std::fs::read(root.join(&rel)).map_err(|e| diff::InputError(format!("{rel}: {e}")))?;
        let new = diff::parse_spec(&raw, &rel)?;
        let old = diff::spec_at(root, base, provider.name)?;
        reports
            .push(diff::report(root, provider.name, old.as_ref(), &new).map_err(diff::InputError)?);
    }
    Ok(reports)
}

fn run_generate(providers: &[&'static Provider], check: bool) -> ExitCode {
    if generate_tree(&workspace_root(), providers, check, true) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

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
        for (path, text) in [(&target, &generated.code), (&spec_copy, &spec_text)] {
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
#[path = "cli_tests.rs"]
mod cli_tests;

#[cfg(test)]
#[path = "compile_tests.rs"]
mod compile_tests;

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
