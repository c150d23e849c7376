//! `rampkit validate`: every problem of every customer, each with its field, and whether each provider's
//! flow would send it (readiness): "valid" is printed only for a customer every provider asked for
//! would take.

use std::collections::BTreeMap;

use rampkit::{Provider, Readiness, ValidationContext, readiness};
use serde::Serialize;

use crate::cli::{ValidateArgs, providers_or_all};
use crate::exit::{Code, Failure};
use crate::input::{self, Problem};
use crate::out::outln;
use crate::providers::Destination;

/// One customer's verdict, as `--json` prints it.
#[derive(Serialize)]
struct Verdict<'a> {
    customer: &'a str,
    valid: bool,
    problems: Vec<String>,
    providers: BTreeMap<Provider, Readiness>,
}

pub fn run(args: ValidateArgs) -> Result<Code, Failure> {
    let providers = providers_or_all(&args.providers);
    let context = ValidationContext::current().for_providers(providers.iter().copied());
    let consent = args.flow.consent()?;
    let entries: Vec<input::Entry> = args
        .files
        .iter()
        .map(|file| input::entries_of_file(file, Some(&context)))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    let single = entries.len() == 1;
    let mut code = Code::Ok;
    for entry in entries {
        let (problems, ready) = match entry.parsed {
            Ok(mut line) => {
                // As against the vendors: references come from the line or the flags, never invented.
                args.flow.complete(
                    &mut line.providers,
                    &line.customer,
                    Destination::Vendors,
                    consent,
                    single,
                );
                let mut ready = readiness(&line.customer, &line.providers, &providers);
                // As `onboard` would run: a hosted form answered once needs somewhere to go.
                if args.kyb_forms.is_none() {
                    for (provider, readiness) in ready.iter_mut() {
                        if readiness.ready && provider.connector().needs_hosted_form(&line.customer)
                        {
                            readiness.ready = false;
                            readiness.missing.push("--kyb-forms".to_owned());
                        }
                    }
                }
                (Vec::new(), ready)
            }
            Err(Problem::Invalid(errors)) => (
                errors.iter().map(ToString::to_string).collect(),
                BTreeMap::new(),
            ),
            Err(other) => (vec![other.to_string()], BTreeMap::new()),
        };
        let valid = problems.is_empty();
        if !valid || ready.values().any(|r| !r.ready) {
            code = Code::No;
        }
        if args.json {
            let verdict = Verdict {
                customer: &entry.label,
                valid,
                problems,
                providers: ready,
            };
            let json = serde_json::to_string(&verdict)
                .map_err(|e| Failure::internal(format!("cannot write JSON: {e}")))?;
            outln!("{json}");
            continue;
        }
        print_verdict(&entry.label, &problems, &ready);
    }
    Ok(code)
}

fn print_verdict(label: &str, problems: &[String], ready: &BTreeMap<Provider, Readiness>) {
    match problems {
        [] => {}
        [one] => return outln!("{label}: invalid: {one}"),
        all => {
            outln!("{label}: invalid, {} problems:", all.len());
            for problem in all {
                outln!("  - {problem}");
            }
            return;
        }
    }
    let not_ready: Vec<(&Provider, &Readiness)> = ready.iter().filter(|(_, r)| !r.ready).collect();
    if not_ready.is_empty() {
        return outln!("{label}: valid");
    }
    outln!(
        "{label}: valid as a customer, but not ready for {} of {} providers:",
        not_ready.len(),
        ready.len()
    );
    for (provider, readiness) in not_ready {
        outln!("  - {provider}: {readiness}");
    }
}
