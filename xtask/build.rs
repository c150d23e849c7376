//! Records the versions of the generator crates from the workspace Cargo.lock, so every generated file
//! names exactly which progenitor, typify and prettyplease produced it.

fn main() {
    let lock_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock");
    println!("cargo:rerun-if-changed={lock_path}");
    let lock = std::fs::read_to_string(lock_path).unwrap_or_default();
    for (krate, var) in [
        ("progenitor-impl", "XTASK_PROGENITOR_VERSION"),
        ("typify-impl", "XTASK_TYPIFY_VERSION"),
        ("prettyplease", "XTASK_PRETTYPLEASE_VERSION"),
    ] {
        let version = lock_version(&lock, krate).unwrap_or_else(|| "unknown".to_owned());
        println!("cargo:rustc-env={var}={version}");
    }
}

fn lock_version(lock: &str, krate: &str) -> Option<String> {
    let needle = format!("name = \"{krate}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == needle {
            let version = lines
                .next()?
                .trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_owned());
        }
    }
    None
}
