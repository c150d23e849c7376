//! Per-call overhead of a generated client (credentials hook, rate-limit slot, `rampkit_runtime::call`
//! with its retry loop and tracing span, the `exec` hook, error mapping) against a hand-written
//! `reqwest` + `serde_json` call of the same operation (Crossmint `get_user`), through the same
//! `reqwest::Client`, against a minimal local hyper server (`bench-server`, its own process, answering
//! a fixed body in a few µs) — and the memory of an idle client and of a call in flight.
//!
//! Three paths, alternating which goes first in each round:
//! - **generated** — `rampkit_crossmint::Client::get_user`;
//! - **hand-written** — format the URL, `GET` with the key and `accept` headers, read the bytes,
//!   `serde_json::from_slice` into the same `UserResponse`;
//! - **hand-written + progenitor's steps** — the same call doing what progenitor's generated code does
//!   besides rampkit's hooks (`encode_path` of the locator, an empty `HeaderMap` merged in,
//!   `ResponseValue::from_response`, which clones the response headers): the difference to
//!   hand-written is progenitor's share, the rest is rampkit's.
//!
//! Budget (issue 14): median ratio generated / hand-written ≤ 1.02.
//! Run: `cargo bench -p rampkit-tests --bench call_overhead`. Numbers go in docs/benchmarks.md.

use std::time::{Duration, Instant};

#[path = "common/crossmint_calls.rs"]
mod crossmint_calls;

use crossmint_calls::{
    BODY, KEY, generated_client, hand_written, user_locator, with_progenitor_steps,
};
use rampkit_crossmint::{Client, CrossmintAuth};
use rampkit_tests::bench::{self, Counting, Server};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Rounds by default; `-- --rounds N` to change.
const ROUNDS: usize = 40;
const CALLS_PER_ROUND: usize = 250;
const IN_FLIGHT: usize = 256;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut rounds_wanted = ROUNDS;
    while let Some(arg) = args.next() {
        if arg == "--rounds" {
            rounds_wanted = args
                .next()
                .and_then(|v| v.parse().ok())
                .expect("--rounds N");
        }
    }
    let server = Server::start(env!("CARGO_BIN_EXE_bench-server"), BODY, Duration::ZERO);
    let slow = Server::start(
        env!("CARGO_BIN_EXE_bench-server"),
        BODY,
        Duration::from_millis(1500),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let safe = rampkit_runtime::transport::HttpClient::shared();
        let http = safe.as_reqwest().clone();
        let base = server.url.as_str();
        let generated =
            generated_client(base, safe.clone());
        let locator = user_locator();

        // Warm all paths (connection pool, allocator).
        for _ in 0..CALLS_PER_ROUND {
            generated.get_user(&locator).await.unwrap();
            hand_written(&http, base).await;
            with_progenitor_steps(&http, base).await;
        }

        let mut rounds = [Vec::new(), Vec::new(), Vec::new()];
        for round in 0..rounds_wanted {
            for k in 0..3 {
                let path = (round + k) % 3;
                let started = Instant::now();
                for _ in 0..CALLS_PER_ROUND {
                    let user = match path {
                        0 => generated.get_user(&locator).await.unwrap().into_inner(),
                        1 => hand_written(&http, base).await,
                        _ => with_progenitor_steps(&http, base).await,
                    };
                    assert!(user.kyc_data);
                }
                rounds[path].push(started.elapsed() / CALLS_PER_ROUND as u32);
            }
        }
        // The ratio of two paths within each round (taken back to back, so a slow moment of the shared
        // machine weighs on both), then its median and quartiles over the rounds.
        let per_round = |path: usize| {
            let mut ratios: Vec<f64> = rounds[path]
                .iter()
                .zip(&rounds[1])
                .map(|(p, h)| p.as_secs_f64() / h.as_secs_f64())
                .collect();
            ratios.sort_by(f64::total_cmp);
            let q = |f: f64| ratios[((ratios.len() - 1) as f64 * f).round() as usize];
            (q(0.5), q(0.25), q(0.75))
        };
        let ratios = [per_round(0), per_round(1), per_round(2)];
        let [gen_median, hand_median, prog_median] = rounds.map(bench::median);
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        println!(
            "| path | median per call | ÷ hand-written | ÷ hand-written, median of rounds [p25–p75] |\n|---|---|---|---|"
        );
        for ((name, median), (ratio, p25, p75)) in [
            ("generated client (`get_user`)", gen_median),
            ("hand-written reqwest + serde_json", hand_median),
            ("hand-written + progenitor's steps", prog_median),
        ]
        .into_iter()
        .zip(ratios)
        {
            println!(
                "| {name} | {:.1} µs | {:.3} | **{ratio:.3}** [{p25:.3}–{p75:.3}] |",
                us(median),
                median.as_secs_f64() / hand_median.as_secs_f64()
            );
        }
        println!(
            "\ngenerated − hand-written: {:+.2} µs per call, of which progenitor's steps {:+.2} µs, rampkit's {:+.2} µs ({rounds_wanted} rounds × {CALLS_PER_ROUND} calls, median of the round means; budget: ratio ≤ 1.02, median of the per-round ratios)",
            us(gen_median) - us(hand_median),
            us(prog_median) - us(hand_median),
            us(gen_median) - us(prog_median),
        );

        // Memory of an idle client: many clients sharing one reqwest::Client.
        let before = bench::live();
        let clients: Vec<Client> = (0..1000)
            .map(|_| Client::new_with_client(base, safe.clone(), CrossmintAuth::new(KEY.to_owned())))
            .collect();
        let per_client = (bench::live() - before) / clients.len();
        drop(clients);
        let before = bench::live();
        let own = rampkit_runtime::transport::http_client(Default::default());
        let reqwest_client = bench::live() - before;
        drop(own);

        // Memory of calls in flight: IN_FLIGHT calls held by the server for 1.5 s, measured while all
        // are waiting (each on its own new connection); generated, hand-written, then both again, keeping
        // the second measurement (the first grows the runtime's and the pool's tables once).
        let mut in_flight = Vec::new();
        for path in [0, 1, 0, 1] {
            let safe = rampkit_runtime::transport::HttpClient::new(Default::default());
            let fresh = safe.as_reqwest().clone();
            let client = generated_client(&slow.url, safe);
            let before = bench::live();
            let mut tasks = tokio::task::JoinSet::new();
            for _ in 0..IN_FLIGHT {
                let client = client.clone();
                let fresh = fresh.clone();
                let url = slow.url.clone();
                let locator = user_locator();
                tasks.spawn(async move {
                    match path {
                        0 => client.get_user(&locator).await.unwrap().into_inner(),
                        _ => hand_written(&fresh, &url).await,
                    }
                });
            }
            tokio::time::sleep(Duration::from_millis(700)).await;
            in_flight.push((path, (bench::live() - before) / IN_FLIGHT));
            while let Some(user) = tasks.join_next().await {
                assert!(user.unwrap().kyc_data);
            }
        }
        println!("\n| memory | bytes |\n|---|---|");
        println!("| idle generated client (default Crossmint rate limits, sharing one `reqwest::Client`) | {per_client} |");
        println!("| one `reqwest::Client` (`transport::http_client()`, for reference) | {reqwest_client} |");
        println!(
            "| generated call in flight (request, connection, task; {IN_FLIGHT} at once) | {} |",
            in_flight[2].1
        );
        println!(
            "| hand-written call in flight (same) | {} |",
            in_flight[3].1
        );
    });
}
