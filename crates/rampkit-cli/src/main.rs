//! `rampkit`: validate customers, show each provider's exact request, onboard customers against the
//! providers or the embedded simulator, read a status, run the simulator, verify a webhook.
//!
//! Run `rampkit --help` (or `cargo run -p rampkit-cli -- --help`) for the commands, the environment
//! variables and the exit codes.

mod batch;
mod causes;
mod cli;
mod exit;
mod forms;
mod input;
mod journal;
mod onboard;
mod ordered;
mod out;
mod progress;
mod providers;
mod record;
mod redact;
mod request;
mod sim;
mod status;
mod stop;
mod target;
mod validate;
mod webhook;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::exit::Failure;

fn main() -> ExitCode {
    // A bug must not print a backtrace (it could hold a value): one line naming where it happened.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("rampkit: internal error{place} (a bug; please report it)");
    }));

    let cli = Cli::parse();
    logging(cli.verbose);
    let result = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(error) => Err(Failure::internal(format!(
            "cannot start the async runtime: {error}"
        ))),
    };
    match result {
        Ok(code) => code.into(),
        Err(failure) => {
            eprintln!("rampkit: {}", failure.message);
            failure.code.into()
        }
    }
}

/// Logs on stderr: `RUST_LOG` when set, else by `-v` count (none by default). Only rampkit's own targets
/// go above `warn`: another crate's debug lines could hold a URL.
fn logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::fmt::format::FmtSpan;

    let filter = match std::env::var("RUST_LOG") {
        Ok(filter) if !filter.trim().is_empty() => EnvFilter::new(filter),
        _ => match verbose {
            0 => return,
            1 => EnvFilter::new("warn"),
            _ => EnvFilter::new(
                "warn,rampkit=debug,rampkit_runtime=debug,rampkit_cli=debug,rampkit_sim=info",
            ),
        },
    };
    let spans = if verbose >= 2 {
        FmtSpan::CLOSE
    } else {
        FmtSpan::NONE
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(spans)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

async fn run(cli: Cli) -> Result<exit::Code, Failure> {
    match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Request(args) => request::run(args).await,
        Command::Onboard(args) => match args.journal.clone() {
            Some(journal) => batch::run(args, &journal).await,
            None => onboard::run(args).await,
        },
        Command::Journal(args) => journal::run(args),
        Command::Status(args) => status::run(args).await,
        Command::Sim(args) => sim::run(args).await,
        Command::Webhook(args) => webhook::run(args),
    }
}
