//! `rampkit journal show|export FILE|URL`: what a batch journal holds (no personal data is in it).

use std::io::Write;

use std::sync::Arc;

use rampkit::PostgresRateBudget;
use rampkit::journal::{
    Journal, JournalEntry, PostgresJournal, SqliteJournal, is_database_url, lookup_key,
};
use rampkit::runtime::SharedRateBudget;

use crate::cli::{JournalArgs, JournalCommand};
use crate::exit::{Code, Failure};

/// A journal `--journal` named.
pub struct Store {
    pub journal: Arc<dyn Journal>,
    /// How to name it in messages (a URL without its password).
    pub label: String,
    /// With a PostgreSQL journal: the vendors' rate budget in the same database, shared by every run
    /// that uses it (replicas, cron jobs), so that together they stay within each vendor's limit.
    pub rate_budget: Option<Arc<dyn SharedRateBudget>>,
}

/// The journal `--journal` names: a SQLite file, or a PostgreSQL database by URL
/// (`postgres://user:password@host/db`).
pub fn open_store(arg: &std::path::Path) -> Result<Store, Failure> {
    let text = arg.to_string_lossy();
    if is_database_url(&text) {
        let journal = PostgresJournal::connect(&text)
            .map_err(|e| Failure::usage(format!("--journal: {e}")))?;
        let budget = PostgresRateBudget::of_journal(&journal)
            .map_err(|e| Failure::usage(format!("--journal: {e}")))?;
        return Ok(Store {
            label: journal.label().to_owned(),
            journal: Arc::new(journal),
            rate_budget: Some(Arc::new(budget)),
        });
    }
    let journal =
        SqliteJournal::open(arg).map_err(|e| Failure::usage(format!("--journal: {e}")))?;
    Ok(Store {
        journal: Arc::new(journal),
        label: arg.display().to_string(),
        rate_budget: None,
    })
}

fn open(path: &std::path::Path) -> Result<(Arc<dyn Journal>, Option<String>), Failure> {
    if !is_database_url(&path.to_string_lossy()) && !path.exists() {
        return Err(Failure::usage(format!(
            "{}: no such journal",
            path.display()
        )));
    }
    let journal = open_store(path)?.journal;
    let batch = journal
        .batch_id()
        .map_err(|e| Failure::internal(e.to_string()))?;
    Ok((journal, batch))
}

/// The entries selected by `--customer` / `--email` (the e-mail is hashed as the journal hashes it,
/// and matched against the intents' lookup keys).
fn selected(args: &JournalArgs) -> Result<(Option<String>, Vec<JournalEntry>), Failure> {
    let (journal, batch) = open(&args.journal)?;
    let entries = journal
        .entries()
        .map_err(|e| Failure::internal(e.to_string()))?;
    let mut customer = args.customer.clone();
    if let Some(email) = &args.email {
        let key = lookup_key(batch.as_deref().unwrap_or_default(), email);
        customer = entries
            .iter()
            .find(|e| e.lookup_key.as_deref() == Some(key.as_str()))
            .map(|e| e.customer.clone());
        if customer.is_none() {
            return Ok((batch, Vec::new()));
        }
    }
    let entries = entries
        .into_iter()
        .filter(|e| customer.as_ref().is_none_or(|c| &e.customer == c))
        .collect();
    Ok((batch, entries))
}

pub fn run(args: JournalArgs) -> Result<Code, Failure> {
    let (batch, entries) = selected(&args)?;
    let mut out = std::io::stdout().lock();
    let io = |e: std::io::Error| Failure::internal(format!("stdout: {e}"));
    match args.command {
        JournalCommand::Export => {
            for entry in &entries {
                let line =
                    serde_json::to_string(entry).map_err(|e| Failure::internal(e.to_string()))?;
                writeln!(out, "{line}").map_err(io)?;
            }
        }
        JournalCommand::Show => {
            writeln!(
                out,
                "batch {} · schema {} · {} entries",
                batch.as_deref().unwrap_or("(not started)"),
                rampkit::journal::SCHEMA_VERSION,
                entries.len()
            )
            .map_err(io)?;
            writeln!(
                out,
                "{:<27} {:<20} {:<13} {:<19} {:<10} detail",
                "at", "customer", "provider", "step", "phase"
            )
            .map_err(io)?;
            for e in &entries {
                let detail = e.detail.as_ref().map(|d| d.to_string()).unwrap_or_default();
                writeln!(
                    out,
                    "{:<27} {:<20} {:<13} {:<19} {:<10} {detail}",
                    e.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                    e.customer,
                    e.provider.as_str(),
                    e.step.as_str(),
                    e.phase.as_str(),
                )
                .map_err(io)?;
            }
        }
    }
    Ok(if entries.is_empty() {
        Code::No
    } else {
        Code::Ok
    })
}
