//! Throughput under concurrency (issue 14): 64 concurrent status calls (Crossmint `get_user`) against a
//! minimal local hyper server (`bench-server`, its own process, one thread), generated client vs a
//! hand-written `reqwest` + `serde_json` call through the same `reqwest::Client`.
//!
//! Each path runs for the given seconds in two halves, in the order A B B A, so neither gets only the
//! quieter half of a noisy machine. The client runs on one thread (a current-thread runtime), the
//! server on another; reported per path: calls per second, p50 and p99 latency, and the client's CPU
//! time per call (this process only; the server is a child process).
//!
//! Budget: throughput generated / hand-written ≥ 0.95; the p99 ratio is reported.
//! Run: `cargo bench -p rampkit-tests --bench concurrency` (10 s per path; `-- --seconds N` to change).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rampkit_crossmint::{Client, CrossmintAuth, types::UserResponse};
use rampkit_tests::bench::{self, Server};

/// A `get_user` answer of the vendor's shape (https://docs.crossmint.com/api-reference/users/get-user).
const BODY: &str = r#"{"userId":"johnd-123","userDetails":true,"kycData":true,"dueDiligence":false,"verificationHistory":true,"email":"john@example.com","legalDocuments":[{"type":"crossmint-privacy-policy","acceptedAt":"2026-01-01T00:00:00.000Z"}]}"#;
const LOCATOR: &str = "userId:johnd-123";
const KEY: &str = "sk_staging_bench";
const CONCURRENCY: usize = 64;

async fn hand_written(http: &reqwest::Client, base: &str) -> UserResponse {
    let response = http
        .get(format!("{base}/2025-06-09/users/{LOCATOR}"))
        .header("x-api-key", KEY)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice::<UserResponse>(&bytes).unwrap()
}

/// `CONCURRENCY` callers for `length`; the latencies of every call.
async fn run(
    generated: bool,
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
                let user = if generated {
                    client.get_user(LOCATOR).await.unwrap().into_inner()
                } else {
                    hand_written(&http, &base).await
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
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--seconds" {
            seconds = args
                .next()
                .and_then(|v| v.parse().ok())
                .expect("--seconds N");
        }
    }
    let half = Duration::from_secs_f64(seconds / 2.0);
    let server = Server::start(env!("CARGO_BIN_EXE_bench-server"), BODY, Duration::ZERO);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let http = rampkit_runtime::transport::shared_client();
        let base = server.url.as_str();
        let client = Client::new_with_client(base, http.clone(), CrossmintAuth::new(KEY.to_owned()));
        // Warm up both paths with the full set of connections.
        run(true, &client, &http, base, Duration::from_millis(500)).await;
        run(false, &client, &http, base, Duration::from_millis(500)).await;

        let mut latencies = [Vec::new(), Vec::new()];
        let mut cpu = [Duration::ZERO; 2];
        let mut wall = [Duration::ZERO; 2];
        for generated in [true, false, false, true] {
            let i = usize::from(!generated);
            let (cpu_before, started) = (bench::cpu_time(), Instant::now());
            latencies[i].extend(run(generated, &client, &http, base, half).await);
            wall[i] += started.elapsed();
            cpu[i] += bench::cpu_time() - cpu_before;
        }
        println!("| path | calls / s | p50 | p99 | client CPU per call |\n|---|---|---|---|---|");
        let mut rows = Vec::new();
        for (i, name) in ["generated client", "hand-written reqwest + serde_json"].iter().enumerate() {
            let calls = latencies[i].len();
            let rate = calls as f64 / wall[i].as_secs_f64();
            let p50 = bench::percentile(&mut latencies[i], 50.0);
            let p99 = bench::percentile(&mut latencies[i], 99.0);
            let cpu_per_call = cpu[i].as_secs_f64() * 1e6 / calls as f64;
            println!(
                "| {name} | {rate:.0} | {:.0} µs | {:.0} µs | {cpu_per_call:.1} µs |",
                p50.as_secs_f64() * 1e6,
                p99.as_secs_f64() * 1e6
            );
            rows.push((rate, p99, cpu_per_call));
        }
        println!(
            "\nthroughput ratio generated / hand-written: {:.3} (budget ≥ 0.95); p99 ratio {:.3}; client CPU per call ratio {:.3}; {CONCURRENCY} concurrent callers, {seconds} s per path",
            rows[0].0 / rows[1].0,
            rows[0].1.as_secs_f64() / rows[1].1.as_secs_f64(),
            rows[0].2 / rows[1].2,
        );
    });
}
