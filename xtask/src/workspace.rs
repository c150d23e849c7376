//! Where the workspace is: found at run time from the current directory, never baked in at build time.

use std::path::{Path, PathBuf};

/// The workspace root, found at run time: the nearest ancestor of the current directory whose
/// `Cargo.toml` has a `[workspace]` table (`cargo xtask` and `cargo test` both run inside the workspace),
/// or `RAMPKIT_ROOT` when set. Never the path this binary was built in.
pub fn workspace_root() -> PathBuf {
    if let Some(root) = std::env::var_os("RAMPKIT_ROOT") {
        return PathBuf::from(root);
    }
    let cwd = std::env::current_dir().expect("the current directory is readable");
    find_workspace(&cwd).unwrap_or_else(|| {
        eprintln!(
            "error: no Cargo workspace above {} (run cargo xtask inside the rampkit checkout)",
            cwd.display()
        );
        std::process::exit(2)
    })
}

pub fn find_workspace(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        manifest
            .lines()
            .any(|l| l.trim() == "[workspace]")
            .then(|| dir.to_path_buf())
    })
}
