//! cargo-semver-checks as a second opinion on the diff's Rust-API judgment: `cargo xtask release` asks it
//! about the crate against its last release, `cargo xtask proofs --semver-checks` about each proof pair.
//!
//! It is optional: install it with `cargo install cargo-semver-checks --locked`. When it is missing the
//! cross-check is skipped with a message, never failed.
//!
//! Its verdict is read from one question: would the change fit a *compatible* release (`--release-type
//! minor` for a crate at 1.0 or later, `patch` for a `0.y.z` crate, where cargo counts `0.y` → `0.y+1`
//! as the breaking step)? It fails the check exactly when it finds a change that needs the breaking
//! step ("requires new major version").

use std::path::Path;
use std::process::Command;

use crate::diff::report::ProviderReport;
use crate::diff::rules::Level;

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// `cargo semver-checks --version`, or `None` when it is not installed.
pub fn installed() -> Option<String> {
    let out = Command::new(cargo())
        .args(["semver-checks", "--version"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The `--release-type` of a compatible release of a crate at `version`.
fn compatible(version: &str) -> &'static str {
    if version.starts_with("0.") {
        "patch"
    } else {
        "minor"
    }
}

/// Runs `cargo semver-checks check-release` with `args` (in `dir`) and reads its verdict: `true` when
/// the change needs a breaking release.
fn verdict(dir: &Path, version: &str, args: &[&str], target: &Path) -> Result<bool, String> {
    let out = Command::new(cargo())
        .args([
            "semver-checks",
            "check-release",
            "--release-type",
            compatible(version),
        ])
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(false)
    } else if text.contains("requires new major version") {
        Ok(true)
    } else {
        let tail: Vec<&str> = text.lines().rev().take(12).collect();
        Err(format!(
            "cargo semver-checks failed: {}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ))
    }
}

/// `package` (in the workspace at `root`) against its state at the git revision `base`.
pub fn against_revision(
    root: &Path,
    package: &str,
    version: &str,
    base: &str,
) -> Result<bool, String> {
    verdict(
        root,
        version,
        &["--package", package, "--baseline-rev", base],
        &root.join("target/semver-checks"),
    )
}

/// Two rustdoc JSON files of one crate (the proofs' pairs, documented by [`rustdoc_json`]).
pub fn between_rustdocs(old: &Path, new: &Path, version: &str, dir: &Path) -> Result<bool, String> {
    let (old, new) = (old.display().to_string(), new.display().to_string());
    verdict(
        dir,
        version,
        &["--baseline-rustdoc", &old, "--current-rustdoc", &new],
        &dir.join("target"),
    )
}

/// The rustdoc JSON of `package`'s library (workspace `ws`, library `lib`), copied to `out`. rustdoc's
/// JSON output is unstable: `RUSTC_BOOTSTRAP=1` lets a stable toolchain write it, as cargo-semver-checks
/// itself does.
pub fn rustdoc_json(
    ws: &Path,
    target: &Path,
    package: &str,
    lib: &str,
    out: &Path,
) -> Result<(), String> {
    let status = Command::new(cargo())
        .args([
            "rustdoc",
            "--offline",
            "--quiet",
            "--lib",
            "-p",
            package,
            "--",
        ])
        .args(["-Z", "unstable-options", "--output-format", "json"])
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(ws)
        .status()
        .map_err(|e| format!("cannot run cargo rustdoc: {e}"))?;
    if !status.success() {
        return Err(format!("cargo rustdoc -p {package} failed"));
    }
    std::fs::copy(target.join(format!("doc/{lib}.json")), out)
        .map(|_| ())
        .map_err(|e| format!("rustdoc JSON of {package}: {e}"))
}

/// The release's Rust-API judgment checked with cargo-semver-checks (the crate against `base`): stops
/// when it finds a breaking change the judgment does not (a minor release would break callers); a
/// breaking judgment it does not confirm is reported, not stopped on (it does not see every type
/// change, see docs/releasing.md). Skipped, with a message, when it is not installed.
pub fn cross_check(
    root: &Path,
    krate: &str,
    current: &str,
    base: &str,
    report: &ProviderReport,
    breaking: bool,
) -> Result<(), String> {
    let Some(version) = installed() else {
        println!(
            "cargo-semver-checks: not installed, cross-check skipped (install it with `cargo install \
             cargo-semver-checks --locked`)"
        );
        return Ok(());
    };
    let ours = breaking || report.changes.iter().any(|c| c.rust_api == Level::Breaking);
    let major = against_revision(root, krate, current, base)?;
    let say = |b: bool| if b { "breaking" } else { "not breaking" };
    println!(
        "{version}: {} against {base}; the spec diff's Rust-API judgment: {}",
        say(major),
        say(ours)
    );
    match (ours, major) {
        (false, true) => Err(format!(
            "cargo-semver-checks finds a breaking change in {krate} that the spec diff does not (a \
             generator or hand-written change?). Read its report (`cargo semver-checks -p {krate} \
             --baseline-rev {base}`); when it is right, release with --breaking"
        )),
        (true, false) => {
            println!(
                "note: cargo-semver-checks does not confirm the breaking judgment (it has no lint for \
                 changed field or argument types); the breaking release stands"
            );
            Ok(())
        }
        _ => Ok(()),
    }
}
