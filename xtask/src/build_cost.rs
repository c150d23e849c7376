//! `cargo xtask build-cost`: what a user pays to build rampkit (issue 14).
//!
//! For each dependency (a provider crate, the crate a user adds first, and the facade `rampkit`;
//! `providers::BUILD_COST_CRATES`) a
//! fresh binary crate is written under `target/build-cost/<crate>/` that depends only on it (by path,
//! with the workspace's `Cargo.lock`, so the versions are the ones CI tests) and calls it once; it is
//! then built with `cargo build --timings` into an empty target directory. Reported: wall-clock time,
//! the number of units, the sum of the unit times (the work, whatever the parallelism) and the units
//! that took longest, read from cargo's timing report.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

/// The dependency choices measured: default features, and the lean choice (`rustls-ring` for TLS; for the
/// facade, no `sqlite`).
const VARIANTS: [(&str, &str); 2] = [
    ("default features", ""),
    (
        "`default-features = false, features = [\"rustls-ring\"]`",
        ", default-features = false, features = [\"rustls-ring\"]",
    ),
];

/// Runs the measurement for `only` (or both crates) and prints a Markdown table.
pub fn run(root: &Path, only: Option<&str>, release: bool) -> Result<(), String> {
    let mut rows = Vec::new();
    for (name, main) in crate::providers::BUILD_COST_CRATES {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        for (variant, features) in VARIANTS {
            let dir = root.join("target/build-cost").join(format!(
                "{name}{}",
                if features.is_empty() { "" } else { "-lean" }
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
            let dependency = root.join("crates").join(name);
            std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"build-cost-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\n{name} = {{ path = {:?}{features} }}\n\n[workspace]\n",
                dependency.display().to_string()
            ),
        )
        .map_err(|e| e.to_string())?;
            std::fs::write(dir.join("src/main.rs"), main).map_err(|e| e.to_string())?;
            std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
                .map_err(|e| e.to_string())?;
            let mut command =
                Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
            command
                .current_dir(&dir)
                .args(["build", "--timings", "--quiet"])
                .env("CARGO_TARGET_DIR", dir.join("target"))
                .env_remove("RUSTFLAGS");
            if release {
                command.arg("--release");
            }
            eprintln!("building a fresh crate that depends on {name} ({variant}) …");
            let started = Instant::now();
            let status = command.status().map_err(|e| e.to_string())?;
            let wall = started.elapsed().as_secs_f64();
            if !status.success() {
                return Err(format!("building the fresh crate for {name} failed"));
            }
            let units = timing_units(&dir.join("target/cargo-timings/cargo-timing.html"))?;
            rows.push((name, variant, wall, units));
        }
    }
    let profile = if release { "release" } else { "dev" };
    println!(
        "| fresh binary depending on | features | wall clock ({profile}, empty target dir) | units | sum of unit times | longest units |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, variant, wall, mut units) in rows {
        let total: f64 = units.iter().map(|u| u.1).sum();
        units.sort_by(|a, b| b.1.total_cmp(&a.1));
        let longest: Vec<String> = units
            .iter()
            .take(8)
            .map(|(unit, secs)| format!("{unit} {secs:.1} s"))
            .collect();
        println!(
            "| `{name}` | {variant} | {wall:.1} s | {} | {total:.1} s | {} |",
            units.len(),
            longest.join(", ")
        );
    }
    Ok(())
}

/// `(name, seconds)` of every unit in cargo's `--timings` report (its `UNIT_DATA` array).
fn timing_units(report: &Path) -> Result<Vec<(String, f64)>, String> {
    let html = std::fs::read_to_string(report).map_err(|e| format!("{}: {e}", report.display()))?;
    let start = html
        .find("const UNIT_DATA = ")
        .ok_or("no UNIT_DATA in cargo's timing report")?
        + "const UNIT_DATA = ".len();
    let end = html[start..]
        .find(";\n")
        .ok_or("UNIT_DATA is not terminated")?
        + start;
    let data: Value = serde_json::from_str(&html[start..end]).map_err(|e| e.to_string())?;
    Ok(data
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| {
            let mut name = u["name"].as_str().unwrap_or("?").to_owned();
            if let Some(target) = u["target"].as_str().filter(|t| !t.trim().is_empty()) {
                name.push_str(target);
            }
            (name, u["duration"].as_f64().unwrap_or(0.0))
        })
        .collect())
}
