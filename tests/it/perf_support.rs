//! Helpers of the `perf_*` tests: a temporary project with a gatecheck.toml whose targets are
//! the purpose-built programs of `fixtures/perf/`, and runs of the real `gatecheck` binary.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use tempfile::TempDir;

use crate::project::repo;

/// Bytes in a MiB.
pub(crate) const MIB: f64 = 1_048_576.0;

/// The absolute path of `fixtures/perf/<name>`, as TOML string text.
pub(crate) fn fixture(name: &str) -> String {
    let path = repo().join("fixtures/perf").join(name);
    assert!(path.is_file(), "missing fixture {}", path.display());
    path.display().to_string()
}

/// `python3`, which the fixture programs need: a missing interpreter fails the test loudly.
pub(crate) fn python() -> &'static str {
    let status = Command::new("python3").arg("--version").output();
    assert!(
        status.is_ok_and(|o| o.status.success()),
        "python3 is required by the perf tests (fixtures/perf/*.py); install it"
    );
    "python3"
}

/// A `[[performance.startup]]` entry running `python3 fixtures/perf/<script> <args>`.
pub(crate) fn startup(name: &str, script: &str, args: &[&str], settings: &str) -> String {
    let mut command = vec![python().to_owned(), fixture(script)];
    command.extend(args.iter().map(|a| (*a).to_owned()));
    format!("\n[[performance.startup]]\nname = {name:?}\ncommand = {command:?}\n{settings}\n")
}

/// A finished `gatecheck` run.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }

    pub(crate) fn describe(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A temporary project with its own gatecheck.toml.
pub(crate) struct Project {
    dir: TempDir,
}

impl Project {
    /// A project whose gatecheck.toml is `config`.
    pub(crate) fn new(config: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = Project { dir };
        project.config(config);
        project
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Replaces the gatecheck.toml.
    pub(crate) fn config(&self, config: &str) {
        std::fs::write(self.path("gatecheck.toml"), config).expect("write gatecheck.toml");
    }

    /// Runs `gatecheck <args>` in the project.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let output = cargo_bin_cmd!("gatecheck")
            .args(args)
            .current_dir(self.root())
            .env_remove("GATECHECK_FORMAT")
            .env("GATECHECK_COMMIT", "0123456789abcdef")
            .env("GATECHECK_BRANCH", "main")
            .output()
            .expect("run gatecheck");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `gatecheck perf run --format json`, with its exit code.
    pub(crate) fn perf_json(&self, extra: &[&str]) -> (i32, Value, Run) {
        let mut args = vec!["perf", "run", "--format", "json"];
        args.extend(extra);
        let run = self.run(&args);
        let json = run.json();
        (run.code, json, run)
    }
}

/// The gate called `key` of a JSON report.
pub(crate) fn gate<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["gates"]
        .as_array()
        .and_then(|gates| gates.iter().find(|g| g["gate"] == key))
        .unwrap_or_else(|| panic!("no gate {key} in {report}"))
}

/// The startup target called `name` of a JSON report's perf section.
pub(crate) fn startup_result<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["perf"]["startup"]
        .as_array()
        .and_then(|all| all.iter().find(|t| t["name"] == name))
        .unwrap_or_else(|| panic!("no startup target {name} in {report}"))
}

/// The path of the gatecheck binary under test.
pub(crate) fn gatecheck_exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gatecheck"))
}
