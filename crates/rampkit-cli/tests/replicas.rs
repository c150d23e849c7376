//! Three `rampkit onboard` processes onboarding the same customers at once against one PostgreSQL journal
//! and the simulator with 20 % faults, one of them killed with SIGKILL midway and started again: no vendor
//! receives a registration for a customer it already holds, and every customer ends final at every
//! provider. Needs `RAMPKIT_TEST_DATABASE_URL` (`scripts/test-postgres.sh`; required in CI). The
//! 200-customer version is a benchmark (docs/benchmarks.md).

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rampkit_sim::{FaultConfig, SimConfig, Simulator, Vendor};
use serde_json::{Value, json};

use common::{database_url, fixture};

/// `n` customers as JSON Lines: the Spanish fixture with a unique e-mail, phone, applicant and Kriptomat
/// user each.
fn customers(n: usize) -> String {
    let text = std::fs::read_to_string(fixture("person_es_dni.json")).unwrap();
    (0..n)
        .map(|i| {
            let mut customer: Value = serde_json::from_str(&text).unwrap();
            let person = &mut customer["person"];
            person["email"] = json!(format!("replica{i:05}@example.com"));
            person["mobile_phone"] = json!(format!("+3462{i:07}"));
            person["verification"]["verified_by"]["applicant_id"] =
                json!(format!("applicant{i:05}"));
            json!({
                "reference": format!("cust-{i:05}"),
                "customer": customer,
                "providers": {
                    "kriptomat": {"user_id": 2_000_000 + i},
                    "crossmint": {"privacy_policy_accepted_at": "2026-01-02T03:04:05Z"},
                },
            })
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A new database on the test server, by `psql` (PostgreSQL's client, installed with the server).
fn fresh_database(server: &str, name: &str) -> String {
    let database = format!("rampkit_{name}_{}", std::process::id());
    for sql in [
        format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
        format!("CREATE DATABASE {database}"),
    ] {
        let status = Command::new("psql")
            .args([server, "-q", "-c", &sql])
            .stdout(Stdio::null())
            .status()
            .expect("psql runs");
        assert!(status.success());
    }
    // The server's parameters (TLS: `sslmode`, `sslrootcert`) stay on the new database's URL.
    let (url, query) = server.split_once('?').unwrap_or((server, ""));
    let (base, _) = url.rsplit_once('/').unwrap();
    if query.is_empty() {
        format!("{base}/{database}")
    } else {
        format!("{base}/{database}?{query}")
    }
}

fn replica(input: &std::path::Path, journal: &str, sim: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_rampkit"))
        .args([
            "onboard",
            &input.display().to_string(),
            "--journal",
            journal,
            "--batch-id",
            "replicas",
            "--sim-url",
            sim,
            "--claim-lease-secs",
            "5",
            "--poll-ms",
            "20",
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("rampkit starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_one_killed_register_everyone_once() {
    let Some(server) = database_url() else {
        return;
    };
    // 24 in CI; the benchmark runs 200 (docs/benchmarks.md).
    let customers_count: usize = std::env::var("RAMPKIT_REPLICAS_CUSTOMERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24);
    let faults = FaultConfig {
        hold_ms: 500,
        retry_after_secs: 1,
        ..FaultConfig::with_rate(0.2)
    };
    let sim = Simulator::start(SimConfig {
        polls_until_final: 2,
        ..SimConfig::default()
            .with_faults(faults)
            .without_rate_limits()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("customers.jsonl");
    std::fs::write(&input, customers(customers_count)).unwrap();
    let journal = fresh_database(&server, "replicas");

    let mut replicas: Vec<Child> = (0..3)
        .map(|_| replica(&input, &journal, &sim.url()))
        .collect();
    // Killed midway: once some registrations reached the simulator.
    let started = Instant::now();
    while sim.counters().get(Vendor::Leap).registrations < (customers_count / 4) as u64
        && started.elapsed() < Duration::from_secs(60)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    replicas[0].kill().expect("SIGKILL");
    let _ = replicas[0].wait();
    replicas[0] = replica(&input, &journal, &sim.url());

    let mut reports = Vec::new();
    for child in replicas {
        let output = tokio::task::spawn_blocking(move || child.wait_with_output())
            .await
            .unwrap()
            .unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
        assert_eq!(output.status.code(), Some(0), "{report}");
        reports.push(report);
    }

    let counters = sim.counters();
    for vendor in Vendor::ALL {
        assert_eq!(
            counters.get(vendor).duplicates,
            0,
            "{vendor}: {:?}",
            counters.get(vendor)
        );
    }
    // Every replica reports every customer final at every provider.
    for report in &reports {
        let providers = report["providers"].as_array().unwrap();
        assert_eq!(providers.len(), 4);
        for entry in providers {
            let summary = &entry[1];
            assert_eq!(
                summary["verified"].as_u64().unwrap() + summary["rejected"].as_u64().unwrap(),
                customers_count as u64,
                "{entry}"
            );
        }
    }
    eprintln!(
        "{customers_count} customers × 4 providers, 3 replicas (one killed and restarted): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    sim.shutdown().await;
}
