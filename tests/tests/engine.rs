//! The onboarding engine (`Onboarder`) against the simulator: the same customer onboarded twice, and
//! twice at the same moment (two tasks of one engine, two engines over one journal file as two
//! processes would be), with all four providers — one registration per vendor at the simulator's
//! counters, the same final report. The same against PostgreSQL when `RAMPKIT_TEST_DATABASE_URL` names a
//! server (`scripts/test-postgres.sh`; required in CI).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rampkit::batch::{BatchOptions, CustomerReport, FlowOutcome, Onboarder};
use rampkit::journal::{Journal, PostgresJournal, SqliteJournal};
use rampkit::onboarding::PollPolicy;
use rampkit::{Claim, MemoryJournal, Provider};
use rampkit_sim::{SimConfig, Simulator, Vendor};
use rampkit_tests::onboarding_batch::{ClientOptions, customers, flows};
use rampkit_tests::postgres::{fresh_database, server_url};

fn temp_journal(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "rampkit-engine-test-{}-{name}.db",
        std::process::id()
    ));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn options() -> BatchOptions {
    let mut options = BatchOptions::new("service");
    options.poll = PollPolicy {
        initial_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(100),
        deadline: Duration::from_secs(60),
    };
    options.deadline = Duration::from_secs(60);
    options.initial_backoff = Duration::from_millis(50);
    options.max_backoff = Duration::from_millis(500);
    options
}

const ALL: [Provider; 4] = [
    Provider::CryptoPocket,
    Provider::Kriptomat,
    Provider::Crossmint,
    Provider::Leap,
];

async fn simulator() -> Simulator {
    Simulator::start(SimConfig {
        polls_until_final: 2,
        ..SimConfig::default().without_rate_limits()
    })
    .await
    .unwrap()
}

fn engine(sim: &Simulator, journal: Arc<dyn Journal>) -> Onboarder {
    let client = ClientOptions {
        request_timeout: Duration::from_secs(5),
        rate_limits: false,
    };
    Onboarder::new(flows(&sim.url(), &ALL, client), journal, options()).unwrap()
}

/// One registration per vendor (Kriptomat's: its KYC import), none for a customer the vendor held.
fn assert_one_registration_each(sim: &Simulator) {
    let counters = sim.counters();
    for vendor in [
        Vendor::CryptoPocket,
        Vendor::Kriptomat,
        Vendor::Crossmint,
        Vendor::Leap,
    ] {
        let c = counters.get(vendor);
        assert_eq!((c.registrations, c.duplicates), (1, 0), "{vendor}: {c:?}");
    }
}

/// No request reached any vendor since `before`.
fn assert_nothing_sent_since(sim: &Simulator, before: &rampkit_sim::CountersSnapshot) {
    for vendor in Vendor::ALL {
        assert_eq!(
            sim.counters().get(vendor).requests,
            before.get(vendor).requests,
            "{vendor}"
        );
    }
}

fn assert_completed(report: &CustomerReport) {
    assert!(report.problems.is_empty(), "{report:?}");
    assert_eq!(report.outcomes.len(), 4);
    for (provider, outcome) in &report.outcomes {
        assert!(
            matches!(outcome, FlowOutcome::Completed { .. }),
            "{provider}: {outcome:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_customer_twice_is_registered_once_and_reported_the_same() {
    let sim = simulator().await;
    let journal: Arc<dyn Journal> = Arc::new(SqliteJournal::open(temp_journal("twice")).unwrap());
    let onboarder = engine(&sim, journal);
    let customer = customers(1).remove(0);

    let first = onboarder.onboard(&customer).await;
    assert_completed(&first);
    let requests = sim.counters();
    let second = onboarder.onboard(&customer).await;
    assert_eq!(second, first);
    // Nothing at all was sent the second time.
    assert_nothing_sent_since(&sim, &requests);
    assert_one_registration_each(&sim);
    sim.shutdown().await;
}

/// The same customer onboarded by two tasks of one engine at the same moment.
async fn twice_at_once(
    onboarder: &Arc<Onboarder>,
    customer: &rampkit::BatchCustomer,
) -> (CustomerReport, CustomerReport) {
    let call = || {
        let (onboarder, customer) = (Arc::clone(onboarder), customer.clone());
        tokio::spawn(async move { onboarder.onboard(&customer).await })
    };
    let (a, b) = tokio::join!(call(), call());
    (a.unwrap(), b.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_concurrent_calls_in_one_engine_send_one_registration() {
    let sim = simulator().await;
    let journal: Arc<dyn Journal> = Arc::new(SqliteJournal::open(temp_journal("tasks")).unwrap());
    let onboarder = Arc::new(engine(&sim, journal));
    let customer = customers(1).remove(0);
    let (a, b) = twice_at_once(&onboarder, &customer).await;
    assert_completed(&a);
    assert_eq!(a, b);
    assert_one_registration_each(&sim);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_engines_over_one_journal_file_send_one_registration() {
    // Two engines, each with its own connection to the file and its own owner id: what two processes
    // (two replicas, an overlapping cron) sharing the journal are.
    let sim = simulator().await;
    let path = temp_journal("processes");
    let one = engine(&sim, Arc::new(SqliteJournal::open(&path).unwrap()));
    let two = engine(&sim, Arc::new(SqliteJournal::open(&path).unwrap()));
    let customer = customers(1).remove(0);
    let (a, b) = tokio::join!(one.onboard(&customer), two.onboard(&customer));
    assert_completed(&a);
    assert_eq!(a, b);
    assert_one_registration_each(&sim);
    sim.shutdown().await;
}

/// Two handles on one journal (as two processes have) take turns on a claim.
async fn claims_exclude_each_other(one: &dyn Journal, two: &dyn Journal) {
    async fn claim(journal: &dyn Journal, owner: &str) -> Claim {
        journal
            .claim("c-1", Provider::Leap, owner, Duration::from_millis(300))
            .await
            .unwrap()
    }
    assert_eq!(claim(one, "a").await, Claim::Granted);
    assert!(matches!(claim(two, "b").await, Claim::Held { .. }));
    // Renewed by its owner; another pair is free.
    assert_eq!(claim(one, "a").await, Claim::Granted);
    let other = two.claim("c-1", Provider::Crossmint, "b", Duration::from_millis(300));
    assert_eq!(other.await.unwrap(), Claim::Granted);
    // Released: the other takes it; its lease runs out: the first takes it over.
    one.release("c-1", Provider::Leap, "a").await.unwrap();
    assert_eq!(claim(two, "b").await, Claim::Granted);
    assert!(matches!(claim(one, "a").await, Claim::Held { .. }));
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(claim(one, "a").await, Claim::Granted);
    // A release by an owner that does not hold it changes nothing.
    two.release("c-1", Provider::Leap, "b").await.unwrap();
    assert!(matches!(claim(two, "b").await, Claim::Held { .. }));
}

#[tokio::test]
async fn a_claim_is_held_by_one_owner_until_released_or_its_lease_runs_out() {
    let path = temp_journal("claims");
    let one = SqliteJournal::open(&path).unwrap();
    let two = SqliteJournal::open(&path).unwrap();
    claims_exclude_each_other(&one, &two).await;
}

/// One in-memory journal shared by two handles (`Arc`), as the tasks of one process share it.
#[tokio::test]
async fn a_memory_journal_claims_as_the_files_do() {
    let journal = Arc::new(MemoryJournal::new());
    claims_exclude_each_other(&journal, &Arc::clone(&journal)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_a_memory_journal_the_same_customer_twice_and_at_once_is_registered_once() {
    let sim = simulator().await;
    let onboarder = Arc::new(engine(&sim, Arc::new(MemoryJournal::new())));
    let customer = customers(1).remove(0);
    let (a, b) = twice_at_once(&onboarder, &customer).await;
    assert_completed(&a);
    assert_eq!(a, b);
    let requests = sim.counters();
    assert_eq!(onboarder.onboard(&customer).await, a);
    assert_nothing_sent_since(&sim, &requests);
    assert_one_registration_each(&sim);
    sim.shutdown().await;
}

// ---- the same against PostgreSQL ------------------------------------------------------------------

async fn postgres_journal(name: &str) -> Option<String> {
    let server = server_url()?;
    Some(fresh_database(&server, name).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_claims_exclude_each_other() {
    let Some(url) = postgres_journal("claims").await else {
        return;
    };
    let one = PostgresJournal::connect(&url).unwrap();
    let two = PostgresJournal::connect(&url).unwrap();
    claims_exclude_each_other(&one, &two).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_the_same_customer_twice_and_at_once_from_two_engines_is_registered_once() {
    let Some(url) = postgres_journal("engines").await else {
        return;
    };
    let sim = simulator().await;
    let one = engine(&sim, Arc::new(PostgresJournal::connect(&url).unwrap()));
    let two = engine(&sim, Arc::new(PostgresJournal::connect(&url).unwrap()));
    let customer = customers(1).remove(0);
    let (a, b) = tokio::join!(one.onboard(&customer), two.onboard(&customer));
    assert_completed(&a);
    assert_eq!(a, b);
    let requests = sim.counters();
    // Once more, from either: the same report, nothing sent.
    assert_eq!(one.onboard(&customer).await, a);
    assert_eq!(two.onboard(&customer).await, a);
    assert_nothing_sent_since(&sim, &requests);
    assert_one_registration_each(&sim);
    sim.shutdown().await;
}
