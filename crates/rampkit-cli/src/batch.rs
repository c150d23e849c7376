//! `rampkit onboard CUSTOMERS.jsonl --journal FILE`: a resumable batch (`rampkit::batch::onboard_batch`)
//! with a SQLite journal, a progress bar per provider (rate and ETA), and a final report (a table, and
//! JSON with `--json` or `--report FILE`).

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use rampkit::Provider;
use rampkit::batch::{
    BatchCustomer, BatchEvent, BatchOptions, CrossmintBatch, CrossmintReference, FlowFactory,
    KriptomatBatch, KriptomatReference, onboard_batch, read_jsonl,
};
use rampkit::crossmint::CrossmintAuth;
use rampkit::cryptopocket::CryptoPocketAuth;
use rampkit::journal::{Journal, SqliteJournal};
use rampkit::kriptomat::KriptomatAuth;
use rampkit::kriptomat::KriptomatCredentials;
use rampkit::leap::LeapAuth;
use rampkit::onboarding::{CryptoPocketOnboarding, LeapOnboarding, PollPolicy};
use rampkit::runtime::{Context, RetryPolicy};
use rampkit::sumsub::SumsubAuth;
use rampkit::{crossmint, cryptopocket, kriptomat, leap, sumsub};

use crate::cli::{ORDER, OnboardArgs};
use crate::credentials::Credentials;
use crate::exit::{Code, Failure};
use crate::flows::{self, Target};
use crate::onboard::{destination, simulator_kriptomat_user_id};

fn client_error(provider: Provider, error: rampkit::runtime::Error) -> Failure {
    Failure::usage(format!("{provider}: {error}"))
}

/// One flow factory per provider, each over one client shared by every customer (so that a vendor's
/// rate limit is one budget for the whole batch).
fn factories(
    providers: &[Provider],
    target: &Target,
    credentials: &Credentials,
    products: Vec<crossmint::types::ProductType>,
    sumsub_client_id: &str,
) -> Result<Vec<Arc<dyn FlowFactory>>, Failure> {
    let mut out: Vec<Arc<dyn FlowFactory>> = Vec::new();
    for provider in providers {
        let provider = *provider;
        let factory: Arc<dyn FlowFactory> = match provider {
            Provider::CryptoPocket => Arc::new(CryptoPocketOnboarding::new(
                cryptopocket::Client::for_environment(
                    target.cryptopocket.clone(),
                    CryptoPocketAuth::with_credentials(
                        credentials.cryptopocket_api_key.clone(),
                        credentials.cryptopocket_api_secret.clone(),
                    ),
                )
                .map_err(|e| client_error(provider, e))?,
            )),
            Provider::Leap => Arc::new(LeapOnboarding::new(
                leap::Client::for_environment(
                    target.leap.clone(),
                    LeapAuth::new(credentials.leap_api_key.clone()),
                )
                .map_err(|e| client_error(provider, e))?,
            )),
            // The batch looks a user up before a second upsert: the client itself does not repeat it.
            Provider::Crossmint => Arc::new(CrossmintBatch::new(
                crossmint::Client::for_environment(
                    target.crossmint.clone(),
                    Context::new(CrossmintAuth::new(credentials.crossmint_api_key.clone()))
                        .with_retry(RetryPolicy::none()),
                )
                .map_err(|e| client_error(provider, e))?,
                products.clone(),
            )),
            Provider::Kriptomat => Arc::new(KriptomatBatch::new(
                kriptomat::Client::for_environment(
                    target.kriptomat.clone(),
                    KriptomatAuth::with_credentials(KriptomatCredentials {
                        email: credentials.kriptomat_email.clone().into(),
                        password: credentials.kriptomat_password.clone().into(),
                        client_id: credentials.kriptomat_client_id,
                        client_secret: credentials.kriptomat_client_secret.clone().into(),
                        totp_secret_base32: credentials.kriptomat_totp_secret_base32.clone().into(),
                    }),
                )
                .map_err(|e| client_error(provider, e))?,
                sumsub::Client::for_environment(
                    target.sumsub.clone(),
                    SumsubAuth::new(
                        credentials.sumsub_app_token.clone(),
                        credentials.sumsub_secret_key.clone(),
                    ),
                )
                .map_err(|e| client_error(provider, e))?,
                sumsub_client_id,
            )),
        };
        out.push(factory);
    }
    Ok(out)
}

/// A line on stderr, above the progress bars when they show.
fn say(multi: &MultiProgress, line: String) {
    if multi.is_hidden() {
        eprintln!("{line}");
    } else {
        let _ = multi.println(line);
    }
}

/// Customers in the file (non-blank lines), for the progress bars' length.
fn count_lines(path: &Path) -> Result<u64, Failure> {
    let file = std::fs::File::open(path)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    Ok(std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .count() as u64)
}

pub async fn run(args: OnboardArgs, journal_path: &Path) -> Result<Code, Failure> {
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
    if args.input.is_dir() {
        return Err(Failure::usage(
            "with --journal the input is one JSON Lines file (one customer per line)",
        ));
    }
    let total = count_lines(&args.input)?;
    let batch_id = args.batch_id.clone().unwrap_or_else(|| {
        args.input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "batch".to_owned())
    });
    let journal =
        SqliteJournal::open(journal_path).map_err(|e| Failure::usage(format!("--journal: {e}")))?;
    // Refuse another batch's journal before anything is sent.
    journal
        .open_batch(&batch_id)
        .map_err(|e| Failure::usage(format!("{}: {e}", journal_path.display())))?;
    let resumed = !journal
        .entries()
        .map_err(|e| Failure::internal(e.to_string()))?
        .is_empty();
    if resumed {
        eprintln!(
            "rampkit: {} holds batch `{batch_id}`: resuming",
            journal_path.display()
        );
    }

    let (destination, credentials) = destination(&args.target, &providers).await?;
    let simulator = destination.is_simulator();
    let products = flows::products(&args.flow.crossmint_products)?;
    let consent = match &args.flow.privacy_policy_accepted_at {
        Some(text) => Some(
            chrono::DateTime::parse_from_rfc3339(text)
                .map_err(|_| {
                    Failure::usage(
                        "--privacy-policy-accepted-at is not an RFC 3339 timestamp (2026-01-31T12:00:00Z)",
                    )
                })?
                .with_timezone(&Utc),
        ),
        // A simulator has no customers to protect; with the vendors a consent is never invented.
        None if simulator => Some(Utc::now()),
        None => None,
    };
    let factories = factories(
        &providers,
        &destination.target(),
        &credentials,
        products,
        &args.flow.sumsub_client_id,
    )?;

    let poll_ms = args.poll_ms.unwrap_or(if simulator { 100 } else { 1000 });
    let mut options = BatchOptions::new(batch_id);
    options.concurrency = args.concurrency;
    options.deadline = Duration::from_secs(args.deadline_secs);
    options.poll = PollPolicy {
        initial_interval: Duration::from_millis(poll_ms),
        max_interval: Duration::from_millis(poll_ms.saturating_mul(16).min(15_000).max(poll_ms)),
        deadline: Duration::from_secs(args.deadline_secs),
    };

    // Progress: one bar per provider, with rate and ETA.
    let multi = MultiProgress::new();
    let style =
        ProgressStyle::with_template("{prefix:>12} {bar:30} {pos}/{len} {per_sec} eta {eta} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    let bars: BTreeMap<Provider, ProgressBar> = providers
        .iter()
        .map(|p| {
            let bar = multi.add(ProgressBar::new(total));
            bar.set_style(style.clone());
            bar.set_prefix(p.as_str());
            (*p, bar)
        })
        .collect();
    let (events, mut received) = tokio::sync::mpsc::unbounded_channel();
    options.events = Some(events);
    let printer = {
        let (bars, multi) = (bars.clone(), multi.clone());
        tokio::spawn(async move {
            while let Some(event) = received.recv().await {
                match event {
                    BatchEvent::Finished { provider, .. } => {
                        if let Some(bar) = bars.get(&provider) {
                            bar.inc(1);
                        }
                    }
                    BatchEvent::LineRejected(error) => {
                        say(&multi, format!("rampkit: {error}"));
                    }
                    BatchEvent::CustomerInvalid(invalid) => {
                        say(
                            &multi,
                            format!(
                                "rampkit: line {} ({}): invalid, not sent: {}",
                                invalid.line,
                                invalid.reference,
                                invalid.problems.join("; ")
                            ),
                        );
                        for bar in bars.values() {
                            bar.inc(1);
                        }
                    }
                    _ => {}
                }
            }
        })
    };

    let file = std::fs::File::open(&args.input)
        .map_err(|e| Failure::usage(format!("{}: {e}", args.input.display())))?;
    let lines = read_jsonl(std::io::BufReader::new(file)).map(move |line| {
        line.map(|mut customer: BatchCustomer| {
            if simulator && customer.providers.kriptomat.is_none() {
                customer.providers.kriptomat = Some(KriptomatReference {
                    user_id: simulator_kriptomat_user_id(&customer.customer),
                });
            }
            if customer.providers.crossmint.is_none()
                && let Some(at) = consent
            {
                customer.providers.crossmint = Some(CrossmintReference {
                    privacy_policy_accepted_at: at,
                });
            }
            customer
        })
    });
    let journal: Arc<dyn Journal> = Arc::new(journal);
    let result = onboard_batch(lines, &factories, journal, options).await;
    let _ = printer.await;
    for bar in bars.values() {
        bar.finish();
    }
    destination.finish().await;
    let report = result.map_err(|e| Failure::usage(format!("{}: {e}", journal_path.display())))?;

    let json = serde_json::to_string_pretty(&report)
        .map_err(|e| Failure::internal(format!("report: {e}")))?;
    if let Some(path) = &args.report {
        std::fs::write(path, format!("{json}\n"))
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    }
    if args.json {
        println!("{json}");
    } else {
        println!("{report}");
    }
    Ok(
        if report.all_completed()
            && report.rejected_lines.is_empty()
            && report.invalid_customers.is_empty()
            && report
                .providers
                .iter()
                .all(|(_, s)| s.rejected == 0 && s.requires_data == 0)
        {
            Code::Ok
        } else {
            Code::No
        },
    )
}
