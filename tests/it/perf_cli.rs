//! Tests: `gatecheck perf` as a CI job uses it: the history of each run, verdicts inside
//! `perf run`, `perf compare`, named baselines, `check --with-perf`, the Prometheus output, and
//! a corrupt or newer history that gives exit 2 and stays byte-identical.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::fs;

use gatecheck::perf::history::{History, Measure};
use gatecheck::perf::summary::latest_summary;

use crate::perf_support::{Project, gate, startup};

/// A startup target `nap` that sleeps `seconds`, 6 runs. The startup limit is out of reach
/// and the noise threshold wide (50%): on a loaded machine a Python start alone varies by
/// tens of percent, and these tests are about the plumbing, not the noise (see perf_stats).
fn nap(seconds: &str) -> String {
    let settings = "runs = 6\nwarmup = 0\nnoise_threshold_percent = 50";
    format!(
        "[performance]\nmax_startup_time = 600\n{}",
        startup("nap", "sleep.py", &[seconds], settings)
    )
}

/// [`nap`] without the regression rule: for tests that run the same command twice.
fn calm_nap(seconds: &str) -> String {
    nap(seconds).replace("[performance]\n", "[performance]\nno_regression = false\n")
}

/// A sleep long enough to be a regression against [`nap`]`("0.05")` under any load.
const SLOW: &str = "3";

#[test]
fn each_run_is_appended_with_its_samples_and_context() {
    let project = Project::new(&calm_nap("0.01"));
    for _ in 0..2 {
        let run = project.run(&["perf", "run"]);
        assert_eq!(run.code, 0, "{}", run.describe());
    }
    let history = project.path(".gatecheck/history.jsonl");
    let records = History::load(&history).expect("history");
    assert_eq!(records.len(), 4, "startup and memory, twice: {records:?}");
    let startup: Vec<_> = records
        .iter()
        .filter(|r| r.measure == Measure::Startup)
        .collect();
    assert_eq!(startup.len(), 2);
    for r in startup {
        assert_eq!((r.target.as_str(), r.unit.as_str()), ("nap", "s"));
        assert_eq!(r.samples.len(), 6);
        assert_eq!(r.commit.as_deref(), Some("0123456789abcdef"));
        assert_eq!(r.branch.as_deref(), Some("main"));
        assert!(r.machine.starts_with("linux-"), "{}", r.machine);
        assert!(r.timestamp > 1_700_000_000);
    }
    let summary = latest_summary(&history).expect("summary").expect("some");
    assert_eq!(summary.entries.len(), 2);
    assert_eq!(summary.entries[0].measure, Measure::Startup);
    assert_eq!(summary.entries[0].summary.n, 6);
    assert!(
        summary.entries.iter().all(|e| e.regression.is_some()),
        "{summary:?}"
    );
    let no_record = project.run(&["perf", "run", "--no-record"]);
    assert_eq!(no_record.code, 0);
    assert_eq!(History::load(&history).expect("history").len(), 4);
}

#[test]
fn a_slower_run_is_a_regression_against_recent_runs_and_a_named_baseline() {
    let project = Project::new(&nap("0.05"));
    let first = project.run(&["perf", "run"]);
    assert_eq!(first.code, 0, "{}", first.describe());
    assert!(
        first.stdout.contains("verdicts: no baseline yet"),
        "{}",
        first.stdout
    );
    let save = project.run(&["perf", "baseline", "save", "fast"]);
    assert_eq!(save.code, 0, "{}", save.describe());
    assert!(project.path(".gatecheck/baselines/fast.jsonl").is_file());

    project.config(&nap(SLOW));
    let slow = project.run(&["perf", "run"]);
    assert_eq!(slow.code, 1, "{}", slow.describe());
    let line = slow
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("startup nap:") && l.contains(" → "))
        .unwrap_or_else(|| panic!("no verdict line:\n{}", slow.stdout));
    assert!(
        line.ends_with(", regression (measured twice: the first measurement was a regression)"),
        "{line}"
    );
    assert!(line.contains(" → ") && line.contains("(95% CI +"), "{line}");
    assert!(slow.stdout.contains("no_regression"), "{}", slow.stdout);

    let compare = project.run(&["perf", "compare"]);
    assert_eq!(compare.code, 1, "{}", compare.describe());
    assert!(
        compare.stdout.contains(", regression"),
        "{}",
        compare.stdout
    );
    let named = project.run(&["perf", "compare", "--baseline", "fast"]);
    assert_eq!(named.code, 1, "{}", named.describe());
    assert!(
        named.stdout.contains("against baseline fast"),
        "{}",
        named.stdout
    );

    let (code, report, run) = project.perf_json(&["--baseline", "fast", "--no-record"]);
    assert_eq!(code, 1, "{}", run.describe());
    let verdict = &report["perf"]["verdicts"][0];
    assert_eq!(verdict["measure"], "startup");
    assert_eq!(verdict["baseline"], "baseline fast");
    assert_eq!(
        verdict["remeasured"], true,
        "a regression is measured twice"
    );
    assert_eq!(verdict["verdict"]["kind"], "regression", "{verdict}");
    assert!(
        verdict["verdict"]["p_value"].as_f64() < Some(0.05),
        "{verdict}"
    );
    assert_eq!(gate(&report, "no_regression")["status"], "failed");
    let unknown = project.run(&["perf", "compare", "--baseline", "nope"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("no baseline `nope`"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn no_regression_false_reports_but_does_not_fail() {
    let project = Project::new(&nap("0.05"));
    assert_eq!(project.run(&["perf", "run"]).code, 0);
    project.config(&calm_nap(SLOW));
    let (code, report, run) = project.perf_json(&[]);
    assert_eq!(code, 0, "{}", run.describe());
    assert_eq!(
        report["perf"]["verdicts"][0]["verdict"]["kind"],
        "regression"
    );
    assert_eq!(gate(&report, "no_regression")["status"], "passed");
}

#[test]
fn a_corrupt_or_newer_history_exits_2_and_stays_byte_identical() {
    let project = Project::new(&nap("0.01"));
    let path = project.path(".gatecheck/history.jsonl");
    fs::create_dir_all(project.path(".gatecheck")).expect("mkdir");
    let corrupt =
        b"{\"format\":\"gatecheck-history\",\"version\":1}\n{\"target\": trunc\n".to_vec();
    let newer = b"{\"format\":\"gatecheck-history\",\"version\":9}\n{\"new\":1}\n".to_vec();
    for (contents, expected) in [(corrupt, "is corrupt"), (newer, "format version 9")] {
        fs::write(&path, &contents).expect("write");
        for args in [
            &["perf", "run"][..],
            &["perf", "compare"],
            &["check", ".", "--with-perf"],
        ] {
            let run = project.run(args);
            assert_eq!(run.code, 2, "{args:?}: {}", run.describe());
            assert!(
                run.stderr.contains(&path.display().to_string()),
                "{}",
                run.stderr
            );
            assert!(run.stderr.contains(expected), "{}", run.stderr);
            assert_eq!(
                fs::read(&path).expect("read"),
                contents,
                "{args:?}: byte-identical"
            );
        }
    }
}

#[test]
fn check_with_perf_puts_both_in_one_report() {
    let project = Project::new(&calm_nap("0.01"));
    fs::write(project.path("app.py"), "def f():\n    return 1\n").expect("write");
    let run = project.run(&["check", ".", "--with-perf", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let report = run.json();
    assert_eq!(report["summary"]["files"], 1);
    assert_eq!(gate(&report, "max_complexity")["status"], "passed");
    assert_eq!(gate(&report, "max_startup_time")["status"], "passed");
    assert_eq!(gate(&report, "max_memory_usage")["status"], "passed");
    assert_eq!(gate(&report, "max_response_time")["status"], "not_measured");
    assert_eq!(report["perf"]["startup"][0]["name"], "nap");
    crate::reports::assert_valid(&report, "check --with-perf");
    let plain = project.run(&["check", ".", "--format", "json"]);
    assert_eq!(
        gate(&plain.json(), "max_startup_time")["status"],
        "not_measured"
    );
    assert!(plain.json().get("perf").is_none());
}

#[test]
fn prometheus_output_has_the_agreed_metrics() {
    let project = Project::new(&calm_nap("0.01"));
    let run = project.run(&["perf", "run", "--format", "prometheus"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    for line in [
        "gatecheck_startup_duration_seconds{target=\"nap\",quantile=\"0.5\"} ",
        "gatecheck_startup_duration_seconds{target=\"nap\",quantile=\"0.95\"} ",
        "gatecheck_startup_duration_seconds_count{target=\"nap\"} 6",
        "gatecheck_startup_limit_seconds 600",
        "gatecheck_peak_memory_bytes{target=\"nap\"} ",
        "gatecheck_memory_limit_bytes 104857600",
        "gatecheck_response_limit_seconds 1",
        "# TYPE gatecheck_startup_duration_seconds summary",
    ] {
        assert!(run.stdout.contains(line), "missing {line}:\n{}", run.stdout);
    }
    crate::prometheus::assert_promtool_accepts(&run.stdout, "perf run");
    let second = project.run(&["perf", "run", "--format", "prometheus"]);
    assert!(
        second
            .stdout
            .contains("gatecheck_perf_regression{measure=\"startup\",target=\"nap\"} "),
        "{}",
        second.stdout
    );
}

#[test]
fn perf_run_without_targets_says_what_to_add() {
    let project = Project::new("[performance]\nmax_startup_time = 1.0\n");
    let run = project.run(&["perf", "run"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr
            .contains("no performance targets: add [[performance.startup]]"),
        "{}",
        run.stderr
    );
    assert!(!project.path(".gatecheck").exists(), "nothing written");
}
