//! The one file of the CLI that names providers: the flags of their flows, how those flags become the
//! facade's settings and a customer's references, the simulator's and the recorder's credentials, and
//! each vendor API's sandbox URL. Every other file reaches a provider through `rampkit::Provider` and its
//! connector.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use clap::Args;
use rampkit::{
    CrossmintReference, Customer, KriptomatReference, Provider, ProviderReferences, crossmint,
    cryptopocket, kriptomat, leap, sumsub,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::exit::Failure;

/// Settings of the flows that are neither the customer nor a credential.
#[derive(Clone, Debug, Args)]
pub struct FlowArgs {
    /// Your platform's id for the customer: its reference in the journal and reports, and the Crossmint
    /// user locator (`userId:<id>`). Default: `rampkit-` and the first 16 hex digits of the SHA-256 of
    /// the customer's e-mail address, so that a rerun names the same customer without putting the
    /// address in URLs.
    #[arg(long, value_name = "ID")]
    pub user_id: Option<String>,
    /// When the customer accepted Crossmint's privacy policy in your UI (RFC 3339). A customer line's
    /// own `providers.crossmint.privacy_policy_accepted_at` wins. Never invented against the vendors:
    /// without one, Crossmint is not sent and readiness names the missing consent; a simulator accepts
    /// the run's time.
    #[arg(long, value_name = "RFC3339")]
    pub privacy_policy_accepted_at: Option<String>,
    /// The customer's existing Kriptomat user id (Kriptomat documents no user creation for partners).
    /// Default: RAMPKIT_KRIPTOMAT_USER_ID; with a simulator (where every user id exists), a stable id
    /// per customer from the SHA-256 of its e-mail address; `rampkit request` shows 1001.
    #[arg(long, value_name = "ID")]
    pub kriptomat_user_id: Option<i64>,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// Settings every customer of a run shares (also taken by `status`).
#[derive(Clone, Debug, Args)]
pub struct SettingsArgs {
    /// The Crossmint products the customer needs; Crossmint's status is verified when all are.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "offramp",
        value_name = "PRODUCT,…"
    )]
    pub crossmint_products: Vec<String>,
    /// Kriptomat's SumSub client id, the share token's recipient.
    #[arg(long, default_value = "KriptomatSumsub", value_name = "ID")]
    pub sumsub_client_id: String,
}

impl SettingsArgs {
    /// Each provider's run-level settings, as the connectors take them.
    pub fn settings(&self) -> BTreeMap<Provider, serde_json::Value> {
        BTreeMap::from([
            (
                Provider::Crossmint,
                json!({"products": self.crossmint_products}),
            ),
            (
                Provider::Kriptomat,
                json!({"sumsub_client_id": self.sumsub_client_id}),
            ),
        ])
    }
}

/// The Kriptomat user id a simulator uses for a customer when none is given: stable (from the e-mail's
/// SHA-256), and distinct between customers. Every user id exists in the simulator.
pub fn simulator_kriptomat_user_id(customer: &Customer) -> i64 {
    let digest = Sha256::digest(customer.email().expose_str().trim().to_lowercase());
    let n = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    100_000 + i64::from(n % 900_000)
}

/// The Kriptomat user id from `RAMPKIT_KRIPTOMAT_USER_ID`, if set and a number.
fn kriptomat_user_id_from_environment() -> Option<i64> {
    std::env::var("RAMPKIT_KRIPTOMAT_USER_ID")
        .ok()
        .and_then(|v| v.trim().parse().ok())
}

/// Where a run sends its requests, as far as the references of a customer depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// A simulator: every Kriptomat user exists, and a consent time may be the run's.
    Simulator,
    /// The recorder of `rampkit request`.
    Recorder,
    /// The vendors.
    Vendors,
}

/// The Kriptomat user id `request` shows in URLs when none is given (the recorder accepts any).
pub const SHOWN_KRIPTOMAT_USER_ID: i64 = 1001;

impl FlowArgs {
    /// The consent time of `--privacy-policy-accepted-at`, parsed.
    pub fn consent(&self) -> Result<Option<DateTime<Utc>>, Failure> {
        self.privacy_policy_accepted_at
            .as_deref()
            .map(|text| {
                DateTime::parse_from_rfc3339(text)
                    .map(|at| at.with_timezone(&Utc))
                    .map_err(|_| {
                        Failure::usage(
                            "--privacy-policy-accepted-at is not an RFC 3339 timestamp \
                             (2026-01-31T12:00:00Z)",
                        )
                    })
            })
            .transpose()
    }

    /// Whether the flags name one customer (a user id, a Kriptomat user), so that a run of several
    /// customers must refuse them; the message says which.
    pub fn single_customer_flags(
        &self,
        providers: &[Provider],
        destination: Destination,
    ) -> Option<&'static str> {
        if self.user_id.is_some() {
            return Some(
                "--user-id names one customer: onboard one customer at a time with it, or leave it \
                 out (each customer then gets its own id)",
            );
        }
        let one_kriptomat_user =
            self.kriptomat_user_id.is_some() || destination == Destination::Vendors;
        (providers.contains(&Provider::Kriptomat) && one_kriptomat_user).then_some(
            "a Kriptomat user id belongs to one customer: onboard one customer at a time with \
             kriptomat, or leave kriptomat out (--providers)",
        )
    }

    /// Why the flags cannot be used for a batch (they name one customer), if they cannot.
    pub fn batch_refusal(&self) -> Option<&'static str> {
        (self.user_id.is_some() || self.kriptomat_user_id.is_some()).then_some(
            "--user-id and --kriptomat-user-id name one customer: in a batch, each line carries its \
             own (`reference`, `providers.kriptomat.user_id`)",
        )
    }

    /// Fills what the flags (or, with a simulator, the run) give into the references a customer's line
    /// does not hold: the Kriptomat user id, and Crossmint's consent time — never invented against the
    /// vendors. `single`: the run has one customer, so flags and variables naming one customer apply.
    pub fn complete(
        &self,
        references: &mut ProviderReferences,
        customer: &Customer,
        destination: Destination,
        consent: Option<DateTime<Utc>>,
        single: bool,
    ) {
        if references.kriptomat.is_none() {
            let named = if single { self.kriptomat_user_id } else { None };
            let user_id = named.or(match destination {
                Destination::Simulator => Some(simulator_kriptomat_user_id(customer)),
                Destination::Recorder => Some(SHOWN_KRIPTOMAT_USER_ID),
                Destination::Vendors if single => kriptomat_user_id_from_environment(),
                Destination::Vendors => None,
            });
            references.kriptomat = user_id.map(|user_id| KriptomatReference { user_id });
        }
        if references.crossmint.is_none() {
            let at = consent.or(match destination {
                // A simulator or the recorder holds no legal record: the run's time stands in.
                Destination::Simulator | Destination::Recorder => Some(Utc::now()),
                Destination::Vendors => None,
            });
            references.crossmint = at.map(|at| CrossmintReference {
                privacy_policy_accepted_at: at,
            });
        }
    }
}

/// The sandbox base URL of vendor API `service` (a connector's service name), as the generated crates
/// publish it.
pub fn sandbox_url(service: &str) -> Option<&'static str> {
    Some(match service {
        "crossmint" => crossmint::SANDBOX_URL,
        "cryptopocket" => cryptopocket::SANDBOX_URL,
        "kriptomat" => kriptomat::SANDBOX_URL,
        "sumsub" => sumsub::SANDBOX_URL,
        "leap" => leap::SANDBOX_URL,
        _ => return None,
    })
}

pub const REQUEST_HELP: &str = "\
How: each provider's real flow (the facade's KycProvider, the generated clients, the runtime) runs
against a recorder on 127.0.0.1 that answers every call with a documented success, so the flow goes to
its end; the requests it received are printed, with URLs and Host on the provider's sandbox base URL.
Placeholder credentials are used and always masked ([credential]).

Personal data: without --reveal every string and number holding a personal value of the customer
(names, birth date, e-mail, phone, address, coordinates, document number and expiry, SumSub applicant
id, verification times, company name and registration number — also when a provider reformats it: other date layouts, the
phone without its country code, inside a longer string) is printed as `[redacted]`. Codes (countries,
language, gender, document type, due-diligence enums) stay visible: they are the request's shape.
Without --full every base64 image is cut to its first 24 characters and its length.

Exit codes: 0 printed; 1 the customer is invalid or malformed (nothing is run), or a provider's flow
stops before a request because that provider does not take this customer (\"the flow stops here\"); 2 bad
arguments or an unreadable file; 3 the recorder could not start or a flow failed.";

pub const STATUS_HELP: &str = "\
The id is the provider's: crossmint a user locator (userId:<id>, email:<address>, …); cryptopocket the
customer id; kriptomat the user id; leap the registered phone number (E.164: its country is read
from the number) or e-mail address. Credentials as for `onboard` (see `rampkit onboard --help`); --sim-url for a running
simulator.

Exit codes: 0 verified; 1 not verified (for Crossmint: any product listed is not verified, or the
products of --crossmint-products are not); 2 bad arguments or missing credentials; 3 the call failed.";

pub const WEBHOOK_HELP: &str = "\
Headers each scheme needs: crossmint (Svix) svix-id, svix-timestamp, svix-signature, secret whsec_…;
cryptopocket X-Signature, X-Timestamp, secret = the API secret; leap x-raas-signature, secret = the
tenant's sharedSecret; kriptomat signs nothing (the body is only decoded; --secret-env is not needed).

Exit codes: 0 the signature verifies and the body decodes; 1 it does not (the reason is printed);
2 bad arguments, a malformed --header, the secret's variable unset.";

const ONBOARD_HELP_HEAD: &str = "\
Where to: --sim starts the embedded simulator in this process; --sim-url uses a simulator already
running (`rampkit sim`), so its state outlives a run; --env sandbox|production uses the vendors, with
the credentials below (the missing ones are named). With none of the three, the embedded simulator is
used when no RAMPKIT_* credential is set, and the sandbox otherwise.

Output: one line per customer and provider with the final status (for Crossmint, the status of the
products needed and of every product listed), customers named by file and line, never by a personal
value; --json prints one JSON object per customer instead. A progress bar (stderr) shows for more
than one customer.

";

const ONBOARD_HELP_TAIL: &str = "\
Batches (--journal FILE): every customer × provider × step is journaled (no personal data: your
reference, the provider, the step, timestamps, outcomes), each registration's intent before it is sent;
killed at any point, the same command resumes without sending a registration twice. A line is
{\"reference\": \"<your id>\", \"customer\": {…}, \"providers\": {\"kriptomat\": {\"user_id\": N}, \"crossmint\":
{\"privacy_policy_accepted_at\": \"<RFC 3339>\"}}} or a bare customer (its reference is then derived from
its e-mail's SHA-256). Without a Kriptomat user id the simulator's stable id is used; with the vendors,
a line without one is not sent to Kriptomat. --concurrency counts flows per provider. Progress: one bar
per provider (rate, ETA) on stderr, or a line every --progress-secs when stderr is not a terminal; then the report table (--json: the JSON report; --report FILE: also
to a file). `rampkit journal show|export FILE` prints the journal.

Exit codes: 0 every customer ended verified with every provider; 1 a customer is invalid or malformed
or did not end verified (rejected, requires data, timeout, error); 2 bad arguments, an unreadable file,
missing credentials; 3 the simulator could not start; 130 a batch stopped by Ctrl-C or SIGTERM (the flows
in progress finish, the partial report is printed; the same command resumes; a second Ctrl-C stops at
once).";

/// `rampkit onboard --help`'s long text, with each provider's credential variables from its connector.
pub fn onboard_help() -> String {
    let mut help = ONBOARD_HELP_HEAD.to_owned();
    help.push_str("Credentials (read from the environment, never from arguments):\n");
    for provider in Provider::ALL {
        let variables: Vec<String> = provider
            .connector()
            .credentials()
            .iter()
            .map(|spec| spec.variable())
            .collect();
        help.push_str(&format!(
            "  {:<13} {}\n",
            provider.as_str(),
            variables.join(", ")
        ));
    }
    help.push_str(
        "  (and for kriptomat, RAMPKIT_KRIPTOMAT_USER_ID: the customer's existing Kriptomat user id)\n\n",
    );
    help.push_str(ONBOARD_HELP_TAIL);
    help
}
