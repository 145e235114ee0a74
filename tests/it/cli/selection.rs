//! Tests: gates switched off and chosen. `false` turns a threshold off (reported `disabled`),
//! per path too; `--select` and `--ignore` choose gates on the command line (ruff's
//! convention) and refuse unknown names with the closest gate.

use super::{Tree, gate, py_complex, py_long, report_in, run_in};

fn project(config: &str) -> Tree {
    let tree = Tree::new();
    tree.write("gatecheck.toml", config)
        .write("src/a.py", &py_complex("tangled", 12))
        .write("legacy/b.py", &py_long("long", 80));
    tree
}

#[test]
fn false_turns_a_gate_off_and_reports_it_disabled() {
    let tree = project("[code_quality]\nmax_complexity = false\n");
    let (code, report) = report_in(tree.root(), &[]);
    let complexity = gate(&report, "max_complexity");
    assert_eq!(complexity["status"], "disabled", "{complexity}");
    assert_eq!(complexity["threshold"], false);
    assert_eq!(report["summary"]["disabled"], 1);
    assert_eq!(code, 1, "max_function_length still fails on legacy/b.py");
}

#[test]
fn false_in_an_override_turns_a_gate_off_for_those_paths_only() {
    let tree = project("[[overrides]]\npaths = [\"legacy/**\"]\nmax_function_length = false\n");
    let (code, report) = report_in(tree.root(), &[]);
    let length = gate(&report, "max_function_length");
    assert_eq!(length["status"], "passed", "{length}");
    assert_eq!(gate(&report, "max_complexity")["status"], "failed");
    assert_eq!(code, 1);
}

#[test]
fn circular_dependencies_false_still_forbids_cycles() {
    let tree = project("[architecture]\ncircular_dependencies = false\n");
    tree.write("app/c.py", "from app import d\n")
        .write("app/d.py", "from app import c\n")
        .write("app/__init__.py", "");
    let (_, report) = report_in(tree.root(), &[]);
    assert_eq!(gate(&report, "circular_dependencies")["status"], "failed");
}

#[test]
fn select_and_ignore_choose_the_gates() {
    let tree = project("");
    let (code, report) = report_in(tree.root(), &["--select", "max_complexity,max_nesting"]);
    assert_eq!(code, 1);
    assert_eq!(gate(&report, "max_complexity")["status"], "failed");
    assert_eq!(gate(&report, "max_function_length")["status"], "disabled");
    let (code, report) = report_in(
        tree.root(),
        &[
            "--ignore",
            "max_complexity",
            "--ignore",
            "max_function_length",
        ],
    );
    assert_eq!(code, 0, "{report}");
    assert_eq!(gate(&report, "max_complexity")["status"], "disabled");
}

#[test]
fn an_unknown_gate_name_is_refused_with_the_closest_one() {
    let tree = project("");
    let run = run_in(tree.root(), &["check", "--select", "max_complexty"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("did you mean `max_complexity`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_threshold_says_false_is_allowed() {
    let tree = project("[code_quality]\nmax_complexity = \"ten\"\n");
    let run = run_in(tree.root(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("or false to turn the gate off"),
        "{}",
        run.stderr
    );
}
