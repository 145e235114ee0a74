//! Robustness tests: CRLF and CR-only line endings, empty files, and syntax errors counted by
//! their gate.

use super::inputs::Tree;
use super::report::{
    ONE_IF, array, assert_function, assert_lines, function, gate_status, has_error_diagnostic,
    measured,
};

#[test]
fn crlf_line_endings_are_measured_correctly() {
    let tree = Tree::new();
    tree.fixture("crlf.py");
    tree.fixture("crlf.rs");
    let (run, report) = tree.check("CRLF");
    assert_eq!(run.code, 0);
    let py = measured(&report, "crlf.py");
    assert_lines(py, [7, 4, 2, 1]);
    assert_function(py, "f", ONE_IF);
    assert_eq!(py["syntax_errors"], 0);
    let rs = measured(&report, "crlf.rs");
    assert_lines(rs, [8, 6, 1, 1]);
    assert_function(rs, "f", [2, 8, 7, 6, 2, 1, 1, 1]);
    assert_eq!(rs["syntax_errors"], 0);
}

#[test]
fn cr_only_line_endings_are_measured_correctly() {
    let tree = Tree::new();
    tree.fixture("cr_only.py");
    let (run, report) = tree.check("CR-only line endings");
    assert_eq!(run.code, 0);
    // The same text as crlf.py: the same figures, not one 7-line-long line.
    let py = measured(&report, "cr_only.py");
    assert_lines(py, [7, 4, 2, 1]);
    assert_function(py, "f", ONE_IF);
    assert_eq!(py["syntax_errors"], 0);
}

#[test]
fn empty_files_are_measured_as_empty() {
    let tree = Tree::new();
    tree.fixture("empty.py");
    tree.fixture("empty.rs");
    let (run, report) = tree.check("empty files");
    assert_eq!(run.code, 0);
    for name in ["empty.py", "empty.rs"] {
        let f = measured(&report, name);
        assert_lines(f, [0, 0, 0, 0]);
        assert_eq!(f["functions"], serde_json::json!([]), "{name}");
        assert_eq!(f["syntax_errors"], 0, "{name}");
        assert!(!has_error_diagnostic(&report, name), "{name}");
    }
}

#[test]
fn syntax_errors_are_counted_and_fail_their_gate() {
    let tree = Tree::new();
    tree.fixture("syntax_error.py");
    tree.fixture("syntax_error.rs");
    let (run, report) = tree.check("syntax errors");
    assert_eq!(run.code, 1, "the syntax_errors gate (default 0) must fail");
    assert_eq!(gate_status(&report, "syntax_errors"), "failed");
    for (name, first_line) in [("syntax_error.py", 5), ("syntax_error.rs", 5)] {
        let f = measured(&report, name);
        assert!(
            f["syntax_errors"].as_u64().is_some_and(|n| n > 0),
            "{name}: syntax_errors = {}",
            f["syntax_errors"]
        );
        assert_eq!(f["first_syntax_error_line"], first_line, "{name}");
        // The valid function before the error is still measured.
        assert_eq!(function(f, "ok")["start_line"], 1, "{name}");
    }
    let gate = array(&report, "gates")
        .iter()
        .find(|g| g["gate"] == "syntax_errors")
        .expect("syntax_errors gate");
    let flagged: Vec<&str> = gate["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|v| v["path"].as_str())
        .collect();
    assert!(
        flagged.contains(&"syntax_error.py") && flagged.contains(&"syntax_error.rs"),
        "violations of syntax_errors: {flagged:?}"
    );
}
