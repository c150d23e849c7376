//! Ctrl-C and SIGTERM during a batch: the first stops taking new customers and lets the flows in
//! progress finish (their calls are journaled, so nothing is lost); a second ends the process at once
//! (an intent without a result is looked up at the vendor when the batch is resumed, never sent again).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::exit::Code;

/// Whether a stop was asked; shared by the signal watcher and the batch's input.
#[derive(Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    /// The flag the batch reads (`BatchOptions::stop`).
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.0)
    }

    pub fn asked(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Watches Ctrl-C and SIGTERM until the process ends; `say` prints above the progress bars.
    pub fn watch(&self, say: impl Fn(String) + Send + 'static) {
        let asked = self.0.clone();
        tokio::spawn(async move {
            loop {
                if !signal().await {
                    return; // no signal handling on this platform: Ctrl-C ends the process as usual
                }
                if asked.swap(true, Ordering::SeqCst) {
                    eprintln!(
                        "rampkit: stopped at once; the journal holds every intent: run the same command \
                         again to resume (an unknown outcome is looked up, never sent again)"
                    );
                    std::process::exit(Code::Interrupted as i32);
                }
                say(
                    "rampkit: stopping: no new customer is started, the flows in progress finish \
                     (Ctrl-C again to stop at once)"
                        .to_owned(),
                );
            }
        });
    }
}

/// The next Ctrl-C or SIGTERM; false when they cannot be listened to.
async fn signal() -> bool {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut term) = signal(SignalKind::terminate()) else {
            return false;
        };
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.is_ok(),
            received = term.recv() => received.is_some(),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.is_ok()
    }
}
