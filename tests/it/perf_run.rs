//! Tests: `gatecheck perf run` on real child processes made for the purpose
//! (`fixtures/perf/*.py`): peak memory against the memory gate, a hang killed with its
//! grandchild, a 1 GiB flood that must not grow gatecheck, a failing exit with its stderr, wall
//! times, and the lean spawner that keeps a big parent's memory out of the measurement. No
//! wall-time figure is asserted tighter than 5x.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use gatecheck::config::perf::StartupTarget;
use gatecheck::perf::measure;
use gatecheck::perf::process::Spawner;

use crate::perf_support::{
    MIB, Project, fixture, gate, gatecheck_exe, python, startup, startup_result,
};

const ONE_RUN: &str = "runs = 1\nwarmup = 0";

#[test]
fn the_150_mib_allocator_fails_the_memory_gate_and_the_20_mib_one_passes() {
    let config = format!(
        "[performance]\nmax_memory_usage = 100\nmax_startup_time = 600\n{}{}",
        startup("big", "alloc.py", &["150"], "runs = 2\nwarmup = 0"),
        startup("small", "alloc.py", &["20"], "runs = 2\nwarmup = 0"),
    );
    let project = Project::new(&config);
    let (code, report, run) = project.perf_json(&[]);
    assert_eq!(code, 1, "{}", run.describe());
    let big = startup_result(&report, "big")["peak_memory_bytes"]
        .as_f64()
        .expect("big measured");
    let small = startup_result(&report, "small")["peak_memory_bytes"]
        .as_f64()
        .expect("small measured");
    assert!(big > 150.0 * MIB && big < 200.0 * MIB, "big: {big}");
    assert!(small > 20.0 * MIB && small < 60.0 * MIB, "small: {small}");
    let memory = gate(&report, "max_memory_usage");
    assert_eq!(memory["status"], "failed", "{memory}");
    assert_eq!(memory["checked"], 2);
    let violations = memory["violations"].as_array().expect("violations");
    assert_eq!(violations.len(), 1, "only the big one: {memory}");
    let item = violations[0]["item"].as_str().expect("item");
    assert_eq!(item, "startup big: peak memory (MB)");
    assert_eq!(violations[0]["path"], "gatecheck.toml");
    assert_eq!(
        violations[0]["line"], 5,
        "the line of the big target's entry"
    );
    let measured = violations[0]["value"].as_f64().expect("measured MiB");
    assert!((measured - big / MIB).abs() < 1e-6, "{measured}");
    assert_eq!(violations[0]["threshold"], 100.0);
    let text = project.run(&["perf", "run", "--no-record"]);
    let line = text
        .stdout
        .lines()
        .find(|l| l.contains("max_memory_usage: startup big"))
        .unwrap_or_else(|| panic!("no violation line: {}", text.describe()));
    assert!(
        line.starts_with("gatecheck.toml:5: max_memory_usage: startup big: peak memory (MB): 1")
            && line.ends_with(" MB > 100 MB"),
        "{line}"
    );
    assert_eq!(gate(&report, "max_startup_time")["status"], "passed");
    assert_eq!(gate(&report, "max_complexity")["status"], "not_measured");
}

#[test]
fn the_lean_spawner_does_not_inherit_a_big_parents_peak() {
    // This test process grows to 300 MiB first.
    let ballast = vec![1_u8; 300 * 1024 * 1024];
    let probe = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)";
    // Control: a child started directly by this big process reports the parent's peak (the
    // kernel copies it at exec), which is what a naive measurement would see.
    let direct = Command::new(python())
        .args(["-c", probe])
        .output()
        .expect("run python3");
    let direct_kib: f64 = String::from_utf8_lossy(&direct.stdout)
        .trim()
        .parse()
        .expect("ru_maxrss");
    assert!(
        direct_kib * 1024.0 > 250.0 * MIB,
        "the kernel did not pass the parent's peak on ({direct_kib} KiB): the control is void"
    );
    let target = StartupTarget {
        name: "tiny".to_owned(),
        command: vec![python().to_owned(), "-c".to_owned(), "pass".to_owned()],
        runs: 2,
        warmup: 0,
        timeout: Duration::from_secs(60),
        noise_threshold: 0.05,
        line: 1,
    };
    let spawner = Spawner {
        exe: gatecheck_exe(),
    };
    let result = measure::startup(&spawner, &target, Path::new(".")).expect("measure");
    assert_eq!(result.failure, None);
    let peak = result.peak_memory_bytes.expect("peak");
    assert!(
        peak < 60.0 * MIB,
        "peak {peak} includes the parent's memory"
    );
    assert!(peak > 1.0 * MIB, "peak {peak}");
    assert_eq!(
        ballast.iter().map(|&b| usize::from(b)).sum::<usize>(),
        ballast.len()
    );
}

#[test]
fn a_hang_is_killed_with_its_grandchild_within_the_timeout() {
    let project = Project::new("");
    let pidfile = project.path("grandchild.pid");
    let pidfile = pidfile.display().to_string();
    let config = startup(
        "hang",
        "hang.py",
        &[&pidfile],
        "runs = 1\nwarmup = 0\ntimeout_seconds = 2",
    );
    project.config(&config);
    let started = Instant::now();
    let (code, report, run) = project.perf_json(&[]);
    let took = started.elapsed();
    assert_eq!(code, 1, "{}", run.describe());
    assert!(took < Duration::from_secs(10 * 5), "took {took:?}");
    let failure = &startup_result(&report, "hang")["failure"];
    assert_eq!(failure["what"], "run 1");
    let reason = failure["reason"].as_str().expect("reason");
    assert!(reason.starts_with("timed out after 2.0 s"), "{reason}");
    let startup_gate = gate(&report, "max_startup_time");
    assert_eq!(startup_gate["status"], "failed", "{startup_gate}");
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .expect("the grandchild wrote its pid")
        .trim()
        .parse()
        .expect("pid");
    assert!(process_gone(pid), "grandchild {pid} still runs");
}

/// Whether `pid` is gone (or a zombie: dead, waiting for init to reap it), within 5 s.
fn process_gone(pid: i32) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => return true,
            Ok(stat)
                if stat
                    .rsplit(')')
                    .next()
                    .is_some_and(|s| s.trim_start().starts_with('Z')) =>
            {
                return true;
            }
            Ok(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    false
}

#[test]
fn a_1_gib_flood_does_not_grow_gatecheck() {
    let config = startup(
        "flood",
        "flood.py",
        &["1024"],
        "runs = 1\nwarmup = 0\ntimeout_seconds = 300",
    );
    let project = Project::new(&config);
    let report_file = project.path("outer.json");
    // gatecheck measures itself: the outer spawner reports the largest peak RSS of
    // `gatecheck perf run` and of everything it waited for (the inner spawner, python).
    let output = Command::new(gatecheck_exe())
        .arg("__spawn")
        .arg("--report")
        .arg(&report_file)
        .args([
            "--",
            &gatecheck_exe().display().to_string(),
            "perf",
            "run",
            "--format",
            "json",
        ])
        .current_dir(project.root())
        .output()
        .expect("run gatecheck under its own spawner");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("perf run printed its JSON report");
    let flood = startup_result(&report, "flood");
    assert_eq!(flood["failure"], serde_json::Value::Null, "{flood}");
    assert_eq!(flood["wall_seconds"].as_array().map(Vec::len), Some(1));
    let outer: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report_file).expect("outer report")).expect("json");
    assert_eq!(outer["outcome"], "ended", "{outer}");
    let peak = outer["peak_rss_bytes"].as_f64().expect("peak");
    assert!(
        peak < 64.0 * MIB,
        "gatecheck grew to {} MiB during a 1 GiB flood",
        peak / MIB
    );
}

#[test]
fn a_failing_exit_is_reported_with_its_stderr_tail() {
    let project = Project::new(&startup("broken", "exit3.py", &[], ONE_RUN));
    let (code, report, run) = project.perf_json(&[]);
    assert_eq!(code, 1, "{}", run.describe());
    let failure = &startup_result(&report, "broken")["failure"];
    assert_eq!(failure["reason"], "exited with status 3", "{failure}");
    let tail = failure["stderr_tail"].as_str().expect("stderr tail");
    assert!(
        tail.ends_with("ValueError: the database is not configured"),
        "{tail}"
    );
    let violation = &gate(&report, "max_startup_time")["violations"][0];
    let item = violation["item"].as_str().expect("item");
    assert!(item.contains("run 1 exited with status 3"), "{item}");
    let text = project.run(&["perf", "run", "--no-record"]);
    assert_eq!(text.code, 1);
    assert!(
        text.stdout.contains("broken: run 1 exited with status 3")
            && text
                .stdout
                .contains("ValueError: the database is not configured"),
        "{}",
        text.describe()
    );
    // Failed runs add no samples to the history.
    let history =
        std::fs::read_to_string(project.path(".gatecheck/history.jsonl")).expect("history");
    assert_eq!(history.lines().count(), 1, "only the header: {history}");
}

#[test]
fn wall_time_is_measured_per_run() {
    let config = startup("nap", "sleep.py", &["0.2"], "runs = 5\nwarmup = 1");
    let project = Project::new(&format!("[performance]\nmax_startup_time = 600\n{config}"));
    let (code, report, run) = project.perf_json(&[]);
    assert_eq!(code, 0, "{}", run.describe());
    let nap = startup_result(&report, "nap");
    assert_eq!(nap["wall_seconds"].as_array().map(Vec::len), Some(5));
    let wall = &nap["wall"];
    let median = wall["median"].as_f64().expect("median");
    // At least the sleep; a Python start on a loaded 2-core machine can take seconds.
    assert!((0.2..60.0).contains(&median), "median {median}");
    for key in ["min", "max", "p95", "mad"] {
        assert!(wall[key].as_f64().is_some(), "{key} in {wall}");
    }
    assert!(wall["min"].as_f64() <= wall["max"].as_f64());
    assert_eq!(report["perf"]["commit"], "0123456789abcdef");
    assert_eq!(report["perf"]["branch"], "main");
}

#[test]
fn a_command_that_cannot_start_is_a_failed_run() {
    let config = "[[performance.startup]]\nname = \"ghost\"\ncommand = [\"/nonexistent/prog\"]\n";
    let project = Project::new(config);
    let (code, report, run) = project.perf_json(&[]);
    assert_eq!(code, 1, "{}", run.describe());
    let reason = startup_result(&report, "ghost")["failure"]["reason"]
        .as_str()
        .expect("reason")
        .to_owned();
    assert!(
        reason.starts_with("cannot start /nonexistent/prog"),
        "{reason}"
    );
    let _ = fixture("sleep.py");
}

#[test]
fn a_killed_gatecheck_takes_its_measured_commands_with_it() {
    let project = Project::new("");
    let pidfile = project.path("grandchild.pid");
    let pidfile_text = pidfile.display().to_string();
    let settings = "runs = 1\nwarmup = 0\ntimeout_seconds = 600";
    project.config(&startup("hang", "hang.py", &[&pidfile_text], settings));
    let mut gatecheck = Command::new(gatecheck_exe())
        .args(["perf", "run"])
        .current_dir(project.root())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start gatecheck");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !pidfile.exists() {
        assert!(Instant::now() < deadline, "the hang never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .expect("pid")
        .trim()
        .parse()
        .expect("pid");
    gatecheck.kill().expect("SIGKILL gatecheck");
    gatecheck.wait().expect("reap gatecheck");
    assert!(
        process_gone(pid),
        "grandchild {pid} outlived a killed gatecheck"
    );
}
