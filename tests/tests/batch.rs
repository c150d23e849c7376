//! `onboard_batch` against the simulator: a batch killed with SIGKILL and resumed ends with every
//! customer onboarded exactly once per provider under 20 % faults; unknown outcomes are reconciled
//! by lookup; "already exists" resolves to the customer this journal registered; bad lines and invalid
//! customers are reported and never sent; a journal of another batch is refused; the journal holds no
//! personal data.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rampkit::Provider;
use rampkit::batch::{BatchError, BatchOptions, FlowOutcome, onboard_batch, read_jsonl};
use rampkit::journal::{Journal, JournalEntry, JournalError, Phase, SqliteJournal, Step};
use rampkit::onboarding::PollPolicy;
use rampkit_sim::{FaultConfig, SimConfig, Simulator, Vendor};
use rampkit_tests::onboarding_batch::{
    ClientOptions, customer_line, customers, flows, rejected, run_child,
};

fn temp_journal(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "rampkit-batch-test-{}-{name}.db",
        std::process::id()
    ));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn quiet_sim() -> SimConfig {
    SimConfig {
        polls_until_final: 1,
        ..SimConfig::default().without_rate_limits()
    }
}

fn options(batch: &str) -> BatchOptions {
    let mut options = BatchOptions::new(batch);
    options.concurrency = 8;
    options.poll = PollPolicy {
        initial_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(100),
        deadline: Duration::from_secs(60),
    };
    options.deadline = Duration::from_secs(60);
    options.initial_backoff = Duration::from_millis(50);
    options.max_backoff = Duration::from_millis(500);
    options.keep_outcomes = true;
    options
}

fn client_options() -> ClientOptions {
    ClientOptions {
        request_timeout: Duration::from_secs(5),
        rate_limits: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_killed_midway_and_resumed_registers_everyone_exactly_once() {
    const CUSTOMERS: usize = 100;
    let faults = FaultConfig {
        hold_ms: 1_200,
        retry_after_secs: 1,
        ..FaultConfig::with_rate(0.2)
    };
    let sim = Simulator::start(
        SimConfig::default()
            .with_faults(faults)
            .without_rate_limits(),
    )
    .await
    .unwrap();
    let path = temp_journal("crash");
    let args: Vec<String> = [
        "--sim-url",
        &sim.url(),
        "--journal",
        &path.display().to_string(),
        "--customers",
        &CUSTOMERS.to_string(),
        "--concurrency",
        "32",
        "--request-timeout-ms",
        "800",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_onboarding-faults"));

    // Killed at a point that changes from run to run (between 10 % and 85 % of the flows), printed so
    // that a failure can be replayed.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as usize;
    let kill_after = (CUSTOMERS * 4) / 10 + nanos % (CUSTOMERS * 3);
    eprintln!("killing the first run after {kill_after} flows");
    let first = run_child(&exe, &args, Some(kill_after as u64)).await;
    assert!(first.killed, "the first run is killed midway: {first:?}");
    assert!(first.report.is_none());
    let before_resume = sim.counters();

    let second = run_child(&exe, &args, None).await;
    assert_eq!(second.exit_code, Some(0), "{second:?}");
    let report = second.report.expect("the resumed run reports");

    // No vendor saw a registration for a customer it already held.
    let counters = sim.counters();
    for vendor in Vendor::ALL {
        assert_eq!(
            counters.get(vendor).duplicates,
            0,
            "{vendor}: {:?}",
            counters.get(vendor)
        );
    }
    // The first run really registered some before it died. (That the second run had work left is
    // asserted below from its report: some flows, not all, came from the journal. Which vendor's
    // registrations were all sent before the kill depends on timing, so no vendor is singled out.)
    let registered_before: u64 = Vendor::ALL
        .iter()
        .map(|v| before_resume.get(*v).registrations)
        .sum();
    assert!(registered_before > 0);

    // Every customer ends final, with the status its scenario gives, at every provider.
    let expected_rejected = (0..CUSTOMERS).filter(|i| rejected(*i)).count() as u64;
    let providers = report["providers"].as_array().unwrap();
    assert_eq!(providers.len(), 4);
    let mut from_journal = 0;
    for entry in providers {
        let (provider, summary) = (&entry[0], &entry[1]);
        assert_eq!(
            summary["verified"].as_u64().unwrap() + summary["rejected"].as_u64().unwrap(),
            CUSTOMERS as u64,
            "{provider}: {summary}"
        );
        assert_eq!(
            summary["rejected"].as_u64().unwrap(),
            expected_rejected,
            "{provider}"
        );
        from_journal += summary["from_journal"].as_u64().unwrap();
    }
    // The resumed run took the first run's settled flows from the journal.
    assert!(from_journal > 0 && from_journal < (CUSTOMERS * 4) as u64);

    // The journal: exactly one completed registration and one final outcome per customer × provider.
    let journal = SqliteJournal::open(&path).unwrap();
    let entries = journal.entries().unwrap();
    let mut done: HashMap<(String, Provider), usize> = HashMap::new();
    let mut finals: HashMap<(String, Provider), Vec<FlowOutcome>> = HashMap::new();
    for entry in &entries {
        let key = (entry.customer.clone(), entry.provider);
        match (entry.step, entry.phase) {
            (Step::Register, Phase::Done) => *done.entry(key).or_default() += 1,
            (Step::Status, Phase::Final) => finals
                .entry(key)
                .or_default()
                .push(serde_json::from_value(entry.detail.clone().unwrap()).unwrap()),
            _ => {}
        }
    }
    assert_eq!(done.len(), CUSTOMERS * 4);
    assert!(done.values().all(|n| *n == 1), "a step recorded twice");
    assert_eq!(finals.len(), CUSTOMERS * 4);
    for (key, outcomes) in &finals {
        assert!(
            matches!(outcomes.last(), Some(FlowOutcome::Completed { .. })),
            "{key:?}: {outcomes:?}"
        );
    }

    // No personal value of any customer is in the journal.
    let dump = serde_json::to_string(&entries).unwrap();
    for planted in [
        "@example.com",
        "customer000",
        "+3461",
        "García",
        "Lucía",
        "12345678Z",
        "applicant0",
    ] {
        assert!(!dump.contains(planted), "the journal holds `{planted}`");
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_intent_without_result_is_reconciled_before_anything_is_sent_again() {
    let sim = Simulator::start(quiet_sim()).await.unwrap();
    let lines = customers(2);
    // Customer 0 was registered at Leap and CryptoPocket by a run that died before writing the
    // result: the journal holds only the intents.
    let journal = Arc::new(SqliteJournal::in_memory().unwrap());
    journal.open_batch("reconcile").unwrap();
    let providers = [Provider::Leap, Provider::CryptoPocket];
    let factories = flows(&sim.url(), &providers, client_options());
    for factory in &factories {
        let flow = factory.flow(&lines[0]).unwrap();
        let entry = JournalEntry::now(
            "cust-000000",
            factory.provider(),
            Step::Register,
            Phase::Intent,
        );
        journal.append(&entry).unwrap();
        flow.register(&lines[0].customer).await.unwrap();
    }
    let report = onboard_batch(
        lines.into_iter().map(Ok),
        &factories,
        journal.clone(),
        options("reconcile"),
    )
    .await
    .unwrap();
    let counters = sim.counters();
    for vendor in [Vendor::Leap, Vendor::CryptoPocket] {
        // One registration per customer: the one before the "crash" and customer 1's.
        assert_eq!(counters.get(vendor).registrations, 2, "{vendor}");
        assert_eq!(counters.get(vendor).duplicates, 0, "{vendor}");
    }
    assert_eq!(report.counters.reconciliations, 2);
    assert_eq!(report.counters.reconciled_found, 2);
    assert_eq!(report.counters.registrations_sent, 2);
    assert!(report.all_completed(), "{report}");
    let reconciled: Vec<_> = journal
        .entries()
        .unwrap()
        .into_iter()
        .filter(|e| e.phase == Phase::Reconciled)
        .collect();
    assert_eq!(reconciled.len(), 2);
    assert!(reconciled.iter().all(|e| e.customer == "cust-000000"));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn already_exists_resolves_only_to_a_customer_this_journal_registered() {
    let sim = Simulator::start(quiet_sim()).await.unwrap();
    let lines = customers(2);
    let factories = flows(&sim.url(), &[Provider::Leap], client_options());
    // Both customers exist at Leap before the batch. Customer 0's registration was announced by this
    // journal and then refused with a 429 (so the batch sends it again, without a lookup); customer 1
    // was registered by someone else.
    let journal = Arc::new(SqliteJournal::in_memory().unwrap());
    journal.open_batch("exists").unwrap();
    for (i, line) in lines.iter().enumerate() {
        factories[0]
            .flow(line)
            .unwrap()
            .register(&line.customer)
            .await
            .unwrap();
        if i == 0 {
            for phase in [Phase::Intent, Phase::Failed] {
                journal
                    .append(&JournalEntry::now(
                        "cust-000000",
                        Provider::Leap,
                        Step::Register,
                        phase,
                    ))
                    .unwrap();
            }
        }
    }
    let report = onboard_batch(
        lines.into_iter().map(Ok),
        &factories,
        journal,
        options("exists"),
    )
    .await
    .unwrap();
    let outcome = |reference: &str| {
        report
            .outcomes
            .iter()
            .find(|(r, _, _)| r == reference)
            .map(|(_, _, o)| o.clone())
            .unwrap()
    };
    assert!(
        matches!(outcome("cust-000000"), FlowOutcome::Completed { .. }),
        "{:?}",
        outcome("cust-000000")
    );
    match outcome("cust-000001") {
        FlowOutcome::Failed {
            kind,
            retry_on_resume,
            ..
        } => {
            assert_eq!(kind, "conflict");
            assert!(!retry_on_resume);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(report.counters.already_exists_resolved, 1);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_lines_and_invalid_customers_are_reported_and_never_sent() {
    let sim = Simulator::start(quiet_sim()).await.unwrap();
    let mut invalid: serde_json::Value = serde_json::from_str(&customer_line(2)).unwrap();
    invalid["customer"]["person"]["email"] = serde_json::json!("not-an-address");
    invalid["customer"]["person"]["date_of_birth"] = serde_json::json!("2020-01-01");
    let text = [
        customer_line(0),
        "{\"reference\": \"cust-x\", \"customer\": {\"person\": {\"email\": \"planted@example.com\"}}}".to_owned(),
        String::new(),
        "not json at all".to_owned(),
        invalid.to_string(),
        customer_line(1),
        customer_line(1),
    ]
    .join("\n");
    let lines: Vec<_> = read_jsonl(text.as_bytes()).collect();
    let factories = flows(
        &sim.url(),
        &[Provider::Leap, Provider::CryptoPocket],
        client_options(),
    );
    let report = onboard_batch(
        lines,
        &factories,
        Arc::new(SqliteJournal::in_memory().unwrap()),
        options("lines"),
    )
    .await
    .unwrap();
    let rejected: BTreeMap<usize, String> = report
        .rejected_lines
        .iter()
        .map(|l| (l.line, l.problem.clone()))
        .collect();
    assert_eq!(
        rejected.keys().copied().collect::<Vec<_>>(),
        [2, 4, 7],
        "{rejected:?}"
    );
    assert!(rejected[&2].contains("customer.person"), "{rejected:?}");
    assert!(rejected[&4].starts_with("not JSON"));
    assert!(rejected[&7].contains("reference"));
    assert!(!format!("{report}").contains("planted"));

    assert_eq!(report.invalid_customers.len(), 1);
    let bad = &report.invalid_customers[0];
    assert_eq!((bad.line, bad.reference.as_str()), (5, "cust-000002"));
    let problems = bad.problems.join("\n");
    assert!(problems.contains("customer.person.email"), "{problems}");
    assert!(
        problems.contains("customer.person.date_of_birth"),
        "{problems}"
    );
    assert!(!problems.contains("not-an-address"));

    // Only the two valid customers reached any vendor.
    let counters = sim.counters();
    assert_eq!(counters.get(Vendor::Leap).registrations, 2);
    assert_eq!(counters.get(Vendor::CryptoPocket).registrations, 2);
    for provider in [Provider::Leap, Provider::CryptoPocket] {
        let summary = report.summary(provider).unwrap();
        assert_eq!(summary.verified, 2, "{provider}");
        assert_eq!(summary.not_sent, 1, "{provider}");
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_batch_sends_nothing_for_settled_flows_and_another_batch_is_refused() {
    let sim = Simulator::start(quiet_sim()).await.unwrap();
    let path = temp_journal("settled");
    let factories = flows(&sim.url(), &Provider::ALL, client_options());
    let journal = || -> Arc<dyn Journal> { Arc::new(SqliteJournal::open(&path).unwrap()) };
    let first = onboard_batch(
        customers(5).into_iter().map(Ok),
        &factories,
        journal(),
        options("settled"),
    )
    .await
    .unwrap();
    assert!(first.all_completed(), "{first}");
    let requests: u64 = Vendor::ALL
        .iter()
        .map(|v| sim.counters().get(*v).requests)
        .sum();

    let again = onboard_batch(
        customers(5).into_iter().map(Ok),
        &factories,
        journal(),
        options("settled"),
    )
    .await
    .unwrap();
    let after: u64 = Vendor::ALL
        .iter()
        .map(|v| sim.counters().get(*v).requests)
        .sum();
    assert_eq!(after, requests, "a settled batch sends nothing");
    for provider in Provider::ALL {
        assert_eq!(again.summary(provider).unwrap().from_journal, 5);
    }

    let other = onboard_batch(
        customers(5).into_iter().map(Ok),
        &factories,
        journal(),
        options("another"),
    )
    .await
    .unwrap_err();
    match &other {
        BatchError::Journal(JournalError::OtherBatch { journal, requested }) => {
            assert_eq!(
                (journal.as_str(), requested.as_str()),
                ("settled", "another")
            );
        }
        e => panic!("{e}"),
    }
    assert!(
        other.to_string().contains("belongs to batch `settled`"),
        "{other}"
    );
    sim.shutdown().await;
}
