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

use rampkit_crossmint::{Client, CrossmintAuth, types::UserResponse};
use rampkit_tests::bench::{self, Counting, Server};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A `get_user` answer of the vendor's shape (https://docs.crossmint.com/api-reference/users/get-user).
const BODY: &str = r#"{"userId":"johnd-123","userDetails":true,"kycData":true,"dueDiligence":false,"verificationHistory":true,"email":"john@example.com","legalDocuments":[{"type":"crossmint-privacy-policy","acceptedAt":"2026-01-01T00:00:00.000Z"}]}"#;
const LOCATOR: &str = "userId:johnd-123";
const KEY: &str = "sk_staging_bench";
const ROUNDS: usize = 40;
const CALLS_PER_ROUND: usize = 250;
const IN_FLIGHT: usize = 256;

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

async fn with_progenitor_steps(http: &reqwest::Client, base: &str) -> UserResponse {
    let url = format!(
        "{base}/2025-06-09/users/{}",
        progenitor_client::encode_path(&LOCATOR.to_string())
    );
    let response = http
        .get(url)
        .header("x-api-key", KEY)
        .header("accept", "application/json")
        .headers(reqwest::header::HeaderMap::with_capacity(1))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    progenitor_client::ResponseValue::<UserResponse>::from_response::<()>(response)
        .await
        .unwrap()
        .into_inner()
}

fn main() {
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
        let http = rampkit_runtime::transport::shared_client();
        let base = server.url.as_str();
        let generated =
            Client::new_with_client(base, http.clone(), CrossmintAuth::new(KEY.to_owned()));

        // Warm all paths (connection pool, allocator).
        for _ in 0..CALLS_PER_ROUND {
            generated.get_user(LOCATOR).await.unwrap();
            hand_written(&http, base).await;
            with_progenitor_steps(&http, base).await;
        }

        let mut rounds = [Vec::new(), Vec::new(), Vec::new()];
        for round in 0..ROUNDS {
            for k in 0..3 {
                let path = (round + k) % 3;
                let started = Instant::now();
                for _ in 0..CALLS_PER_ROUND {
                    let user = match path {
                        0 => generated.get_user(LOCATOR).await.unwrap().into_inner(),
                        1 => hand_written(&http, base).await,
                        _ => with_progenitor_steps(&http, base).await,
                    };
                    assert!(user.kyc_data);
                }
                rounds[path].push(started.elapsed() / CALLS_PER_ROUND as u32);
            }
        }
        let [gen_median, hand_median, prog_median] = rounds.map(bench::median);
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        println!("| path | median per call | ÷ hand-written |\n|---|---|---|");
        for (name, median) in [
            ("generated client (`get_user`)", gen_median),
            ("hand-written reqwest + serde_json", hand_median),
            ("hand-written + progenitor's steps", prog_median),
        ] {
            println!(
                "| {name} | {:.1} µs | {:.3} |",
                us(median),
                median.as_secs_f64() / hand_median.as_secs_f64()
            );
        }
        println!(
            "\ngenerated − hand-written: {:+.2} µs per call, of which progenitor's steps {:+.2} µs, rampkit's {:+.2} µs ({ROUNDS} rounds × {CALLS_PER_ROUND} calls, median of the round means; budget ratio ≤ 1.02)",
            us(gen_median) - us(hand_median),
            us(prog_median) - us(hand_median),
            us(gen_median) - us(prog_median),
        );

        // Memory of an idle client: many clients sharing one reqwest::Client.
        let before = bench::live();
        let clients: Vec<Client> = (0..1000)
            .map(|_| Client::new_with_client(base, http.clone(), CrossmintAuth::new(KEY.to_owned())))
            .collect();
        let per_client = (bench::live() - before) / clients.len();
        drop(clients);
        let before = bench::live();
        let own = rampkit_runtime::transport::http_client();
        let reqwest_client = bench::live() - before;
        drop(own);

        // Memory of calls in flight: IN_FLIGHT calls held by the server for 1.5 s, measured while all
        // are waiting (each on its own new connection); generated, then hand-written.
        let mut in_flight = Vec::new();
        for path in 0..2 {
            let fresh = rampkit_runtime::transport::http_client();
            let client = Client::new_with_client(&slow.url, fresh.clone(), CrossmintAuth::new(KEY.to_owned()));
            let before = bench::live();
            let mut tasks = tokio::task::JoinSet::new();
            for _ in 0..IN_FLIGHT {
                let client = client.clone();
                let fresh = fresh.clone();
                let url = slow.url.clone();
                tasks.spawn(async move {
                    match path {
                        0 => client.get_user(LOCATOR).await.unwrap().into_inner(),
                        _ => hand_written(&fresh, &url).await,
                    }
                });
            }
            tokio::time::sleep(Duration::from_millis(700)).await;
            in_flight.push((bench::live() - before) / IN_FLIGHT);
            while let Some(user) = tasks.join_next().await {
                assert!(user.unwrap().kyc_data);
            }
        }
        println!("\n| memory | bytes |\n|---|---|");
        println!("| idle generated client (sharing one `reqwest::Client`) | {per_client} |");
        println!("| one `reqwest::Client` (`transport::http_client()`, for reference) | {reqwest_client} |");
        println!(
            "| generated call in flight (request, connection, task; {IN_FLIGHT} at once) | {} |",
            in_flight[0]
        );
        println!(
            "| hand-written call in flight (same) | {} |",
            in_flight[1]
        );
    });
}
