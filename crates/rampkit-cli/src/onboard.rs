//! `rampkit onboard`: customers through the providers' flows (`rampkit::onboard`), against the vendors,
//! a running simulator, or one started in this process.

use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rampkit::runtime::Environment;
use rampkit::{Customer, KycProvider, KycStatus, OnboardingOptions, PollPolicy, Provider};
use rampkit_sim::{SimConfig, Simulator};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::cli::{EnvArg, ORDER, OnboardArgs, TargetArgs};
use crate::credentials::{self, Credentials};
use crate::exit::{Code, Failure};
use crate::flows::{self, Settings, Target};
use crate::input::{self, Problem};

/// Where the requests go, once the flags and the environment are read.
pub enum Destination {
    /// A simulator started in this process (stopped at the end).
    Embedded(Box<Simulator>),
    /// A simulator already running at this URL.
    Remote(String),
    /// The vendors.
    Vendors(Environment),
}

impl Destination {
    pub fn is_simulator(&self) -> bool {
        !matches!(self, Destination::Vendors(_))
    }

    pub fn target(&self) -> Target {
        match self {
            Destination::Embedded(sim) => Target::prefixed(&sim.url()),
            Destination::Remote(url) => Target::prefixed(url),
            Destination::Vendors(environment) => Target::environment(environment.clone()),
        }
    }

    pub async fn finish(self) {
        if let Destination::Embedded(sim) = self {
            sim.shutdown().await;
        }
    }
}

/// Reads `--sim` / `--sim-url` / `--env` and the environment: where to send, with which credentials.
/// With none of the three flags, the embedded simulator when no credential is set, else the sandbox.
pub async fn destination(
    target: &TargetArgs,
    providers: &[Provider],
) -> Result<(Destination, Credentials), Failure> {
    let environment = match (target.sim, &target.sim_url, target.env) {
        (true, _, _) => None,
        (false, Some(url), _) => {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Failure::usage(
                    "--sim-url is the simulator's base URL, http://host:port",
                ));
            }
            let credentials = Credentials::from(&SimConfig::default());
            return Ok((Destination::Remote(url.clone()), credentials));
        }
        (false, None, Some(EnvArg::Sandbox)) => Some(Environment::Sandbox),
        (false, None, Some(EnvArg::Production)) => Some(Environment::Production),
        (false, None, None) if credentials::any_in_environment() => {
            eprintln!("rampkit: RAMPKIT_* credentials are set: using the vendors' sandbox");
            Some(Environment::Sandbox)
        }
        (false, None, None) => {
            eprintln!("rampkit: no credentials in the environment: using the embedded simulator");
            None
        }
    };
    match environment {
        Some(environment) => {
            let credentials = credentials::from_environment(providers).map_err(|missing| {
                Failure::usage(format!(
                    "missing credentials for {}: set {}",
                    providers
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    missing.join(", ")
                ))
            })?;
            Ok((Destination::Vendors(environment), credentials))
        }
        None => {
            let sim = Simulator::start(SimConfig::default()).await.map_err(|e| {
                Failure::internal(format!("cannot start the embedded simulator: {e}"))
            })?;
            let credentials = Credentials::from(sim.config());
            Ok((Destination::Embedded(Box::new(sim)), credentials))
        }
    }
}

/// The Kriptomat user id the simulator uses for a customer when none is given: stable (from the
/// e-mail's SHA-256), and distinct between customers. Every user id exists in the simulator.
pub fn simulator_kriptomat_user_id(customer: &Customer) -> i64 {
    let digest = Sha256::digest(customer.email().expose_str().trim().to_lowercase());
    let n = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    100_000 + i64::from(n % 900_000)
}

/// One provider's line.
#[derive(Serialize)]
struct ProviderLine {
    provider: Provider,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<rampkit::ProviderStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// One customer's result.
#[derive(Serialize)]
struct CustomerReport {
    customer: String,
    verified: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invalid: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    providers: Vec<ProviderLine>,
}

pub async fn run(args: OnboardArgs) -> Result<Code, Failure> {
    let mut providers: Vec<Provider> = Vec::new();
    for provider in &args.providers {
        let provider = Provider::from(*provider);
        if !providers.contains(&provider) {
            providers.push(provider);
        }
    }
    if providers.is_empty() {
        providers = ORDER.to_vec();
    }
    if args.concurrency == 0 {
        return Err(Failure::usage("--concurrency is at least 1"));
    }
    let entries = input::entries(&args.input)?;
    if entries.is_empty() {
        return Err(Failure::usage(format!(
            "{} holds no customer",
            args.input.display()
        )));
    }
    if entries.len() > 1 && args.flow.user_id.is_some() {
        return Err(Failure::usage(
            "--user-id names one customer: onboard one customer at a time with it, or leave it out \
             (each customer then gets its own id)",
        ));
    }
    let (destination, credentials) = destination(&args.target, &providers).await?;
    let simulator = destination.is_simulator();
    let kriptomat_default = if simulator {
        None
    } else {
        credentials::kriptomat_user_id_from_environment()
    };
    let settings = Settings::from_args(&args.flow, kriptomat_default)?;
    let one_kriptomat_user = args.flow.kriptomat_user_id.is_some() || !simulator;
    if providers.contains(&Provider::Kriptomat) && one_kriptomat_user && entries.len() > 1 {
        destination.finish().await;
        return Err(Failure::usage(
            "a Kriptomat user id belongs to one customer: onboard one customer at a time with \
             kriptomat, or leave kriptomat out (--providers)",
        ));
    }
    let poll_ms = args.poll_ms.unwrap_or(if simulator { 100 } else { 1000 });
    let options = OnboardingOptions::with_poll(PollPolicy {
        initial_interval: Duration::from_millis(poll_ms),
        max_interval: Duration::from_millis(poll_ms.saturating_mul(16).min(15_000).max(poll_ms)),
        deadline: Duration::from_secs(args.deadline_secs),
    });
    let target = destination.target();

    // CryptoPocket and Leap flows hold nothing per customer: one each (one CryptoPocket login).
    let mut shared: Vec<(Provider, Arc<dyn KycProvider>)> = Vec::new();
    if let Some(first) = entries.iter().find_map(|e| e.parsed.as_ref().ok()) {
        for provider in [Provider::CryptoPocket, Provider::Leap] {
            if providers.contains(&provider) {
                let flow = flows::build(provider, first, &target, &credentials, &settings)?;
                shared.push((provider, Arc::from(flow)));
            }
        }
    }

    let progress = if entries.len() > 1 {
        let bar = ProgressBar::new(entries.len() as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} customers, {elapsed} {msg}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };

    let limit = Arc::new(Semaphore::new(args.concurrency));
    let mut tasks = Vec::with_capacity(entries.len());
    let mut reports: Vec<Option<CustomerReport>> = Vec::with_capacity(entries.len());
    for entry in entries {
        let customer = match entry.parsed {
            Ok(customer) => customer,
            Err(problem) => {
                let invalid = match problem {
                    Problem::Invalid(errors) => errors.iter().map(ToString::to_string).collect(),
                    malformed => vec![malformed.to_string()],
                };
                reports.push(Some(CustomerReport {
                    customer: entry.label,
                    verified: false,
                    invalid,
                    providers: Vec::new(),
                }));
                progress.inc(1);
                continue;
            }
        };
        let mut flows: Vec<Arc<dyn KycProvider>> = Vec::with_capacity(providers.len());
        for provider in &providers {
            if let Some((_, flow)) = shared.iter().find(|(p, _)| p == provider) {
                flows.push(Arc::clone(flow));
                continue;
            }
            let mut settings = settings.clone();
            if simulator && settings.kriptomat_user_id.is_none() {
                settings.kriptomat_user_id = Some(simulator_kriptomat_user_id(&customer));
            }
            match flows::build(*provider, &customer, &target, &credentials, &settings) {
                Ok(flow) => flows.push(Arc::from(flow)),
                Err(failure) => {
                    destination.finish().await;
                    return Err(failure);
                }
            }
        }
        let limit = Arc::clone(&limit);
        let options = options.clone();
        let progress = progress.clone();
        let label = entry.label;
        reports.push(None);
        let index = reports.len() - 1;
        tasks.push(tokio::spawn(async move {
            let _permit = limit.acquire_owned().await;
            let borrowed: Vec<&dyn KycProvider> = flows.iter().map(|f| f.as_ref()).collect();
            let report = rampkit::onboard(&customer, &borrowed, &options).await;
            progress.inc(1);
            (index, customer_report(label, &report))
        }));
    }
    for task in tasks {
        match task.await {
            Ok((index, report)) => reports[index] = Some(report),
            Err(_) => {
                progress.finish_and_clear();
                destination.finish().await;
                return Err(Failure::internal("a customer's onboarding task failed"));
            }
        }
    }
    progress.finish_and_clear();
    destination.finish().await;

    let reports: Vec<CustomerReport> = reports.into_iter().flatten().collect();
    if args.json {
        for report in &reports {
            let line = serde_json::to_string(report)
                .map_err(|e| Failure::internal(format!("cannot write JSON: {e}")))?;
            println!("{line}");
        }
    } else {
        print_table(&reports);
    }
    let verified = reports.iter().filter(|r| r.verified).count();
    eprintln!(
        "rampkit: {verified} of {} customer{} verified with every provider",
        reports.len(),
        if reports.len() == 1 { "" } else { "s" }
    );
    Ok(if verified == reports.len() {
        Code::Ok
    } else {
        Code::No
    })
}

fn customer_report(label: String, report: &rampkit::OnboardingReport) -> CustomerReport {
    let invalid: Vec<String> = report
        .validation_errors()
        .map(|errors| errors.iter().map(ToString::to_string).collect())
        .unwrap_or_default();
    let providers: Vec<ProviderLine> = if invalid.is_empty() {
        report
            .outcomes()
            .iter()
            .map(|outcome| match &outcome.result {
                Ok(status) => ProviderLine {
                    provider: outcome.provider,
                    status: Some(status.clone()),
                    error: None,
                },
                Err(error) => ProviderLine {
                    provider: outcome.provider,
                    status: None,
                    error: Some(error.to_string()),
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    let verified = invalid.is_empty()
        && !providers.is_empty()
        && providers.iter().all(|line| {
            line.status
                .as_ref()
                .is_some_and(|s| s.overall == KycStatus::Verified)
        });
    CustomerReport {
        customer: label,
        verified,
        invalid,
        providers,
    }
}

fn print_table(reports: &[CustomerReport]) {
    let width = reports
        .iter()
        .map(|r| r.customer.chars().count())
        .max()
        .unwrap_or(0);
    for report in reports {
        let label = &report.customer;
        match report.invalid.as_slice() {
            [] => {}
            [one] => println!("{label:<width$}  {:<12}  invalid: {one}", "-"),
            all => {
                println!(
                    "{label:<width$}  {:<12}  invalid, {} problems:",
                    "-",
                    all.len()
                );
                for problem in all {
                    println!("{:<width$}  {:<12}    - {problem}", "", "");
                }
            }
        }
        for line in &report.providers {
            let provider = line.provider.as_str();
            match (&line.status, &line.error) {
                (Some(status), _) => println!("{label:<width$}  {provider:<12}  {status}"),
                (None, Some(error)) => println!("{label:<width$}  {provider:<12}  error: {error}"),
                (None, None) => println!("{label:<width$}  {provider:<12}  no outcome"),
            }
        }
    }
}
