//! The vendor documents of the wire tests live in `tests/fixtures/wire/<vendor>/`, one file per
//! document; the folder's `README.md` gives each file's source. These checks keep the folders honest:
//! no document without its source, no document no test reads, no `.json` file that is not JSON.

use std::collections::BTreeSet;

use rampkit_tests::{PROVIDERS, workspace_root};

/// The files a README lists: the leading backquoted names of each `- ` entry (continued on the lines
/// indented below it), up to the ` — ` that starts the source.
fn listed(index: &str) -> BTreeSet<String> {
    let mut entries: Vec<String> = Vec::new();
    for line in index.lines() {
        if let Some(entry) = line.strip_prefix("- ") {
            entries.push(entry.to_owned());
        } else if let (Some(more), Some(entry)) = (line.strip_prefix("  "), entries.last_mut()) {
            entry.push(' ');
            entry.push_str(more);
        }
    }
    let mut names = BTreeSet::new();
    for entry in &entries {
        let (files, source) = entry.split_once(" — ").unwrap_or_else(|| {
            panic!("an entry names its files, then ` — ` and its source: {entry}")
        });
        assert!(!source.trim().is_empty(), "no source for {files}");
        for file in files.split(", ") {
            let name = file
                .strip_prefix('`')
                .and_then(|f| f.strip_suffix('`'))
                .unwrap_or_else(|| panic!("not a backquoted file name: {file}"));
            assert!(names.insert(name.to_owned()), "{name} is listed twice");
        }
    }
    names
}

#[test]
fn every_fixture_is_listed_with_its_source_and_read_by_a_wire_test() {
    let root = workspace_root();
    let mut sources = String::new();
    for entry in std::fs::read_dir(root.join("tests/tests/wire")).unwrap() {
        sources.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    for vendor in PROVIDERS.iter() {
        let folder = root.join("tests/fixtures/wire").join(vendor);
        let files: BTreeSet<String> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name != "README.md")
            .collect();
        let index = std::fs::read_to_string(folder.join("README.md")).unwrap();
        assert_eq!(
            files,
            listed(&index),
            "{vendor}: the files and the README entries differ"
        );
        for file in &files {
            let name = format!("{vendor}/{file}");
            assert!(
                sources.contains(&format!("\"{name}\"")),
                "{name} is read by no wire test"
            );
            if file.ends_with(".json") {
                let text = rampkit_tests::wire_fixture(&name);
                serde_json::from_str::<serde_json::Value>(text)
                    .unwrap_or_else(|e| panic!("{name} is not JSON ({e}): name it .jsonc"));
            }
        }
    }
}
