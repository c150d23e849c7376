//! One `upstream` run's report and its three renderings: text for a terminal, JSON for scripts (the
//! documented shape: `provider`, `vendor_files`, `items`, `summary`, then `vendor_pages`,
//! `projections` and `operations`), Markdown for a pull request.

use serde::Serialize;
use serde_json::json;

use crate::diff::rules::Level;
use crate::upstream::item::Item;
use crate::upstream::normalize::Projections;

pub struct Report {
    pub provider: String,
    /// The vendor files as given, with what each was (`OpenAPI 3.0.0`, `Swagger 2.0 (converted)`).
    pub vendor_files: Vec<(String, String)>,
    pub vendor_pages: Vec<String>,
    pub items: Vec<Item>,
    pub projections: Projections,
    /// Operations of the spec compared with a vendor operation.
    pub compared: usize,
    /// Operations of the spec in none of the files, whose `x-source` cites none of them.
    pub elsewhere: Vec<String>,
}

#[derive(Serialize, Default, PartialEq, Eq, Debug)]
pub struct Summary {
    pub breaking: usize,
    pub additive: usize,
    pub docs: usize,
    pub silenced: usize,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for item in &self.items {
            match (item.silenced_by.is_some(), item.level()) {
                (true, _) => s.silenced += 1,
                (false, Level::Breaking) => s.breaking += 1,
                (false, Level::Additive) => s.additive += 1,
                (false, _) => s.docs += 1,
            }
        }
        s
    }

    /// The worst level of the items no annotation silences.
    pub fn worst(&self) -> Option<Level> {
        self.items
            .iter()
            .filter(|i| i.silenced_by.is_none())
            .map(Item::level)
            .max()
    }

    fn reported(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.silenced_by.is_none())
    }

    fn silenced(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.silenced_by.is_some())
    }

    pub fn to_json(&self) -> String {
        let out = json!({
            "provider": self.provider,
            "vendor_files": self.vendor_files.iter().map(|(f, _)| f).collect::<Vec<_>>(),
            "items": self.items.iter().map(Item::to_json).collect::<Vec<_>>(),
            "summary": self.summary(),
            "vendor_pages": self.vendor_pages,
            "projections": self.projections,
            "operations": {"compared": self.compared, "elsewhere": self.elsewhere},
        });
        serde_json::to_string_pretty(&out).expect("a report serialises") + "\n"
    }

    fn headline(&self) -> String {
        let s = self.summary();
        let mut against: Vec<String> = self
            .vendor_files
            .iter()
            .map(|(f, kind)| format!("{f} ({kind})"))
            .collect();
        against.extend(self.vendor_pages.iter().cloned());
        format!(
            "upstream {}: {} breaking, {} additive, {} docs, {} silenced — specs/{}.yaml against {}",
            self.provider,
            s.breaking,
            s.additive,
            s.docs,
            s.silenced,
            self.provider,
            against.join(", ")
        )
    }

    pub fn to_text(&self) -> String {
        let mut out = self.headline() + "\n";
        for item in self.reported() {
            out.push_str(&format!(
                "  [{}] {} — {}\n      {}  {}\n",
                item.level().as_str(),
                item.change.rule,
                item.change.message,
                op_label(item),
                item.change.location
            ));
        }
        if self.silenced().next().is_some() {
            out.push_str("silenced by x-upstream-differs:\n");
            for item in self.silenced() {
                out.push_str(&format!(
                    "  [{}] {} — {}\n      {}  {}\n      because: {}\n",
                    item.level().as_str(),
                    item.change.rule,
                    item.change.message,
                    op_label(item),
                    item.change.location,
                    item.silenced_by.as_deref().unwrap_or_default()
                ));
            }
        }
        out.push_str(&self.tail_text());
        out
    }

    fn tail_text(&self) -> String {
        let mut out = String::new();
        if !self.projections.is_empty() {
            out.push_str("deliberate projections (counted, not reported):\n");
            for (what, n) in &self.projections {
                out.push_str(&format!("  {n:>5}  {what}\n"));
            }
        }
        if !self.vendor_files.is_empty() {
            out.push_str(&format!(
                "operations: {} compared; {} in none of these files (their x-source cites another source)\n",
                self.compared,
                self.elsewhere.len()
            ));
        }
        out
    }

    pub fn to_markdown(&self) -> String {
        let mut out = format!("### {}\n\n", self.headline());
        let row = |item: &Item, extra: &str| {
            format!(
                "| {} | `{}` | {} | `{}` | {}{extra} |\n",
                item.level().as_str(),
                item.change.rule,
                op_label(item),
                item.change.location,
                item.change.message.replace('|', "\\|")
            )
        };
        if self.reported().next().is_some() {
            out.push_str(
                "| level | rule | operation | location | message |\n|---|---|---|---|---|\n",
            );
            for item in self.reported() {
                out.push_str(&row(item, ""));
            }
            out.push('\n');
        }
        if self.silenced().next().is_some() {
            out.push_str("Silenced by `x-upstream-differs`:\n\n| level | rule | operation | location | message (reason) |\n|---|---|---|---|---|\n");
            for item in self.silenced() {
                let why = format!(
                    " — *{}*",
                    item.silenced_by
                        .as_deref()
                        .unwrap_or_default()
                        .replace('|', "\\|")
                );
                out.push_str(&row(item, &why));
            }
            out.push('\n');
        }
        out.push_str("```\n");
        out.push_str(&self.tail_text());
        out.push_str("```\n");
        out
    }
}

fn op_label(item: &Item) -> String {
    let c = &item.change;
    match (&c.method, &c.path, &c.operation) {
        (Some(m), Some(p), Some(id)) => format!("{m} {p} ({id})"),
        (Some(m), Some(p), None) => format!("{m} {p}"),
        _ => "spec".to_owned(),
    }
}
