//! `cargo xtask upstream` as a command: arguments, loading, and the exit code (`--fail-on`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use crate::diff::command::Format;
use crate::diff::input::InputError;
use crate::diff::rules::Level;
use crate::providers::select;
use crate::spec;
use crate::upstream::compare::compare_files;
use crate::upstream::examples::check_page;
use crate::upstream::exclusions;
use crate::upstream::load::load_vendor;
use crate::upstream::normalize::route_key;
use crate::upstream::page::read_page;
use crate::upstream::report::Report;
use crate::workspace::workspace_root;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, short)]
    pub provider: String,
    /// Vendor-published OpenAPI files (JSON or YAML; OpenAPI 3.x, or Swagger 2.0 converted).
    #[arg(long = "vendor", num_args = 1..)]
    pub vendor: Vec<PathBuf>,
    /// Saved reference pages (HTML or Markdown), `FILE` or `FILE=operation_id` when the page does not
    /// name its method and path.
    #[arg(long = "vendor-page", num_args = 1..)]
    pub vendor_page: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with code 1 when an item no annotation silences is at least this level.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailOn {
    Breaking,
    Additive,
    Any,
}

pub fn run(args: Args) -> ExitCode {
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    ExitCode::from(upstream_command(
        &workspace_root(),
        &args,
        &mut out,
        &mut err,
    ))
}

/// 0, or 1 when `--fail-on` is reached, or 2 on bad input (one line on `err`).
pub fn upstream_command(
    root: &Path,
    args: &Args,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> u8 {
    let report = match build(root, args) {
        Ok(r) => r,
        Err(InputError(e)) => {
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    let text = match args.format {
        Format::Text => report.to_text(),
        Format::Json => report.to_json(),
        Format::Markdown => report.to_markdown(),
    };
    let _ = write!(out, "{text}");
    let threshold = match args.fail_on {
        None => return 0,
        Some(FailOn::Breaking) => Level::Breaking,
        Some(FailOn::Additive) => Level::Additive,
        Some(FailOn::Any) => Level::None,
    };
    u8::from(report.worst().is_some_and(|w| w >= threshold))
}

pub fn build(root: &Path, args: &Args) -> Result<Report, InputError> {
    let provider = select(Some(&args.provider)).map_err(InputError)?[0];
    if args.vendor.is_empty() && args.vendor_page.is_empty() {
        return Err(InputError(
            "name at least one --vendor file or --vendor-page".into(),
        ));
    }
    let ours = spec::load(root, provider.name).map_err(InputError)?.value;
    let excluded = exclusions::load(root, provider.name)?;
    let vendors = args
        .vendor
        .iter()
        .map(|p| load_vendor(p))
        .collect::<Result<Vec<_>, _>>()?;
    let outcome = compare_files(&ours, &vendors, &excluded);
    let mut items = outcome.items;
    let mut pages = Vec::new();
    for arg in &args.vendor_page {
        let (file, wanted) = match arg.rsplit_once('=') {
            Some((f, id)) if !id.contains('/') => (f, Some(id)),
            _ => (arg.as_str(), None),
        };
        let text = std::fs::read_to_string(file).map_err(|e| InputError(format!("{file}: {e}")))?;
        let html =
            file.ends_with(".html") || file.ends_with(".htm") || text.trim_start().starts_with('<');
        let page = read_page(&text, html);
        let ops = spec::operations(&ours);
        let op = match wanted {
            Some(id) => ops.iter().find(|o| o.id() == Some(id)).ok_or_else(|| {
                InputError(format!("{file}: specs/{}.yaml has no operation `{id}`", provider.name))
            })?,
            None => page
                .routes
                .iter()
                .find_map(|(m, p)| {
                    ops.iter()
                        .find(|o| o.method == m && route_key(o.path) == route_key(p))
                })
                .ok_or_else(|| {
                    InputError(format!(
                        "{file}: names no operation of specs/{}.yaml (give it as {file}=<operation_id>)",
                        provider.name
                    ))
                })?,
        };
        if page.examples.is_empty() {
            return Err(InputError(format!("{file}: no JSON example found")));
        }
        items.extend(check_page(&ours, op, file, &page));
        pages.push(format!(
            "{file} ({}, {} examples)",
            op.id().unwrap_or_default(),
            page.examples.len()
        ));
    }
    Ok(Report {
        provider: provider.name.to_owned(),
        vendor_files: vendors
            .iter()
            .map(|v| (v.label.clone(), v.format.clone()))
            .collect(),
        vendor_pages: pages,
        items,
        projections: outcome.projections,
        compared: outcome.compared,
        elsewhere: outcome.elsewhere,
    })
}
