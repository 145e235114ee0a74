//! Tests: the `gatecheck` binary as a user runs it. Exit codes 0/1/2, `init`, configuration
//! discovery (gatecheck.toml, pyproject.toml, Cargo.toml, `--config`), overrides, `exclude`,
//! suppressions, bad configuration errors, both output formats and `--output`.
//!
//! Each test builds its own tree in a temporary directory (with its own gatecheck.toml where
//! the nearest configuration matters), or uses `fixtures/projects/small` and `fixtures/config`.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use gatecheck::gates::registry::{GATES, Threshold};
use serde_json::Value;
use tempfile::TempDir;

/// The gates issue 3 does not measure: reported as `not_measured`, never as passed.
const NOT_MEASURED: [&str; 7] = [
    "min_test_coverage",
    "max_startup_time",
    "max_memory_usage",
    "max_response_time",
    "max_dependencies_per_module",
    "circular_dependencies",
    "single_responsibility",
];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn gatecheck() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("gatecheck");
    cmd.env_remove("GATECHECK_FORMAT").env_remove("NO_COLOR");
    cmd
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn config_fixture(name: &str) -> PathBuf {
    repo().join("fixtures/config").join(name)
}

fn small_project() -> PathBuf {
    repo().join("fixtures/projects/small")
}

/// A source tree in a temporary directory.
struct Tree {
    dir: TempDir,
}

impl Tree {
    fn new() -> Tree {
        Tree {
            dir: tempfile::Builder::new()
                .prefix("gatecheck-cli-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    fn write(&self, relative: &str, text: &str) -> &Tree {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        fs::write(&path, text).expect("write file");
        self
    }

    fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).expect("read file")
    }
}

/// What one run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    fn describe(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs gatecheck with `args` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = gatecheck()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run gatecheck");
    Run {
        code: output
            .status
            .code()
            .expect("exit code (not killed by a signal)"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `gatecheck check ARGS --format json` in `dir`; asserts the exit code is 0 or 1 (a report).
fn report_in(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = run_in(dir, &all);
    assert!(
        run.code == 0 || run.code == 1,
        "expected a report, got {}",
        run.describe()
    );
    (run.code, run.json())
}

fn gate<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["gates"]
        .as_array()
        .expect("gates array")
        .iter()
        .find(|g| g["gate"] == key)
        .unwrap_or_else(|| panic!("no gate `{key}` in the report"))
}

/// `(item, value)` of a gate's violations (`list` = "violations" or "suppressed").
fn items(report: &Value, key: &str, list: &str) -> Vec<(String, u64)> {
    gate(report, key)[list]
        .as_array()
        .unwrap_or_else(|| panic!("{key}.{list} is not an array"))
        .iter()
        .map(|v| {
            (
                v["item"].as_str().expect("item").to_owned(),
                v["value"].as_u64().expect("value"),
            )
        })
        .collect()
}

fn item_names(report: &Value, key: &str, list: &str) -> Vec<String> {
    items(report, key, list)
        .into_iter()
        .map(|(item, _)| item)
        .collect()
}

fn reasons(report: &Value, key: &str) -> Vec<String> {
    gate(report, key)["suppressed"]
        .as_array()
        .expect("suppressed array")
        .iter()
        .map(|v| {
            v["reason"]
                .as_str()
                .unwrap_or("<no reason field>")
                .to_owned()
        })
        .collect()
}

fn file_paths(report: &Value) -> Vec<String> {
    report["files"]
        .as_array()
        .expect("files array")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_owned())
        .collect()
}

fn summary(report: &Value, field: &str) -> u64 {
    report["summary"][field]
        .as_u64()
        .unwrap_or_else(|| panic!("summary.{field} is not a number"))
}

/// A Python function with cyclomatic complexity `cc` (one `if` per decision), `2 * cc` lines.
fn py_complex(name: &str, cc: usize) -> String {
    let mut text = format!("def {name}(x):\n");
    for i in 1..cc {
        text.push_str(&format!("    if x == {i}:\n        return {i}\n"));
    }
    text.push_str("    return 0\n");
    text
}

/// A Python function spanning `lines` lines, cyclomatic complexity 1.
fn py_long(name: &str, lines: usize) -> String {
    let mut text = format!("def {name}():\n");
    for i in 1..lines {
        text.push_str(&format!("    x{i} = {i}\n"));
    }
    text
}

/// A Python function with `n` parameters.
fn py_wide(name: &str, n: usize) -> String {
    let params: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    format!("def {name}({}):\n    return p0\n", params.join(", "))
}

/// A Rust function with cyclomatic complexity `cc` (one `if` per decision).
fn rs_complex(name: &str, cc: usize) -> String {
    let mut text = format!("fn {name}(x: u32) -> u32 {{\n");
    for i in 1..cc {
        text.push_str(&format!(
            "    if x == {i} {{\n        return {i};\n    }}\n"
        ));
    }
    text.push_str("    0\n}\n");
    text
}

/// The threshold of a gate as written in a JSON report, as a number.
fn threshold(report: &Value, key: &str) -> f64 {
    gate(report, key)["threshold"]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} threshold is not a number"))
}

// ---------------------------------------------------------------------------------------------
// Exit codes
// ---------------------------------------------------------------------------------------------

#[test]
fn exit_0_when_every_measured_gate_passes() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("app/main.py", "def main():\n    return 1\n")
        .write("src/lib.rs", "pub fn one() -> u32 {\n    1\n}\n");
    let run = run_in(tree.root(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(
        run.stdout
            .contains("all measured gates passed: 2 files, 2 functions, 0 violations"),
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
            .contains("calc.py:1: max_complexity: calc.decide 12 > 10"),
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

// ---------------------------------------------------------------------------------------------
// init
// ---------------------------------------------------------------------------------------------

#[test]
fn init_writes_a_config_with_every_gate_that_loads() {
    let tree = Tree::new();
    let run = run_in(tree.root(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(run.stderr.contains("gatecheck.toml"), "{}", run.describe());
    let text = tree.read("gatecheck.toml");
    assert!(
        text.lines().any(|l| l.starts_with('#')),
        "the written file is not commented:\n{text}"
    );

    // Every gate key, in its section, with its default value.
    let parsed: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("not TOML ({e}):\n{text}"));
    for g in &GATES {
        let section = g.section.key();
        let value = parsed
            .get(section)
            .and_then(|s| s.get(g.key))
            .unwrap_or_else(|| panic!("`{}` missing from [{section}] in:\n{text}", g.key));
        let matches = match g.default {
            Threshold::Count(n) => value.as_integer() == i64::try_from(n).ok(),
            Threshold::Number(x) => {
                value.as_float() == Some(x) || value.as_integer().map(|i| i as f64) == Some(x)
            }
            Threshold::Flag(b) => value.as_bool() == Some(b),
        };
        assert!(
            matches,
            "`{}` = {value} is not the default {:?}",
            g.key, g.default
        );
    }
    for key in NOT_MEASURED
        .iter()
        .chain(["max_function_length", "max_file_length", "max_complexity"].iter())
    {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{key} = "))),
            "`{key}` not written:\n{text}"
        );
    }

    // The written file loads: discovered, and named with --config.
    tree.write("a.py", "def f():\n    return 1\n");
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 0);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("gatecheck.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 10.0);
    assert_eq!(threshold(&report, "max_function_length"), 50.0);
    let run = run_in(tree.root(), &["check", "--config", "gatecheck.toml"]);
    assert_eq!(run.code, 0, "{}", run.describe());
}

#[test]
fn init_writes_to_a_given_path() {
    let tree = Tree::new();
    let run = run_in(tree.root(), &["init", "custom.toml"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(tree.path("custom.toml").is_file());
    assert!(!tree.path("gatecheck.toml").exists());
    assert!(
        tree.read("custom.toml")
            .contains("max_cognitive_complexity = 15")
    );
}

#[test]
fn init_refuses_to_overwrite_and_force_overwrites() {
    let tree = Tree::new();
    let mine = "# my own settings\n[code_quality]\nmax_complexity = 3\n";
    tree.write("gatecheck.toml", mine);

    let run = run_in(tree.root(), &["init"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stderr.contains("already exists"), "{}", run.describe());
    assert!(run.stderr.contains("--force"), "{}", run.describe());
    assert_eq!(
        tree.read("gatecheck.toml"),
        mine,
        "init without --force changed the file"
    );

    let run = run_in(tree.root(), &["init", "--force"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let written = tree.read("gatecheck.toml");
    assert_ne!(written, mine);
    assert!(written.contains("max_complexity = 10"), "{written}");
    assert!(written.contains("[architecture]"), "{written}");
}

// ---------------------------------------------------------------------------------------------
// Configuration discovery
// ---------------------------------------------------------------------------------------------

#[test]
fn gatecheck_toml_in_a_parent_directory_is_found() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write("a/b/calc.py", &py_complex("decide", 4));

    // From the root, naming a subdirectory.
    let (code, report) = report_in(tree.root(), &["a/b"]);
    assert_eq!(code, 1);
    assert_eq!(
        report["config"].as_str(),
        Some(tree.path("gatecheck.toml").to_str().expect("utf-8"))
    );
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
    assert_eq!(
        items(&report, "max_complexity", "violations"),
        vec![("calc.decide".to_owned(), 4)]
    );

    // From the subdirectory itself.
    let (code, report) = report_in(&tree.path("a/b"), &[]);
    assert_eq!(code, 1);
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
}

#[test]
fn pyproject_tool_gatecheck_is_read() {
    let tree = Tree::new();
    tree.write(
        "pyproject.toml",
        "[project]\nname = \"demo\"\n\n[tool.black]\nline-length = 100\n\n\
         [tool.gatecheck]\nexclude = [\"build/\"]\n\n[tool.gatecheck.code_quality]\nmax_complexity = 3\n",
    )
    .write("demo/calc.py", &py_complex("decide", 4))
    .write("build/calc.py", &py_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 1);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("pyproject.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
    assert_eq!(file_paths(&report), vec!["demo/calc.py"]);
}

#[test]
fn cargo_package_metadata_gatecheck_is_read() {
    let tree = Tree::new();
    tree.write(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [package.metadata.gatecheck.code_quality]\nmax_complexity = 3\n",
    )
    .write("src/lib.rs", &rs_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 1);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("Cargo.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
    assert_eq!(
        items(&report, "max_complexity", "violations"),
        vec![("crate::decide".to_owned(), 4)]
    );
}

#[test]
fn cargo_workspace_metadata_gatecheck_is_read() {
    let tree = Tree::new();
    tree.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n\
         [workspace.metadata.gatecheck.code_quality]\nmax_complexity = 3\n",
    )
    .write("crates/one/src/lib.rs", &rs_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 1);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("Cargo.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
}

#[test]
fn files_without_a_gatecheck_table_are_passed_over() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write(
            "py/pyproject.toml",
            "[project]\nname = \"py\"\n\n[tool.ruff]\nline-length = 100\n",
        )
        .write("py/calc.py", &py_complex("decide", 4))
        .write(
            "rs/Cargo.toml",
            "[package]\nname = \"rs\"\nversion = \"0.1.0\"\n",
        )
        .write("rs/src/lib.rs", &rs_complex("decide", 4));
    let parent = tree.path("gatecheck.toml");
    for dir in ["py", "rs"] {
        let (code, report) = report_in(&tree.path(dir), &[]);
        assert_eq!(code, 1, "{dir}");
        assert_eq!(
            report["config"].as_str(),
            parent.to_str(),
            "{dir}: {report}"
        );
        assert_eq!(threshold(&report, "max_complexity"), 3.0, "{dir}");
    }
}

#[test]
fn gatecheck_toml_wins_over_pyproject_in_the_same_directory() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write(
            "pyproject.toml",
            "[tool.gatecheck.code_quality]\nmax_complexity = 30\n",
        )
        .write("calc.py", &py_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 1);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("gatecheck.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
}

#[test]
fn the_nearest_config_wins() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write(
            "sub/pyproject.toml",
            "[tool.gatecheck.code_quality]\nmax_complexity = 30\n",
        )
        .write("sub/calc.py", &py_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &["sub"]);
    assert_eq!(code, 0);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("sub/pyproject.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 30.0);
}

#[test]
fn config_flag_wins_over_discovery() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write(
            "elsewhere/strict.toml",
            "[code_quality]\nmax_complexity = 20\n",
        )
        .write("calc.py", &py_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &["--config", "elsewhere/strict.toml"]);
    assert_eq!(code, 0);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("strict.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 20.0);

    // A named pyproject.toml must have the table: it is not passed over.
    tree.write("elsewhere/pyproject.toml", "[project]\nname = \"x\"\n");
    let run = run_in(
        tree.root(),
        &["check", "--config", "elsewhere/pyproject.toml"],
    );
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("pyproject.toml") && run.stderr.contains("[tool.gatecheck]"),
        "{}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------------------------
// Overrides and exclude
// ---------------------------------------------------------------------------------------------

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
            (
                "tests/test_long.py",
                "tests.test_long.test_huge",
                120,
                100.0
            ),
            ("lib/long.py", "lib.long.build", 60, 50.0),
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

// ---------------------------------------------------------------------------------------------
// Suppressions
// ---------------------------------------------------------------------------------------------

/// Runs `check` on a tree holding one source file `name` with `text` and no other config.
fn check_one(name: &str, text: &str) -> (i32, Value) {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "").write(name, text);
    report_in(tree.root(), &[])
}

#[test]
fn suppression_on_the_def_line() {
    let text = py_complex("decide", 12).replacen(
        "def decide(x):",
        "def decide(x):  # gatecheck: ignore[max_complexity] a flat dispatch table",
        1,
    );
    let (code, report) = check_one("calc.py", &text);
    assert_eq!(code, 0, "only the suppressed violation exists: {report}");
    assert_eq!(items(&report, "max_complexity", "violations"), vec![]);
    assert_eq!(
        items(&report, "max_complexity", "suppressed"),
        vec![("calc.decide".to_owned(), 12)]
    );
    assert_eq!(
        reasons(&report, "max_complexity"),
        vec!["a flat dispatch table"]
    );
    assert_eq!(gate(&report, "max_complexity")["status"], "passed");
    assert_eq!(summary(&report, "suppressed"), 1);
    assert_eq!(summary(&report, "violations"), 0);
    assert_eq!(report["summary"]["passed"], true);
}

#[test]
fn suppression_on_the_line_above() {
    let text = format!(
        "class Table:\n    # gatecheck: ignore[max_complexity] mirrors the spec's table\n{}",
        py_complex("decide", 12)
            .lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    );
    let (code, report) = check_one("calc.py", &text);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        items(&report, "max_complexity", "suppressed"),
        vec![("calc.Table.decide".to_owned(), 12)]
    );
    assert_eq!(
        reasons(&report, "max_complexity"),
        vec!["mirrors the spec's table"]
    );
}

#[test]
fn suppression_above_the_decorators() {
    let text = format!(
        "import functools\n\n\n# gatecheck: ignore[max_parameters] the public API\n@functools.cache\n@staticmethod\n{}",
        py_wide("wide", 9)
    );
    let (code, report) = check_one("api.py", &text);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        items(&report, "max_parameters", "suppressed"),
        vec![("api.wide".to_owned(), 9)]
    );
    let suppressed = &gate(&report, "max_parameters")["suppressed"][0];
    assert_eq!(
        suppressed["line"], 7,
        "the violation points at the def line, not the decorator"
    );
    assert_eq!(suppressed["reason"], "the public API");
}

#[test]
fn bare_ignore_suppresses_every_gate() {
    let text = py_complex("decide", 12).replacen(
        "def decide(x):",
        "# gatecheck: ignore legacy code\ndef decide(x, a, b, c, d, e, f, g):",
        1,
    );
    let (code, report) = check_one("calc.py", &text);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        items(&report, "max_complexity", "suppressed"),
        vec![("calc.decide".to_owned(), 12)]
    );
    assert_eq!(
        items(&report, "max_parameters", "suppressed"),
        vec![("calc.decide".to_owned(), 8)]
    );
    assert_eq!(reasons(&report, "max_parameters"), vec!["legacy code"]);
    assert_eq!(summary(&report, "suppressed"), 2);
}

#[test]
fn suppression_names_only_its_gates() {
    let text = py_complex("decide", 12).replacen(
        "def decide(x):",
        "# gatecheck: ignore[max_parameters, max_nesting] wrong gates\ndef decide(x):",
        1,
    );
    let (code, report) = check_one("calc.py", &text);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        items(&report, "max_complexity", "violations"),
        vec![("calc.decide".to_owned(), 12)]
    );
    assert_eq!(summary(&report, "suppressed"), 0);
}

#[test]
fn suppression_does_not_reach_past_other_code() {
    let text = format!(
        "# gatecheck: ignore[max_complexity] meant for the line below\nLIMIT = 3\n{}",
        py_complex("decide", 12)
    );
    let (code, report) = check_one("calc.py", &text);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        items(&report, "max_complexity", "violations"),
        vec![("calc.decide".to_owned(), 12)]
    );
    assert_eq!(summary(&report, "suppressed"), 0);
}

#[test]
fn ignore_file_suppresses_its_gates_in_the_whole_file() {
    let text = format!(
        "\"\"\"Generated.\"\"\"\n# gatecheck: ignore-file[max_complexity] generated by the parser generator\n\n{}\n\n{}\n\n{}",
        py_complex("first", 12),
        py_complex("second", 14),
        py_wide("wide", 8)
    );
    let (code, report) = check_one("gen.py", &text);
    assert_eq!(code, 1, "max_parameters is not covered: {report}");
    assert_eq!(
        items(&report, "max_complexity", "suppressed"),
        vec![("gen.second".to_owned(), 14), ("gen.first".to_owned(), 12)]
    );
    assert_eq!(
        reasons(&report, "max_complexity"),
        vec![
            "generated by the parser generator",
            "generated by the parser generator"
        ]
    );
    assert_eq!(
        items(&report, "max_parameters", "violations"),
        vec![("gen.wide".to_owned(), 8)]
    );
    assert_eq!(summary(&report, "suppressed"), 2);
    assert_eq!(summary(&report, "violations"), 1);
}

#[test]
fn rust_suppressions() {
    let text = format!(
        "// gatecheck: ignore[max_complexity] a lookup table\n#[inline]\n#[must_use]\n{}\n{}\n{}",
        rs_complex("above", 12),
        rs_complex("on_line", 13).replacen(
            "fn on_line(x: u32) -> u32 {",
            "fn on_line(x: u32) -> u32 { // gatecheck: ignore[max_complexity] generated",
            1
        ),
        rs_complex("plain", 11)
    );
    let (code, report) = check_one("src/lib.rs", &text);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        items(&report, "max_complexity", "suppressed"),
        vec![
            ("crate::on_line".to_owned(), 13),
            ("crate::above".to_owned(), 12)
        ]
    );
    assert_eq!(
        reasons(&report, "max_complexity"),
        vec!["generated", "a lookup table"]
    );
    assert_eq!(
        items(&report, "max_complexity", "violations"),
        vec![("crate::plain".to_owned(), 11)]
    );
    assert_eq!(summary(&report, "suppressed"), 2);
    assert_eq!(summary(&report, "violations"), 1);
}

#[test]
fn suppression_above_a_multi_line_decorator() {
    // The form black gives a long decorator call.
    let text = format!(
        "# gatecheck: ignore[max_parameters] the public API\n@app.route(\n    \"/items\",\n    methods=[\"GET\"],\n)\n{}",
        py_wide("wide", 9)
    );
    let (code, report) = check_one("api.py", &text);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        items(&report, "max_parameters", "suppressed"),
        vec![("api.wide".to_owned(), 9)]
    );
}

#[test]
fn rust_suppression_above_doc_comments_and_multi_line_attributes() {
    // Doc comments are attributes in Rust; rustfmt splits long attributes over lines.
    let wide = "(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8) {}\n";
    let text = format!(
        "// gatecheck: ignore[max_parameters] documented\n/// Does it.\n///\n/// More.\n#[inline]\npub fn documented{wide}\n\
         // gatecheck: ignore[max_parameters] configured\n#[cfg_attr(\n    feature = \"fast\",\n    inline\n)]\npub fn configured{wide}"
    );
    let (code, report) = check_one("src/lib.rs", &text);
    assert_eq!(
        items(&report, "max_parameters", "suppressed"),
        vec![
            ("crate::documented".to_owned(), 8),
            ("crate::configured".to_owned(), 8)
        ]
    );
    assert_eq!(code, 0, "{report}");
}

#[test]
fn suppressed_items_are_listed_in_text_output() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "").write(
        "calc.py",
        &py_complex("decide", 12).replacen(
            "def decide(x):",
            "def decide(x):  # gatecheck: ignore[max_complexity] dispatch",
            1,
        ),
    );
    let run = run_in(tree.root(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(run.stdout.contains("suppressed (1):"), "{}", run.describe());
    assert!(
        run.stdout
            .contains("calc.py:1: max_complexity: calc.decide 12 > 10 (dispatch)"),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout.contains("0 violations, 1 suppressed"),
        "{}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------------------------
// Bad configuration
// ---------------------------------------------------------------------------------------------

/// Runs `check --config fixtures/config/NAME` and returns stderr, asserting exit 2 and no stdout.
fn config_error(name: &str) -> String {
    let tree = Tree::new();
    tree.write("a.py", "x = 1\n");
    let file = config_fixture(name);
    let run = run_in(
        tree.root(),
        &["check", "--config", file.to_str().expect("utf-8")],
    );
    assert_eq!(run.code, 2, "{name}: {}", run.describe());
    assert!(run.stdout.is_empty(), "{name}: {}", run.describe());
    assert!(
        !run.stderr.contains("panicked"),
        "{name}: {}",
        run.describe()
    );
    assert!(
        run.stderr.contains(&format!("{name}:")),
        "{name}: the message does not name the file: {}",
        run.describe()
    );
    run.stderr
}

#[test]
fn unknown_key_names_file_line_key_and_closest_key() {
    let err = config_error("unknown_key.toml");
    assert!(err.contains("unknown_key.toml:5:"), "{err}");
    assert!(err.contains("`max_function_lenght`"), "{err}");
    assert!(err.contains("did you mean `max_function_length`"), "{err}");

    let err = config_error("unknown_top_level_key.toml");
    assert!(err.contains("unknown_top_level_key.toml:2:"), "{err}");
    assert!(
        err.contains("`exclud`") && err.contains("did you mean `exclude`"),
        "{err}"
    );

    let err = config_error("override_unknown_key.toml");
    assert!(err.contains("override_unknown_key.toml:5:"), "{err}");
    assert!(
        err.contains("`max_complexty`") && err.contains("did you mean `max_complexity`"),
        "{err}"
    );
}

#[test]
fn key_in_the_wrong_section_names_the_right_one() {
    let err = config_error("wrong_section.toml");
    assert!(err.contains("wrong_section.toml:4:"), "{err}");
    assert!(err.contains("`max_complexity`"), "{err}");
    assert!(
        err.contains("[code_quality]"),
        "the message should say where the key belongs: {err}"
    );
}

#[test]
fn wrong_type_names_line_and_expected_type() {
    let err = config_error("wrong_type.toml");
    assert!(err.contains("wrong_type.toml:5:"), "{err}");
    assert!(
        err.contains("`max_complexity`") && err.contains("whole number") && err.contains("string"),
        "{err}"
    );

    let err = config_error("wrong_type_flag.toml");
    assert!(err.contains("wrong_type_flag.toml:4:"), "{err}");
    assert!(
        err.contains("`circular_dependencies`") && err.contains("true or false"),
        "{err}"
    );

    let err = config_error("fractional_count.toml");
    assert!(err.contains("fractional_count.toml:4:"), "{err}");
    assert!(
        err.contains("`max_nesting`") && err.contains("whole number"),
        "{err}"
    );

    let err = config_error("section_not_table.toml");
    assert!(err.contains("section_not_table.toml:2:"), "{err}");
    assert!(
        err.contains("`code_quality`") && err.contains("table"),
        "{err}"
    );
}

#[test]
fn invalid_toml_names_the_line() {
    let err = config_error("invalid.toml");
    assert!(err.contains("invalid.toml:3:"), "{err}");
    assert!(err.contains("invalid TOML"), "{err}");
}

#[test]
fn negative_thresholds_are_refused() {
    let err = config_error("negative.toml");
    assert!(err.contains("negative.toml:5:"), "{err}");
    assert!(
        err.contains("`max_function_length`") && err.contains("negative"),
        "{err}"
    );

    let err = config_error("negative_number.toml");
    assert!(err.contains("negative_number.toml:4:"), "{err}");
    assert!(
        err.contains("`max_startup_time`") && err.contains("0 or more"),
        "{err}"
    );
}

#[test]
fn override_without_paths_is_refused() {
    let err = config_error("override_without_paths.toml");
    assert!(err.contains("override_without_paths.toml:3:"), "{err}");
    assert!(err.contains("paths"), "{err}");
}

#[test]
fn errors_in_discovered_pyproject_and_cargo_tables_name_the_line_in_that_file() {
    let tree = Tree::new();
    tree.write(
        "py/pyproject.toml",
        "[project]\nname = \"demo\"\n\n[tool.gatecheck.code_quality]\nmax_complexity = 10\nmax_nestng = 3\n",
    )
    .write("py/a.py", "x = 1\n")
    .write(
        "rs/Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\n\n[package.metadata.gatecheck]\nexclude = \"target\"\n",
    )
    .write("rs/src/lib.rs", "pub fn f() {}\n");

    let run = run_in(&tree.path("py"), &["check"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("pyproject.toml:6:"),
        "{}",
        run.describe()
    );
    assert!(
        run.stderr.contains("did you mean `max_nesting`"),
        "{}",
        run.describe()
    );

    let run = run_in(&tree.path("rs"), &["check"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stderr.contains("Cargo.toml:6:"), "{}", run.describe());
    assert!(
        run.stderr.contains("`exclude`") && run.stderr.contains("list of strings"),
        "{}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------------------------
// Output formats
// ---------------------------------------------------------------------------------------------

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
        text.contains("calc.py:1: max_complexity: calc.decide 12 > 10"),
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
        .find("max_complexity: crate::classify 12 > 10")
        .expect("the worst violation is listed");
    let table = out.find("\ngate ").expect("a gate table");
    assert!(first < table, "violations come before the table:\n{out}");
    assert!(
        out.find("max_complexity: pkg.core.Parser.parse 11 > 10")
            .is_some_and(|i| i > first),
        "worst first:\n{out}"
    );
    assert!(
        !out.contains('\u{1b}'),
        "no colour when stdout is not a terminal: {out:?}"
    );
    for g in &GATES {
        assert!(
            out.lines().any(|l| l.starts_with(g.key)),
            "gate `{}` missing from the table:\n{out}",
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
    for g in gates {
        let key = g["gate"].as_str().expect("gate key");
        let expected = if NOT_MEASURED.contains(&key) {
            "not_measured"
        } else {
            "passed"
        };
        assert_eq!(g["status"], expected, "{key}: {g}");
    }
    assert_eq!(summary(&report, "not_measured"), 7);

    let run = run_in(tree.root(), &["check"]);
    for key in NOT_MEASURED {
        let line = run
            .stdout
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("{key} missing:\n{}", run.stdout));
        assert!(line.ends_with("not measured"), "{line}");
    }
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
