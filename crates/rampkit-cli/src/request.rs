//! `rampkit request`: the exact HTTP requests each provider's flow sends for a customer.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use rampkit::batch::{BatchCustomer, BatchOptions, FlowOutcome, Onboarder};
use rampkit::{MemoryJournal, PollPolicy, Provider, Setup, ValidationContext};

use crate::cli::{RequestArgs, providers_or_all};
use crate::exit::{Code, Failure};
use crate::input;
use crate::ordered::Json;
use crate::out::{out, outln};
use crate::providers::{self, sandbox_url};
use crate::record::{Recorded, Recorder};
use crate::redact::Redactor;
use crate::target::{self, Destination};

pub async fn run(args: RequestArgs) -> Result<Code, Failure> {
    let bytes = input::read(&args.file)?;
    let label = args.file.display().to_string();
    let mut line = match input::parse(&bytes, 1, None) {
        Ok(line) => line,
        Err(problem) => {
            outln!("{label}: invalid: {problem}");
            return Ok(Code::No);
        }
    };
    let providers = providers_or_all(args.provider.0.as_slice());
    let context = ValidationContext::current().for_providers(providers.iter().copied());
    if let Err(errors) = line.customer.validate_with(&context) {
        outln!("{label}: {errors}");
        return Ok(Code::No);
    }
    if let Some(id) = &args.flow.user_id {
        line.reference = id.clone();
    }
    let consent = args.flow.consent()?;
    args.flow.complete(
        &mut line.providers,
        &line.customer,
        providers::Destination::Recorder,
        consent,
        true,
    );
    let recorder = Recorder::start()
        .await
        .map_err(|e| Failure::internal(format!("cannot start the loopback recorder: {e}")))?;
    let credentials = recorder.credentials();
    // Every credential value is masked wherever it appears; a short one (the Kriptomat client id, a
    // number that is no secret) would mask unrelated digits.
    let secrets: Vec<String> = credentials
        .values()
        .map(|s| secrecy::ExposeSecret::expose_secret(s).to_owned())
        .filter(|value| value.len() >= 8)
        .collect();
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let redactor = Redactor::new(&line.customer, &secrets, args.reveal, args.full);
    let destination = Destination::Recorder(recorder.url().to_owned());
    let mut setup = target::setup(&destination, credentials, &args.flow.settings);
    // The recorder's answers are canned: a hosted form it "answers" is no one's, and is dropped.
    setup.hosted_forms = Some(rampkit::HostedForms::new(|_| {}));
    let mut code = Code::Ok;
    let mut out = String::new();
    for provider in providers {
        let (requests, ended) = record_flow(provider, &line, &setup, &recorder).await?;
        print_provider(&mut out, provider, &requests, &redactor, recorder.url());
        match ended {
            Ok(()) => {}
            Err(Ended::Refused(why)) => {
                let _ = writeln!(out, "(the flow stops here: {why})\n");
                code = code.max_with(Code::No);
            }
            Err(Ended::Failed(why)) => {
                let _ = writeln!(out, "(the flow failed: {why})\n");
                code = Code::Failure;
            }
        }
    }
    recorder.stop().await;
    out!("{out}");
    Ok(code)
}

/// Why a flow ended before its last request.
enum Ended {
    /// The customer cannot be turned into the provider's request: the provider does not take it.
    Refused(String),
    /// Anything else (the recorder answers every call, so this is a bug).
    Failed(String),
}

/// Runs `provider`'s flow against the recorder; the requests it sent, and how it ended.
async fn record_flow(
    provider: Provider,
    line: &BatchCustomer,
    setup: &Setup,
    recorder: &Recorder,
) -> Result<(Vec<Recorded>, Result<(), Ended>), Failure> {
    let factories = target::factories(&[provider], setup)?;
    // The CLI's one engine (as `onboard`), over a journal in memory: the requests are the ones a run
    // of `rampkit onboard` sends.
    let mut options = BatchOptions::new("rampkit-request");
    options.deadline = Duration::from_secs(5);
    options.poll = PollPolicy {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
        deadline: Duration::from_secs(5),
    };
    let engine = Onboarder::new(factories, Arc::new(MemoryJournal::new()), options)
        .map_err(|e| Failure::internal(e.to_string()))?;
    let report = engine.onboard(line).await;
    let ended = match report
        .outcomes
        .into_iter()
        .next()
        .map(|(_, outcome)| outcome)
    {
        Some(FlowOutcome::Completed { .. }) => Ok(()),
        Some(FlowOutcome::NotSent { reason }) => Err(Ended::Refused(reason)),
        Some(FlowOutcome::Failed { kind, message, .. }) if kind == "conversion" => {
            Err(Ended::Refused(message))
        }
        Some(FlowOutcome::Failed { message, .. }) => Err(Ended::Failed(message)),
        None => Err(Ended::Failed("no outcome".to_owned())),
    };
    Ok((recorder.take(), ended))
}

fn print_provider(
    out: &mut String,
    provider: Provider,
    requests: &[Recorded],
    redactor: &Redactor,
    recorder_url: &str,
) {
    let count = requests.len();
    let plural = if count == 1 { "" } else { "s" };
    let _ = writeln!(
        out,
        "# {provider}: {count} request{plural}, in flow order\n"
    );
    for (index, request) in requests.iter().enumerate() {
        print_request(out, index + 1, count, request, redactor, recorder_url);
    }
}

fn print_request(
    out: &mut String,
    number: usize,
    count: usize,
    request: &Recorded,
    redactor: &Redactor,
    recorder_url: &str,
) {
    // `/<vendor>/<path>` on the recorder is `<vendor's sandbox base URL>/<path>`.
    let trimmed = request.target.trim_start_matches('/');
    let (vendor, rest) = trimmed.split_once('/').unwrap_or((trimmed, ""));
    let (base, host) = match sandbox_url(vendor) {
        Some(url) => {
            let host = url
                .split("://")
                .nth(1)
                .and_then(|h| h.split('/').next())
                .unwrap_or(url);
            (url.to_owned(), host.to_owned())
        }
        None => (recorder_url.to_owned(), String::new()),
    };
    let shown_target = redactor.target(&format!("/{rest}"));
    let _ = writeln!(
        out,
        "## {number}/{count} {} {base}{shown_target}",
        request.method
    );
    let mut content_type = String::new();
    for (name, value) in &request.headers {
        if name == "host" {
            let _ = writeln!(out, "host: {host}");
            continue;
        }
        if name == "content-type" {
            content_type = value.clone();
        }
        let _ = writeln!(out, "{name}: {}", redactor.header(name, value));
    }
    if !request.body.is_empty() {
        out.push('\n');
        let parsed = content_type
            .contains("json")
            .then(|| serde_json::from_slice::<Json>(&request.body).ok())
            .flatten();
        match parsed {
            Some(mut body) => {
                redactor.json(&mut body);
                let text = serde_json::to_string_pretty(&body)
                    .unwrap_or_else(|_| "[unprintable JSON]".to_owned());
                out.push_str(&text);
                out.push('\n');
            }
            None => {
                let _ = writeln!(out, "{}", redactor.opaque(&request.body, &content_type));
            }
        }
    }
    out.push('\n');
}
