//! The command line, with clap derive.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rampkit::Provider;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  every customer valid / verified; the signature verified; the simulator stopped cleanly
  1  a customer is invalid or malformed JSON, a customer did not end verified with every provider,
     the status is not verified, or the webhook signature does not verify
  2  bad arguments: an unknown provider or option value, a file that cannot be read, missing credentials
  3  a provider or the simulator could not be reached or failed outside a flow, a port could not be
     bound, or an internal error";

/// Validate customers, see each provider's exact request, onboard customers (against the providers or
/// an embedded simulator), read a status, run the simulator, verify a webhook.
#[derive(Debug, Parser)]
#[command(name = "rampkit", version, after_long_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check customer files: every problem, each with its field. Exit 1 when any customer is invalid.
    #[command(after_long_help = EXIT_CODES)]
    Validate(ValidateArgs),
    /// Print the exact HTTP requests each provider's flow sends for a customer, in flow order.
    #[command(after_long_help = REQUEST_HELP)]
    Request(RequestArgs),
    /// Onboard customers with the providers (or the simulator); one line per customer and provider.
    #[command(after_long_help = ONBOARD_HELP)]
    Onboard(OnboardArgs),
    /// Read where a customer stands with one provider.
    #[command(after_long_help = STATUS_HELP)]
    Status(StatusArgs),
    /// Run the simulator of the four vendors until Ctrl-C; prints its base URL.
    #[command(after_long_help = EXIT_CODES)]
    Sim(SimArgs),
    /// Webhooks: verify a delivery's signature and decode it.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Print a batch journal (`onboard --journal`): `show` as a table, `export` as JSON Lines.
    Journal(JournalArgs),
}

/// A provider named on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProviderArg {
    Crossmint,
    Cryptopocket,
    Kriptomat,
    Leap,
}

impl From<ProviderArg> for Provider {
    fn from(value: ProviderArg) -> Self {
        match value {
            ProviderArg::Crossmint => Provider::Crossmint,
            ProviderArg::Cryptopocket => Provider::CryptoPocket,
            ProviderArg::Kriptomat => Provider::Kriptomat,
            ProviderArg::Leap => Provider::Leap,
        }
    }
}

/// A provider, or every one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProviderOrAll {
    All,
    Crossmint,
    Cryptopocket,
    Kriptomat,
    Leap,
}

impl ProviderOrAll {
    pub fn providers(self) -> Vec<Provider> {
        match self {
            ProviderOrAll::All => ORDER.to_vec(),
            ProviderOrAll::Crossmint => vec![Provider::Crossmint],
            ProviderOrAll::Cryptopocket => vec![Provider::CryptoPocket],
            ProviderOrAll::Kriptomat => vec![Provider::Kriptomat],
            ProviderOrAll::Leap => vec![Provider::Leap],
        }
    }
}

/// The order providers are run and printed in.
pub const ORDER: [Provider; 4] = [
    Provider::Crossmint,
    Provider::CryptoPocket,
    Provider::Kriptomat,
    Provider::Leap,
];

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Customer files: canonical customer JSON (docs/customer.schema.json), or JSON Lines with one
    /// customer per line (`.jsonl`).
    #[arg(required = true, value_name = "CUSTOMER.json")]
    pub files: Vec<PathBuf>,
    /// Check image sizes against these providers' limits only (default: every provider).
    #[arg(long, value_delimiter = ',', value_name = "P,…")]
    pub providers: Vec<ProviderArg>,
}

/// Settings of the flows that are not in the customer.
#[derive(Clone, Debug, Args)]
pub struct FlowArgs {
    /// Your platform's id for the customer, used as the Crossmint user locator (`userId:<id>`). Default:
    /// `rampkit-` and the first 16 hex digits of the SHA-256 of the customer's e-mail address, so that
    /// a rerun names the same user without putting the address in URLs.
    #[arg(long, value_name = "ID")]
    pub user_id: Option<String>,
    /// When the customer accepted Crossmint's privacy policy in your UI (RFC 3339). Default: now.
    #[arg(long, value_name = "RFC3339")]
    pub privacy_policy_accepted_at: Option<String>,
    /// The Crossmint products the customer needs; Crossmint's status is verified when all are.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "offramp",
        value_name = "PRODUCT,…"
    )]
    pub crossmint_products: Vec<String>,
    /// The customer's existing Kriptomat user id (Kriptomat documents no user creation for partners).
    /// Default: RAMPKIT_KRIPTOMAT_USER_ID; with a simulator (where every user id exists), a stable id
    /// per customer from the SHA-256 of its e-mail address; `rampkit request` shows 1001.
    #[arg(long, value_name = "ID")]
    pub kriptomat_user_id: Option<i64>,
    /// Kriptomat's SumSub client id, the share token's recipient.
    #[arg(long, default_value = "KriptomatSumsub", value_name = "ID")]
    pub sumsub_client_id: String,
}

const REQUEST_HELP: &str = "\
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

Exit codes: 0 printed; 1 the customer is invalid or malformed (nothing is run); 2 bad arguments or an
unreadable file; 3 the recorder could not start or a flow failed.";

#[derive(Debug, Args)]
pub struct RequestArgs {
    /// The customer (canonical customer JSON).
    #[arg(value_name = "CUSTOMER.json")]
    pub file: PathBuf,
    /// The provider whose requests to print.
    #[arg(long, short, value_enum, default_value = "all")]
    pub provider: ProviderOrAll,
    /// Print personal values as sent (default: `[redacted]`).
    #[arg(long)]
    pub reveal: bool,
    /// Print base64 images in full (default: shortened). Images of a document are personal data.
    #[arg(long)]
    pub full: bool,
    #[command(flatten)]
    pub flow: FlowArgs,
}

const ONBOARD_HELP: &str = "\
Where to: --sim starts the embedded simulator in this process; --sim-url uses a simulator already
running (`rampkit sim`), so its state outlives a run; --env sandbox|production uses the vendors, with
the credentials below (the missing ones are named). With none of the three, the embedded simulator is
used when no RAMPKIT_* credential is set, and the sandbox otherwise.

Output: one line per customer and provider with the final status (for Crossmint, the status of the
products needed and of every product listed), customers named by file and line, never by a personal
value; --json prints one JSON object per customer instead. A progress bar (stderr) shows for more
than one customer.

Credentials (read from the environment, never from arguments):
  crossmint     RAMPKIT_CROSSMINT_API_KEY
  cryptopocket  RAMPKIT_CRYPTOPOCKET_API_KEY, RAMPKIT_CRYPTOPOCKET_API_SECRET
  kriptomat     RAMPKIT_KRIPTOMAT_EMAIL, RAMPKIT_KRIPTOMAT_PASSWORD, RAMPKIT_KRIPTOMAT_CLIENT_ID,
                RAMPKIT_KRIPTOMAT_CLIENT_SECRET, RAMPKIT_KRIPTOMAT_TOTP_SECRET (base32),
                RAMPKIT_SUMSUB_APP_TOKEN, RAMPKIT_SUMSUB_SECRET_KEY (Kriptomat imports the SumSub KYC),
                RAMPKIT_KRIPTOMAT_USER_ID (the customer's existing Kriptomat user id)
  leap          RAMPKIT_LEAP_API_KEY

Batches (--journal FILE): every customer × provider × step is journaled (no personal data: your
reference, the provider, the step, timestamps, outcomes), each registration's intent before it is sent;
killed at any point, the same command resumes without sending a registration twice. A line is
{\"reference\": \"<your id>\", \"customer\": {…}, \"providers\": {\"kriptomat\": {\"user_id\": N}, \"crossmint\":
{\"privacy_policy_accepted_at\": \"<RFC 3339>\"}}} or a bare customer (its reference is then derived from
its e-mail's SHA-256). Without a Kriptomat user id the simulator's stable id is used; with the vendors,
a line without one is not sent to Kriptomat. --concurrency counts flows per provider. Progress: one bar
per provider (rate, ETA) on stderr; then the report table (--json: the JSON report; --report FILE: also
to a file). `rampkit journal show|export FILE` prints the journal.

Exit codes: 0 every customer ended verified with every provider; 1 a customer is invalid or malformed
or did not end verified (rejected, requires data, timeout, error); 2 bad arguments, an unreadable file,
missing credentials; 3 the simulator could not start.";

#[derive(Debug, Args)]
pub struct OnboardArgs {
    /// A customer JSON file, a JSON Lines file (`.jsonl`, one customer per line), or a directory of
    /// them.
    #[arg(value_name = "CUSTOMER.json|CUSTOMERS.jsonl|DIR")]
    pub input: PathBuf,
    /// The providers to onboard with (default: all four).
    #[arg(long, value_delimiter = ',', value_name = "P,…")]
    pub providers: Vec<ProviderArg>,
    #[command(flatten)]
    pub target: TargetArgs,
    /// One JSON object per customer on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Longest wait for a provider's final status, in seconds.
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    pub deadline_secs: u64,
    /// First wait between two status requests, in milliseconds (doubles, up to 16 times, at most 15 s).
    /// Default: 1000 with the vendors, 100 with a simulator.
    #[arg(long, value_name = "MS")]
    pub poll_ms: Option<u64>,
    /// How many customers run at once.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub concurrency: usize,
    #[command(flatten)]
    pub flow: FlowArgs,
    /// Run as a resumable batch journaled in this SQLite file (created if missing; JSON Lines input
    /// only); the same command again resumes it. See "Batches" below.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// With --journal: the batch's name (default: the input's file name); a journal started for
    /// another batch is refused.
    #[arg(long, value_name = "NAME", requires = "journal")]
    pub batch_id: Option<String>,
    /// With --journal: also write the final report as JSON to this file.
    #[arg(long, value_name = "FILE", requires = "journal")]
    pub report: Option<PathBuf>,
}

/// Where requests go.
#[derive(Clone, Debug, Args)]
pub struct TargetArgs {
    /// Start the embedded simulator in this process.
    #[arg(long, conflicts_with_all = ["sim_url", "env"])]
    pub sim: bool,
    /// Use a running simulator (`rampkit sim`), e.g. http://127.0.0.1:8080.
    #[arg(long, value_name = "URL", conflicts_with = "env")]
    pub sim_url: Option<String>,
    /// Use the vendors' sandbox or production, with credentials from the environment.
    #[arg(long, value_enum, value_name = "ENV")]
    pub env: Option<EnvArg>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EnvArg {
    Sandbox,
    Production,
}

const STATUS_HELP: &str = "\
The id is the provider's: crossmint a user locator (userId:<id>, email:<address>, …); cryptopocket the
customer id; kriptomat the user id; leap the registered phone number (E.164) or e-mail address, with
--country. Credentials as for `onboard` (see `rampkit onboard --help`); --sim-url for a running
simulator.

Exit codes: 0 verified; 1 not verified (for Crossmint: any product listed is not verified, or the
products of --crossmint-products are not); 2 bad arguments or missing credentials; 3 the call failed.";

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The provider.
    #[arg(long, short, value_enum)]
    pub provider: ProviderArg,
    /// The customer's id at the provider.
    pub id: String,
    /// Leap: the ISO 3166-1 country of the phone number (with a phone id).
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Crossmint: the products that must be verified.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "offramp",
        value_name = "PRODUCT,…"
    )]
    pub crossmint_products: Vec<String>,
    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Debug, Args)]
pub struct SimArgs {
    /// Port on 127.0.0.1 (0: any free port). Default: the config file's address, else 8080.
    #[arg(long)]
    pub port: Option<u16>,
    /// Share of requests answered with a fault (503 JSON, 502 HTML, reset, timeout), 0 to 1.
    #[arg(long, value_name = "SHARE")]
    pub fault_rate: Option<f64>,
    /// Latency added to every answer, in milliseconds.
    #[arg(long, value_name = "MS")]
    pub latency_ms: Option<u64>,
    /// The seed of random faults and ids: the same seed repeats a run's faults exactly (without it, one
    /// is drawn and printed).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Keep the vendors' state in this JSON file: read at start, written while running and at exit,
    /// so a restarted simulator still knows its customers.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// A TOML (or `.json`) file with the simulator's configuration (see the rampkit-sim README); the
    /// flags above override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Verify a delivery (body on stdin, headers as --header) and print the event type.
    #[command(after_long_help = WEBHOOK_HELP)]
    Verify(WebhookVerifyArgs),
}

const WEBHOOK_HELP: &str = "\
Headers each scheme needs: crossmint (Svix) svix-id, svix-timestamp, svix-signature, secret whsec_…;
cryptopocket X-Signature, X-Timestamp, secret = the API secret; leap x-raas-signature, secret = the
tenant's sharedSecret; kriptomat signs nothing (the body is only decoded; --secret-env is not needed).

Exit codes: 0 the signature verifies and the body decodes; 1 it does not (the reason is printed);
2 bad arguments, a malformed --header, the secret's variable unset.";

#[derive(Debug, Args)]
pub struct WebhookVerifyArgs {
    /// The provider that sent the delivery.
    #[arg(long, short, value_enum)]
    pub provider: ProviderArg,
    /// The environment variable holding the signing secret (never the secret itself).
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
    /// A header of the delivery, `name: value`; repeat for each.
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
}

/// `rampkit journal show|export FILE`.
#[derive(Debug, Args)]
pub struct JournalArgs {
    /// `show` (a table) or `export` (one JSON object per entry).
    #[arg(value_enum)]
    pub command: JournalCommand,
    /// The journal (`onboard --journal FILE`).
    #[arg(value_name = "FILE")]
    pub journal: PathBuf,
    /// Only this customer's entries (the line's `reference`).
    #[arg(long, value_name = "REF", conflicts_with = "email")]
    pub customer: Option<String>,
    /// Only the entries of the customer with this e-mail address (matched by the journal's salted
    /// hash; the address is not stored).
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<String>,
}

/// What `rampkit journal` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum JournalCommand {
    /// A table.
    Show,
    /// JSON Lines.
    Export,
}
