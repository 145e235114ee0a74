//! Tests: every write is safe. `-o -` is standard output; a character device or a FIFO is
//! written directly (never replaced by a regular file); a symbolic link keeps pointing at the
//! file it names, which gets the new contents; a temporary file left by a killed run is
//! removed by the next write.

use std::os::unix::fs::FileTypeExt;
use std::process::Command;

use super::{Tree, run_in};

fn project() -> Tree {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("a.py", "def f():\n    return 1\n");
    tree
}

#[test]
fn dash_is_standard_output_and_dev_stdout_works() {
    let tree = project();
    let dash = run_in(tree.root(), &["check", "--format", "json", "-o", "-"]);
    assert_eq!(dash.code, 0, "{}", dash.describe());
    assert!(dash.json()["summary"]["files"] == 1);
    let stdout = run_in(
        tree.root(),
        &["check", "--format", "json", "-o", "/dev/stdout"],
    );
    assert!(
        stdout.stdout.contains("\"schema_version\""),
        "{}",
        stdout.describe()
    );
}

#[test]
fn a_character_device_is_written_not_replaced() {
    let tree = project();
    let device = tree.path("null");
    let made = Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped a_character_device_is_written_not_replaced: mknod needs root");
        return;
    }
    let run = run_in(
        tree.root(),
        &["check", "-o", device.to_str().expect("UTF-8")],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    let kind = std::fs::symlink_metadata(&device)
        .expect("still there")
        .file_type();
    assert!(
        kind.is_char_device(),
        "the device node was replaced by a regular file"
    );
}

#[test]
fn a_symlinked_target_keeps_its_link_and_its_file_gets_the_report() {
    let tree = project();
    tree.write("reports/real.json", "old");
    std::os::unix::fs::symlink("reports/real.json", tree.path("link.json")).expect("symlink");
    let run = run_in(
        tree.root(),
        &["check", "--format", "json", "-o", "link.json"],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    let link = std::fs::symlink_metadata(tree.path("link.json")).expect("link");
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert!(
        tree.read("reports/real.json")
            .contains("\"schema_version\"")
    );
}

#[test]
fn a_temporary_file_of_a_killed_run_is_removed_by_the_next_write() {
    let tree = project();
    // Process ids wrap below 2^22 on Linux: this one cannot be running.
    let stale = tree.path(".gatecheck-4194303-abc123.tmp");
    std::fs::write(&stale, "half a report").expect("write");
    let run = run_in(
        tree.root(),
        &["check", "--format", "json", "-o", "report.json"],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(!stale.exists(), "the stale temporary file is still there");
    assert!(tree.path("report.json").is_file());
}

#[test]
fn control_characters_in_names_cannot_forge_lines() {
    let tree = project();
    let evil = "evil\n::error file=x.py,line=1::forged\u{1b}[2J.py";
    tree.write(evil, &super::py_complex("tangled", 12));
    let run = run_in(tree.root(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(
        !run.stdout.lines().any(|l| l.starts_with("::error")),
        "a file name forged a workflow command:\n{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains('\u{1b}'),
        "an escape sequence reached the terminal"
    );
    assert!(run.stdout.contains("\"evil\\n::error"), "{}", run.stdout);
    let graph = run_in(tree.root(), &["graph", "--format", "mermaid"]);
    assert!(
        graph.stdout.lines().all(|l| !l.starts_with("::error")),
        "{}",
        graph.stdout
    );
}
