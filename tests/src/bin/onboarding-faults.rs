//! Fault and scale suite of `rampkit::batch::onboard_batch` against the simulator (issue 13).
//!
//! `cargo run --release -p rampkit-tests --bin onboarding-faults -- bench` runs, in order:
//!
//! 1. **Faults and a crash**: 1,000 customers × 4 providers, concurrency 64, 20 % of requests faulted
//!    (503 JSON, 502 HTML, connection resets, timeouts after processing, 429 with `Retry-After`, equally
//!    likely), simulator rate limits off. The batch runs in a child process (`run`), which is killed
//!    with SIGKILL once half of the flows have ended, then resumed by a second child with the same
//!    journal. Reports duplicates per vendor (the simulator's counters), final statuses, requests,
//!    retries, reconciliations and wall time.
//! 2. **Throughput**, faults and rate limits off: the batch (Leap + Crossmint) against a plain reqwest
//!    driver sending the same requests at the same concurrency, each against a fresh simulator.
//! 3. **Crossmint's rate limit**: a Crossmint-only batch with the documented client-side limit (120
//!    writes per minute) against the simulator enforcing it; the achieved write rate.
//!
//! `run` is the child: one batch against `--sim-url`, printing `finished N` as flows end and
//! `report <json>` at the end.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use rampkit::Provider;
use rampkit::batch::{BatchEvent, BatchOptions, onboard_batch};
use rampkit::journal::{Journal, Phase, SqliteJournal, Step};
use rampkit::onboarding::PollPolicy;
use rampkit_sim::{FaultConfig, SimConfig, Simulator, Vendor};
use rampkit_tests::onboarding_batch::{ClientOptions, customers, flows, plain_driver, run_child};
use serde_json::{Value, json};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// One batch of generated customers against a running simulator.
    Run(RunArgs),
    /// The whole suite.
    Bench(BenchArgs),
}

#[derive(clap::Args, Clone)]
struct RunArgs {
    /// The simulator's URL (`http://127.0.0.1:PORT`).
    #[arg(long)]
    sim_url: String,
    /// The journal file.
    #[arg(long)]
    journal: PathBuf,
    /// Generated customers.
    #[arg(long, default_value_t = 100)]
    customers: usize,
    /// Flows in flight per provider.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// HTTP request timeout in milliseconds (the simulator's timeout faults must outlast it).
    #[arg(long, default_value_t = 1000)]
    request_timeout_ms: u64,
    /// Providers (comma-separated); all four by default.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "cryptopocket,crossmint,kriptomat,leap"
    )]
    providers: Vec<String>,
    /// Client-side rate limits as documented (Crossmint 120 writes/min) instead of none.
    #[arg(long)]
    rate_limits: bool,
    /// Status poll interval in milliseconds.
    #[arg(long, default_value_t = 50)]
    poll_ms: u64,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Customers of the fault run.
    #[arg(long, default_value_t = 1000)]
    customers: usize,
    /// Concurrency (per provider) of every run.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Share of faulted requests in the fault run.
    #[arg(long, default_value_t = 0.2)]
    fault_rate: f64,
    /// Customers of the throughput comparison.
    #[arg(long, default_value_t = 1000)]
    throughput_customers: usize,
    /// Runs of each side in the throughput comparison (alternating).
    #[arg(long, default_value_t = 5)]
    repeats: usize,
    /// Skip the fault run.
    #[arg(long)]
    skip_faults: bool,
    /// Customers of the Crossmint rate-limit run (0 skips it).
    #[arg(long, default_value_t = 25)]
    rate_customers: usize,
}

fn parse_providers(names: &[String]) -> Vec<Provider> {
    names
        .iter()
        .map(|n| {
            Provider::ALL
                .into_iter()
                .find(|p| p.as_str() == n.trim())
                .unwrap_or_else(|| panic!("unknown provider {n}"))
        })
        .collect()
}

fn poll(ms: u64) -> PollPolicy {
    PollPolicy {
        initial_interval: Duration::from_millis(ms),
        max_interval: Duration::from_millis(ms * 4),
        deadline: Duration::from_secs(300),
    }
}

async fn run(args: RunArgs) {
    let providers = parse_providers(&args.providers);
    let factories = flows(
        &args.sim_url,
        &providers,
        ClientOptions {
            request_timeout: Duration::from_millis(args.request_timeout_ms),
            rate_limits: args.rate_limits,
        },
    );
    let journal: Arc<dyn Journal> = Arc::new(SqliteJournal::open(&args.journal).expect("journal"));
    let (events, mut received) = tokio::sync::mpsc::unbounded_channel();
    let mut options = BatchOptions::new("onboarding-faults");
    options.concurrency = args.concurrency;
    options.poll = poll(args.poll_ms);
    options.deadline = Duration::from_secs(300);
    // A killed run's claims are taken over after this: the resumed run waits no longer for them.
    options.claim_lease = Duration::from_secs(2);
    options.initial_backoff = Duration::from_millis(100);
    options.max_backoff = Duration::from_secs(2);
    options.events = Some(events);
    let printer = tokio::spawn(async move {
        let mut finished = 0u64;
        while let Some(event) = received.recv().await {
            if let BatchEvent::Finished {
                from_journal: false,
                ..
            } = event
            {
                finished += 1;
                println!("finished {finished}");
            }
        }
    });
    let report = onboard_batch(
        customers(args.customers).into_iter().map(Ok),
        &factories,
        journal,
        options,
    )
    .await
    .expect("the batch runs");
    printer.await.ok();
    println!(
        "report {}",
        serde_json::to_string(&report).expect("report JSON")
    );
}

fn temp_journal(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "onboarding-faults-{}-{name}.db",
        std::process::id()
    ));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn journal_phases(path: &PathBuf) -> Value {
    let journal = SqliteJournal::open(path).expect("journal");
    let entries = journal.entries().expect("entries");
    let count = |step: Option<Step>, phase: Phase| {
        entries
            .iter()
            .filter(|e| e.phase == phase && step.is_none_or(|s| e.step == s))
            .count()
    };
    json!({
        "entries": entries.len(),
        "registration_intents": count(Some(Step::Register), Phase::Intent),
        "unknown_outcomes": count(None, Phase::Unknown),
        "failed_attempts": count(None, Phase::Failed),
        "reconciliations": count(None, Phase::Reconciled),
    })
}

/// A journal that keeps nothing: the batch's cost without its journal (throughput comparison only).
struct NullJournal;

impl Journal for NullJournal {
    fn open_batch(&self, _: &str) -> Result<(), rampkit::JournalError> {
        Ok(())
    }
    fn batch_id(&self) -> Result<Option<String>, rampkit::JournalError> {
        Ok(None)
    }
    fn append(&self, _: &rampkit::JournalEntry) -> Result<(), rampkit::JournalError> {
        Ok(())
    }
    fn entries(&self) -> Result<Vec<rampkit::JournalEntry>, rampkit::JournalError> {
        Ok(Vec::new())
    }
    fn claim(
        &self,
        _: &str,
        _: Provider,
        _: &str,
        _: Duration,
    ) -> rampkit::onboarding::BoxFuture<'_, Result<rampkit::Claim, rampkit::JournalError>> {
        Box::pin(async { Ok(rampkit::Claim::Granted) })
    }
    fn release(
        &self,
        _: &str,
        _: Provider,
        _: &str,
    ) -> rampkit::onboarding::BoxFuture<'_, Result<(), rampkit::JournalError>> {
        Box::pin(async { Ok(()) })
    }
}

/// One batch of Leap + Crossmint flows against a fresh simulator: wall time, requests, all completed.
async fn batch_throughput(
    lines: &[rampkit::batch::BatchCustomer],
    concurrency: usize,
    journal: Arc<dyn Journal>,
    config: SimConfig,
) -> (Duration, u64, bool) {
    let sim = Simulator::start(config).await.expect("simulator");
    let factories = flows(
        &sim.url(),
        &[Provider::Leap, Provider::Crossmint],
        ClientOptions {
            request_timeout: Duration::from_secs(10),
            rate_limits: false,
        },
    );
    let mut options = BatchOptions::new("throughput");
    options.concurrency = concurrency;
    options.poll = PollPolicy {
        initial_interval: Duration::from_millis(50),
        max_interval: Duration::from_millis(50),
        deadline: Duration::from_secs(300),
    };
    let started = Instant::now();
    let report = onboard_batch(lines.iter().cloned().map(Ok), &factories, journal, options)
        .await
        .expect("batch");
    let time = started.elapsed();
    let requests = Vendor::ALL
        .iter()
        .map(|v| sim.counters().get(*v).requests)
        .sum();
    sim.shutdown().await;
    (time, requests, report.all_completed())
}

async fn bench(args: BenchArgs) {
    let exe = std::env::current_exe().expect("own path");

    // 1. Faults and a crash.
    if !args.skip_faults {
        faults_and_crash(&args, &exe).await;
    }
    throughput_and_rate(&args).await;
}

async fn faults_and_crash(args: &BenchArgs, exe: &std::path::Path) {
    let n = args.customers;
    let faults = FaultConfig {
        hold_ms: 1_500,
        retry_after_secs: 1,
        ..FaultConfig::with_rate(args.fault_rate)
    };
    let sim = Simulator::start(
        SimConfig::default()
            .with_faults(faults)
            .without_rate_limits(),
    )
    .await
    .expect("simulator");
    let path = temp_journal("faults");
    let child_args = vec![
        "--sim-url".to_owned(),
        sim.url(),
        "--journal".to_owned(),
        path.display().to_string(),
        "--customers".to_owned(),
        n.to_string(),
        "--concurrency".to_owned(),
        args.concurrency.to_string(),
    ];
    let flows_total = (n * 4) as u64;
    let started = Instant::now();
    let first = run_child(exe, &child_args, Some(flows_total / 2)).await;
    let killed_at = started.elapsed();
    let second = run_child(exe, &child_args, None).await;
    let wall = started.elapsed();
    let report = second.report.expect("the resumed run reports");
    let counters = sim.counters();
    let mut duplicates = json!({});
    let mut requests = 0;
    for vendor in Vendor::ALL {
        let c = counters.get(vendor);
        duplicates[vendor.as_str()] = json!(c.duplicates);
        requests += c.requests;
    }
    let mut completed = json!({});
    for summary in report["providers"].as_array().into_iter().flatten() {
        let (provider, s) = (&summary[0], &summary[1]);
        let done = s["verified"].as_u64().unwrap_or(0)
            + s["rejected"].as_u64().unwrap_or(0)
            + s["requires_data"].as_u64().unwrap_or(0);
        completed[provider.as_str().unwrap_or("?")] = json!(format!("{done}/{n}"));
    }
    let faults_result = json!({
        "customers": n,
        "providers": 4,
        "concurrency": args.concurrency,
        "fault_rate": args.fault_rate,
        "killed_after_flows": first.finished,
        "killed": first.killed,
        "killed_at_s": killed_at.as_secs_f64(),
        "duplicates": duplicates,
        "registrations": Vendor::ALL.iter().map(|v| (v.as_str(), counters.get(*v).registrations)).collect::<std::collections::BTreeMap<_, _>>(),
        "completed": completed,
        "requests": requests,
        "journal": journal_phases(&path),
        "resumed_run": report["counters"],
        "wall_time_s": wall.as_secs_f64(),
    });
    println!(
        "faults {}",
        serde_json::to_string_pretty(&faults_result).unwrap()
    );
    sim.shutdown().await;
}

async fn throughput_and_rate(args: &BenchArgs) {
    // 2. Throughput, faults and rate limits off: batch vs plain reqwest (Leap + Crossmint).
    let t = args.throughput_customers;
    let quiet = || SimConfig::default().without_rate_limits();
    let lines = customers(t);
    let flow_count = (t * 2) as f64;
    // Plain and batch alternate, `repeats` times each, on a fresh simulator every run: the machine is
    // shared, so the best run of each is compared (and the medians reported).
    let mut plain_runs = Vec::new();
    let mut batch_runs = Vec::new();
    let mut plain_requests = 0;
    let mut batch_requests = 0;
    let mut completed = true;
    for _ in 0..args.repeats.max(1) {
        let plain_sim = Simulator::start(quiet()).await.expect("simulator");
        let started = Instant::now();
        plain_requests = plain_driver(
            &plain_sim.url(),
            &lines,
            args.concurrency,
            Duration::from_millis(50),
        )
        .await;
        plain_runs.push(started.elapsed().as_secs_f64());
        plain_sim.shutdown().await;

        let file = temp_journal("throughput");
        let journal = Arc::new(SqliteJournal::open(&file).expect("journal"));
        let (time, requests, all) =
            batch_throughput(&lines, args.concurrency, journal, quiet()).await;
        batch_runs.push(time.as_secs_f64());
        batch_requests = requests;
        completed &= all;
    }
    let best = |runs: &[f64]| runs.iter().copied().fold(f64::INFINITY, f64::min);
    let median = |runs: &[f64]| {
        let mut sorted = runs.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted[sorted.len() / 2]
    };
    let mut batch = json!({
        "sqlite_file": {
            "runs_s": batch_runs,
            "requests": batch_requests,
            "best_flows_per_s": flow_count / best(&batch_runs),
            "median_flows_per_s": flow_count / median(&batch_runs),
            "all_completed": completed,
            "ratio_to_plain_best": best(&plain_runs) / best(&batch_runs),
            "ratio_to_plain_median": median(&plain_runs) / median(&batch_runs),
        }
    });
    // Where the batch's time goes: the same run without the journal's file (once each).
    let journals: [(&str, Arc<dyn Journal>); 2] = [
        (
            "sqlite_memory",
            Arc::new(SqliteJournal::in_memory().expect("journal")),
        ),
        ("no_journal", Arc::new(NullJournal)),
    ];
    for (name, journal) in journals {
        let (time, _, _) = batch_throughput(&lines, args.concurrency, journal, quiet()).await;
        batch[name] = json!({
            "wall_time_s": time.as_secs_f64(),
            "flows_per_s": flow_count / time.as_secs_f64(),
        });
    }
    let throughput = json!({
        "customers": t,
        "providers": ["leap", "crossmint"],
        "concurrency": args.concurrency,
        "plain": {"runs_s": plain_runs, "requests": plain_requests, "best_flows_per_s": flow_count / best(&plain_runs), "median_flows_per_s": flow_count / median(&plain_runs)},
        "batch": batch,
    });
    println!(
        "throughput {}",
        serde_json::to_string_pretty(&throughput).unwrap()
    );

    // 3. Crossmint's documented limit, client-side and in the simulator.
    if args.rate_customers > 0 {
        let sim = Simulator::start(SimConfig::default())
            .await
            .expect("simulator");
        let path = temp_journal("rate");
        let factories = flows(
            &sim.url(),
            &[Provider::Crossmint],
            ClientOptions {
                request_timeout: Duration::from_secs(10),
                rate_limits: true,
            },
        );
        let mut options = BatchOptions::new("rate");
        options.concurrency = args.concurrency;
        options.poll = poll(100);
        let started = Instant::now();
        let report = onboard_batch(
            customers(args.rate_customers).into_iter().map(Ok),
            &factories,
            Arc::new(SqliteJournal::open(&path).expect("journal")),
            options,
        )
        .await
        .expect("batch");
        let elapsed = started.elapsed();
        let c = sim.counters();
        let crossmint = c.get(Vendor::Crossmint);
        let writes: u64 = [
            "accept_legal_document",
            "upsert_user",
            "upload_document",
            "trigger_identity_verification",
        ]
        .iter()
        .map(|op| crossmint.by_operation.get(*op).copied().unwrap_or(0))
        .sum();
        let reached: u64 = crossmint.by_operation.values().sum();
        let rate = json!({
            "customers": args.rate_customers,
            "writes": writes,
            "wall_time_s": elapsed.as_secs_f64(),
            "writes_per_minute": writes as f64 * 60.0 / elapsed.as_secs_f64(),
            "refused_by_simulator_limit": crossmint.requests - reached,
            "all_completed": report.all_completed(),
        });
        println!(
            "crossmint_rate {}",
            serde_json::to_string_pretty(&rate).unwrap()
        );
        sim.shutdown().await;
    }
}

#[tokio::main]
async fn main() {
    match Cli::parse().command {
        Command::Run(args) => run(args).await,
        Command::Bench(args) => bench(args).await,
    }
}
