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

mod ci_use;
mod config_errors;
mod coverage_inputs;
mod discovery;
mod excludes;
mod exit_codes;
mod false_greens;
mod graph;
mod ignore_files;
mod init;
mod nested_functions;
mod output;
mod overrides;
mod project_root;
mod selection;
mod streams;
mod suppressions;
mod trust;
mod writes;

use std::fs;
use std::path::{Path, PathBuf};

use crate::project::{repo, small_project};
use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use tempfile::TempDir;

/// The gates a run does not measure without their inputs (coverage report, performance
/// targets, architecture rules): reported as `not_measured`, never as passed.
const NOT_MEASURED: &[&str] = &[
    "min_test_coverage",
    "max_startup_time",
    "max_memory_usage",
    "max_response_time",
    "no_regression",
    "layers",
    "forbidden_imports",
];

fn gatecheck() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("gatecheck");
    cmd.env_remove("GATECHECK_FORMAT").env_remove("NO_COLOR");
    cmd
}

fn config_fixture(name: &str) -> PathBuf {
    repo().join("fixtures/config").join(name)
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
