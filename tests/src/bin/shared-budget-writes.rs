//! One process of the shared rate budget test and benchmark (`tests/tests/shared_budget.rs`): sends
//! `--writes N` Crossmint writes (`accept_legal_document`) through a client whose rate-limit slots live
//! in PostgreSQL ([`PostgresRateBudget`]), so that several of these processes together stay within one
//! limit. Prints `sent N failed M` on stdout.
//!
//! Usage: `shared-budget-writes --base-url URL --api-key KEY (--database URL | --local) --writes N --max N
//! --per-ms MS [--name LABEL]`

use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use rampkit::PostgresRateBudget;
use rampkit::crossmint::types::{AcceptLegalDocumentRequest, LegalDocumentType};
use rampkit::crossmint::{Client, CrossmintAuth, UserLocator};
use rampkit::runtime::{Context, RateLimit, RateLimits, RetryPolicy};

#[derive(Parser)]
struct Args {
    /// The Crossmint API's base URL (the simulator's `…/crossmint`).
    #[arg(long)]
    base_url: String,
    /// The API key the simulator accepts.
    #[arg(long)]
    api_key: String,
    /// The PostgreSQL database holding the budget.
    #[arg(long, required_unless_present = "local")]
    database: Option<String>,
    /// Count slots in this process only (the default limiter), for comparison.
    #[arg(long)]
    local: bool,
    /// Writes to send.
    #[arg(long)]
    writes: u32,
    /// The limit: `max` writes per `per-ms` milliseconds.
    #[arg(long)]
    max: u32,
    #[arg(long)]
    per_ms: u64,
    /// Distinguishes this process's users.
    #[arg(long, default_value = "p")]
    name: String,
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = Args::parse();
    let limits = RateLimits {
        reads: None,
        writes: Some(RateLimit {
            max: args.max,
            per: Duration::from_millis(args.per_ms),
        }),
    };
    let mut context = Context::new(CrossmintAuth::new(args.api_key.as_str()))
        .with_retry(RetryPolicy::none())
        .with_rate_limits(limits);
    if let Some(database) = &args.database {
        let budget = PostgresRateBudget::connect(database).expect("the budget's database opens");
        context = context.with_shared_rate_budget("crossmint", Arc::new(budget));
    }
    let client = Client::new(&args.base_url, context);
    let consent = AcceptLegalDocumentRequest::new(
        "2026-01-01T00:00:00.000Z".to_owned(),
        LegalDocumentType::CrossmintPrivacyPolicy,
    );
    let (mut sent, mut failed) = (0u32, 0u32);
    for i in 0..args.writes {
        let locator = UserLocator::user_id(format!("{}-{i}", args.name));
        match client.accept_legal_document(&locator, &consent).await {
            Ok(_) => sent += 1,
            Err(error) => {
                eprintln!("write {i}: {error}");
                failed += 1;
            }
        }
    }
    println!("sent {sent} failed {failed}");
}
