//! Tests: `gatecheck perf import` on files really produced by the tools. hyperfine runs inside
//! the test (it must be installed: .ci/run installs it). criterion's output is
//! `fixtures/perf/criterion/`, produced on this machine by `cargo bench --bench pipeline --
//! stage/decode --sample-size 10 --warm-up-time 0.5 --measurement-time 1`, run twice (so it has
//! `new`, `base` and `change`), copied verbatim from target/criterion: building the release
//! bench inside a test took over 15 minutes on this shared 2-core machine, for no more realism
//! than the committed files.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::process::Command;

use gatecheck::perf::history::{History, Measure};

use crate::perf_support::{Project, fixture, python};
use crate::project::repo;

#[test]
fn hyperfine_export_is_imported_and_compared() {
    let project = Project::new("");
    let export = project.path("hyperfine.json");
    let command = format!("{} {} 0.01", python(), fixture("sleep.py"));
    let run_hyperfine = || {
        let status = Command::new("hyperfine")
            .args([
                "--runs",
                "6",
                "--warmup",
                "1",
                "--style",
                "none",
                "--export-json",
            ])
            .arg(&export)
            .arg(&command)
            .output()
            .unwrap_or_else(|e| panic!("hyperfine is required (apt-get install hyperfine): {e}"));
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    run_hyperfine();
    let first = project.run(&["perf", "import", "hyperfine", "hyperfine.json"]);
    assert_eq!(first.code, 0, "{}", first.describe());
    assert!(
        first.stdout.starts_with("imported 1 benchmarks into "),
        "{}",
        first.stdout
    );
    run_hyperfine();
    let second = project.run(&["perf", "import", "hyperfine", "hyperfine.json"]);
    assert_eq!(second.code, 0, "{}", second.describe());
    let verdict = format!("bench {command}: ");
    assert!(second.stdout.contains(&verdict), "{}", second.stdout);
    let records = History::load(&project.path(".gatecheck/history.jsonl")).expect("history");
    assert_eq!(records.len(), 2);
    for r in &records {
        assert_eq!(
            (r.measure, r.unit.as_str(), r.samples.len()),
            (Measure::Bench, "s", 6)
        );
        assert_eq!(r.target, command);
        assert!(
            r.samples.iter().all(|&s| (0.01..60.0).contains(&s)),
            "{:?}",
            r.samples
        );
    }
}

#[test]
fn criterion_output_is_imported() {
    let project = Project::new("");
    let dir = repo().join("fixtures/perf/criterion");
    let dir = dir.display().to_string();
    let run = project.run(&["perf", "import", "criterion", &dir]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let records = History::load(&project.path(".gatecheck/history.jsonl")).expect("history");
    assert_eq!(records.len(), 1, "{records:?}");
    let decode = &records[0];
    assert_eq!(decode.target, "stage/decode");
    assert_eq!(decode.measure, Measure::Bench);
    let sample: serde_json::Value = serde_json::from_slice(
        &std::fs::read(repo().join("fixtures/perf/criterion/stage/decode/new/sample.json"))
            .expect("sample.json"),
    )
    .expect("json");
    let iters = sample["iters"].as_array().expect("iters");
    let times = sample["times"].as_array().expect("times");
    assert_eq!(decode.samples.len(), iters.len());
    let first = times[0].as_f64().expect("time") / iters[0].as_f64().expect("iters") * 1e-9;
    assert!(
        (decode.samples[0] - first).abs() < 1e-15,
        "{} vs {first}",
        decode.samples[0]
    );
    // A second import is compared with the first (same samples: no change).
    let again = project.run(&["perf", "import", "criterion", &dir]);
    assert_eq!(again.code, 0, "{}", again.describe());
    assert!(
        again.stdout.contains("bench stage/decode: "),
        "{}",
        again.stdout
    );
    assert!(again.stdout.contains(", no change"), "{}", again.stdout);
}

#[test]
fn a_directory_without_criterion_results_is_an_error() {
    let project = Project::new("");
    let run = project.run(&["perf", "import", "criterion", "."]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("no criterion results"),
        "{}",
        run.stderr
    );
    let bad = project.path("bad.json");
    std::fs::write(&bad, "{\"not\": \"hyperfine\"}").expect("write");
    let run = project.run(&["perf", "import", "hyperfine", "bad.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not a hyperfine result file"),
        "{}",
        run.stderr
    );
}
