//! The state file (`SimConfig::state_file`, `rampkit sim --state FILE`): the vendors' records are read
//! at start and written, atomically (a temporary file renamed over the old one), half a second after
//! any change and at shutdown. Tokens and share tokens are not kept: a client logs in again.

use std::io;
use std::path::Path;
use std::sync::atomic::Ordering;

use crate::hub::Hub;

/// Reads `path` into the hub, if the file exists.
pub fn load(hub: &Hub, path: &Path) -> io::Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let saved = serde_json::from_str(&text).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: not JSON (line {})", path.display(), e.line()),
        )
    })?;
    hub.load(saved).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {e}", path.display()),
        )
    })
}

/// Writes the hub's state to `path`.
pub fn save(hub: &Hub, path: &Path) -> io::Result<()> {
    hub.dirty.store(false, Ordering::Relaxed);
    let text = serde_json::to_vec_pretty(&hub.save()).map_err(io::Error::other)?;
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

/// Writes the state when something changed since the last write.
pub fn save_if_changed(hub: &Hub, path: &Path) -> io::Result<()> {
    if hub.dirty.load(Ordering::Relaxed) {
        save(hub, path)?;
    }
    Ok(())
}
