//! Crate versions: reading `[package] version` and proposing the next one from a change's level.

use std::path::Path;

use crate::diff::rules::Level;

/// The `version` of `[package]` in `crates/<krate>/Cargo.toml`.
pub fn crate_version(root: &Path, krate: &str) -> Result<String, String> {
    let path = root.join(format!("crates/{krate}/Cargo.toml"));
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("crates/{krate}/Cargo.toml: {e}"))?;
    package_version(&text)
        .ok_or_else(|| format!("crates/{krate}/Cargo.toml: no `version` in [package]"))
}

pub fn package_version(toml: &str) -> Option<String> {
    let mut in_package = false;
    for line in toml.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[package]";
            continue;
        }
        if in_package
            && let Some(rest) = t.strip_prefix("version")
            && let Some(v) = rest.trim_start().strip_prefix('=')
        {
            return Some(v.trim().trim_matches('"').to_owned());
        }
    }
    None
}

/// Cargo's semver rules: below 1.0 a breaking change bumps the minor and anything else the patch;
/// from 1.0 major / minor / patch.
pub fn bump(version: &str, level: Level) -> Result<String, String> {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let parts: Vec<u64> = core
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{version}` is not a semver version"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!("`{version}` is not a semver version"));
    };
    Ok(match (level, major) {
        (Level::None, _) => version.to_owned(),
        (Level::Breaking, 0) => format!("0.{}.0", minor + 1),
        (Level::Breaking, _) => format!("{}.0.0", major + 1),
        (Level::Additive, 1..) => format!("{major}.{}.0", minor + 1),
        _ => format!("{major}.{minor}.{}", patch + 1),
    })
}
