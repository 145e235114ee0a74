//! Tests: a failed run never exits 0 because of its output streams. A reader that stops early
//! (`gatecheck check | head`) ends the output quietly and the exit status still says a gate
//! failed; a standard error that cannot be written (`2>/dev/full`) never crashes the run.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use super::{Tree, py_complex};

#[test]
fn a_reader_that_stops_early_does_not_turn_a_failure_into_success() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "");
    // Far more output than a pipe buffer holds (64 KiB), so the writer meets the closed pipe.
    for i in 0..1500 {
        tree.write(
            &format!("m{i}.py"),
            &py_complex(&format!("tangled_{i}"), 12),
        );
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("gatecheck"))
        .args(["check", "--format", "github"])
        .current_dir(tree.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("one line");
    // Dropping the reader closes the pipe, as `head -1` does.
    let status = child.wait().expect("wait");
    assert!(first.starts_with("::error"), "{first}");
    assert_eq!(
        status.code(),
        Some(1),
        "a failed gate exits 1 even when the pipe closed"
    );
}

#[test]
fn an_unwritable_stderr_never_crashes_the_run() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = \"x\"\n");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin!("gatecheck"))
        .current_dir(tree.root())
        .arg("check")
        .stderr(full)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "an error, not a panic (101)");
}
