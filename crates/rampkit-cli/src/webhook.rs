//! `rampkit webhook verify`: a delivery's signature checked with `rampkit-webhooks`, then decoded.

use std::io::Read;
use std::time::SystemTime;

use rampkit_webhooks::http::{HeaderMap, HeaderName, HeaderValue};
use rampkit_webhooks::{SecretString, SvixSecret, WebhookError};

use crate::cli::{ProviderArg, WebhookCommand, WebhookVerifyArgs};
use crate::exit::{Code, Failure};

pub fn run(command: WebhookCommand) -> Result<Code, Failure> {
    match command {
        WebhookCommand::Verify(args) => verify(args),
    }
}

/// `name: value` flags as a header map; a malformed one is a usage error naming its position only.
fn headers(flags: &[String]) -> Result<HeaderMap, Failure> {
    let mut map = HeaderMap::new();
    for (index, flag) in flags.iter().enumerate() {
        let malformed = || {
            Failure::usage(format!(
                "--header number {} is not `name: value` with a valid header name and value",
                index + 1
            ))
        };
        let (name, value) = flag.split_once(':').ok_or_else(malformed)?;
        let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| malformed())?;
        let value = HeaderValue::from_str(value.trim()).map_err(|_| malformed())?;
        map.append(name, value);
    }
    Ok(map)
}

fn secret(variable: Option<&str>, provider: ProviderArg) -> Result<String, Failure> {
    let variable = variable.ok_or_else(|| {
        Failure::usage(format!(
            "{} signs its webhooks: name the variable holding the secret with --secret-env",
            rampkit::Provider::from(provider)
        ))
    })?;
    std::env::var(variable)
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| Failure::usage(format!("the variable {variable} (--secret-env) is not set")))
}

fn verify(args: WebhookVerifyArgs) -> Result<Code, Failure> {
    let headers = headers(&args.headers)?;
    let mut body = Vec::new();
    std::io::stdin()
        .read_to_end(&mut body)
        .map_err(|e| Failure::usage(format!("cannot read the body from stdin: {}", e.kind())))?;
    let now = SystemTime::now();
    let variable = args.secret_env.as_deref();
    let result: Result<String, WebhookError> = match args.provider {
        ProviderArg::Crossmint => {
            let secret = secret(variable, args.provider)?;
            SvixSecret::new(&secret)
                .and_then(|secret| {
                    rampkit_webhooks::crossmint::verify(&body, &headers, &secret, now)
                })
                .map(|event| event.event_type().to_owned())
        }
        ProviderArg::Cryptopocket => {
            let secret = SecretString::from(secret(variable, args.provider)?);
            rampkit_webhooks::cryptopocket::verify(&body, &headers, &secret, now)
                .map(|event| event.event_type().to_owned())
        }
        ProviderArg::Leap => {
            let secret = SecretString::from(secret(variable, args.provider)?);
            rampkit_webhooks::leap::verify(&body, &headers, &secret)
                .map(|event| event.event_type().to_owned())
        }
        ProviderArg::Kriptomat => {
            // Kriptomat documents no signature: the body is decoded, nothing is verified.
            rampkit_webhooks::kriptomat::decode(&body).map(|event| event.event_type().to_owned())
        }
    };
    match result {
        Ok(event) if args.provider == ProviderArg::Kriptomat => {
            println!("decoded (kriptomat signs nothing, so nothing was verified): {event}");
            Ok(Code::Ok)
        }
        Ok(event) => {
            println!("verified: {event}");
            Ok(Code::Ok)
        }
        Err(error) => {
            println!("not verified: {error}");
            Ok(Code::No)
        }
    }
}
