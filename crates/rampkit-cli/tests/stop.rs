//! A batch on a log collector and under SIGTERM: progress lines when stderr is not a terminal, and a
//! graceful stop that prints the partial report, says how to resume and exits 130.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use common::{fixture, root, write};

#[test]
fn sigterm_stops_a_batch_gracefully_with_progress_lines_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let customer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("person_es_dni.json")).unwrap())
            .unwrap();
    let total = 400;
    let lines: Vec<String> = (0..total)
        .map(|i| {
            let mut c = customer.clone();
            // Distinct e-mails and phones: Leap knows a user by its phone.
            c["person"]["email"] = format!("lucia.garcia.n{i}@example.com").into();
            c["person"]["mobile_phone"] = format!("+346{i:08}").into();
            c.to_string()
        })
        .collect();
    let input = write(dir.path(), "many.jsonl", &lines.join("\n"));
    let journal = dir.path().join("j.db");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rampkit"))
        .current_dir(root())
        .args([
            "onboard",
            "--sim",
            "--providers",
            "leap",
            "--progress-secs",
            "1",
        ])
        .arg(&input)
        .arg("--journal")
        .arg(&journal)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stderr = child.stderr.take().unwrap();
    let (lines_tx, lines_rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    // stderr is a pipe here: progress comes as lines. Stop on the first one.
    let mut seen = Vec::new();
    loop {
        let line = lines_rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no progress line; stderr so far: {seen:#?}"));
        let progress = line.starts_with("rampkit: progress: leap ");
        seen.push(line);
        if progress {
            break;
        }
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    reader.join().unwrap();
    seen.extend(lines_rx.try_iter());
    let stderr = seen.join("\n");
    let stdout = String::from_utf8_lossy(&output.stdout);

    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("rampkit: stopping: no new customer is started"),
        "{stderr}"
    );
    let last = stderr
        .lines()
        .find(|l| l.contains("stopped before the end"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        last.contains("run the same command (same --journal) to resume"),
        "{last}"
    );
    // The partial report: the flows queued behind the stop never started (nothing sent for them).
    let left: usize = last
        .split('(')
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{last}"));
    assert!(left > 0 && left < total, "{last}");
    assert!(stdout.contains(&format!("stopped: {left}")), "{stdout}");
    assert!(
        stdout.contains("provider") && stdout.contains("leap"),
        "{stdout}"
    );
}
