//! `--kyb-forms FILE`: the hosted forms a vendor answers once, at registration (a company's KYB form
//! link and its password), appended to a file only its owner can read, one JSON object per line:
//! `{"provider", "customer_id", "email", "link", "password"}`. They are secrets: never printed.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use rampkit::HostedForms;

use crate::exit::Failure;

/// The sink writing to `path` (created if missing, mode 0600 on Unix, appended to).
pub fn sink(path: &Path) -> Result<HostedForms, Failure> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options
        .open(path)
        .map_err(|e| Failure::usage(format!("--kyb-forms {}: {e}", path.display())))?;
    let file = Mutex::new(file);
    let name = path.display().to_string();
    Ok(HostedForms::new(move |form| {
        let line = serde_json::json!({
            "provider": form.provider.as_str(),
            "customer_id": form.customer_id,
            "email": form.email.expose_str(),
            "link": form.link.expose_str(),
            "password": form.password.as_ref().map(|p| p.expose_str()),
        });
        let mut file = file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if writeln!(file, "{line}")
            .and_then(|()| file.flush())
            .is_err()
        {
            // The registration happened: say where its form was meant to go (never the form).
            eprintln!(
                "rampkit: {}: could not write the hosted form of customer {} to {name}",
                form.provider, form.customer_id
            );
        }
    }))
}
