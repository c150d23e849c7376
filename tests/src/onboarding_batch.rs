//! Shared by the batch test (`tests/batch.rs`) and the fault/scale bench (`src/bin/onboarding-faults.rs`):
//! generated customers, clients of a simulator given by URL (default credentials), the batch run of a
//! child process, and a plain reqwest driver sending the same Leap and Crossmint requests.

use std::sync::Arc;
use std::time::Duration;

use rampkit::Provider;
use rampkit::batch::{BatchCustomer, FlowFactory, parse_line};
use rampkit::crossmint::CrossmintAuth;
use rampkit::cryptopocket::CryptoPocketAuth;
use rampkit::kriptomat::KriptomatAuth;
use rampkit::kriptomat::KriptomatCredentials;
use rampkit::leap::LeapAuth;
use rampkit::runtime::transport::{HttpClient, Timeouts};
use rampkit::runtime::{Context, RateLimits, RetryPolicy};
use rampkit::sumsub::SumsubAuth;
use rampkit::{CrossmintFlows, CryptoPocketOnboarding, KriptomatFlows, LeapOnboarding};
use rampkit_sim::SimConfig;
use serde_json::{Value, json};

const FIXTURE: &str = include_str!("../fixtures/customers/person_es_dni.json");

/// The `i`-th generated customer as a JSONL line: the Spanish fixture person with a unique e-mail,
/// phone, SumSub applicant and Kriptomat user. One in ten is rejected by every vendor (the simulator's
/// `+reject` scenario); the others are verified.
pub fn customer_line(i: usize) -> String {
    let mut customer: Value = serde_json::from_str(FIXTURE).expect("the fixture is JSON");
    let suffix = if i % 10 == 7 { "+reject" } else { "" };
    let person = &mut customer["person"];
    person["email"] = json!(format!("customer{i:06}{suffix}@example.com"));
    person["mobile_phone"] = json!(format!("+3461{i:07}"));
    person["verification"]["verified_by"]["applicant_id"] =
        json!(format!("applicant{i:06}{suffix}"));
    json!({
        "reference": format!("cust-{i:06}"),
        "customer": customer,
        "providers": {
            "kriptomat": {"user_id": 1_000_000 + i},
            "crossmint": {"privacy_policy_accepted_at": "2026-01-02T03:04:05Z"},
        },
    })
    .to_string()
}

/// Whether the `i`-th customer ends rejected.
pub fn rejected(i: usize) -> bool {
    i % 10 == 7
}

/// `n` generated customers, parsed.
pub fn customers(n: usize) -> Vec<BatchCustomer> {
    (0..n)
        .map(|i| parse_line(i + 1, &customer_line(i)).expect("generated lines parse"))
        .collect()
}

/// How the clients of a run are built.
#[derive(Clone, Copy, Debug)]
pub struct ClientOptions {
    /// The HTTP request timeout (a simulator "timeout after processing" must outlast it).
    pub request_timeout: Duration,
    /// Client-side rate limits: the documented ones (`true`) or none.
    pub rate_limits: bool,
}

fn base(url: &str, vendor: &str) -> String {
    format!("{}/{vendor}", url.trim_end_matches('/'))
}

/// One flow factory per provider in `providers`, talking to the simulator at `url` with its default
/// credentials. Crossmint's client does not retry (the batch looks the user up before a second PUT).
pub fn flows(
    url: &str,
    providers: &[Provider],
    options: ClientOptions,
) -> Vec<Arc<dyn FlowFactory>> {
    let http = HttpClient::new(Timeouts {
        connect: Duration::from_secs(5),
        request: options.request_timeout,
    });
    let c = SimConfig::default().vendors;
    let limits = |ctx_limits: Option<RateLimits>| ctx_limits.unwrap_or_else(RateLimits::none);
    let mut flows: Vec<Arc<dyn FlowFactory>> = Vec::new();
    for provider in providers {
        match provider {
            Provider::CryptoPocket => {
                let mut context = Context::new(CryptoPocketAuth::with_credentials(
                    c.cryptopocket.api_key.clone(),
                    c.cryptopocket.api_secret.clone(),
                ));
                if !options.rate_limits {
                    context = context.with_rate_limits(limits(None));
                }
                flows.push(Arc::new(CryptoPocketOnboarding::new(
                    rampkit::cryptopocket::Client::new_with_client(
                        &base(url, "cryptopocket"),
                        http.clone(),
                        context,
                    ),
                )));
            }
            Provider::Leap => {
                let mut context = Context::new(LeapAuth::new(c.leap.api_key.clone()));
                if !options.rate_limits {
                    context = context.with_rate_limits(limits(None));
                }
                flows.push(Arc::new(LeapOnboarding::new(
                    rampkit::leap::Client::new_with_client(
                        &base(url, "leap"),
                        http.clone(),
                        context,
                    ),
                )));
            }
            Provider::Crossmint => {
                let mut context = Context::new(CrossmintAuth::new(c.crossmint.api_key.clone()))
                    .with_retry(RetryPolicy::none());
                if !options.rate_limits {
                    context = context.with_rate_limits(limits(None));
                }
                flows.push(Arc::new(CrossmintFlows::new(
                    rampkit::crossmint::Client::new_with_client(
                        &base(url, "crossmint"),
                        http.clone(),
                        context,
                    ),
                    vec![rampkit::crossmint::types::ProductType::Offramp],
                )));
            }
            Provider::Kriptomat => {
                let credentials = KriptomatCredentials {
                    email: c.kriptomat.email.clone().into(),
                    password: c.kriptomat.password.clone().into(),
                    client_id: c.kriptomat.client_id,
                    client_secret: c.kriptomat.client_secret.clone().into(),
                    totp_secret_base32: c.kriptomat.totp_secret.clone().into(),
                };
                let mut kriptomat = Context::new(KriptomatAuth::with_credentials(credentials));
                let mut sumsub = Context::new(SumsubAuth::new(
                    c.sumsub.app_token.clone(),
                    c.sumsub.secret_key.clone(),
                ));
                if !options.rate_limits {
                    kriptomat = kriptomat.with_rate_limits(limits(None));
                    sumsub = sumsub.with_rate_limits(limits(None));
                }
                flows.push(Arc::new(KriptomatFlows::new(
                    rampkit::kriptomat::Client::new_with_client(
                        &base(url, "kriptomat"),
                        http.clone(),
                        kriptomat,
                    ),
                    rampkit::sumsub::Client::new_with_client(
                        &base(url, "sumsub"),
                        http.clone(),
                        sumsub,
                    ),
                    "KriptomatSumsub",
                )));
            }
        }
    }
    flows
}

/// A plain reqwest driver: the same Leap and Crossmint requests the batch sends (bodies from the same
/// conversions), at the same concurrency per provider, with no journal, no retries, no rate limits and no typed
/// decoding beyond reading the status field. Returns the number of requests sent.
pub async fn plain_driver(
    url: &str,
    customers: &[BatchCustomer],
    concurrency: usize,
    poll: Duration,
) -> u64 {
    use rampkit::crossmint::types as cm;
    use rampkit::leap::types as leap;
    use rampkit::providers::crossmint::{UserLocator, document_uploads};
    use std::sync::atomic::{AtomicU64, Ordering};

    let http = reqwest::Client::new();
    let c = SimConfig::default().vendors;
    let requests = Arc::new(AtomicU64::new(0));
    // Per provider, as the batch counts its concurrency.
    let semaphores = [
        Arc::new(tokio::sync::Semaphore::new(concurrency)),
        Arc::new(tokio::sync::Semaphore::new(concurrency)),
    ];
    let mut tasks = tokio::task::JoinSet::new();
    for line in customers {
        for (slot, provider) in [Provider::Leap, Provider::Crossmint]
            .into_iter()
            .enumerate()
        {
            let permit = semaphores[slot].clone().acquire_owned().await.unwrap();
            let (http, requests) = (http.clone(), requests.clone());
            let customer = line.customer.clone();
            let reference = line.reference.clone();
            let (leap_key, crossmint_key) = (c.leap.api_key.clone(), c.crossmint.api_key.clone());
            let (leap_base, crossmint_base) = (base(url, "leap"), base(url, "crossmint"));
            tasks.spawn(async move {
                let count = || requests.fetch_add(1, Ordering::Relaxed);
                match provider {
                    Provider::Leap => {
                        let body = leap::RegisterUserParams::try_from(&customer).unwrap();
                        let lookup = json!({"phoneNumber": body.phone_number, "countryCode": body.country_code});
                        count();
                        let _ = http
                            .post(format!("{leap_base}/auth/register-user-v2"))
                            .header("api_key", &leap_key)
                            .json(&body)
                            .send()
                            .await
                            .and_then(|r| r.error_for_status());
                        loop {
                            count();
                            let answer: Value = http
                                .post(format!("{leap_base}/auth/get-user-token-v2"))
                                .header("api_key", &leap_key)
                                .json(&lookup)
                                .send()
                                .await
                                .unwrap()
                                .json()
                                .await
                                .unwrap_or_default();
                            let status = answer["status"].as_str().unwrap_or_default();
                            if !matches!(status, "OnProcess" | "UpgradeInProgress" | "") {
                                break;
                            }
                            tokio::time::sleep(poll).await;
                        }
                    }
                    _ => {
                        let locator = UserLocator::user_id(reference);
                        let wire = locator.to_wire();
                        let user = format!("{crossmint_base}/2025-06-09/users/{}", wire.expose_str());
                        let consent = json!({"type": "crossmint-privacy-policy", "acceptedAt": "2026-01-02T03:04:05Z"});
                        count();
                        let _ = http
                            .put(format!("{user}/legal-documents"))
                            .header("x-api-key", &crossmint_key)
                            .json(&consent)
                            .send()
                            .await;
                        let body = cm::UpsertUserRequest::try_from(&customer).unwrap();
                        count();
                        let _ = http.put(&user).header("x-api-key", &crossmint_key).json(&body).send().await;
                        for upload in document_uploads(&customer, &locator).unwrap() {
                            count();
                            let _ = http
                                .post(format!("{crossmint_base}/2025-06-09/documents"))
                                .header("x-api-key", &crossmint_key)
                                .json(&upload)
                                .send()
                                .await;
                        }
                        count();
                        let _ = http
                            .put(format!("{user}/identity-verification"))
                            .header("x-api-key", &crossmint_key)
                            .send()
                            .await;
                        loop {
                            count();
                            let answer: Value = http
                                .get(format!("{user}/identity-verification"))
                                .header("x-api-key", &crossmint_key)
                                .send()
                                .await
                                .unwrap()
                                .json()
                                .await
                                .unwrap_or_default();
                            let offramp = answer["eligibility"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .find(|e| e["type"] == "offramp")
                                .and_then(|e| e["status"].as_str())
                                .unwrap_or_default()
                                .to_owned();
                            if matches!(offramp.as_str(), "verified" | "rejected" | "requires-data") {
                                break;
                            }
                            tokio::time::sleep(poll).await;
                        }
                    }
                }
                drop(permit);
            });
        }
    }
    while tasks.join_next().await.is_some() {}
    requests.load(Ordering::Relaxed)
}

/// What a child batch run printed.
#[derive(Debug, Default)]
pub struct ChildRun {
    /// Whether it was killed (`kill -9`) before it finished.
    pub killed: bool,
    /// `finished` lines seen (flows ended this run).
    pub finished: u64,
    /// The final report (`report <json>`), when it ran to the end.
    pub report: Option<Value>,
    /// Its exit status, when it exited by itself.
    pub exit_code: Option<i32>,
}

/// Runs `exe run <args>` (the `onboarding-faults` binary), reading its `finished N` lines; with
/// `kill_after`, sends SIGKILL as soon as that many flows have finished.
pub async fn run_child(
    exe: &std::path::Path,
    args: &[String],
    kill_after: Option<u64>,
) -> ChildRun {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut child = tokio::process::Command::new(exe)
        .arg("run")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the batch child starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut run = ChildRun::default();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(n) = line.strip_prefix("finished ") {
            run.finished = n.trim().parse().unwrap_or(run.finished);
            if kill_after.is_some_and(|k| run.finished >= k) {
                // SIGKILL: no destructor, no flush, no journal close.
                child.start_kill().expect("the child can be killed");
                run.killed = true;
                break;
            }
        } else if let Some(json) = line.strip_prefix("report ") {
            run.report = serde_json::from_str(json).ok();
        }
    }
    let status = child.wait().await.expect("the child is waited for");
    run.exit_code = status.code();
    run
}
