//! CLI tests: output — `--format json` and `GATECHECK_FORMAT`, `--output`, the text report
//! (failures, then the gate table), unmeasured gates, and the documented results of
//! `fixtures/projects/small`.

use gatecheck::registry::GATES;
use serde_json::Value;

use super::{
    NOT_MEASURED, Tree, file_paths, gate, gatecheck, item_names, items, py_complex, reasons,
    report_in, run_in, small_project, summary, threshold,
};

#[test]
fn format_json_writes_the_report_on_stdout() {
    let (code, report) = report_in(&small_project(), &[]);
    assert_eq!(code, 1);
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["tool"]["name"], "gatecheck");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(report["summary"]["passed"], false);
    assert_eq!(summary(&report, "files"), 5);
    assert_eq!(summary(&report, "violations"), 4);
    assert_eq!(summary(&report, "suppressed"), 3);
}

#[test]
fn gatecheck_format_environment_variable_selects_json() {
    let output = gatecheck()
        .current_dir(small_project())
        .env("GATECHECK_FORMAT", "json")
        .arg("check")
        .output()
        .expect("run gatecheck");
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(report["schema_version"], 1);
}

#[test]
fn output_flag_writes_the_file_and_nothing_to_stdout() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("calc.py", &py_complex("decide", 12));
    let run = run_in(
        tree.root(),
        &["check", "--format", "json", "--output", "report.json"],
    );
    assert_eq!(
        run.code,
        1,
        "the exit code still reports the failed gate: {}",
        run.describe()
    );
    assert!(run.stdout.is_empty(), "{}", run.describe());
    let report: Value = serde_json::from_str(&tree.read("report.json")).expect("JSON in the file");
    assert_eq!(
        items(&report, "max_complexity", "violations"),
        vec![("calc.decide".to_owned(), 12)]
    );

    let run = run_in(tree.root(), &["check", "-o", "report.txt"]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(run.stdout.is_empty(), "{}", run.describe());
    let text = tree.read("report.txt");
    assert!(
        text.contains("calc.py:1: max_complexity: calc.decide: complexity 12 > 10"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour in a file: {text:?}");
}

#[test]
fn text_output_lists_failures_then_the_gate_table() {
    let run = run_in(&small_project(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let out = &run.stdout;
    let first = out
        .find("max_complexity: crate::classify: complexity 12 > 10")
        .expect("the worst violation is listed");
    let table = out.find("\ngate ").expect("a gate table");
    assert!(first < table, "violations come before the table:\n{out}");
    assert!(
        out.find("max_complexity: pkg.core.Parser.parse: complexity 11 > 10")
            .is_some_and(|i| i < first),
        "grouped by file in path order (pkg/ before src/):\n{out}"
    );
    assert!(
        !out.contains('\u{1b}'),
        "no colour when stdout is not a terminal: {out:?}"
    );
    // The table lists the measured gates; the others only with --verbose.
    let (_, report) = report_in(&small_project(), &[]);
    for g in report["gates"].as_array().expect("gates") {
        let key = g["gate"].as_str().expect("key");
        let listed = out.lines().any(|l| l.starts_with(key));
        let measured = g["status"] == "passed" || g["status"] == "failed";
        assert_eq!(listed, measured, "gate `{key}` in the table:\n{out}");
    }
    let verbose = run_in(&small_project(), &["check", "--verbose"]).stdout;
    for g in GATES {
        assert!(
            verbose.lines().any(|l| l.starts_with(g.key)),
            "gate `{}` missing from the --verbose table:\n{verbose}",
            g.key
        );
    }
}

#[test]
fn unmeasured_gates_are_reported_as_not_measured() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("a.py", "def f():\n    return 1\n");
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 0);
    let gates = report["gates"].as_array().expect("gates");
    assert_eq!(
        gates.len(),
        GATES.len(),
        "every gate of the registry is reported"
    );
    // No class: cohesion checked nothing, so it is not measured either (never passed).
    let not_measured: Vec<&str> = NOT_MEASURED
        .iter()
        .copied()
        .chain(["single_responsibility"])
        .collect();
    for g in gates {
        let key = g["gate"].as_str().expect("gate key");
        let expected = if not_measured.contains(&key) {
            "not_measured"
        } else {
            "passed"
        };
        assert_eq!(g["status"], expected, "{key}: {g}");
    }
    assert_eq!(summary(&report, "not_measured"), not_measured.len() as u64);

    let run = run_in(tree.root(), &["check", "--verbose"]);
    for key in NOT_MEASURED {
        let line = run
            .stdout
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("{key} missing:\n{}", run.stdout));
        assert!(line.ends_with("not measured"), "{line}");
    }
}

/// The status of every gate of a JSON report, by key.
fn statuses(report: &serde_json::Value) -> Vec<(String, String)> {
    report["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .map(|g| {
            let text = |k: &str| g[k].as_str().unwrap_or_default().to_owned();
            (text("gate"), text("status"))
        })
        .collect()
}

#[test]
fn an_empty_directory_measures_no_gate() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("README.md", "no code here\n");
    let (_, report) = report_in(tree.root(), &[]);
    let measured: Vec<_> = statuses(&report)
        .into_iter()
        .filter(|(_, status)| status != "not_measured")
        .collect();
    assert_eq!(measured, [], "nothing was checked, so nothing passed");
    assert_eq!(summary(&report, "not_measured"), GATES.len() as u64);
}

#[test]
fn a_tree_without_classes_does_not_pass_the_cohesion_gate() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "").write(
        "m.py",
        "def f():\n    return 1\n\ndef g():\n    return f()\n",
    );
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 0);
    let status = |key: &str| {
        statuses(&report)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, s)| s)
    };
    assert_eq!(
        status("single_responsibility").as_deref(),
        Some("not_measured")
    );
    assert_eq!(status("max_complexity").as_deref(), Some("passed"));
    assert_eq!(status("circular_dependencies").as_deref(), Some("passed"));
}

#[test]
fn small_project_has_the_documented_results() {
    let (code, report) = report_in(&small_project(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        file_paths(&report),
        vec![
            "pkg/__init__.py",
            "pkg/core.py",
            "pkg/util.py",
            "src/lib.rs",
            "tests/test_util.py"
        ],
        "generated/ is excluded"
    );
    assert_eq!(
        items(&report, "max_complexity", "violations"),
        vec![
            ("crate::classify".to_owned(), 12),
            ("pkg.core.Parser.parse".to_owned(), 11)
        ]
    );
    assert_eq!(
        items(&report, "max_complexity", "suppressed"),
        vec![("pkg.core.legacy".to_owned(), 11)]
    );
    assert_eq!(
        items(&report, "max_parameters", "violations"),
        vec![("pkg.core.configure".to_owned(), 8)]
    );
    assert_eq!(
        items(&report, "max_parameters", "suppressed"),
        vec![("pkg.core.request".to_owned(), 8)]
    );
    assert_eq!(
        items(&report, "max_function_length", "violations"),
        vec![("pkg.util.render".to_owned(), 22)]
    );
    assert_eq!(
        item_names(&report, "max_function_length", "suppressed"),
        Vec::<String>::new()
    );
    assert_eq!(items(&report, "max_nesting", "violations"), vec![]);
    assert_eq!(
        items(&report, "max_nesting", "suppressed"),
        vec![("crate::deepest".to_owned(), 5)]
    );
    assert_eq!(gate(&report, "max_nesting")["status"], "passed");
    assert_eq!(
        reasons(&report, "max_nesting"),
        vec!["reads best as one loop nest"]
    );
    assert_eq!(threshold(&report, "max_function_length"), 20.0);
}

#[test]
fn quiet_prints_nothing_and_keeps_the_exit_status() {
    let failing = run_in(&small_project(), &["check", "--quiet"]);
    assert_eq!((failing.code, failing.stdout.as_str()), (1, ""));
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("a.py", "def f():\n    return 1\n");
    let passing = run_in(tree.root(), &["check", "-q"]);
    assert_eq!((passing.code, passing.stdout.as_str()), (0, ""));
}
