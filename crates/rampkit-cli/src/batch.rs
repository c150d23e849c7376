//! `rampkit onboard CUSTOMERS.jsonl|CUSTOMER.json|DIR --journal FILE`: a resumable batch
//! (`rampkit::batch::onboard_batch`, on the `Onboarder` engine)
//! with a journal (a SQLite file, or PostgreSQL by URL), a progress bar per provider (rate and ETA), and a final report (a table, and
//! JSON with `--json` or `--report FILE`).

use std::io::BufRead;
use std::path::Path;
use std::time::Duration;

use rampkit::batch::{BatchCustomer, BatchEvent, LineError, onboard_batch, read_jsonl};

use crate::cli::{OnboardArgs, providers_or_all};
use crate::exit::{Code, Failure};
use crate::input;
use crate::journal;
use crate::onboard::engine_options;
use crate::out::outln;
use crate::progress::Progress;
use crate::stop::Stop;
use crate::target;

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
    let providers = providers_or_all(&args.providers);
    if args.concurrency == 0 {
        return Err(Failure::usage("--concurrency is at least 1"));
    }
    // JSON Lines are read as the batch goes (any size); a customer file (pretty-printed or not) or a
    // directory of them is read first.
    let documents = if input::is_jsonl(&args.input) {
        None
    } else {
        Some(
            input::entries(&args.input)?
                .into_iter()
                .enumerate()
                .map(|(index, entry)| {
                    entry.parsed.map_err(|problem| LineError {
                        line: index + 1,
                        problem: format!("{}: {problem}", entry.label),
                    })
                })
                .collect::<Vec<_>>(),
        )
    };
    let total = match &documents {
        Some(documents) => documents.len() as u64,
        None => count_lines(&args.input)?,
    };
    let batch_id = args.batch_id.clone().unwrap_or_else(|| {
        args.input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "batch".to_owned())
    });
    // A URL's password never reaches a message: the journal is named by its label.
    let store = journal::open_store(journal_path)?;
    let (journal, journal_label) = (store.journal, store.label);
    // Refuse another batch's journal before anything is sent.
    journal
        .open_batch(&batch_id)
        .map_err(|e| Failure::usage(format!("{}: {e}", journal_label)))?;
    let resumed = !journal
        .entries()
        .map_err(|e| Failure::internal(e.to_string()))?
        .is_empty();
    if resumed {
        eprintln!(
            "rampkit: {} holds batch `{batch_id}`: resuming",
            journal_label
        );
    }

    let consent = args.flow.consent()?;
    if let Some(refusal) = args.flow.batch_refusal() {
        return Err(Failure::usage(refusal));
    }
    let (destination, credentials) = target::destination(&args.target, &providers).await?;
    let kind = destination.kind();
    let mut setup = target::setup(&destination, credentials, &args.flow.settings);
    if let Some(path) = &args.kyb_forms {
        setup.hosted_forms = Some(crate::forms::sink(path)?);
    }
    // With a PostgreSQL journal, every run over it draws from one rate budget per vendor.
    setup.rate_budget = store.rate_budget;
    let factories = match target::factories(&providers, &setup) {
        Ok(factories) => factories,
        Err(failure) => {
            destination.finish().await;
            return Err(failure);
        }
    };

    let mut options = engine_options(&args, batch_id, destination.is_simulator());

    // Progress: one bar per provider, with rate and ETA (a line per interval without a terminal).
    let progress = Progress::new(
        &providers,
        total,
        Duration::from_secs(args.progress_secs.max(1)),
    );
    let stop = Stop::default();
    {
        let progress = progress.clone();
        stop.watch(move |line| progress.say(line));
    }
    let (events, mut received) = tokio::sync::mpsc::unbounded_channel();
    options.events = Some(events);
    let printer = {
        let progress = progress.clone();
        tokio::spawn(async move {
            while let Some(event) = received.recv().await {
                match event {
                    BatchEvent::Finished { provider, .. } => progress.finished(provider),
                    BatchEvent::LineRejected(error) => progress.say(format!("rampkit: {error}")),
                    BatchEvent::CustomerInvalid(invalid) => {
                        progress.say(format!(
                            "rampkit: line {} ({}): invalid, not sent: {}",
                            invalid.line,
                            invalid.reference,
                            invalid.problems.join("; ")
                        ));
                        progress.skipped();
                    }
                    _ => {}
                }
            }
        })
    };

    let lines: Box<dyn Iterator<Item = Result<BatchCustomer, LineError>> + Send> = match documents {
        Some(documents) => Box::new(documents.into_iter()),
        None => {
            let file = std::fs::File::open(&args.input)
                .map_err(|e| Failure::usage(format!("{}: {e}", args.input.display())))?;
            Box::new(read_jsonl(std::io::BufReader::new(file)))
        }
    };
    let flow = args.flow.clone();
    let lines = lines.map(move |line| {
        line.map(|mut customer: BatchCustomer| {
            flow.complete(
                &mut customer.providers,
                &customer.customer,
                kind,
                consent,
                false,
            );
            customer
        })
    });
    // After a stop, no customer is read and no queued flow starts; the flows in progress finish.
    options.stop = Some(stop.flag());
    let result = onboard_batch(lines, &factories, journal, options).await;
    let _ = printer.await;
    progress.finish();
    destination.finish().await;
    let report = result.map_err(|e| Failure::usage(format!("{}: {e}", journal_label)))?;

    let json = serde_json::to_string_pretty(&report)
        .map_err(|e| Failure::internal(format!("report: {e}")))?;
    if let Some(path) = &args.report {
        std::fs::write(path, format!("{json}\n"))
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    }
    if args.json {
        outln!("{json}");
    } else {
        outln!("{report}");
    }
    if stop.asked() {
        let left: u64 = report
            .providers
            .iter()
            .filter_map(|(_, s)| s.failed.get("stopped"))
            .sum();
        eprintln!(
            "rampkit: stopped before the end ({left} flows not started, and the customers not read): run \
             the same command (same --journal) to resume"
        );
        return Ok(Code::Interrupted);
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
