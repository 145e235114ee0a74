//! Tests: coverage reports for `min_test_coverage`. Real Cobertura, LCOV and JSON reports are
//! written by coverage.py (the tool the reports come from) from `fixtures/coverage`, and
//! gatecheck's totals must equal coverage.py's own; hand-written files cover merging and
//! malformed input.
#![allow(clippy::expect_used, reason = "a failed expectation is a test failure")]

use std::fs;
use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use tempfile::TempDir;

use crate::project::repo;

fn fixtures() -> std::path::PathBuf {
    repo().join("fixtures/coverage")
}

/// Copies the fixture app into a temp dir and runs it under coverage.py, writing the three
/// report formats; returns the directory and coverage.py's own total percentage.
fn measured_app() -> (TempDir, f64) {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join("app")).expect("mkdir");
    for file in ["app/shapes.py", "run.py"] {
        fs::copy(fixtures().join(file), dir.path().join(file)).expect("copy fixture");
    }
    let coverage = |args: &[&str]| {
        let out = Command::new("python3")
            .args(["-m", "coverage"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("python3 must be installed (.ci/run installs it with coverage.py)");
        assert!(
            out.status.success(),
            "coverage.py {args:?} failed (is coverage.py installed? .ci/run installs it): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    coverage(&["run", "run.py"]);
    coverage(&["xml", "-q", "-o", "coverage.xml"]);
    coverage(&["lcov", "-q", "-o", "lcov.info"]);
    coverage(&["json", "-q", "-o", "coverage.json"]);
    let total = coverage(&["report", "--format=total", "--precision=2"]);
    let total = total
        .parse()
        .expect("coverage.py prints the total as a number");
    (dir, total)
}

fn json_report(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let out = cargo_bin_cmd!("gatecheck")
        .current_dir(dir)
        .args(["check", "app", "--format", "json"])
        .args(extra)
        .output()
        .expect("run gatecheck");
    let code = out.status.code().expect("exit code");
    (
        code,
        serde_json::from_slice(&out.stdout).expect("JSON report"),
    )
}

fn coverage_gate(report: &Value) -> &Value {
    report["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .find(|g| g["gate"] == "min_test_coverage")
        .expect("min_test_coverage gate")
}

#[test]
fn every_format_coverage_py_writes_gives_its_own_total() {
    require_tool!(CoveragePy);
    let (dir, total) = measured_app();
    assert!(
        (total - 60.0).abs() < 1e-9,
        "the fixture is 12 of 20 lines: {total}"
    );
    for (file, format) in [
        ("coverage.xml", "cobertura"),
        ("lcov.info", "lcov"),
        ("coverage.json", "coverage_py"),
    ] {
        let (code, report) = json_report(dir.path(), &["--coverage", file]);
        let read = &report["coverage"][0];
        assert_eq!(read["format"], format, "{file}");
        assert_eq!(
            (read["covered"].as_u64(), read["valid"].as_u64()),
            (Some(12), Some(20))
        );
        let ratio = read["ratio"].as_f64().expect("ratio");
        assert!(
            (ratio * 100.0 - total).abs() < 0.005,
            "{file}: {ratio} vs {total}"
        );
        let shapes = &read["files"][0];
        assert_eq!(shapes["path"], "app/shapes.py");
        assert_eq!(
            (shapes["covered"].as_u64(), shapes["valid"].as_u64()),
            (Some(7), Some(15))
        );
        // 60% is under the default 80%: the gate fails and the run exits 1.
        crate::reports::assert_valid(&report, file);
        let gate = coverage_gate(&report);
        assert_eq!(gate["status"], "failed", "{file}");
        assert_eq!(gate["violations"][0]["value"], 60.0);
        assert_eq!(code, 1, "{file}");
    }
}

#[test]
fn a_report_in_the_root_is_found_and_a_lower_threshold_passes() {
    require_tool!(CoveragePy);
    let (dir, _) = measured_app();
    fs::remove_file(dir.path().join("lcov.info")).expect("rm");
    fs::remove_file(dir.path().join("coverage.json")).expect("rm");
    fs::write(
        dir.path().join("gatecheck.toml"),
        "[code_quality]\nmin_test_coverage = 60\n",
    )
    .expect("config");
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["coverage"][0]["format"], "cobertura");
    assert_eq!(coverage_gate(&report)["status"], "passed");
}

#[test]
fn no_report_leaves_the_gate_not_measured() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join("app")).expect("mkdir");
    fs::write(dir.path().join("app/a.py"), "x = 1\n").expect("write");
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(coverage_gate(&report)["status"], "not_measured");
    assert_eq!(report["coverage"], serde_json::json!([]));
}

#[test]
fn lcov_records_of_one_file_merge_and_fractional_hits_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join("app")).expect("mkdir");
    let info = fixtures().join("partial.info");
    let (_, report) = json_report(dir.path(), &["--coverage", info.to_str().expect("utf-8")]);
    let read = &report["coverage"][0];
    // src/lib.rs: lines 1, 2 (hit in the second record), 3 (2.0 hits) covered, 4 not;
    // src/main.rs: line 10 not.
    assert_eq!(
        (read["covered"].as_u64(), read["valid"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(read["files"][0]["path"], "src/lib.rs");
    assert_eq!(read["files"][0]["covered"], 3);
}

#[test]
fn a_malformed_or_unknown_report_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join("app")).expect("mkdir");
    fs::write(dir.path().join("notes.txt"), "hello\n").expect("write");
    let broken = fixtures().join("broken.xml");
    for (file, expected) in [
        (broken.to_str().expect("utf-8"), "malformed"),
        ("notes.txt", "not a coverage report"),
        ("missing.xml", "cannot read coverage report"),
    ] {
        let out = cargo_bin_cmd!("gatecheck")
            .current_dir(dir.path())
            .args(["check", "app", "--coverage", file])
            .output()
            .expect("run gatecheck");
        assert_eq!(out.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(expected) && stderr.contains(file),
            "{file}: {stderr}"
        );
    }
}
