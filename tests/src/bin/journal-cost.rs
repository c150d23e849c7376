//! What a journal costs an onboarding (issue 20): the same customers onboarded with every provider
//! against the simulator (faults and rate limits off) with no journal (`rampkit::onboard` per
//! customer), and on the `Onboarder` engine (one `onboard` call per customer) over a `MemoryJournal`, a
//! SQLite journal and a PostgreSQL journal (plain, and over TLS when the server's URL asks for it), at the
//! same concurrency, in one run, in rounds that rotate the order so that a noisy machine weighs on all
//! alike. Prints the median wall time of each, the throughput, the ratio to no journal, and the
//! journal's cost per onboarding.
//!
//! `scripts/test-postgres.sh run cargo run --release -p rampkit-tests --bin journal-cost -- \
//!     [--customers 200] [--concurrency 16] [--rounds 3]`
//! (PostgreSQL from `RAMPKIT_TEST_DATABASE_URL`; without it only no journal and SQLite run).

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use rampkit::Provider;
use rampkit::batch::{BatchCustomer, BatchOptions, FlowFactory, Onboarder};
use rampkit::journal::{Journal, MemoryJournal, PostgresJournal, SqliteJournal};
use rampkit::onboarding::{KycProvider, OnboardingOptions, PollPolicy};
use rampkit_sim::{SimConfig, Simulator};
use rampkit_tests::onboarding_batch::{ClientOptions, customers, flows};
use rampkit_tests::postgres::fresh_database;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

#[derive(Parser)]
struct Args {
    /// Customers per variant and round.
    #[arg(long, default_value_t = 200)]
    customers: usize,
    /// Customers onboarded at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Rounds (each runs every variant once, in a rotated order).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

const ALL: [Provider; 4] = [
    Provider::CryptoPocket,
    Provider::Kriptomat,
    Provider::Crossmint,
    Provider::Leap,
];

fn poll() -> PollPolicy {
    PollPolicy {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        deadline: Duration::from_secs(60),
    }
}

async fn simulator() -> Simulator {
    Simulator::start(SimConfig {
        polls_until_final: 1,
        ..SimConfig::default().without_rate_limits()
    })
    .await
    .expect("the simulator starts")
}

fn factories(sim: &Simulator) -> Vec<Arc<dyn FlowFactory>> {
    let client = ClientOptions {
        request_timeout: Duration::from_secs(10),
        rate_limits: false,
    };
    flows(&sim.url(), &ALL, client)
}

/// No journal: `rampkit::onboard` for each customer, `concurrency` at once.
async fn without_journal(batch: &[BatchCustomer], concurrency: usize) -> Duration {
    let sim = simulator().await;
    let factories = factories(&sim);
    let limit = Arc::new(Semaphore::new(concurrency));
    let options = Arc::new(OnboardingOptions::with_poll(poll()));
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for customer in batch {
        let flows: Vec<Arc<dyn KycProvider>> = factories
            .iter()
            .map(|f| {
                f.flow(customer)
                    .expect("generated lines carry their references")
            })
            .collect();
        let customer = customer.customer.clone();
        let (limit, options) = (Arc::clone(&limit), Arc::clone(&options));
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let borrowed: Vec<&dyn KycProvider> = flows.iter().map(|f| f.as_ref()).collect();
            let report = rampkit::onboard(&customer, &borrowed, &options).await;
            assert!(report.outcomes().iter().all(|o| o.result.is_ok()));
        });
    }
    while tasks.join_next().await.is_some() {}
    started.elapsed()
}

/// The engine over `journal`: one `Onboarder::onboard` call per customer, `concurrency` at once.
async fn with_journal(
    batch: &[BatchCustomer],
    concurrency: usize,
    journal: Arc<dyn Journal>,
) -> Duration {
    let sim = simulator().await;
    let mut options = BatchOptions::new("journal-cost");
    options.poll = poll();
    let engine = Arc::new(Onboarder::new(factories(&sim), journal, options).expect("the engine"));
    let limit = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for customer in batch {
        let (engine, limit, customer) = (Arc::clone(&engine), Arc::clone(&limit), customer.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let report = engine.onboard(&customer).await;
            assert!(report.outcomes.iter().all(|(_, o)| o.status().is_some()));
        });
    }
    while tasks.join_next().await.is_some() {}
    started.elapsed()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let batch = customers(args.customers);
    let server = std::env::var("RAMPKIT_TEST_DATABASE_URL").ok();
    // `PostgreSQL` over a plain connection; `PostgreSQL (TLS)` over the server's URL when it asks for
    // TLS (`scripts/test-postgres.sh`'s does).
    let tls = server
        .as_deref()
        .is_some_and(|url| url.contains("sslmode=require"));
    let variants: Vec<&str> = match (&server, tls) {
        (Some(_), true) => vec![
            "no journal",
            "memory",
            "SQLite",
            "PostgreSQL",
            "PostgreSQL (TLS)",
        ],
        (Some(_), false) => vec!["no journal", "memory", "SQLite", "PostgreSQL"],
        (None, _) => {
            eprintln!("RAMPKIT_TEST_DATABASE_URL is not set: PostgreSQL is left out");
            vec!["no journal", "memory", "SQLite"]
        }
    };
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); variants.len()];
    let dir = std::env::temp_dir();
    for round in 0..args.rounds {
        for k in 0..variants.len() {
            let v = (k + round) % variants.len();
            let elapsed = match variants[v] {
                "no journal" => without_journal(&batch, args.concurrency).await,
                "SQLite" => {
                    let path = dir.join(format!("journal-cost-{}-{round}.db", std::process::id()));
                    let _ = std::fs::remove_file(&path);
                    let journal = Arc::new(SqliteJournal::open(&path).expect("SQLite opens"));
                    let t = with_journal(&batch, args.concurrency, journal).await;
                    let _ = std::fs::remove_file(&path);
                    t
                }
                "memory" => {
                    let journal = Arc::new(MemoryJournal::new());
                    with_journal(&batch, args.concurrency, journal).await
                }
                name => {
                    let server = server.as_deref().unwrap_or_default();
                    let url = fresh_database(server, &format!("journal_cost_{round}_{v}")).await;
                    let url = if name == "PostgreSQL" {
                        rampkit_tests::postgres::plain(&url)
                    } else {
                        url
                    };
                    let journal = PostgresJournal::connect(&url).expect("PostgreSQL opens");
                    with_journal(&batch, args.concurrency, Arc::new(journal)).await
                }
            };
            eprintln!("round {round}: {:<10} {elapsed:.2?}", variants[v]);
            times[v].push(elapsed);
        }
    }
    let n = args.customers as f64;
    let base = median(times[0].clone()).as_secs_f64();
    println!(
        "| journal | median wall time | customers/s | ratio to no journal | cost per onboarding |"
    );
    println!("|---|---|---|---|---|");
    for (v, name) in variants.iter().enumerate() {
        let t = median(times[v].clone()).as_secs_f64();
        println!(
            "| {name} | {t:.2} s | {:.1} | {:.2} | {:+.1} ms |",
            n / t,
            t / base,
            (t - base) * 1000.0 / n
        );
    }
}
