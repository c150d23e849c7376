//! Status polls per second the simulator serves, with the load generator on the same machine (as in
//! the scale tests): 1,000 customers per vendor, `CONCURRENCY` concurrent pollers for `SECONDS` seconds
//! per measurement, rate limits off. Each poll is a status read that advances the verification clock.
//!
//! Reproduce: `cargo bench -p rampkit-sim --bench status_polls` (numbers in docs/benchmarks.md).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rampkit::crossmint::CrossmintAuth;
use rampkit::crossmint::UserLocator;
use rampkit::crossmint::types as cm;
use rampkit::leap::LeapAuth;
use rampkit::leap::types as lp;
use rampkit::runtime::{Context, RetryPolicy};
use rampkit_sim::{SimConfig, Simulator, Vendor};

const CUSTOMERS: usize = 1_000;
const CONCURRENCY: usize = 64;
const SECONDS: u64 = 5;

/// CPU seconds this process used so far (user + system; Linux `/proc/self/stat`, 100 ticks/s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of the stat line (utime, stime) are 12 and 13 after the `)`.
    (ticks(11) + ticks(12)) / 100.0
}

/// Runs `poll(i)` from `CONCURRENCY` tasks for `SECONDS`; returns polls per wall-clock second and per
/// CPU second of the whole process (server and load generator together).
async fn measure<F, Fut>(poll: F) -> (f64, f64)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let poll = Arc::new(poll);
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let cpu_started = cpu_seconds();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|worker| {
            let (poll, done, failed, stop) = (
                Arc::clone(&poll),
                Arc::clone(&done),
                Arc::clone(&failed),
                Arc::clone(&stop),
            );
            tokio::spawn(async move {
                let mut i = worker;
                while !stop.load(Ordering::Relaxed) {
                    if poll(i % CUSTOMERS).await {
                        done.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    i += CONCURRENCY;
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(SECONDS)).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_started;
    assert_eq!(failed.load(Ordering::Relaxed), 0, "every poll succeeds");
    let polls = done.load(Ordering::Relaxed) as f64;
    (polls / elapsed, polls / cpu.max(0.01))
}

#[tokio::main]
async fn main() {
    let sim = Simulator::start(SimConfig {
        polls_until_final: 1_000_000,
        ..SimConfig::default().without_rate_limits()
    })
    .await
    .unwrap();
    let http = rampkit_runtime::transport::HttpClient::from_builder(reqwest::Client::builder())
        .expect("a default client builds");
    let key = sim.config().vendors.crossmint.api_key.clone();
    let crossmint = rampkit::crossmint::Client::new_with_client(
        &sim.base_url(Vendor::Crossmint),
        http.clone(),
        Context::new(CrossmintAuth::new(key.clone())).with_retry(RetryPolicy::none()),
    );
    let leap = rampkit::leap::Client::new_with_client(
        &sim.base_url(Vendor::Leap),
        http.clone(),
        Context::new(LeapAuth::new(sim.config().vendors.leap.api_key.clone()))
            .with_retry(RetryPolicy::none()),
    );
    let consent = cm::AcceptLegalDocumentRequest::new(
        "2026-01-01T00:00:00.000Z".to_owned(),
        cm::LegalDocumentType::CrossmintPrivacyPolicy,
    );
    let user = cm::UpsertUserRequest::new()
        .with_user_details(cm::UserDetails::new().with_first_name("Ana"));
    for i in 0..CUSTOMERS {
        let locator = UserLocator::user_id(format!("bench-{i}"));
        crossmint
            .accept_legal_document(&locator, &consent)
            .await
            .unwrap();
        crossmint.upsert_user(&locator, &user).await.unwrap();
        crossmint
            .trigger_identity_verification(&locator)
            .await
            .unwrap();
        let register = lp::RegisterUserParams::new(
            "Calle 1",
            "Ciudad",
            "MX".to_owned(),
            "Ana",
            "Ruiz",
            "CDMX",
        )
        .with_email(format!("bench{i}@example.com"))
        .with_phone_number(format!("+52155{i:08}"));
        leap.register_user_v2(&register).await.unwrap();
    }

    let base = sim.base_url(Vendor::Crossmint);
    let raw = {
        let http = http.as_reqwest().clone();
        let key = key.clone();
        measure(move |i| {
            let request = http
                .get(format!(
                    "{base}/2025-06-09/users/userId:bench-{i}/identity-verification"
                ))
                .header("x-api-key", key.clone());
            async move {
                match request.send().await {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    _ => false,
                }
            }
        })
        .await
    };
    let generated_crossmint = {
        let client = crossmint.clone();
        measure(move |i| {
            let client = client.clone();
            async move {
                client
                    .get_identity_verification(&UserLocator::user_id(format!("bench-{i}")))
                    .await
                    .is_ok()
            }
        })
        .await
    };
    let generated_leap = {
        let client = leap.clone();
        measure(move |i| {
            let client = client.clone();
            async move {
                let lookup = lp::GetUserTokenParams::new()
                    .with_phone_number(format!("+52155{i:08}"))
                    .with_country_code("MX".to_owned());
                client.get_user_token_v2(&lookup).await.is_ok()
            }
        })
        .await
    };
    let polls = sim.counters();
    println!(
        "status polls/s ({CONCURRENCY} concurrent pollers, {SECONDS} s each, {CUSTOMERS} customers, load generator in the same process)"
    );
    println!("| poll | polls per wall-clock second | polls per CPU second (server + client) |");
    println!("|---|---|---|");
    for (name, (wall, cpu)) in [
        ("Crossmint get identity verification, plain reqwest", raw),
        (
            "Crossmint get identity verification, generated client",
            generated_crossmint,
        ),
        ("Leap get user token v2, generated client", generated_leap),
    ] {
        println!("| {name} | {wall:.0} | {cpu:.0} |");
    }
    println!(
        "(served: crossmint {} requests, leap {} requests)",
        polls.get(Vendor::Crossmint).requests,
        polls.get(Vendor::Leap).requests
    );
    sim.shutdown().await;
}
