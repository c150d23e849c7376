//! Throughput under concurrency (issue 14): 64 concurrent status calls (Crossmint `get_user`) against a
//! minimal local hyper server (`bench-server`, its own process, one thread), generated client vs a
//! hand-written `reqwest` + `serde_json` call through the same `reqwest::Client`.
//!
//! Each path runs for the given seconds in one-second slices, the three paths interleaved (the order
//! rotating every round), so that a noisy moment of the shared machine falls on all of them alike. The client runs on one thread (a current-thread runtime), the
//! server on another; reported per path: calls per second, p50 and p99 latency, and the client's CPU
//! time per call (this process only; the server is a child process).
//!
//! Budget: throughput generated / hand-written ≥ 0.95; the p99 ratio is reported.
//! Run: `cargo bench -p rampkit-tests --bench concurrency` (10 s per path; `-- --seconds N` to change).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[path = "common/crossmint_calls.rs"]
mod crossmint_calls;

use crossmint_calls::{
    BODY, LOCATOR, generated_client, hand_written, inside_call, with_progenitor_steps,
};
use rampkit_crossmint::Client;
use rampkit_tests::bench::{self, Server};

const CONCURRENCY: usize = 64;

/// The three paths: 0 generated, 1 hand-written, 2 hand-written + progenitor's steps.
const PATHS: [&str; 4] = [
    "generated client",
    "hand-written reqwest + serde_json",
    "hand-written + progenitor's steps",
    "hand-written + progenitor's steps inside `rampkit_runtime::call`",
];

/// `CONCURRENCY` callers of `path` for `length`; the latencies of every call.
async fn run(
    path: usize,
    client: &Client,
    http: &reqwest::Client,
    base: &str,
    length: Duration,
) -> Vec<Duration> {
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (client, http, base, stop) =
            (client.clone(), http.clone(), base.to_owned(), stop.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(100_000);
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let user = match path {
                    0 => client.get_user(LOCATOR).await.unwrap().into_inner(),
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
    tokio::time::sleep(length).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    while let Some(latencies) = tasks.join_next().await {
        all.extend(latencies.unwrap());
    }
    all
}

fn main() {
    let mut seconds = 10.0f64;
    // `--only <0|1|2|3>`: run one path (for a profiler).
    let mut only = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--seconds N")
            }
            "--only" => only = args.next().and_then(|v| v.parse::<usize>().ok()),
            _ => {}
        }
    }
    let slices = seconds.round().max(1.0) as usize;
    let slice = Duration::from_secs_f64(seconds / slices as f64);
    let server = Server::start(env!("CARGO_BIN_EXE_bench-server"), BODY, Duration::ZERO);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let http = rampkit_runtime::transport::shared_client();
        let base = server.url.as_str();
        let client = generated_client(base, http.clone());
        println!(
            "future sizes: generated `get_user` {} bytes, hand-written {} bytes\n",
            std::mem::size_of_val(&client.get_user(LOCATOR)),
            std::mem::size_of_val(&hand_written(&http, base)),
        );
        // Warm up every path with the full set of connections.
        for path in 0..PATHS.len() {
            run(path, &client, &http, base, Duration::from_millis(500)).await;
        }
        let mut latencies = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        let mut cpu = [Duration::ZERO; 4];
        let mut wall = [Duration::ZERO; 4];
        let order = (0..slices).flat_map(|round| (0..4).map(move |k| (round + k) % 4));
        for path in order {
            if only.is_some_and(|o| o != path) {
                continue;
            }
            let (cpu_before, started) = (bench::cpu_time(), Instant::now());
            latencies[path].extend(run(path, &client, &http, base, slice).await);
            wall[path] += started.elapsed();
            cpu[path] += bench::cpu_time() - cpu_before;
        }
        println!(
            "| path | calls / s | p50 | p99 | client CPU per call | throughput ÷ hand-written | p99 ÷ hand-written |\n|---|---|---|---|---|---|---|"
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
            println!(
                "| {name} | {:.0} | {:.0} µs | {:.0} µs | {:.1} µs | {:.3} | {:.3} |",
                rate(path).unwrap_or(f64::NAN),
                us(p50),
                us(p99),
                us(cpu[path]) / calls as f64,
                rate(path).unwrap_or(f64::NAN) / rate(1).unwrap_or(f64::NAN),
                us(p99) / hand,
            );
        }
        println!(
            "\n{CONCURRENCY} concurrent callers, {seconds} s per path in {slices} interleaved slices; budget: generated throughput ≥ 0.95 × hand-written"
        );
    });
}
