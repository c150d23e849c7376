//! `cargo xtask proofs`: the diff's Rust-API judgments proved by compiling. For every row of the rule
//! table (`edits/`, the same edits the diff's tests classify) the toy provider's crate is generated
//! before and after the spec edit, and a consumer written against the crate before the edit
//! (`consumers.rs`) is `cargo check`ed against the crate after it: it must compile exactly when the
//! diff's Rust judgment of the edit is not breaking (none, docs or additive), and fail when it is.
//!
//! Everything is one scratch Cargo workspace under `target/proofs/` (one crate per generated toy, one
//! per consumer) checked by one `cargo check --keep-going`, so cargo builds the crates in parallel and
//! the dependencies once; its target directory stays for the next run.
//!
//! With `--semver-checks`, each pair of generated crates also goes through cargo-semver-checks, and the
//! report counts the rows on which it agrees with the diff's Rust judgment (`release.rs` does the same
//! for a real release).

pub mod consumers;
pub mod edits;
pub mod toy;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

use crate::diff::engine::{self, Options};
use crate::diff::rules::Level;
use crate::postprocess::emitters::header::generator_versions;
use crate::semver_checks;
use edits::{CREATE, Edit, GET, at};

/// One proof: a name, the edits that make the spec before (the toy, unless `base`) and after it.
pub struct Proof {
    pub name: &'static str,
    pub base: Option<Edit>,
    pub edit: Edit,
}

/// The rule table's rows, and the rules whose row needs a base of its own.
pub fn proofs() -> Vec<Proof> {
    let mut out: Vec<Proof> = edits::rows()
        .into_iter()
        .map(|(name, edit, ..)| {
            let (base, edit): (Option<Edit>, Edit) = match name {
                "parameter typed as an identifier" => (Some(string_id), edit),
                // A path parameter cannot be optional (progenitor refuses it): the query parameter.
                "parameter became optional" => (
                    Some(|v| at(v, &format!("{GET}/parameters/1"))["required"] = json!(true)),
                    |v| at(v, &format!("{GET}/parameters/1"))["required"] = json!(false),
                ),
                // The host an operation names must be a server's (lint).
                "x-host added" => (Some(vault_server), edit),
                // One error response must stay (lint): the base has two.
                "error status removed" => (
                    Some(|v| {
                        let e = at(v, &format!("{CREATE}/responses/4XX")).clone();
                        edits::obj(at(v, &format!("{CREATE}/responses"))).insert("5XX".into(), e);
                    }),
                    |v| {
                        edits::obj(at(v, &format!("{CREATE}/responses"))).remove("5XX");
                    },
                ),
                _ => (None, edit),
            };
            Proof { name, base, edit }
        })
        .collect();
    out.extend(
        edits::own_base()
            .into_iter()
            .map(|(name, base, edit)| Proof {
                name,
                base: Some(base),
                edit,
            }),
    );
    out
}

/// A server with the host `vault`.
fn vault_server(v: &mut Value) {
    at(v, "/servers")
        .as_array_mut()
        .expect("servers")
        .push(json!({
            "url": "https://vault.toy.example", "x-environment": "production", "x-host": "vault"
        }));
}

/// `{id}` as a string, which `x-identifier-type` may mark (the toy's `id` is an integer).
fn string_id(v: &mut Value) {
    at(v, &format!("{GET}/parameters/0"))["schema"] = json!({"type": "string"});
}

/// What one proof showed.
pub struct Outcome {
    pub name: &'static str,
    /// The diff's Rust-API judgment of the edit (the highest over its changes) and its rules.
    pub rust_api: Level,
    pub rules: Vec<&'static str>,
    /// `Some(compiles)`, or `None` when the crate after the edit was not generated or did not build.
    pub compiles: Option<bool>,
    /// Why the generator refused the spec after the edit.
    pub refused: Option<String>,
    /// cargo-semver-checks' verdict (`true`: a major bump needed), when asked.
    pub semver_major: Option<bool>,
}

impl Outcome {
    /// Whether the compiler agrees with the judgment. `unclassified-change` is no judgment but the
    /// fallback for a change no rule knows (breaking until a maintainer reviews it), so whatever the
    /// compiler says agrees with it.
    pub fn holds(&self) -> bool {
        if self.rules.contains(&"unclassified-change") {
            return self.compiles.is_some();
        }
        self.compiles == Some(self.rust_api < Level::Breaking)
    }
}

/// Options of a run.
pub struct Run<'a> {
    /// Only the proofs whose name contains one of these (all when empty).
    pub filter: &'a [String],
    pub semver_checks: bool,
}

/// Generates the scratch workspace, checks it, and returns one outcome per proof.
pub fn run(root: &Path, opts: &Run<'_>) -> Result<Vec<Outcome>, String> {
    let started = Instant::now();
    let dir = root.join("target/proofs");
    let ws = dir.join("ws");
    if ws.exists() {
        std::fs::remove_dir_all(&ws).map_err(|e| format!("{}: {e}", ws.display()))?;
    }
    std::fs::create_dir_all(&ws).map_err(|e| format!("{}: {e}", ws.display()))?;
    let generator = generator_versions(root)?;
    if opts.semver_checks {
        if semver_checks::installed().is_none() {
            return Err(
                "--semver-checks: cargo-semver-checks is not installed (`cargo install \
                        cargo-semver-checks --locked`)"
                    .to_owned(),
            );
        }
        let _ = std::fs::remove_dir_all(dir.join("rustdoc"));
    }

    let selected: Vec<Proof> = proofs()
        .into_iter()
        .filter(|p| opts.filter.is_empty() || opts.filter.iter().any(|f| p.name.contains(f)))
        .collect();
    if selected.is_empty() {
        return Err("no proof matches the filter".to_owned());
    }

    let mut members = Vec::new();
    let mut befores: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut judged = Vec::new();
    let mut refused: BTreeMap<usize, String> = BTreeMap::new();
    for (i, proof) in selected.iter().enumerate() {
        let consumer = consumers::consumer(proof.name).ok_or_else(|| {
            format!(
                "proof `{}` has no consumer (proofs/consumers.rs)",
                proof.name
            )
        })?;
        let mut old = toy::spec();
        if let Some(base) = proof.base {
            base(&mut old);
        }
        let mut new = old.clone();
        (proof.edit)(&mut new);
        let changes = engine::compare(&old, &new, &Options::default());
        let rust_api = changes
            .iter()
            .map(|c| c.rust_api)
            .max()
            .unwrap_or(Level::None);
        let rules: Vec<&'static str> = changes.iter().map(|c| c.rule).collect();
        judged.push((rust_api, rules));

        // The crate before the edit: shared by every proof on the plain toy.
        let before = if proof.base.is_some() {
            let name = format!("before-{i}");
            write_toy(&ws.join(&name), &name, &old, &generator)?;
            members.push(name.clone());
            name
        } else {
            if !befores.contains_key("before") {
                write_toy(&ws.join("before"), "before", &old, &generator)?;
                members.push("before".to_owned());
            }
            "before".to_owned()
        };
        befores.entry(before).or_default().push(i);

        // A spec the generator refuses (its lint) cannot be released: the proof shows it as such.
        let after = format!("after-{i}");
        match write_toy(&ws.join(&after), &after, &new, &generator) {
            Ok(()) => {
                let name = format!("consumer-{i}");
                write_consumer(&ws.join(&name), &name, &after, consumer)?;
                members.push(after);
                members.push(name);
            }
            Err(e) => {
                refused.insert(i, e);
            }
        }
    }
    // Every consumer compiles against the crate it was written for.
    for (before, cases) in &befores {
        let name = format!("consumer-{before}");
        let all: String = cases
            .iter()
            .map(|&i| {
                let code = consumers::consumer(selected[i].name).unwrap_or_default();
                format!("mod case_{i} {{\n{code}\n}}\n")
            })
            .collect();
        write_consumer(&ws.join(&name), &name, before, &all)?;
        members.push(name);
    }
    write_workspace(root, &ws, &members)?;
    eprintln!(
        "proofs: {} crates generated in {:.1} s; checking…",
        members.len(),
        started.elapsed().as_secs_f64()
    );

    let failed = cargo_check(&ws, &dir.join("target"))?;
    let mut bad_before: Vec<&String> = befores
        .keys()
        .filter(|b| failed.contains(*b) || failed.contains(&format!("consumer-{b}")))
        .collect();
    bad_before.dedup();
    if !bad_before.is_empty() {
        return Err(format!(
            "the consumers do not compile against the crate they were written for ({}): see \
             `cargo check` in {}",
            bad_before
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            ws.display()
        ));
    }

    let mut out = Vec::new();
    for (i, (proof, (rust_api, rules))) in selected.iter().zip(judged).enumerate() {
        let after = format!("after-{i}");
        let generated = !refused.contains_key(&i) && !failed.contains(&after);
        let compiles = generated.then(|| !failed.contains(&format!("consumer-{i}")));
        let semver_major = if opts.semver_checks && generated {
            let before = befores
                .iter()
                .find(|(_, cases)| cases.contains(&i))
                .map(|(b, _)| b.clone())
                .unwrap_or_default();
            Some(semver_pair(&ws, &dir, &before, &after)?)
        } else {
            None
        };
        out.push(Outcome {
            name: proof.name,
            rust_api,
            rules,
            compiles,
            refused: refused.get(&i).cloned(),
            semver_major,
        });
    }
    eprintln!("proofs: done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(out)
}

/// cargo-semver-checks' verdict on the toy crate `after` against `before` (members of the scratch
/// workspace `ws`): their rustdoc JSON, then the check.
fn semver_pair(ws: &Path, dir: &Path, before: &str, after: &str) -> Result<bool, String> {
    let docs = dir.join("rustdoc");
    std::fs::create_dir_all(&docs).map_err(|e| format!("{}: {e}", docs.display()))?;
    let target = dir.join("target");
    let json = |name: &str| -> Result<PathBuf, String> {
        let out = docs.join(format!("{name}.json"));
        if !out.exists() {
            semver_checks::rustdoc_json(ws, &target, &format!("toy-{name}"), "toy", &out)?;
        }
        Ok(out)
    };
    let (old, new) = (json(before)?, json(after)?);
    semver_checks::between_rustdocs(&old, &new, toy::VERSION, dir)
}

/// The toy crate generated from `spec` in `dir`, as package `toy-<name>` (library `toy`).
fn write_toy(dir: &Path, name: &str, spec: &Value, generator: &str) -> Result<(), String> {
    let generated = crate::generate::generate_spec(&toy::as_spec(spec), &toy::PROVIDER, generator)?;
    let mut files: Vec<(PathBuf, String)> = vec![
        (
            dir.join("Cargo.toml"),
            toy::manifest(&format!("toy-{name}")),
        ),
        (dir.join("src/generated.rs"), generated.code),
        (
            dir.join("src/lib.rs"),
            crate::crate_root::lib_rs(&toy::PROVIDER),
        ),
    ];
    for (path, text) in toy::HAND_WRITTEN {
        files.push((dir.join(path), (*text).to_owned()));
    }
    for (path, text) in files {
        write(&path, &text)?;
    }
    Ok(())
}

fn write_consumer(dir: &Path, name: &str, toy: &str, code: &str) -> Result<(), String> {
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nserde_json.workspace = true\ntoy = {{ package = \"toy-{toy}\", path = \"../{toy}\" }}\n"
        ),
    )?;
    write(
        &dir.join("src/lib.rs"),
        &format!(
            "#![allow(dead_code, unused_imports, unused_variables, unreachable_code)]\n{code}\n"
        ),
    )
}

/// The scratch workspace's manifest: its members, the root's `[workspace.dependencies]` (path
/// dependencies made absolute) and the root's lock file.
fn write_workspace(root: &Path, ws: &Path, members: &[String]) -> Result<(), String> {
    let manifest =
        std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    let deps = manifest
        .split("[workspace.dependencies]")
        .nth(1)
        .ok_or("Cargo.toml: no [workspace.dependencies]")?;
    let deps = deps.split("\n[").next().unwrap_or_default();
    let deps = deps.replace("path = \"", &format!("path = \"{}/", root.display()));
    let list: String = members.iter().map(|m| format!("    \"{m}\",\n")).collect();
    write(
        &ws.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [\n{list}]\n\n[workspace.dependencies]{deps}\n\
             [profile.dev]\ndebug = false\n"
        ),
    )?;
    std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock"))
        .map(|_| ())
        .map_err(|e| format!("Cargo.lock: {e}"))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `cargo check` of the whole scratch workspace; the members that had a compile error.
fn cargo_check(ws: &Path, target: &Path) -> Result<BTreeSet<String>, String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--offline",
            "--message-format=json",
        ])
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(ws)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut failed = BTreeSet::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if msg["reason"] == "compiler-message" && msg["message"]["level"] == "error" {
            // `path+file:///…/ws/<member>#<name>@0.0.0`: the member is the last path segment.
            let id = msg["package_id"].as_str().unwrap_or_default();
            let path = id.split('#').next().unwrap_or_default();
            if let Some(member) = path.rsplit('/').next() {
                failed.insert(member.to_owned());
            }
        }
    }
    let finished = String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.contains("\"reason\":\"build-finished\""));
    if !finished {
        return Err(format!(
            "cargo check did not run: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(failed)
}

/// The report: one line per proof, then the counts; `Err` when a proof does not hold.
pub fn report(outcomes: &[Outcome]) -> Result<String, String> {
    let mut text = String::new();
    let mut wrong = Vec::new();
    let (mut agree, mut asked, mut refused) = (0, 0, 0);
    for o in outcomes {
        let verdict = match (o.compiles, &o.refused) {
            (Some(true), _) => "compiles".to_owned(),
            (Some(false), _) => "fails".to_owned(),
            (None, Some(why)) => format!("not generated: {why}"),
            (None, None) => "the crate after the edit does not build".to_owned(),
        };
        let semver = match o.semver_major {
            Some(major) => {
                asked += 1;
                let ours = o.rust_api == Level::Breaking;
                if ours == major {
                    agree += 1;
                }
                format!(
                    "; cargo-semver-checks: {}{}",
                    if major { "major" } else { "minor or patch" },
                    if ours == major { "" } else { " (DISAGREES)" }
                )
            }
            None => String::new(),
        };
        let mark = if o.refused.is_some() {
            "n/a"
        } else if o.holds() {
            "ok "
        } else {
            "BAD"
        };
        text.push_str(&format!(
            "{mark} {}: Rust API {} ({}) → consumer {verdict}{semver}\n",
            o.name,
            o.rust_api.as_str(),
            if o.rules.is_empty() {
                "no change".to_owned()
            } else {
                o.rules.join(", ")
            },
        ));
        if o.refused.is_some() {
            refused += 1;
        } else if !o.holds() {
            wrong.push(o.name);
        }
    }
    text.push_str(&format!(
        "{} of {} proofs hold, {refused} not applicable (the generator's lint refuses the spec after \
         the edit: no crate to release)",
        outcomes.len() - wrong.len() - refused,
        outcomes.len()
    ));
    if asked > 0 {
        text.push_str(&format!(
            "; cargo-semver-checks agrees on {agree} of {asked}"
        ));
    }
    text.push('\n');
    if wrong.is_empty() {
        Ok(text)
    } else {
        Err(format!(
            "{text}judgment contradicted by the compiler: {wrong:?}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{consumers, proofs};
    use crate::diff::engine::{self, Options};
    use crate::diff::rules::RULES;

    #[test]
    fn every_proof_has_a_consumer_and_a_name_of_its_own() {
        let mut names = BTreeSet::new();
        for p in proofs() {
            assert!(
                consumers::consumer(p.name).is_some(),
                "{}: no consumer",
                p.name
            );
            assert!(names.insert(p.name), "{}: two proofs", p.name);
        }
    }

    #[test]
    fn every_rule_has_a_proof() {
        let mut proved = BTreeSet::new();
        for p in proofs() {
            let mut old = super::toy::spec();
            if let Some(base) = p.base {
                base(&mut old);
            }
            let mut new = old.clone();
            (p.edit)(&mut new);
            proved.extend(
                engine::compare(&old, &new, &Options::default())
                    .iter()
                    .map(|c| c.rule),
            );
        }
        let missing: Vec<&str> = RULES
            .iter()
            .map(|r| r.0)
            .filter(|r| !proved.contains(r))
            .collect();
        assert!(missing.is_empty(), "rules without a proof: {missing:?}");
    }
}
