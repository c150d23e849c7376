//! `rampkit webhook verify`: a delivery's signature checked with `rampkit-webhooks`, then decoded.

use std::io::Read;
use std::time::SystemTime;

use rampkit_webhooks::SecretString;
use rampkit_webhooks::http::{HeaderMap, HeaderName, HeaderValue};

use crate::cli::{WebhookCommand, WebhookVerifyArgs};
use crate::exit::{Code, Failure};
use crate::out::outln;

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

fn secret(variable: Option<&str>, provider: rampkit::Provider) -> Result<SecretString, Failure> {
    let variable = variable.ok_or_else(|| {
        Failure::usage(format!(
            "{provider} signs its webhooks: name the variable holding the secret with --secret-env"
        ))
    })?;
    std::env::var(variable)
        .ok()
        .filter(|v| !v.is_empty())
        .map(SecretString::from)
        .ok_or_else(|| Failure::usage(format!("the variable {variable} (--secret-env) is not set")))
}

fn verify(args: WebhookVerifyArgs) -> Result<Code, Failure> {
    let provider = args.provider;
    let headers = headers(&args.headers)?;
    let signed = rampkit_webhooks::is_signed(provider.as_str()).ok_or_else(|| {
        Failure::usage(format!(
            "{provider}: rampkit-webhooks knows no webhooks of it"
        ))
    })?;
    let secret = if signed {
        secret(args.secret_env.as_deref(), provider)?
    } else {
        SecretString::from(String::new())
    };
    let mut body = Vec::new();
    std::io::stdin()
        .read_to_end(&mut body)
        .map_err(|e| Failure::usage(format!("cannot read the body from stdin: {}", e.kind())))?;
    let checked = rampkit_webhooks::check(
        provider.as_str(),
        &body,
        &headers,
        &secret,
        SystemTime::now(),
    )
    .ok_or_else(|| Failure::usage(format!("{provider}: no webhooks known")))?;
    if let Err(rampkit_webhooks::WebhookError::InvalidSecret { reason }) = &checked.signature {
        return Err(Failure::usage(format!(
            "the secret in {} is not usable: {reason}",
            args.secret_env.as_deref().unwrap_or_default()
        )));
    }
    match (checked.signed, checked.signature, checked.event_type) {
        (false, _, Ok(event)) => {
            outln!("decoded ({provider} signs nothing, so nothing was verified): {event}");
            Ok(Code::Ok)
        }
        (false, _, Err(error)) => {
            outln!("not decoded ({provider} signs nothing): {error}");
            Ok(Code::No)
        }
        (true, Ok(()), Ok(event)) => {
            outln!("verified: {event}");
            Ok(Code::Ok)
        }
        (true, Ok(()), Err(error)) => {
            outln!("signature verified, but the body does not decode: {error}");
            Ok(Code::No)
        }
        (true, Err(error), _) => {
            outln!("not verified: {error}");
            Ok(Code::No)
        }
    }
}
