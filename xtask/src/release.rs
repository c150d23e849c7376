//! `cargo xtask release --provider P [--apply]`: the spec diff since the crate's last release becomes a
//! version bump and a CHANGELOG entry.
//!
//! The last release of `rampkit-<p>` at version `V` is the git tag `rampkit-<p>-vV`. Without that tag
//! (no release tagged yet) it is the last commit that changed the `version` line of
//! `crates/rampkit-<p>/Cargo.toml`. After `--apply`, commit and tag: `git tag rampkit-<p>-v<new>`.

use std::path::Path;
use std::process::Command;

use crate::diff::change::Change;
use crate::diff::input::{parse_spec, spec_at};
use crate::diff::report::{ProviderReport, report};
use crate::diff::rules::Level;
use crate::diff::version::{bump, crate_version};
use crate::providers::Provider;
use crate::tree::generate_tree;

/// The git revision of the crate's last release, and how it was found.
pub fn last_release(
    root: &Path,
    provider: &str,
    version: &str,
) -> Result<(String, String), String> {
    let tag = tag_name(provider, version);
    if git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("refs/tags/{tag}^{{commit}}"),
        ],
    )
    .is_ok()
    {
        return Ok((tag.clone(), format!("tag `{tag}`")));
    }
    let manifest = format!("crates/rampkit-{provider}/Cargo.toml");
    let commit = git(
        root,
        &[
            "log",
            "-1",
            "--format=%H",
            "-G",
            "^version *=",
            "--",
            &manifest,
        ],
    )?;
    let commit = commit.trim().to_owned();
    if commit.is_empty() {
        return Err(format!(
            "no tag `{tag}` and no commit that sets the version in {manifest}"
        ));
    }
    Ok((
        commit.clone(),
        format!(
            "no tag `{tag}`: the last commit that changed the version in {manifest} ({})",
            &commit[..commit.len().min(12)]
        ),
    ))
}

pub fn tag_name(provider: &str, version: &str) -> String {
    format!("rampkit-{provider}-v{version}")
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Today's date (UTC), `YYYY-MM-DD`, from the system clock (civil-from-days, Howard Hinnant).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The Keep a Changelog section of a change.
fn section(c: &Change) -> &'static str {
    if c.rule.contains("removed") {
        "Removed"
    } else if c.rule.contains("added") && c.level() <= Level::Additive {
        "Added"
    } else {
        "Changed"
    }
}

/// The dated CHANGELOG entry for a report: Keep a Changelog sections, one line per change, each with
/// the vendor page it comes from.
pub fn changelog_entry(report: &ProviderReport, date: &str, base: &str) -> String {
    let mut out = format!(
        "## [{}] - {date}\n\nRegenerated from `specs/{}.yaml` (spec changes since {base}; {} for the vendor API, proposed by `cargo xtask diff`).\n",
        report.proposed,
        report.provider,
        report.level.as_str()
    );
    for name in ["Added", "Changed", "Removed"] {
        let lines: Vec<String> = report
            .changes
            .iter()
            .filter(|c| section(c) == name)
            .map(|c| {
                let breaking = if c.level() == Level::Breaking {
                    "**Breaking:** "
                } else {
                    ""
                };
                let source = c
                    .source
                    .as_deref()
                    .map(|s| format!(" ([vendor doc]({s}))"))
                    .unwrap_or_default();
                format!("- {breaking}{} (`{}`){source}\n", c.message, c.rule)
            })
            .collect();
        if !lines.is_empty() {
            out.push_str(&format!("\n### {name}\n\n"));
            lines.iter().for_each(|l| out.push_str(l));
        }
    }
    out
}

/// `text` with `entry` inserted before the first `## [` heading (after the preamble). A hand-written
/// `## [Unreleased]` section becomes part of the release: its heading is replaced by the entry and its
/// notes join the entry's sections of the same name (`### Added`, `### Changed`…) after the generated
/// lines, so the release has one section of each kind.
pub fn prepend_entry(text: &str, entry: &str) -> String {
    if let Some((at, notes)) = unreleased_section(text) {
        return format!(
            "{}{}\n\n{}",
            &text[..=at],
            merge_notes(entry, &text[notes.clone()]).trim_end(),
            &text[notes.end..]
        );
    }
    match text.find("\n## [") {
        Some(i) => format!("{}{entry}\n{}", &text[..=i], &text[i + 1..]),
        None => format!("{}\n\n{entry}", text.trim_end()),
    }
}

const UNRELEASED: &str = "\n## [Unreleased]";

/// Where the changelog's `## [Unreleased]` section is: the offset of the newline before its heading,
/// and the range of its body (up to the next `## [` heading).
fn unreleased_section(text: &str) -> Option<(usize, std::ops::Range<usize>)> {
    let at = text.find(UNRELEASED)?;
    let start = at + UNRELEASED.len();
    let end = text[start..]
        .find("\n## [")
        .map_or(text.len(), |i| start + i + 1);
    Some((at, start..end))
}

/// A changelog entry split at its `### ` headings: the text before the first one, and each
/// `(heading, body)`.
fn split_sections(text: &str) -> (String, Vec<(String, String)>) {
    let mut head = String::new();
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        match (line.strip_prefix("### "), sections.last_mut()) {
            (Some(name), _) => sections.push((name.trim().to_owned(), String::new())),
            (None, Some((_, body))) => body.push_str(line),
            (None, None) => head.push_str(line),
        }
    }
    (head, sections)
}

/// `entry` with the hand-written `notes` of an `[Unreleased]` section merged in.
fn merge_notes(entry: &str, notes: &str) -> String {
    let (head, mut sections) = split_sections(entry);
    let (intro, noted) = split_sections(notes);
    for (name, body) in noted {
        match sections.iter_mut().find(|(n, _)| *n == name) {
            Some((_, mine)) => {
                *mine = format!("{}\n{}", mine.trim_end(), body.trim_start_matches('\n'));
            }
            None => sections.push((name, body)),
        }
    }
    let mut out = head.trim_end().to_owned();
    if !intro.trim().is_empty() {
        out.push_str(&format!("\n\n{}", intro.trim()));
    }
    for (name, body) in sections {
        out.push_str(&format!("\n\n### {name}\n\n{}", body.trim()));
    }
    out.push('\n');
    out
}

/// `[package] version = "…"` replaced in a Cargo.toml.
pub fn set_package_version(toml: &str, version: &str) -> Result<String, String> {
    let mut in_package = false;
    let mut done = false;
    let mut out = String::new();
    for line in toml.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[package]";
        }
        if in_package && !done && t.starts_with("version") && t.contains('=') {
            out.push_str(&format!("version = \"{version}\"\n"));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    done.then_some(out)
        .ok_or_else(|| "no `version` in [package]".to_owned())
}

/// The caret requirement other crates use for `version`: `0.2` below 1.0, `1` from 1.0.
pub fn caret(version: &str) -> String {
    let mut parts = version.split('.');
    let major = parts.next().unwrap_or("0");
    let minor = parts.next().unwrap_or("0");
    if major == "0" {
        format!("0.{minor}")
    } else {
        major.to_owned()
    }
}

/// The `[workspace.dependencies]` line of `krate` with its requirement set to `req`.
pub fn set_workspace_requirement(toml: &str, krate: &str, req: &str) -> Result<String, String> {
    let prefix = format!("{krate} = {{");
    let mut done = false;
    let mut out = String::new();
    for line in toml.split_inclusive('\n') {
        if line.starts_with(&prefix) && line.contains("version = \"") {
            let start = line.find("version = \"").expect("checked") + "version = \"".len();
            let end = start + line[start..].find('"').ok_or("unterminated version")?;
            out.push_str(&format!("{}{req}{}", &line[..start], &line[end..]));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    done.then_some(out).ok_or_else(|| {
        format!("no `{krate} = {{ … version = \"…\" }}` in [workspace.dependencies]")
    })
}

/// The version of a workspace member in Cargo.lock.
pub fn set_lock_version(lock: &str, krate: &str, version: &str) -> Result<String, String> {
    let needle = format!("name = \"{krate}\"\n");
    let i = lock
        .find(&needle)
        .ok_or_else(|| format!("Cargo.lock has no package `{krate}`"))?;
    let after = i + needle.len();
    let rest = &lock[after..];
    let line_end = rest.find('\n').ok_or("truncated Cargo.lock")?;
    if !rest[..line_end].starts_with("version = ") {
        return Err(format!("Cargo.lock: no version after `{krate}`"));
    }
    Ok(format!(
        "{}version = \"{version}\"{}",
        &lock[..after],
        &rest[line_end..]
    ))
}

/// What `cargo xtask release` is asked to do.
pub struct Options<'a> {
    pub apply: bool,
    pub date: Option<&'a str>,
    /// Release a breaking version whatever the spec diff says (a generator or hand-written change that
    /// breaks callers, which cargo-semver-checks found).
    pub breaking: bool,
    /// Skip the cross-check with cargo-semver-checks.
    pub no_semver_checks: bool,
}

pub fn run(root: &Path, provider: &'static Provider, opts: &Options<'_>) -> Result<(), String> {
    let (apply, date) = (opts.apply, opts.date);
    let krate = format!("rampkit-{}", provider.name);
    let current = crate_version(root, &krate)?;
    let (base, how) = last_release(root, provider.name, &current)?;
    let rel = format!("specs/{}.yaml", provider.name);
    let raw = std::fs::read(root.join(&rel)).map_err(|e| format!("{rel}: {e}"))?;
    let new = parse_spec(&raw, &rel).map_err(|e| e.0)?;
    let old = spec_at(root, &base, provider.name).map_err(|e| e.0)?;
    let mut report = report(root, provider.name, old.as_ref(), &new)?;
    println!("last release of {krate} {current}: {how}");
    let changelog = root.join(format!("crates/{krate}/CHANGELOG.md"));
    let old_log = std::fs::read_to_string(&changelog).unwrap_or_else(|_| {
        format!("# Changelog of {krate}\n\nAll notable changes; the format follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/) and the crate follows [semantic versioning](https://semver.org/).\n")
    });
    // A hand-written breaking note (a changed constructor, a removed feature) breaks callers as
    // surely as a spec change: the version follows the worse of the two, as with --breaking.
    let notes = unreleased_section(&old_log).map(|(_, r)| &old_log[r]);
    let noted = notes.is_some_and(|n| n.contains("**Breaking:**"));
    let forced = (opts.breaking || noted) && report.level < Level::Breaking;
    if forced {
        report.level = Level::Breaking;
        report.proposed = bump(&current, Level::Breaking)?;
        if opts.breaking {
            println!("--breaking: a breaking release whatever the spec diff says");
        } else {
            println!(
                "its [Unreleased] notes name a breaking change: the version is bumped as breaking"
            );
        }
    }
    // Before "nothing to release": an unchanged spec does not mean an unchanged crate (the generator
    // or a hand-written module may have broken callers), which cargo-semver-checks sees.
    if opts.no_semver_checks {
        println!("cargo-semver-checks: skipped (--no-semver-checks)");
    } else {
        crate::semver_checks::cross_check(
            root,
            &krate,
            &current,
            &base,
            &report,
            opts.breaking || noted,
        )?;
    }
    if report.level == Level::None {
        println!("{rel} has not changed since: nothing to release");
        return Ok(());
    }
    let date = date.map(str::to_owned).unwrap_or_else(today);
    let base_label = if base.starts_with("rampkit-") {
        format!("`{base}`")
    } else {
        format!("commit {}", &base[..base.len().min(12)])
    };
    let mut entry = changelog_entry(&report, &date, &base_label);
    if forced {
        entry = entry.replace(
            "breaking for the vendor API, proposed by `cargo xtask diff`)",
            "released as breaking: the crate's API broke beyond the spec, see the notes below)",
        );
    }
    let manifest = root.join(format!("crates/{krate}/Cargo.toml"));
    let req = caret(&report.proposed);
    let verb = if apply { "" } else { "would " };
    println!(
        "{krate}: {current} → {} ({} changes, {})",
        report.proposed,
        report.changes.len(),
        report.level.as_str()
    );
    println!(
        "{verb}set version {} in crates/{krate}/Cargo.toml and Cargo.lock",
        report.proposed
    );
    if caret(&current) != req {
        println!("{verb}require {krate} = \"{req}\" in [workspace.dependencies]");
    }
    let (written, joined) = match notes {
        Some(notes) => (
            merge_notes(&entry, notes),
            " (its [Unreleased] notes joined)",
        ),
        None => (entry.clone(), ""),
    };
    println!("{verb}prepend to crates/{krate}/CHANGELOG.md{joined}:\n\n{written}");
    println!(
        "{verb}regenerate crates/{krate}/src/generated.rs (and its spec/ copy), README.md and docs/operations.md"
    );
    for f in &report.facade {
        println!("facade (rampkit): {f}");
    }
    if !apply {
        println!("\nrun again with --apply to do it");
        return Ok(());
    }

    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let text = set_package_version(&text, &report.proposed)
        .map_err(|e| format!("crates/{krate}/Cargo.toml: {e}"))?;
    std::fs::write(&manifest, text).map_err(|e| e.to_string())?;

    let ws = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&ws).map_err(|e| format!("Cargo.toml: {e}"))?;
    let text =
        set_workspace_requirement(&text, &krate, &req).map_err(|e| format!("Cargo.toml: {e}"))?;
    std::fs::write(&ws, text).map_err(|e| e.to_string())?;

    let lock = root.join("Cargo.lock");
    let text = std::fs::read_to_string(&lock).map_err(|e| format!("Cargo.lock: {e}"))?;
    let text = set_lock_version(&text, &krate, &report.proposed)?;
    std::fs::write(&lock, text).map_err(|e| e.to_string())?;

    std::fs::write(&changelog, prepend_entry(&old_log, &entry)).map_err(|e| e.to_string())?;

    if !generate_tree(root, &[provider], false, false) {
        return Err("regeneration failed (see above)".to_owned());
    }
    println!(
        "done. Review, commit, then tag the release: git tag {}",
        tag_name(provider.name, &report.proposed)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The options of a release on a scratch copy: cargo-semver-checks (when installed) is exercised
    /// by `cargo xtask proofs --semver-checks`, not here.
    fn scratch_options(apply: bool, date: &str) -> Options<'_> {
        Options {
            apply,
            date: Some(date),
            breaking: false,
            no_semver_checks: true,
        }
    }
    use crate::diff::version::bump;
    use std::path::PathBuf;

    /// A `git clone` of this checkout at its HEAD, in a temp dir, with the working tree's uncommitted
    /// generator-relevant files copied over (so the test checks the code under test, committed or not).
    fn scratch(name: &str) -> PathBuf {
        let root = crate::workspace::workspace_root();
        let dir = std::env::temp_dir().join(format!("rampkit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let head = git(&root, &["rev-parse", "HEAD"]).unwrap();
        let status = Command::new("git")
            .args(["clone", "--quiet", "--no-checkout"])
            .arg(&root)
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success());
        git(&dir, &["checkout", "--quiet", head.trim()]).unwrap();
        for rel in tracked_changes(&root) {
            let from = root.join(&rel);
            let to = dir.join(&rel);
            if from.exists() {
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(&from, &to).unwrap();
            }
        }
        git(
            &dir,
            &[
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "commit",
                "--quiet",
                "--allow-empty",
                "-am",
                "scratch",
            ],
        )
        .unwrap();
        dir
    }

    fn tracked_changes(root: &Path) -> Vec<String> {
        git(root, &["status", "--porcelain", "--untracked-files=all"])
            .unwrap()
            .lines()
            .map(|l| l[3..].to_owned())
            .filter(|p| !p.starts_with("xtask/") && !p.ends_with(".snap.new"))
            .collect()
    }

    fn edit(path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains(from), "{} has no `{from}`", path.display());
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    #[test]
    fn release_apply_on_a_scratch_copy() {
        let dir = scratch("release");
        let version = crate_version(&dir, "rampkit-kriptomat").unwrap();
        git(&dir, &["add", "-A"]).unwrap();
        git(
            &dir,
            &[
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "commit",
                "--quiet",
                "--allow-empty",
                "-m",
                "x",
            ],
        )
        .unwrap();
        git(&dir, &["tag", &tag_name("kriptomat", &version)]).unwrap();
        assert_eq!(
            last_release(&dir, "kriptomat", &version).unwrap().0,
            tag_name("kriptomat", &version)
        );

        // The vendor adds a KYC status: additive.
        let spec = dir.join("specs/kriptomat.yaml");
        edit(
            &spec,
            "        - not_started\n",
            "        - not_started\n        - expired\n",
        );
        let kriptomat = &crate::providers::PROVIDERS[1];
        assert_eq!(kriptomat.name, "kriptomat");
        run(&dir, kriptomat, &scratch_options(false, "2026-12-01")).unwrap();
        assert_eq!(
            crate_version(&dir, "rampkit-kriptomat").unwrap(),
            version,
            "a dry run changes nothing"
        );

        // Additive, unless the crate's [Unreleased] notes name a breaking change.
        let notes = std::fs::read_to_string(dir.join("crates/rampkit-kriptomat/CHANGELOG.md"))
            .unwrap_or_default();
        let hand_breaking =
            unreleased_section(&notes).is_some_and(|(_, r)| notes[r].contains("**Breaking:**"));
        let level = if hand_breaking {
            Level::Breaking
        } else {
            Level::Additive
        };
        run(&dir, kriptomat, &scratch_options(true, "2026-12-01")).unwrap();
        let new_version = bump(&version, level).unwrap();
        assert_eq!(
            crate_version(&dir, "rampkit-kriptomat").unwrap(),
            new_version
        );
        let lock = std::fs::read_to_string(dir.join("Cargo.lock")).unwrap();
        assert!(lock.contains(&format!(
            "name = \"rampkit-kriptomat\"\nversion = \"{new_version}\"\n"
        )));
        let ws = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(
            ws.contains(&format!(
                "rampkit-kriptomat = {{ path = \"crates/rampkit-kriptomat\", version = \"{}\", default-features = false }}",
                caret(&new_version)
            )),
            "{ws}"
        );
        let log =
            std::fs::read_to_string(dir.join("crates/rampkit-kriptomat/CHANGELOG.md")).unwrap();
        let entry = log
            .find(&format!("## [{new_version}] - 2026-12-01"))
            .expect("new entry");
        let first = log.find("## [0.1.0]").expect("0.1.0 entry kept");
        assert!(entry < first, "the new entry comes first");
        assert!(
            log.contains("### Added\n\n- `KycStatus` gained the value `expired`"),
            "{log}"
        );
        assert!(log.contains("(`response-property-enum-value-added`) ([vendor doc](https://developer.kriptomat.io/"), "{log}");
        // Regenerated: the tree is what `generate --check` expects.
        let lib =
            std::fs::read_to_string(dir.join("crates/rampkit-kriptomat/src/generated.rs")).unwrap();
        assert!(lib.contains("Expired"));
        assert!(generate_tree(
            &dir,
            &crate::providers::PROVIDERS.iter().collect::<Vec<_>>(),
            true,
            false
        ));

        // A breaking change on top: the minor version moves and so does the caret requirement.
        git(
            &dir,
            &[
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "commit",
                "--quiet",
                "-am",
                "release",
            ],
        )
        .unwrap();
        git(&dir, &["tag", &tag_name("kriptomat", &new_version)]).unwrap();
        edit(&spec, "        - not_started\n", "");
        run(&dir, kriptomat, &scratch_options(true, "2026-12-02")).unwrap();
        let third = bump(&new_version, Level::Breaking).unwrap();
        assert_eq!(crate_version(&dir, "rampkit-kriptomat").unwrap(), third);
        let ws = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(ws.contains(&format!(
            "version = \"{}\", default-features = false }}",
            caret(&third)
        )));
        let log =
            std::fs::read_to_string(dir.join("crates/rampkit-kriptomat/CHANGELOG.md")).unwrap();
        assert!(
            log.contains("### Removed\n\n- **Breaking:** `KycStatus` lost the value `not_started`"),
            "{log}"
        );
        assert!(generate_tree(
            &dir,
            &crate::providers::PROVIDERS.iter().collect::<Vec<_>>(),
            true,
            false
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn generate_one_provider_keeps_the_tree_fresh() {
        let dir = scratch("generate-one");
        // A new operation changes the README counts and docs/operations.md.
        let spec = dir.join("specs/sumsub.yaml");
        let text = std::fs::read_to_string(&spec).unwrap();
        let value: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
        let (path, item) = value["paths"].as_object().unwrap().iter().next().unwrap();
        let mut item = item.clone();
        for (_, op) in item.as_object_mut().unwrap().iter_mut() {
            if let Some(id) = op
                .get("operationId")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
            {
                op["operationId"] = serde_json::json!(format!("{id}_again"));
            }
        }
        let mut value = value.clone();
        value["paths"][format!("{path}/again")] = item;
        std::fs::write(&spec, serde_yaml_ng::to_string(&value).unwrap()).unwrap();
        let all: Vec<_> = crate::providers::PROVIDERS.iter().collect();
        assert!(!generate_tree(&dir, &all, true, false), "stale before");
        let sumsub = crate::providers::select(Some("sumsub")).unwrap();
        assert!(generate_tree(&dir, &sumsub, false, false));
        assert!(
            generate_tree(&dir, &all, true, false),
            "fresh after generate --provider sumsub"
        );
        let ops = std::fs::read_to_string(dir.join("docs/operations.md")).unwrap();
        assert!(ops.contains("_again"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn helpers() {
        assert_eq!(caret("0.1.4"), "0.1");
        assert_eq!(caret("0.2.0"), "0.2");
        assert_eq!(caret("1.3.0"), "1");
        let toml =
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(
            set_package_version(toml, "0.1.1").unwrap(),
            "[package]\nname = \"x\"\nversion = \"0.1.1\"\n\n[dependencies]\nversion = \"9\"\n"
        );
        let ws = "a = 1\nrampkit-leap = { path = \"crates/rampkit-leap\", version = \"0.1\" }\n";
        assert_eq!(
            set_workspace_requirement(ws, "rampkit-leap", "0.2").unwrap(),
            "a = 1\nrampkit-leap = { path = \"crates/rampkit-leap\", version = \"0.2\" }\n"
        );
        assert!(set_workspace_requirement(ws, "rampkit-sumsub", "0.2").is_err());
        let log = "# Changelog\n\nIntro.\n\n## [0.1.0] - 2026-11-30\n\n- first\n";
        assert_eq!(
            prepend_entry(log, "## [0.1.1] - 2026-12-01\n\n- second\n"),
            "# Changelog\n\nIntro.\n\n## [0.1.1] - 2026-12-01\n\n- second\n\n## [0.1.0] - 2026-11-30\n\n- first\n"
        );
        let log = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- a feature\n\n## [0.1.0] - 2026-11-30\n\n- first\n";
        assert_eq!(
            prepend_entry(log, "## [0.1.1] - 2026-12-01\n\n- second\n"),
            "# Changelog\n\nIntro.\n\n## [0.1.1] - 2026-12-01\n\n- second\n\n### Added\n\n- a feature\n\n## [0.1.0] - 2026-11-30\n\n- first\n"
        );
        // Hand-written notes join the generated sections of the same name; others follow.
        let log = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- a feature\n  on two lines\n\n### Fixed\n\n- a fix\n\n## [0.1.0] - 2026-11-30\n\n- first\n";
        let entry = "## [0.2.0] - 2026-12-01\n\nRegenerated.\n\n### Added\n\n- an operation\n\n### Changed\n\n- a type\n";
        assert_eq!(
            prepend_entry(log, entry),
            "# Changelog\n\nIntro.\n\n## [0.2.0] - 2026-12-01\n\nRegenerated.\n\n### Added\n\n- an operation\n- a feature\n  on two lines\n\n### Changed\n\n- a type\n\n### Fixed\n\n- a fix\n\n## [0.1.0] - 2026-11-30\n\n- first\n"
        );
        let today = today();
        assert_eq!(today.len(), 10);
        assert!(today.starts_with("20"));
    }
}
