//! The command line, with clap derive.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use rampkit::Provider;

pub use crate::providers::FlowArgs;
use crate::providers::SettingsArgs;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  every customer valid / verified; the signature verified; the simulator stopped cleanly
  1  a customer is invalid or malformed JSON, a customer did not end verified with every provider,
     the status is not verified, or the webhook signature does not verify
  2  bad arguments: an unknown provider or option value, a file that cannot be read, missing credentials
  3  a provider or the simulator could not be reached or failed outside a flow, a port could not be
     bound, or an internal error
  130  a batch (onboard --journal) stopped by Ctrl-C or SIGTERM: the flows in progress finished and the
     partial report was printed; the same command resumes it (a second Ctrl-C stops at once)";

/// Validate customers, see each provider's exact request, onboard customers (against the providers or
/// an embedded simulator), read a status, run the simulator, verify a webhook.
#[derive(Debug, Parser)]
#[command(name = "rampkit", version, after_long_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log each call's retries and failures on stderr (-v), and every call with its status and duration
    /// (-vv). `RUST_LOG` (e.g. `RUST_LOG=rampkit_runtime=debug`) overrides it. Logs carry no body, header
    /// value or personal value.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check customer files: every problem, each with its field. Exit 1 when any customer is invalid.
    #[command(after_long_help = EXIT_CODES)]
    Validate(ValidateArgs),
    /// Print the exact HTTP requests each provider's flow sends for a customer, in flow order.
    #[command(after_long_help = crate::providers::REQUEST_HELP)]
    Request(RequestArgs),
    /// Onboard customers with the providers (or the simulator); one line per customer and provider.
    #[command(after_long_help = crate::providers::onboard_help())]
    Onboard(OnboardArgs),
    /// Read where a customer stands with one provider.
    #[command(after_long_help = crate::providers::STATUS_HELP)]
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

/// The providers' names, in alphabetical order.
fn provider_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Provider::ALL.map(Provider::as_str).to_vec();
    names.sort_unstable();
    names
}

/// A provider named on the command line; an unknown name lists the valid ones.
pub fn provider() -> impl TypedValueParser<Value = Provider> {
    PossibleValuesParser::new(provider_names())
        .map(|name| name.parse::<Provider>().expect("a name from the list"))
}

/// A provider, or `all` (`None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProviderChoice(pub Option<Provider>);

/// A provider named on the command line, or `all`.
pub fn provider_or_all() -> impl TypedValueParser<Value = ProviderChoice> {
    let mut names = vec!["all"];
    names.extend(provider_names());
    PossibleValuesParser::new(names).map(|name| ProviderChoice(name.parse::<Provider>().ok()))
}

/// The providers given, in their order without repeats; every provider, in alphabetical order, when
/// none is given.
pub fn providers_or_all(given: &[Provider]) -> Vec<Provider> {
    if given.is_empty() {
        let mut all = Provider::ALL.to_vec();
        all.sort_by_key(|p| p.as_str());
        return all;
    }
    let mut providers = Vec::with_capacity(given.len());
    for provider in given {
        if !providers.contains(provider) {
            providers.push(*provider);
        }
    }
    providers
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Customer files: canonical customer JSON (docs/customer.schema.json), or JSON Lines with one
    /// customer per line (`.jsonl`).
    #[arg(required = true, value_name = "CUSTOMER.json")]
    pub files: Vec<PathBuf>,
    /// The providers the customers are meant for (default: every provider): their limits apply, and
    /// each one's readiness is checked.
    #[arg(long, value_delimiter = ',', value_name = "P,…", value_parser = provider())]
    pub providers: Vec<Provider>,
    /// One JSON object per customer: `{"customer", "valid", "problems", "providers": {"<provider>":
    /// {"ready", "missing", "unsupported"}}}`.
    #[arg(long)]
    pub json: bool,
    /// The references a flow needs beyond the customer, as `onboard` takes them (readiness checks them
    /// as against the vendors: never invented).
    #[command(flatten)]
    pub flow: crate::providers::FlowArgs,
    /// The file `onboard --kyb-forms` will append hosted KYB forms to (nothing is written here):
    /// without it, a provider that answers a company's KYB form once is not ready for a company
    /// (`missing --kyb-forms`).
    #[arg(long, value_name = "FILE")]
    pub kyb_forms: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RequestArgs {
    /// The customer (canonical customer JSON).
    #[arg(value_name = "CUSTOMER.json")]
    pub file: PathBuf,
    /// The provider whose requests to print, or `all`.
    #[arg(long, short, default_value = "all", value_parser = provider_or_all())]
    pub provider: ProviderChoice,
    /// Print personal values as sent (default: `[redacted]`).
    #[arg(long)]
    pub reveal: bool,
    /// Print base64 images in full (default: shortened). Images of a document are personal data.
    #[arg(long)]
    pub full: bool,
    #[command(flatten)]
    pub flow: FlowArgs,
}

#[derive(Debug, Args)]
pub struct OnboardArgs {
    /// A customer JSON file, a JSON Lines file (`.jsonl`, one customer per line), or a directory of
    /// them.
    #[arg(value_name = "CUSTOMER.json|CUSTOMERS.jsonl|DIR")]
    pub input: PathBuf,
    /// The providers to onboard with (default: every provider).
    #[arg(long, value_delimiter = ',', value_name = "P,…", value_parser = provider())]
    pub providers: Vec<Provider>,
    #[command(flatten)]
    pub target: TargetArgs,
    /// One JSON object per customer on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// How long one customer's flow with a provider may take, in seconds, counted once this run holds
    /// the customer (retries and polling included; waits for a rate-limit slot, waiting behind the
    /// provider's concurrency or another run of the same customer are not: a flow that never got to
    /// send does not fail with `deadline`).
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
    /// Run journaled in this SQLite file (created if missing) or PostgreSQL database
    /// (`postgres://user:password@host:5432/db`; the password is never printed; TLS with
    /// `?sslmode=require`, verified against the system's roots or `&sslrootcert=CA.pem`). Without it the
    /// journal is this run's memory: the same engine, but a second run cannot tell its own earlier
    /// registration from someone else's and reports the vendor's "already exists" as a conflict. With
    /// it, the same command again resumes the run and sends nothing already sent; runs at once over one journal (replicas, an
    /// overlapping cron) send each registration once; with PostgreSQL they also share one rate budget
    /// per vendor (together within its limit). Any input (a customer file, JSON Lines, a directory).
    /// See "Batches" below.
    #[arg(long, value_name = "FILE|URL")]
    pub journal: Option<PathBuf>,
    /// Append each company's hosted KYB form (its link and password, which the vendor answers once, at
    /// registration) to this file, created readable by its owner only: one JSON object per line. A
    /// company is not sent to a vendor that answers such a form without it.
    #[arg(long, value_name = "FILE")]
    pub kyb_forms: Option<PathBuf>,
    /// With --journal: the batch's name (default: the input's file name); a journal started for
    /// another batch is refused.
    #[arg(long, value_name = "NAME", requires = "journal")]
    pub batch_id: Option<String>,
    /// With --journal: how long this run's claim on a customer × provider lasts unless renewed
    /// (renewed every third of it while the flow runs): how long another run waits before it takes
    /// over the flows of a run that was killed.
    #[arg(
        long,
        default_value_t = 30,
        value_name = "SECONDS",
        requires = "journal"
    )]
    pub claim_lease_secs: u64,
    /// With --journal: also write the final report as JSON to this file.
    #[arg(long, value_name = "FILE", requires = "journal")]
    pub report: Option<PathBuf>,
    /// With --journal, when stderr is not a terminal (a log file, a pipe): print a progress line every
    /// this many seconds instead of bars.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 10,
        requires = "journal"
    )]
    pub progress_secs: u64,
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

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The provider.
    #[arg(long, short, value_parser = provider())]
    pub provider: Provider,
    /// The customer's id at the provider.
    pub id: String,
    #[command(flatten)]
    pub settings: SettingsArgs,
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
    #[command(after_long_help = crate::providers::WEBHOOK_HELP)]
    Verify(WebhookVerifyArgs),
}

#[derive(Debug, Args)]
pub struct WebhookVerifyArgs {
    /// The provider that sent the delivery.
    #[arg(long, short, value_parser = provider())]
    pub provider: Provider,
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
    /// The journal (`onboard --journal FILE|URL`).
    #[arg(value_name = "FILE|URL")]
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
