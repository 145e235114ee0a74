//! Tests: no coverage from nothing. A report without line data leaves `min_test_coverage` not
//! measured (with a warning), a report of another tree is an error naming it, and a report
//! that is a FIFO or a device is refused instead of hanging or filling memory.

use super::{Tree, gate, report_in, run_in};

fn project() -> Tree {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("pkg/__init__.py", "")
        .write("pkg/mod.py", "def f():\n    return 1\n");
    tree
}

#[test]
fn a_report_without_line_data_measures_nothing() {
    let tree = project();
    tree.write(
        "coverage.xml",
        "<?xml version=\"1.0\"?>\n<coverage><packages/></coverage>\n",
    );
    let (code, report) = report_in(tree.root(), &["--coverage", "coverage.xml"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(gate(&report, "min_test_coverage")["status"], "not_measured");
    let warned = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .any(|d| {
            d["path"] == "coverage.xml"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("no line data"))
        });
    assert!(warned, "{report}");
}

#[test]
fn a_report_of_another_tree_is_an_error() {
    let tree = project();
    tree.write(
        "lcov.info",
        "TN:\nSF:/elsewhere/other.py\nDA:1,1\nend_of_record\n",
    );
    let run = run_in(tree.root(), &["check", "--coverage", "lcov.info"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("lcov.info names none of the"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_report_that_is_a_fifo_or_a_device_is_refused() {
    let tree = project();
    std::os::unix::fs::symlink("/dev/zero", tree.path("zero.info")).expect("symlink");
    let run = run_in(tree.root(), &["check", "--coverage", "zero.info"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    let fifo = tree.path("fifo.info");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo (coreutils)");
    assert!(made.success());
    let run = run_in(tree.root(), &["check", "--coverage", "fifo.info"]);
    assert_eq!(run.code, 2, "{}", run.describe());
}
