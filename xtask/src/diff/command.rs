//! `cargo xtask diff` as a command: each selected provider's spec at a git revision against the working
//! tree, rendered, with the exit code `--fail-on` asks for.

use std::path::Path;

use clap::ValueEnum;

use crate::diff::input::{InputError, parse_spec, spec_at};
use crate::diff::render::{render_json, render_markdown, render_text};
use crate::diff::report::{ProviderReport, report};
use crate::diff::rules::Level;
use crate::providers::{Provider, select};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailOn {
    Breaking,
    Additive,
}

/// `cargo xtask diff`: 0, or 1 when `--fail-on` is reached, or 2 on bad input (one line on `err`).
pub fn diff_command(
    root: &Path,
    only: Option<&str>,
    base: &str,
    format: Format,
    fail_on: Option<FailOn>,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> u8 {
    let providers = match select(only) {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    let reports = match diff_reports(root, &providers, base) {
        Ok(r) => r,
        Err(InputError(e)) => {
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    let text = match format {
        Format::Text => render_text(&reports),
        Format::Json => render_json(&reports),
        Format::Markdown => render_markdown(&reports),
    };
    let _ = write!(out, "{text}");
    let worst = reports.iter().map(|r| r.level).max().unwrap_or(Level::None);
    let threshold = match fail_on {
        None => return 0,
        Some(FailOn::Breaking) => Level::Breaking,
        Some(FailOn::Additive) => Level::Additive,
    };
    u8::from(worst >= threshold)
}

/// One report per provider: its spec at `base` against the working tree.
pub fn diff_reports(
    root: &Path,
    providers: &[&'static Provider],
    base: &str,
) -> Result<Vec<ProviderReport>, InputError> {
    let mut reports = Vec::new();
    for provider in providers {
        let rel = format!("specs/{}.yaml", provider.name);
        let raw = std::fs::read(root.join(&rel)).map_err(|e| InputError(format!("{rel}: {e}")))?;
        let new = parse_spec(&raw, &rel)?;
        let old = spec_at(root, base, provider.name)?;
        reports.push(report(root, provider.name, old.as_ref(), &new).map_err(InputError)?);
    }
    Ok(reports)
}
