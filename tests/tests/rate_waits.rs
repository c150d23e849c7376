//! A wait for a rate-limit slot is not a flow's time: ten Crossmint customers onboarded at once behind
//! a client-side limit of 20 writes per second (each flow sends several writes, so the last ones wait
//! seconds for their slots) all finish within a flow deadline of one second, and the report says how
//! long they waited. Before the engine left slot waits out, most of them failed with `deadline`.

use std::sync::Arc;
use std::time::Duration;

use rampkit::batch::{BatchEvent, BatchOptions, FlowFactory, onboard_batch};
use rampkit::crossmint::CrossmintAuth;
use rampkit::journal::SqliteJournal;
use rampkit::onboarding::PollPolicy;
use rampkit::runtime::{Context, RateLimit, RateLimits, RetryPolicy};
use rampkit::{CrossmintFlows, Provider};
use rampkit_sim::{SimConfig, Simulator};
use rampkit_tests::onboarding_batch::{customers, rejected};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slot_waits_do_not_count_against_the_flow_deadline_and_are_reported() {
    let sim = Simulator::start(SimConfig {
        polls_until_final: 3,
        ..SimConfig::default().without_rate_limits()
    })
    .await
    .unwrap();
    let limits = RateLimits {
        reads: None,
        writes: Some(RateLimit {
            max: 20,
            per: Duration::from_secs(1),
        }),
    };
    let context = Context::new(CrossmintAuth::new(
        SimConfig::default().vendors.crossmint.api_key.clone(),
    ))
    .with_retry(RetryPolicy::none())
    .with_rate_limits(limits);
    let flows: Vec<Arc<dyn FlowFactory>> = vec![Arc::new(CrossmintFlows::new(
        rampkit::crossmint::Client::new(&format!("{}/crossmint", sim.url()), context),
        vec![rampkit::crossmint::types::ProductType::Offramp],
    ))];
    let journal =
        std::env::temp_dir().join(format!("rampkit-rate-waits-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&journal);
    let mut options = BatchOptions::new("rate-waits");
    options.concurrency = 10;
    options.deadline = Duration::from_secs(1);
    options.initial_backoff = Duration::from_millis(20);
    options.poll = PollPolicy {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(20),
        deadline: Duration::from_secs(60),
    };
    let (events, mut received) = tokio::sync::mpsc::unbounded_channel();
    options.events = Some(events);
    // Customers the simulator verifies (one in ten of `customers` is scripted to be rejected).
    let batch: Vec<_> = customers(11)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !rejected(*i))
        .map(|(_, c)| Ok(c))
        .collect();
    assert_eq!(batch.len(), 10);
    let started = std::time::Instant::now();
    let report = onboard_batch(
        batch,
        &flows,
        Arc::new(SqliteJournal::open(&journal).unwrap()),
        options,
    )
    .await
    .unwrap();
    let elapsed = started.elapsed();
    let _ = std::fs::remove_file(&journal);

    let (_, summary) = &report.providers[0];
    assert_eq!(summary.failed, Default::default(), "{report}");
    assert_eq!(summary.verified, 10, "{report}");
    // The limit did pace them: the batch took longer than one flow's deadline, and the flows waited.
    assert!(elapsed > Duration::from_secs(1), "{elapsed:?}");
    assert!(summary.longest_rate_limit_wait_ms >= 500, "{summary:?}");
    assert!(summary.rate_limit_wait_ms >= summary.longest_rate_limit_wait_ms);
    assert!(report.to_string().contains("rate-limit waits"), "{report}");
    let mut reported = 0;
    while let Ok(event) = received.try_recv() {
        if let BatchEvent::Finished {
            provider,
            rate_limit_wait_ms,
            ..
        } = event
        {
            assert_eq!(provider, Provider::Crossmint);
            reported += rate_limit_wait_ms;
        }
    }
    assert_eq!(reported, summary.rate_limit_wait_ms);
}
