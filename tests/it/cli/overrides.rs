//! CLI tests: `[[overrides]]` thresholds for matching paths, and `exclude` from the
//! configuration and from `--exclude`.

use super::{
    Tree, file_paths, gate, items, py_complex, py_long, report_in, rs_complex, summary, threshold,
};

#[test]
fn overrides_raise_a_threshold_only_for_matching_paths() {
    let tree = Tree::new();
    tree.write(
        "gatecheck.toml",
        "[code_quality]\nmax_function_length = 50\n\n[[overrides]]\npaths = [\"tests/**\"]\nmax_function_length = 100\n",
    )
    .write("lib/long.py", &py_long("build", 60))
    .write("tests/test_long.py", &format!("{}\n\n{}", py_long("test_build", 60), py_long("test_huge", 120)));

    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 1);
    let violations = &gate(&report, "max_function_length")["violations"];
    let found: Vec<(&str, &str, u64, f64)> = violations
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| {
            (
                v["path"].as_str().expect("path"),
                v["item"].as_str().expect("item"),
                v["value"].as_u64().expect("value"),
                v["threshold"].as_f64().expect("threshold"),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("tests/test_long.py", "test_long.test_huge", 120, 100.0),
            ("lib/long.py", "long.build", 60, 50.0),
        ],
        "the 60-line test function passes (limit 100), the same in lib/ fails (limit 50)"
    );
    assert_eq!(threshold(&report, "max_function_length"), 50.0);

    // Override patterns are relative to the config file, also when only tests/ is analysed.
    let (code, report) = report_in(tree.root(), &["tests"]);
    assert_eq!(code, 1);
    assert_eq!(
        items(&report, "max_function_length", "violations"),
        vec![("test_long.test_huge".to_owned(), 120)]
    );
}

#[test]
fn exclude_in_config_leaves_paths_out() {
    let tree = Tree::new();
    tree.write(
        "gatecheck.toml",
        "exclude = [\"generated/\", \"*_pb2.py\"]\n",
    )
    .write("app/ok.py", "def ok():\n    return 1\n")
    .write("app/msg_pb2.py", &py_complex("decode", 30))
    .write("generated/parser.py", &py_complex("parse", 30))
    .write("generated/lexer.rs", &rs_complex("lex", 30));
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(file_paths(&report), vec!["app/ok.py"]);
    assert_eq!(summary(&report, "violations"), 0);
}

#[test]
fn exclude_flag_leaves_paths_out() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("app/ok.py", "def ok():\n    return 1\n")
        .write("vendor/big.py", &py_complex("decode", 30))
        .write("app/gen.rs", &rs_complex("lex", 30));
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        file_paths(&report),
        vec!["app/gen.rs", "app/ok.py", "vendor/big.py"]
    );

    let (code, report) = report_in(tree.root(), &["--exclude", "vendor", "--exclude", "*.rs"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(file_paths(&report), vec!["app/ok.py"]);
}

#[test]
fn exclude_flag_adds_to_the_config_exclude() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "exclude = [\"vendor/\"]\n")
        .write("app/ok.py", "def ok():\n    return 1\n")
        .write("vendor/big.py", &py_complex("decode", 30))
        .write("build/out.py", &py_complex("decode", 30));
    let (code, report) = report_in(tree.root(), &["--exclude", "build/"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(file_paths(&report), vec!["app/ok.py"]);
}
