//! A batch's progress on stderr: one bar per provider (rate, ETA) on a terminal; a line per interval
//! when stderr is a file or a pipe (a log collector), where bars would draw nothing.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rampkit::Provider;

#[derive(Clone)]
pub struct Progress {
    multi: MultiProgress,
    bars: BTreeMap<Provider, ProgressBar>,
}

impl Progress {
    /// Bars of `total` for each provider; without a terminal, a line every `every`.
    pub fn new(providers: &[Provider], total: u64, every: Duration) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let multi = if terminal {
            MultiProgress::new()
        } else {
            MultiProgress::with_draw_target(ProgressDrawTarget::hidden())
        };
        let style = ProgressStyle::with_template(
            "{prefix:>12} {bar:30} {pos}/{len} {per_sec} eta {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        let bars: BTreeMap<Provider, ProgressBar> = providers
            .iter()
            .map(|p| {
                let bar = multi.add(ProgressBar::new(total));
                bar.set_style(style.clone());
                bar.set_prefix(p.as_str());
                (*p, bar)
            })
            .collect();
        let progress = Self { multi, bars };
        if !terminal {
            let lines = progress.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(every);
                tick.tick().await; // the first tick is now
                loop {
                    tick.tick().await;
                    if lines.bars.values().all(ProgressBar::is_finished) {
                        return;
                    }
                    eprintln!("rampkit: progress: {}", lines.line());
                }
            });
        }
        progress
    }

    /// `crossmint 12/40, leap 40/40 (12.0 s)`.
    fn line(&self) -> String {
        let parts: Vec<String> = self
            .bars
            .iter()
            .map(|(p, bar)| {
                format!(
                    "{p} {}/{}",
                    bar.position(),
                    bar.length().unwrap_or_default()
                )
            })
            .collect();
        let elapsed = self
            .bars
            .values()
            .next()
            .map(|b| b.elapsed().as_secs_f64())
            .unwrap_or_default();
        format!("{} ({elapsed:.1} s)", parts.join(", "))
    }

    /// One flow of `provider` ended.
    pub fn finished(&self, provider: Provider) {
        if let Some(bar) = self.bars.get(&provider) {
            bar.inc(1);
        }
    }

    /// A customer that no provider will see (invalid).
    pub fn skipped(&self) {
        self.bars.values().for_each(|bar| bar.inc(1));
    }

    /// A line on stderr, above the bars when they show.
    pub fn say(&self, line: String) {
        if self.multi.is_hidden() {
            eprintln!("{line}");
        } else {
            let _ = self.multi.println(line);
        }
    }

    pub fn finish(&self) {
        self.bars.values().for_each(ProgressBar::finish);
    }
}
