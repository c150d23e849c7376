//! `rampkit request`: the exact HTTP requests each provider's flow sends for a customer.

use std::fmt::Write as _;
use std::time::Duration;

use rampkit::{
    Customer, OnboardingOptions, PollPolicy, Provider, ValidationContext, crossmint, cryptopocket,
    kriptomat, leap, sumsub,
};

use crate::cli::RequestArgs;
use crate::credentials;
use crate::exit::{Code, Failure};
use crate::flows::{self, Settings, Target};
use crate::input;
use crate::ordered::Json;
use crate::record::{Recorded, Recorder};
use crate::redact::Redactor;

/// The Kriptomat user id `request` shows in URLs when none is given (the recorder accepts any).
pub const SHOWN_KRIPTOMAT_USER_ID: i64 = 1001;

/// Each vendor's sandbox base URL, by the recorder's path prefix: printed URLs are on these.
fn sandbox_url(vendor: &str) -> Option<&'static str> {
    Some(match vendor {
        "crossmint" => crossmint::SANDBOX_URL,
        "cryptopocket" => cryptopocket::SANDBOX_URL,
        "kriptomat" => kriptomat::SANDBOX_URL,
        "sumsub" => sumsub::SANDBOX_URL,
        "leap" => leap::SANDBOX_URL,
        _ => return None,
    })
}

pub async fn run(args: RequestArgs) -> Result<Code, Failure> {
    let bytes = input::read(&args.file)?;
    let label = args.file.display().to_string();
    let customer = match input::parse(&bytes, 1) {
        Ok(customer) => customer,
        Err(problem) => {
            println!("{label}: invalid: {problem}");
            return Ok(Code::No);
        }
    };
    let providers = args.provider.providers();
    let context = ValidationContext::current().for_providers(providers.iter().copied());
    if let Err(errors) = customer.validate_with(&context) {
        println!("{label}: {errors}");
        return Ok(Code::No);
    }
    let settings = Settings::from_args(&args.flow, Some(SHOWN_KRIPTOMAT_USER_ID))?;
    let recorder = Recorder::start()
        .await
        .map_err(|e| Failure::internal(format!("cannot start the loopback recorder: {e}")))?;
    let credentials = credentials::placeholders();
    let redactor = Redactor::new(&customer, &credentials.secrets(), args.reveal, args.full);
    let target = Target::prefixed(recorder.url());
    let mut code = Code::Ok;
    let mut out = String::new();
    for provider in providers {
        let (requests, ended) = record_flow(
            provider,
            &customer,
            &target,
            &credentials,
            &settings,
            &recorder,
        )
        .await?;
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
    recorder.stop();
    print!("{out}");
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
    customer: &Customer,
    target: &Target,
    credentials: &credentials::Credentials,
    settings: &Settings,
    recorder: &Recorder,
) -> Result<(Vec<Recorded>, Result<(), Ended>), Failure> {
    let flow = flows::build(provider, customer, target, credentials, settings)?;
    let options = OnboardingOptions::with_poll(PollPolicy {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
        deadline: Duration::from_secs(5),
    });
    let report = rampkit::onboard(customer, &[flow.as_ref()], &options).await;
    let ended = match report.outcomes().first().map(|o| &o.result) {
        Some(Ok(_)) => Ok(()),
        Some(Err(error @ rampkit::OnboardingError::Conversion(_))) => {
            Err(Ended::Refused(error.to_string()))
        }
        Some(Err(error)) => Err(Ended::Failed(error.to_string())),
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
