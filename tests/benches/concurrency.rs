//! Throughput under concurrency (issue 14): 64 concurrent status calls (Crossmint `get_user`) against a
//! minimal local hyper server (`bench-server`, its own process, one thread), generated client vs a
//! hand-written `reqwest` + `serde_json` call through the same `reqwest::Client`.
//!
//! The paths take turns in rounds: each round runs every path for one slice (250 ms, the order rotating),
//! so that a noisy moment of the shared machine falls on all of them alike, and the budget figure is the
//! median over rounds of the per-round ratio. The client runs on one thread (a current-thread runtime),
//! the server on another; reported per path: calls per second, p50 and p99 latency, the client thread's
//! CPU time per call (user + kernel; the server is a child process), and how often client and server
//! blocked for want of work.
//!
//! Budget: throughput generated / hand-written ≥ 0.95; the p99 ratio is reported.
//! Run: `cargo bench -p rampkit-tests --bench concurrency` (10 s per path; `-- --seconds N`,
//! `--slice-ms N`); `-- --instructions` counts user-space instructions per call under callgrind instead.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[path = "common/crossmint_calls.rs"]
mod crossmint_calls;

use crossmint_calls::{
    BODY, generated_client, hand_written, inside_call, user_locator, with_progenitor_steps,
};
use rampkit_crossmint::Client;
use rampkit_tests::bench::{self, Server};

const CONCURRENCY: usize = 64;

/// The paths: 0 generated, 1 hand-written, 2 hand-written + progenitor's steps as progenitor emits them,
/// 3 the generated request code by hand inside `rampkit_runtime::call` (diagnostic).
const PATHS: [&str; 4] = [
    "generated client",
    "hand-written reqwest + serde_json",
    "hand-written + progenitor's steps",
    "the generated request code by hand, inside `rampkit_runtime::call`",
];

/// `CONCURRENCY` callers of `path` for `length` (or, with `calls_per_task`, until each has made that
/// many calls); the latencies of every call.
async fn run(
    path: usize,
    client: &Client,
    http: &reqwest::Client,
    base: &str,
    length: Duration,
    calls_per_task: Option<usize>,
) -> Vec<Duration> {
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (client, http, base, stop) =
            (client.clone(), http.clone(), base.to_owned(), stop.clone());
        let locator = user_locator();
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(calls_per_task.unwrap_or(100_000));
            while !stop.load(Ordering::Relaxed)
                && calls_per_task.is_none_or(|n| latencies.len() < n)
            {
                let started = Instant::now();
                let user = match path {
                    0 => client.get_user(&locator).await.unwrap().into_inner(),
                    1 => hand_written(&http, &base).await,
                    2 => with_progenitor_steps(&http, &base).await,
                    _ => inside_call(&client, &http, &base).await,
                };
                latencies.push(started.elapsed());
                assert!(user.kyc_data);
            }
            latencies
        });
    }
    if calls_per_task.is_none() {
        tokio::time::sleep(length).await;
        stop.store(true, Ordering::Relaxed);
    }
    let mut all = Vec::new();
    while let Some(latencies) = tasks.join_next().await {
        all.extend(latencies.unwrap());
    }
    all
}

fn main() {
    let mut seconds = 10.0f64;
    let mut slice_ms = 250u64;
    // `--only <0|1|2|3>`: run one path (for a profiler).
    let mut only = None;
    let mut calls_per_task = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--seconds N")
            }
            "--slice-ms" => {
                slice_ms = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--slice-ms N")
            }
            "--only" => only = args.next().and_then(|v| v.parse::<usize>().ok()),
            "--instructions" => return count_instructions(),
            // With `--only`: no warm-up, no slices, each caller makes exactly N calls. For counting
            // instructions per call (valgrind --tool=callgrind), where time-based slices would vary.
            "--calls-per-task" => {
                calls_per_task = args.next().and_then(|v| v.parse::<usize>().ok())
            }
            _ => {}
        }
    }
    let slice = Duration::from_millis(slice_ms.max(10));
    let rounds = ((seconds / slice.as_secs_f64()).round() as usize).max(1);
    let server = Server::start(env!("CARGO_BIN_EXE_bench-server"), BODY, Duration::ZERO);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let safe = rampkit_runtime::transport::HttpClient::shared();
        let http = safe.as_reqwest().clone();
        let base = server.url.as_str();
        let client = generated_client(base, safe.clone());
        println!(
            "future sizes: generated `get_user` {} bytes, hand-written {} bytes\n",
            std::mem::size_of_val(&client.get_user(&user_locator()).send()),
            std::mem::size_of_val(&hand_written(&http, base)),
        );
        if let (Some(path), Some(n)) = (only, calls_per_task) {
            let calls = run(path, &client, &http, base, Duration::ZERO, Some(n)).await.len();
            println!("{}: {calls} calls", PATHS[path]);
            return;
        }
        // Warm up every path with the full set of connections.
        for path in (0..PATHS.len()).filter(|p| only.is_none_or(|o| o == *p)) {
            run(path, &client, &http, base, Duration::from_millis(500), None).await;
        }
        let mut latencies = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        let mut cpu = [Duration::ZERO; 4];
        let mut wall = [Duration::ZERO; 4];
        // Times the client thread and the server blocked for want of work, per path.
        let mut client_waits = [0u64; 4];
        // The client thread's CPU time split into user space and kernel, per path.
        let mut user = [Duration::ZERO; 4];
        let mut system = [Duration::ZERO; 4];
        let mut server_waits = [0u64; 4];
        // Calls per second of every path in every round: a round runs each path for one slice, so
        // the ratio of two paths within a round compares them under the same machine conditions.
        let mut per_round = vec![[f64::NAN; 4]; rounds];
        for (round, rates) in per_round.iter_mut().enumerate() {
            for k in 0..PATHS.len() {
                let path = (round + k) % PATHS.len();
                if only.is_some_and(|o| o != path) {
                    continue;
                }
                let (cpu_before, started) = (bench::thread_cpu_time(), Instant::now());
                let split_before = bench::thread_user_system();
                let waits_before = (
                    bench::voluntary_switches(None),
                    bench::voluntary_switches(Some(server.pid())),
                );
                let samples = run(path, &client, &http, base, slice, None).await;
                let elapsed = started.elapsed();
                let split_after = bench::thread_user_system();
                user[path] += split_after.0 - split_before.0;
                system[path] += split_after.1 - split_before.1;
                client_waits[path] += bench::voluntary_switches(None) - waits_before.0;
                server_waits[path] += bench::voluntary_switches(Some(server.pid())) - waits_before.1;
                wall[path] += elapsed;
                cpu[path] += bench::thread_cpu_time() - cpu_before;
                rates[path] = samples.len() as f64 / elapsed.as_secs_f64();
                latencies[path].extend(samples);
            }
        }
        println!(
            "| path | calls | calls / s | p50 | p99 | client CPU per call (user + kernel) | client / server waits per 100 calls | throughput ÷ hand-written: median of rounds [p25–p75] | overall | p99 ÷ hand-written |\n|---|---|---|---|---|---|---|---|---|---|"
        );
        let mut rows = Vec::new();
        for samples in latencies.iter_mut() {
            rows.push(if samples.is_empty() {
                None
            } else {
                let p50 = bench::percentile(samples, 50.0);
                let p99 = bench::percentile(samples, 99.0);
                Some((samples.len(), p50, p99))
            });
        }
        let rate = |path: usize| rows[path].map(|(calls, _, _)| calls as f64 / wall[path].as_secs_f64());
        for (path, name) in PATHS.iter().enumerate() {
            let Some((calls, p50, p99)) = rows[path] else { continue };
            let us = |d: Duration| d.as_secs_f64() * 1e6;
            let hand = rows[1].map_or(f64::NAN, |(_, _, p99)| us(p99));
            let mut ratios: Vec<f64> = per_round
                .iter()
                .map(|r| r[path] / r[1])
                .filter(|r| r.is_finite())
                .collect();
            ratios.sort_by(f64::total_cmp);
            let quantile = |q: f64| {
                ratios
                    .get(((ratios.len().max(1) - 1) as f64 * q).round() as usize)
                    .copied()
                    .unwrap_or(f64::NAN)
            };
            println!(
                "| {name} | {calls} | {:.0} | {:.0} µs | {:.0} µs | {:.1} µs ({:.1} + {:.1}) | {:.1} / {:.1} | **{:.3}** [{:.3}–{:.3}] | {:.3} | {:.3} |",
                rate(path).unwrap_or(f64::NAN),
                us(p50),
                us(p99),
                us(cpu[path]) / calls as f64,
                us(user[path]) / calls as f64,
                us(system[path]) / calls as f64,
                client_waits[path] as f64 * 100.0 / calls as f64,
                server_waits[path] as f64 * 100.0 / calls as f64,
                quantile(0.5),
                quantile(0.25),
                quantile(0.75),
                rate(path).unwrap_or(f64::NAN) / rate(1).unwrap_or(f64::NAN),
                us(p99) / hand,
            );
        }
        println!(
            "\n{CONCURRENCY} concurrent callers; {rounds} rounds, each running every path for {slice_ms} ms (order rotating); budget: generated throughput ≥ 0.95 × hand-written (median of the per-round ratios)"
        );
    });
}

/// `--instructions`: user-space instructions per call of every path, counted by valgrind's callgrind
/// (deterministic for a given binary, whatever the shared machine is doing). Each path runs alone under
/// callgrind twice, 64 callers making 20 and then 60 calls each; the difference of the two totals over
/// the difference in calls removes start-up (runtime, TLS roots, server start). Kernel time is not
/// counted: the syscalls per call are the same on every path (`strace -c`, docs/benchmarks.md).
fn count_instructions() {
    let exe = std::env::current_exe().expect("the bench's own path");
    let dir = std::env::temp_dir().join(format!("rampkit-callgrind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (few, many) = (20usize, 60usize);
    let mut per_call = [f64::NAN; 4];
    for (path, slot) in per_call.iter_mut().enumerate() {
        let total = |n: usize| -> Option<f64> {
            let out = std::process::Command::new("valgrind")
                .arg("--tool=callgrind")
                .arg(format!(
                    "--callgrind-out-file={}",
                    dir.join(format!("{path}.{n}")).display()
                ))
                .arg(&exe)
                .args([
                    "--bench",
                    "--only",
                    &path.to_string(),
                    "--calls-per-task",
                    &n.to_string(),
                ])
                .output()
                .ok()?;
            let stderr = String::from_utf8_lossy(&out.stderr);
            stderr
                .lines()
                .find_map(|l| {
                    l.split_once("Collected :")
                        .map(|(_, n)| n.trim().to_owned())
                })
                .and_then(|n| n.parse::<f64>().ok())
        };
        let (Some(a), Some(b)) = (total(few), total(many)) else {
            eprintln!("valgrind --tool=callgrind did not run (is valgrind installed?)");
            std::process::exit(2);
        };
        *slot = (b - a) / ((many - few) * CONCURRENCY) as f64;
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "| path | user-space instructions per call | ÷ hand-written | − hand-written |\n|---|---|---|---|"
    );
    for (path, name) in PATHS.iter().enumerate() {
        println!(
            "| {name} | {:.0} | {:.4} | {:+.0} |",
            per_call[path],
            per_call[path] / per_call[1],
            per_call[path] - per_call[1],
        );
    }
    println!(
        "\n{CONCURRENCY} concurrent callers, {few} and {many} calls each, every path alone under callgrind"
    );
}
