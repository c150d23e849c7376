//! `rampkit onboard` without `--journal`: customers through the providers' flows on the same engine as a
//! journaled batch (`rampkit::batch::Onboarder`), over a journal in this process's memory
//! (`rampkit::MemoryJournal`), against the vendors, a running simulator, or one started in this process.

use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rampkit::batch::{BatchOptions, FlowOutcome, Onboarder};
use rampkit::{KycStatus, MemoryJournal, PollPolicy, Provider};
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::cli::{OnboardArgs, providers_or_all};
use crate::exit::{Code, Failure};
use crate::input::{self, Problem};
use crate::out::outln;
use crate::target;

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

/// How the engine runs `onboard`, journaled or not: the flags' concurrency, deadline and claim lease,
/// and status polls that are fast against a simulator.
pub fn engine_options(args: &OnboardArgs, batch_id: String, simulator: bool) -> BatchOptions {
    let poll_ms = args.poll_ms.unwrap_or(if simulator { 100 } else { 1000 });
    let mut options = BatchOptions::new(batch_id);
    options.concurrency = args.concurrency;
    options.deadline = Duration::from_secs(args.deadline_secs);
    options.claim_lease = Duration::from_secs(args.claim_lease_secs.max(1));
    options.poll = PollPolicy {
        initial_interval: Duration::from_millis(poll_ms),
        max_interval: Duration::from_millis(poll_ms.saturating_mul(16).min(15_000).max(poll_ms)),
        deadline: Duration::from_secs(args.deadline_secs),
    };
    options
}

pub async fn run(args: OnboardArgs) -> Result<Code, Failure> {
    let providers = providers_or_all(&args.providers);
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
    let consent = args.flow.consent()?;
    let (destination, credentials) = target::destination(&args.target, &providers).await?;
    if entries.len() > 1
        && let Some(problem) = args
            .flow
            .single_customer_flags(&providers, destination.kind())
    {
        destination.finish().await;
        return Err(Failure::usage(problem));
    }
    let single = entries.len() == 1;
    let mut setup = target::setup(&destination, credentials, &args.flow.settings);
    if let Some(path) = &args.kyb_forms {
        setup.hosted_forms = Some(crate::forms::sink(path)?);
    }
    let factories = match target::factories(&providers, &setup) {
        Ok(factories) => factories,
        Err(failure) => {
            destination.finish().await;
            return Err(failure);
        }
    };
    // One engine for every path of the CLI: the journal is this process's memory (claims, intents and
    // reconciliation within this run; `--journal` keeps them across runs and replicas).
    let options = engine_options(
        &args,
        "rampkit-onboard".to_owned(),
        destination.is_simulator(),
    );
    let engine = match Onboarder::new(factories, Arc::new(MemoryJournal::new()), options) {
        Ok(engine) => Arc::new(engine),
        Err(error) => {
            destination.finish().await;
            return Err(Failure::usage(error.to_string()));
        }
    };

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
        let mut line = match entry.parsed {
            Ok(line) => line,
            Err(problem) => {
                let invalid = match problem {
                    Problem::Invalid(errors) => errors.iter().map(ToString::to_string).collect(),
                    other => vec![other.to_string()],
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
        if let Some(id) = &args.flow.user_id {
            line.reference = id.clone();
        }
        args.flow.complete(
            &mut line.providers,
            &line.customer,
            destination.kind(),
            consent,
            single,
        );
        let limit = Arc::clone(&limit);
        let engine = Arc::clone(&engine);
        let progress = progress.clone();
        let label = entry.label;
        reports.push(None);
        let index = reports.len() - 1;
        tasks.push(tokio::spawn(async move {
            let _permit = limit.acquire_owned().await;
            let report = engine.onboard(&line).await;
            progress.inc(1);
            (index, customer_report(label, report))
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
            outln!("{line}");
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

fn customer_report(label: String, report: rampkit::batch::CustomerReport) -> CustomerReport {
    let invalid = report.problems;
    let providers: Vec<ProviderLine> = if invalid.is_empty() {
        report
            .outcomes
            .into_iter()
            .map(|(provider, outcome)| match outcome {
                FlowOutcome::Completed { status } => ProviderLine {
                    provider,
                    status: Some(status),
                    error: None,
                },
                FlowOutcome::Failed { message, .. } => ProviderLine {
                    provider,
                    status: None,
                    error: Some(message),
                },
                FlowOutcome::NotSent { reason } => ProviderLine {
                    provider,
                    status: None,
                    error: Some(reason),
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
            [one] => outln!("{label:<width$}  {:<12}  invalid: {one}", "-"),
            all => {
                outln!(
                    "{label:<width$}  {:<12}  invalid, {} problems:",
                    "-",
                    all.len()
                );
                for problem in all {
                    outln!("{:<width$}  {:<12}    - {problem}", "", "");
                }
            }
        }
        for line in &report.providers {
            let provider = line.provider.as_str();
            match (&line.status, &line.error) {
                (Some(status), _) => outln!("{label:<width$}  {provider:<12}  {status}"),
                (None, Some(error)) => outln!("{label:<width$}  {provider:<12}  error: {error}"),
                (None, None) => outln!("{label:<width$}  {provider:<12}  no outcome"),
            }
        }
    }
}
