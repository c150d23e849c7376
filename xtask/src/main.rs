//! `cargo xtask` — the rampkit generator.
//!
//! - `cargo xtask generate [--provider P]`: lint each `specs/<P>.yaml`, run progenitor, post-process,
//!   format with prettyplease and write `crates/rampkit-<P>/src/generated.rs`, the crate's `src/lib.rs`
//!   (from the providers table: its hand-written modules and re-exports) and the packaged copy of the
//!   spec, `crates/rampkit-<P>/spec/<P>.yaml`; refresh
//!   the provider table in README.md and docs/operations.md (with `--provider`, too: they list every
//!   provider).
//! - `cargo xtask generate --check`: do all of that in memory and fail with a diff when a committed file
//!   is stale or was edited by hand.
//! - `cargo xtask coverage`: per provider, documented / generated / wire-tested / excluded operations.
//! - `cargo xtask bench`: measure generation and per-crate build times (docs/benchmarks.md).
//! - `cargo xtask diff [--provider P] [--base REV] [--format text|json|markdown] [--fail-on L]`: every
//!   change of the specs since `REV`, classified for the wire and the Rust API, with a proposed version.
//! - `cargo xtask upstream --provider P --vendor FILE… [--vendor-page FILE…]`: the spec against the
//!   vendor's own files and pages (docs/vendor-watch.md).
//! - `cargo xtask release --provider P [--apply]`: bump the crate's version from that diff, write its
//!   CHANGELOG entry, regenerate; cross-checked with cargo-semver-checks when it is installed.
//! - `cargo xtask proofs [FILTER…] [--semver-checks]`: prove each rule's Rust-API judgment by compiling
//!   a consumer against the toy crate generated before and after the rule's spec edit.

mod bench;
mod build_cost;
mod coverage;
mod crate_root;
mod diff;
mod generate;
mod lint;
mod mock;
mod postprocess;
mod proofs;
mod providers;
mod readme;
mod release;
mod semver_checks;
mod spec;
mod tree;
mod upstream;
mod workspace;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use diff::command::{FailOn, Format, diff_command};
use providers::{Provider, select};
use workspace::workspace_root;

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
    /// Prove the diff's Rust-API judgments by compiling: per rule, a consumer written against the toy
    /// crate before a spec edit must compile after it exactly when the judgment is not breaking.
    Proofs {
        /// Only the proofs whose name contains one of these.
        filter: Vec<String>,
        /// Also ask cargo-semver-checks about each pair and count the agreement.
        #[arg(long)]
        semver_checks: bool,
    },
    /// Compare a spec with the vendor's own OpenAPI files and saved reference pages.
    Upstream(upstream::command::Args),
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
        /// A breaking release whatever the spec diff says (when cargo-semver-checks finds a breaking
        /// generator or hand-written change).
        #[arg(long)]
        breaking: bool,
        /// Skip the cross-check with cargo-semver-checks.
        #[arg(long)]
        no_semver_checks: bool,
    },
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
        Command::Proofs {
            filter,
            semver_checks,
        } => {
            let opts = proofs::Run {
                filter: &filter,
                semver_checks,
            };
            match proofs::run(&workspace_root(), &opts).and_then(|o| proofs::report(&o)) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Upstream(args) => upstream::command::run(args),
        Command::Release {
            provider,
            apply,
            date,
            breaking,
            no_semver_checks,
        } => match select(Some(&provider)) {
            Ok(p) => match release::run(
                &workspace_root(),
                p[0],
                &release::Options {
                    apply,
                    date: date.as_deref(),
                    breaking,
                    no_semver_checks,
                },
            ) {
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

fn run_generate(providers: &[&'static Provider], check: bool) -> ExitCode {
    if tree::generate_tree(&workspace_root(), providers, check, true) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_coverage() -> ExitCode {
    match coverage::run(&workspace_root()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
#[path = "cli_tests.rs"]
mod cli_tests;
