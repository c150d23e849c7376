//! Rendering reports: text for a terminal, JSON for scripts (fields in the documented order), Markdown
//! for a pull request.

use serde::Serialize;

use crate::diff::change::Change;
use crate::diff::report::{ProviderJson, ProviderReport};
use crate::diff::rules::Level;

pub fn render_json(reports: &[ProviderReport]) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        providers: Vec<ProviderJson<'a>>,
    }
    let out = Out {
        providers: reports.iter().map(ProviderReport::to_json).collect(),
    };
    serde_json::to_string_pretty(&out).expect("a report serialises") + "\n"
}

fn op_label(c: &Change) -> String {
    match (&c.method, &c.path, &c.operation) {
        (Some(m), Some(p), Some(id)) => format!("{m} {p} ({id})"),
        (Some(m), Some(p), None) => format!("{m} {p}"),
        _ => "spec".to_owned(),
    }
}

pub fn render_text(reports: &[ProviderReport]) -> String {
    let mut out = String::new();
    for r in reports {
        if r.level == Level::None {
            out.push_str(&format!(
                "{}: no change ({} {})\n",
                r.provider, r.krate, r.current
            ));
            continue;
        }
        let new = if r.new_provider { ", new provider" } else { "" };
        out.push_str(&format!(
            "{}: {} — {} {} → {}{new}\n",
            r.provider,
            r.level.as_str(),
            r.krate,
            r.current,
            r.proposed
        ));
        for c in &r.changes {
            out.push_str(&format!(
                "  [{}] {} — {}\n      {}  {}\n      wire: {}, Rust API: {}\n",
                c.level().as_str(),
                c.rule,
                c.message,
                op_label(c),
                c.location,
                c.wire.as_str(),
                c.rust_api.as_str()
            ));
            for r in &c.review {
                out.push_str(&format!("      review: {r}\n"));
            }
        }
        for f in &r.facade {
            out.push_str(&format!("  facade (rampkit): {f}\n"));
        }
    }
    out
}

pub fn render_markdown(reports: &[ProviderReport]) -> String {
    let mut out =
        String::from("| provider | crate | current | proposed | level |\n|---|---|---|---|---|\n");
    for r in reports {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            r.provider,
            r.krate,
            r.current,
            r.proposed,
            r.level.as_str()
        ));
    }
    for r in reports.iter().filter(|r| !r.changes.is_empty()) {
        out.push_str(&format!(
            "\n### {} ({} → {}, {})\n\n| level | rule | operation | location | change | wire | Rust API |\n|---|---|---|---|---|---|---|\n",
            r.krate,
            r.current,
            r.proposed,
            r.level.as_str()
        ));
        for c in &r.changes {
            out.push_str(&format!(
                "| {} | `{}` | {} | `{}` | {} | {} | {} |\n",
                c.level().as_str(),
                c.rule,
                op_label(c).replace('|', "\\|"),
                c.location,
                c.message.replace('|', "\\|"),
                c.wire.as_str(),
                c.rust_api.as_str()
            ));
        }
        if !r.facade.is_empty() {
            out.push_str("\nFacade (`rampkit`):\n\n");
            for f in &r.facade {
                out.push_str(&format!("- {f}\n"));
            }
        }
    }
    out
}
