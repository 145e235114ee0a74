//! Tests: `gatecheck perf import` on files really produced by the tools, inside the test:
//! hyperfine (.ci/run installs it; skipped without it) and criterion (a one-benchmark crate,
//! `fixtures/perf/criterion-bench`, run twice with `cargo bench`). `fixtures/perf/criterion/`
//! also keeps a copy of this repository's own `cargo bench --bench pipeline -- stage/decode`
//! output, produced on this machine, for the exact sample arithmetic.
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
    require_tool!(Hyperfine);
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
    // The machine's verdict on two runs of one command: a loaded machine may call it a
    // regression (seen: 221 ms -> 291 ms on a shared 2-core machine), so 0 or 1.
    assert!(matches!(second.code, 0 | 1), "{}", second.describe());
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

/// Runs `fixtures/perf/criterion-bench` (one criterion benchmark) with `cargo bench`, in a copy
/// of the crate, with a target directory under the repository's `target/` so that criterion
/// is compiled once per checkout. Returns the `criterion` output directory.
fn run_criterion_fixture(workdir: &std::path::Path) -> std::path::PathBuf {
    let source = repo().join("fixtures/perf/criterion-bench");
    for file in ["Cargo.toml", "src/lib.rs", "benches/tiny.rs"] {
        let to = workdir.join(file);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(source.join(file), &to).expect("copy the fixture crate");
    }
    let target = repo().join("target/criterion-fixture");
    let out = Command::new(env!("CARGO"))
        .args(["bench", "--offline", "--quiet", "--bench", "tiny", "--"])
        .args(["--sample-size", "10", "--warm-up-time", "0.2"])
        .args(["--measurement-time", "0.5"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(workdir)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo bench of the criterion fixture failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    target.join("criterion")
}

#[test]
fn criterion_output_written_in_the_test_is_imported_and_compared() {
    let project = Project::new("");
    let crate_dir = tempfile::tempdir().expect("temp dir");
    let criterion = run_criterion_fixture(crate_dir.path());
    let dir = criterion.display().to_string();
    let first = project.run(&["perf", "import", "criterion", &dir]);
    assert_eq!(first.code, 0, "{}", first.describe());
    run_criterion_fixture(crate_dir.path());
    let second = project.run(&["perf", "import", "criterion", &dir]);
    // The verdict of a nanosecond benchmark on a shared machine is the machine's: a
    // regression (exit 1) is as legitimate as none; only a failure to import (2) is wrong.
    assert!(matches!(second.code, 0 | 1), "{}", second.describe());
    assert!(
        second.stdout.contains("bench fixture/sum: "),
        "{}",
        second.stdout
    );
    assert!(second.stdout.contains(" ns → "), "{}", second.stdout);
    let records = History::load(&project.path(".gatecheck/history.jsonl")).expect("history");
    let sums: Vec<_> = records
        .iter()
        .filter(|r| r.target == "fixture/sum")
        .collect();
    assert_eq!(sums.len(), 2, "{records:?}");
    for r in sums {
        assert_eq!(
            (r.measure, r.unit.as_str(), r.samples.len()),
            (Measure::Bench, "s", 10)
        );
        // Summing 1,000 integers takes nanoseconds to microseconds, never a second.
        assert!(
            r.samples.iter().all(|&s| s > 0.0 && s < 1e-3),
            "{:?}",
            r.samples
        );
    }
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
