//! CLI tests: exit codes — 0 when every measured gate passes, 1 when a gate fails, 2 on a bad
//! configuration, a missing path, an unknown flag or an output file that cannot be written.

use super::{Tree, py_complex, run_in, small_project};

#[test]
fn exit_0_when_every_measured_gate_passes() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("app/main.py", "def main():\n    return 1\n")
        .write("src/lib.rs", "pub fn one() -> u32 {\n    1\n}\n");
    let run = run_in(tree.root(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(
        run.stdout.contains(
            "all measured gates passed: 0 violations, 0 suppressed, 2 files, 2 functions"
        ),
        "{}",
        run.describe()
    );
    assert!(run.stderr.is_empty(), "{}", run.describe());
}

#[test]
fn exit_1_when_a_gate_fails() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("app/calc.py", &py_complex("decide", 12));
    let run = run_in(tree.root(), &["check", "app"]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(
        run.stdout
            .contains("app/calc.py:1: max_complexity: calc.decide: complexity 12 > 10"),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout.contains("quality gates FAILED"),
        "{}",
        run.describe()
    );
}

#[test]
fn exit_1_for_the_small_fixture_project() {
    let run = run_in(&small_project(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.describe());
}

#[test]
fn exit_2_on_a_bad_config() {
    let tree = Tree::new();
    tree.write(
        "gatecheck.toml",
        "[code_quality]\nmax_complexity = \"high\"\n",
    )
    .write("a.py", "x = 1\n");
    let run = run_in(tree.root(), &["check"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stdout.is_empty(), "{}", run.describe());
    assert!(
        run.stderr.contains("gatecheck.toml:2"),
        "{}",
        run.describe()
    );
}

#[test]
fn exit_2_on_a_missing_path() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "");
    let run = run_in(tree.root(), &["check", "no/such/dir"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stdout.is_empty(), "{}", run.describe());
    assert!(run.stderr.contains("no/such/dir"), "{}", run.describe());
    assert!(
        run.stderr.contains("No such file or directory"),
        "{}",
        run.describe()
    );
}

#[test]
fn missing_path_error_says_the_cause_once() {
    // The OS error is part of the message and must not be repeated by the error chain.
    let tree = Tree::new();
    tree.write("gatecheck.toml", "");
    let run = run_in(tree.root(), &["check", "no/such/dir"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert_eq!(
        run.stderr.matches("No such file or directory").count(),
        1,
        "{}",
        run.describe()
    );

    let run = run_in(tree.root(), &["check", ".", "--config", "missing.toml"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stderr.contains("missing.toml"), "{}", run.describe());
    assert_eq!(
        run.stderr.matches("No such file or directory").count(),
        1,
        "{}",
        run.describe()
    );
}

#[test]
fn exit_2_on_an_unknown_flag() {
    let run = run_in(&small_project(), &["check", "--bogus"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stdout.is_empty(), "{}", run.describe());
    assert!(run.stderr.contains("--bogus"), "{}", run.describe());

    let run = run_in(&small_project(), &["check", "--format", "xml"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("xml") && run.stderr.contains("json"),
        "{}",
        run.describe()
    );

    let run = run_in(&small_project(), &["frobnicate"]);
    assert_eq!(run.code, 2, "{}", run.describe());
}

#[test]
fn exit_2_when_the_output_file_cannot_be_written() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "").write("a.py", "x = 1\n");
    let run = run_in(
        tree.root(),
        &["check", "--output", "no/such/dir/report.json"],
    );
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stderr.contains("report.json"), "{}", run.describe());
}

#[test]
fn user_set_limits_are_bounded() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "").write("a.py", "x = 1\n");
    for args in [
        &["check", "-j", "10000000"][..],
        &["serve", "--interval", "100ms"][..],
        &["serve", "--poll", "10ms"][..],
        &["serve", "--header-timeout", "0s"][..],
        &["serve", "--request-timeout", "0s"][..],
    ] {
        let run = run_in(tree.root(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.describe());
    }
    let run = run_in(tree.root(), &["check", "-j", "10000000"]);
    assert!(
        run.stderr.contains("more than this machine can use"),
        "{}",
        run.stderr
    );
    assert_eq!(run_in(tree.root(), &["check", "-j", "2"]).code, 0);
}
