//! `cargo xtask bench`: the generator and build-time budgets of the workspace issue, measured.
//!
//! - generation of all five providers in memory (lint → progenitor → post-processing → prettyplease),
//!   warm, repeated: budget under 2 s;
//! - each generated crate's incremental build on top of its already-built dependencies (touch
//!   `src/generated.rs`, `cargo build -p rampkit-<p>`): budget under 5 s on 2 cores.
//!
//! Numbers are reported in docs/benchmarks.md; no test asserts a time.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::generate;
use crate::providers::PROVIDERS;
use crate::workspace::workspace_root;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

pub fn run() -> Result<(), String> {
    let root = workspace_root();
    const GEN_RUNS: usize = 10;
    let mut totals = Vec::new();
    for _ in 0..GEN_RUNS {
        let t = Instant::now();
        for p in PROVIDERS {
            generate::generate(&root, p)?;
        }
        totals.push(t.elapsed());
    }
    println!("| measurement | median | min | runs |\n|---|---|---|---|");
    let min = *totals.iter().min().unwrap();
    println!(
        "| generate all 5 providers (in memory, warm) | {} | {} | {GEN_RUNS} |",
        ms(median(totals)),
        ms(min)
    );

    const BUILD_RUNS: usize = 3;
    for p in PROVIDERS {
        let krate = format!("rampkit-{}", p.name);
        let lib = root.join(format!("crates/{krate}/src/generated.rs"));
        let build = || {
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "-p", &krate])
                .current_dir(&root)
                .status()
                .map_err(|e| e.to_string())?;
            if status.success() {
                Ok(())
            } else {
                Err(format!("cargo build -p {krate} failed"))
            }
        };
        build()?; // dependencies built once, outside the measurement
        let mut times = Vec::new();
        for _ in 0..BUILD_RUNS {
            let file = std::fs::File::options()
                .append(true)
                .open(&lib)
                .map_err(|e| e.to_string())?;
            file.set_modified(std::time::SystemTime::now())
                .map_err(|e| e.to_string())?;
            let t = Instant::now();
            build()?;
            times.push(t.elapsed());
        }
        let min = *times.iter().min().unwrap();
        println!(
            "| build `{krate}` on top of its dependencies | {} | {} | {BUILD_RUNS} |",
            ms(median(times)),
            ms(min)
        );
    }
    Ok(())
}
