//! Per-call overhead of a generated client (auth hook, `rampkit_runtime::call` with its retry loop,
//! tracing span and error mapping) versus a hand-written `reqwest` + `serde_json` call of the same
//! operation, both against the same local httpmock server and the same `reqwest::Client`.
//!
//! Budget (issue 3): median at most 1.05× the hand-written call.
//! Run: `cargo bench -p rampkit-tests --bench call_overhead`. Numbers go in docs/benchmarks.md.

use std::time::{Duration, Instant};

use httpmock::{Method::GET, MockServer};
use rampkit_crossmint::{Client, CrossmintAuth, types::UserResponse};

const BODY: &str = r#"{"userId":"johnd-123","userDetails":true,"kycData":true,"dueDiligence":false,"verificationHistory":true,"email":"john@example.com","legalDocuments":[{"type":"crossmint-privacy-policy","acceptedAt":"2026-01-01T00:00:00.000Z"}]}"#;
const ROUNDS: usize = 30;
const CALLS_PER_ROUND: usize = 200;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(GET).path("/2025-06-09/users/userId:johnd-123").header("x-api-key", "sk_staging_bench");
                then.status(200).header("content-type", "application/json").body(BODY);
            })
            .await;
        let http = rampkit_runtime::transport::shared_client();
        let base = server.base_url();
        let generated = Client::new_with_client(&base, http.clone(), CrossmintAuth::new("sk_staging_bench".to_owned()));
        let url = format!("{base}/2025-06-09/users/userId:johnd-123");

        let hand_written = || async {
            let response = http
                .get(&url)
                .header("x-api-key", "sk_staging_bench")
                .header("accept", "application/json")
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            let bytes = response.bytes().await.unwrap();
            serde_json::from_slice::<UserResponse>(&bytes).unwrap()
        };

        // Warm both paths (connection pool, allocator).
        for _ in 0..CALLS_PER_ROUND {
            generated.get_user("userId:johnd-123").await.unwrap();
            hand_written().await;
        }

        let (mut gen_rounds, mut hand_rounds) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            // Alternate which path goes first so neither always runs on a warmer machine.
            for first in [round % 2 == 0, round % 2 != 0] {
                let started = Instant::now();
                for _ in 0..CALLS_PER_ROUND {
                    if first {
                        let user = generated.get_user("userId:johnd-123").await.unwrap().into_inner();
                        assert!(user.kyc_data);
                    } else {
                        assert!(hand_written().await.kyc_data);
                    }
                }
                let per_call = started.elapsed() / CALLS_PER_ROUND as u32;
                if first { gen_rounds.push(per_call) } else { hand_rounds.push(per_call) }
            }
        }
        let (gen_median, hand_median) = (median(gen_rounds), median(hand_rounds));
        let ratio = gen_median.as_secs_f64() / hand_median.as_secs_f64();
        println!("| path | median per call |\n|---|---|");
        println!("| generated client (`get_user`, auth, call, error mapping, span) | {:.1} µs |", gen_median.as_secs_f64() * 1e6);
        println!("| hand-written reqwest + serde_json | {:.1} µs |", hand_median.as_secs_f64() * 1e6);
        println!("ratio generated / hand-written: {ratio:.3} (budget 1.05), {ROUNDS} rounds × {CALLS_PER_ROUND} calls");
    });
}
