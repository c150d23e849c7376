//! One vendor rate budget across processes: three processes send Crossmint writes through clients whose
//! slots live in one PostgreSQL database (`PostgresRateBudget`), and the simulator — which records when
//! each request arrived — never sees more than the limit in any window. The same three processes with
//! the in-process limiter only (each within the limit on its own) do exceed it, so the check can fail.
//!
//! CI runs a scaled limit (20 writes per 4 s, 3 × 20 writes, about 13 s); Crossmint's documented
//! 120 writes per minute with 3 × 100 writes takes 2.5 minutes and is a benchmark:
//! `scripts/test-postgres.sh run cargo test -p rampkit-tests --test shared_budget -- --ignored`.
//! Needs `RAMPKIT_TEST_DATABASE_URL` (`scripts/test-postgres.sh`; required in CI).

use std::process::{Command, Stdio};
use std::time::Duration;

use rampkit::PostgresRateBudget;
use rampkit::runtime::{RateLimit, SharedRateBudget};
use rampkit_sim::{SimConfig, Simulator, Vendor};
use rampkit_tests::postgres::{fresh_database, server_url};

struct Run {
    max: u32,
    per: Duration,
    writes_per_process: u32,
}

/// Starts three writers (shared budget in `database`, or `None`: each process on its own limiter) and
/// returns the arrival times at the simulator, in microseconds, sorted.
async fn three_writers(run: &Run, database: Option<&str>) -> Vec<u64> {
    let sim = Simulator::start(SimConfig::default().without_rate_limits())
        .await
        .unwrap();
    let crossmint = sim.vendor(Vendor::Crossmint);
    let api_key = crossmint
        .credentials()
        .into_iter()
        .map(|(_, value)| value)
        .next()
        .expect("the simulator has a Crossmint API key");
    let children: Vec<_> = (0..3)
        .map(|i| {
            let mut command = Command::new(env!("CARGO_BIN_EXE_shared-budget-writes"));
            command.args([
                "--base-url",
                crossmint.base_url(),
                "--api-key",
                &api_key,
                "--writes",
                &run.writes_per_process.to_string(),
                "--max",
                &run.max.to_string(),
                "--per-ms",
                &run.per.as_millis().to_string(),
                "--name",
                &format!("writer{i}"),
            ]);
            match database {
                Some(url) => command.args(["--database", url]),
                None => command.arg("--local"),
            };
            command
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("the writer starts")
        })
        .collect();
    for child in children {
        let out = tokio::task::spawn_blocking(move || child.wait_with_output())
            .await
            .unwrap()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            format!("sent {} failed 0", run.writes_per_process)
        );
    }
    let mut arrivals: Vec<u64> = crossmint
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("accept_legal_document"))
        .map(|r| r.received_at_us)
        .collect();
    arrivals.sort_unstable();
    assert_eq!(arrivals.len() as u32, 3 * run.writes_per_process);
    arrivals
}

/// The largest number of arrivals in any window of `per` (half-open: `[t, t + per)`).
fn busiest_window(arrivals: &[u64], per: Duration) -> usize {
    let per = per.as_micros() as u64;
    let mut busiest = 0;
    let mut end = 0;
    for (start, at) in arrivals.iter().enumerate() {
        while end < arrivals.len() && arrivals[end] < at + per {
            end += 1;
        }
        busiest = busiest.max(end - start);
    }
    busiest
}

async fn check(run: Run) {
    let Some(server) = server_url() else {
        return;
    };
    let database = fresh_database(&server, "shared_budget").await;
    let shared = three_writers(&run, Some(&database)).await;
    let busiest = busiest_window(&shared, run.per);
    let span = Duration::from_micros(shared.last().unwrap() - shared.first().unwrap());
    eprintln!(
        "shared budget: busiest window {busiest} (limit {}), first to last {span:.1?}",
        run.max
    );
    assert!(
        busiest <= run.max as usize,
        "shared budget: {busiest} writes in one window of {:?} (limit {})",
        run.per,
        run.max
    );
    // Each process alone keeps the limit, together they do not: what the shared budget prevents.
    let local = three_writers(&run, None).await;
    let busiest = busiest_window(&local, run.per);
    eprintln!(
        "in-process limiters: busiest window {busiest} (limit {})",
        run.max
    );
    assert!(
        busiest > run.max as usize,
        "three in-process limiters were expected to exceed the limit together (busiest {busiest})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_share_one_limit() {
    check(Run {
        max: 20,
        per: Duration::from_secs(4),
        writes_per_process: 20,
    })
    .await;
}

/// Crossmint's documented limit (120 writes per minute), 3 × 100 writes: a benchmark (2.5 minutes).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "2.5 minutes: a benchmark (docs/benchmarks.md)"]
async fn three_processes_share_crossmints_documented_limit() {
    check(Run {
        max: 120,
        per: Duration::from_secs(60),
        writes_per_process: 100,
    })
    .await;
}

/// The budget's one statement: the first slot at once, the next one spacing later (reserved), one
/// beyond the caller's wait refused and not reserved, "no deadline" accepted; keys apart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_reserves_slots_in_order_and_refuses_one_too_far() {
    let Some(server) = server_url() else {
        return;
    };
    let database = fresh_database(&server, "budget_slots").await;
    let budget = PostgresRateBudget::connect(&database)
        .unwrap()
        .with_headroom(Duration::ZERO);
    let limit = RateLimit {
        max: 1,
        per: Duration::from_secs(10),
    };
    let long = Duration::from_secs(60);
    let first = budget.reserve("p/writes", limit, long).await.unwrap();
    assert!(first.unwrap() < Duration::from_millis(100), "{first:?}");
    let second = budget
        .reserve("p/writes", limit, long)
        .await
        .unwrap()
        .unwrap();
    assert!(
        second > Duration::from_secs(9) && second <= Duration::from_secs(10),
        "{second:?}"
    );
    // The next slot is ~20 s away: refused within 5 s, and not reserved (the one after is still ~20 s).
    assert_eq!(
        budget
            .reserve("p/writes", limit, Duration::from_secs(5))
            .await
            .unwrap(),
        None
    );
    let third = budget
        .reserve("p/writes", limit, Duration::MAX)
        .await
        .unwrap()
        .unwrap();
    assert!(
        third > Duration::from_secs(19) && third <= Duration::from_secs(20),
        "{third:?}"
    );
    // Another key has its own slots.
    let other = budget.reserve("p/reads", limit, long).await.unwrap();
    assert!(other.unwrap() < Duration::from_millis(100));
    // Debug names the database, never the password.
    let debug = format!("{budget:?}");
    assert!(debug.contains("PostgresRateBudget"), "{debug}");
    if let Some(password) = server.split('@').next().and_then(|a| a.rsplit(':').next()) {
        assert!(!debug.contains(password), "{debug}");
    }
}

#[test]
fn the_window_count_sees_a_burst() {
    let s = 1_000_000;
    assert_eq!(
        busiest_window(&[0, s, 2 * s, 3 * s], Duration::from_secs(1)),
        1
    );
    assert_eq!(busiest_window(&[0, 1, 2, 3 * s], Duration::from_secs(1)), 3);
    assert_eq!(busiest_window(&[], Duration::from_secs(1)), 0);
}
