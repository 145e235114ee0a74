//! CLI tests: `[code_quality] nested_functions` — "fold" adds nested functions and lambdas to
//! their parent's figures, the default ("separate") and "separate" measure each on its own, and
//! a bad value or a misspelt key exits 2 naming the file, the line and what is allowed.

use serde_json::Value;

use super::{Tree, report_in, run_in};

const SOURCE: &str = "\
def outer(x):
    def inner(y):
        if y:
            return 1
    key = lambda v: v if x else -v
    return inner, key
";

/// `(cyclomatic, cognitive)` of the function called `qualified` in the report.
fn figures(report: &Value, qualified: &str) -> (u64, u64) {
    let function = report["files"][0]["functions"]
        .as_array()
        .expect("functions array")
        .iter()
        .find(|f| f["qualified_name"] == qualified)
        .unwrap_or_else(|| panic!("no function `{qualified}` in {report}"));
    let value = |field: &str| function[field].as_u64().expect("a number");
    (value("cyclomatic"), value("cognitive"))
}

/// The figures of `a.outer` and `a.outer.inner` with this `[code_quality]` table.
fn measured(code_quality: &str) -> ((u64, u64), (u64, u64)) {
    let tree = Tree::new();
    tree.write("a.py", SOURCE)
        .write("gatecheck.toml", &format!("[code_quality]\n{code_quality}"));
    let (_, report) = report_in(tree.root(), &[]);
    (
        figures(&report, "a.outer"),
        figures(&report, "a.outer.inner"),
    )
}

#[test]
fn fold_adds_nested_functions_and_lambdas_to_their_parent() {
    // inner's `if` at nesting 1 (+2), the lambda's ternary at nesting 1 (+2) and its
    // decision point; inner's decision point stays its own (radon).
    assert_eq!(measured("nested_functions = \"fold\"\n"), ((2, 4), (2, 1)));
    assert_eq!(
        measured("nested_functions = \"separate\"\n"),
        ((1, 0), (2, 1))
    );
    assert_eq!(measured("max_complexity = 10\n"), ((1, 0), (2, 1)));
}

#[test]
fn fold_is_read_from_pyproject_toml_too() {
    let tree = Tree::new();
    tree.write("a.py", SOURCE).write(
        "pyproject.toml",
        "[tool.gatecheck.code_quality]\nnested_functions = \"fold\"\n",
    );
    let (_, report) = report_in(tree.root(), &[]);
    assert_eq!(figures(&report, "a.outer"), (2, 4));
}

/// Runs `check` with this gatecheck.toml; asserts exit 2 and returns stderr.
fn config_error(config: &str) -> String {
    let tree = Tree::new();
    tree.write("a.py", SOURCE).write("gatecheck.toml", config);
    let run = run_in(tree.root(), &["check"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stdout.is_empty(), "{}", run.describe());
    run.stderr
}

#[test]
fn a_bad_value_names_the_file_line_and_allowed_values() {
    let err = config_error("[code_quality]\nmax_complexity = 10\nnested_functions = \"merge\"\n");
    assert!(err.contains("gatecheck.toml:3:"), "{err}");
    assert!(err.contains("`nested_functions`"), "{err}");
    assert!(err.contains("\"separate\" or \"fold\""), "{err}");
    assert!(err.contains("\"merge\""), "{err}");

    let err = config_error("[code_quality]\nnested_functions = true\n");
    assert!(err.contains("gatecheck.toml:2:"), "{err}");
    assert!(
        err.contains("\"separate\" or \"fold\", not boolean"),
        "{err}"
    );
}

#[test]
fn a_misspelt_key_suggests_nested_functions() {
    let err = config_error("[code_quality]\nnested_function = \"fold\"\n");
    assert!(err.contains("gatecheck.toml:2:"), "{err}");
    assert!(err.contains("did you mean `nested_functions`"), "{err}");

    let err = config_error("[code_quality]\nmax_complexty = 3\n");
    assert!(err.contains("did you mean `max_complexity`"), "{err}");

    let err = config_error("[architecture]\nnested_functions = \"fold\"\n");
    assert!(err.contains("gatecheck.toml:2:"), "{err}");
    assert!(err.contains("`nested_functions`"), "{err}");
}
