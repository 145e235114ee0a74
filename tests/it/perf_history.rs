//! Tests: the performance history file (issue 6, point 3). Round trips, concurrent writers
//! (threads and real processes), a writer killed with SIGKILL mid-append, and corrupt or
//! newer-version files that must be reported and left byte-identical.
//!
//! Writer processes are this test binary itself, re-entered through [`child_writer`] with
//! [`CHILD_ENV`] set; without it that test does nothing. No test asserts wall time.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gatecheck::perf::history::{History, HistoryError, Measure, Record};

/// Set in a re-entered test binary: `<mode> <history path> <writer id>`.
const CHILD_ENV: &str = "GATECHECK_TEST_HISTORY_CHILD";

/// The longest a child writer may run before it is killed and the test fails.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Concurrent writers, and appends per writer.
const WRITERS: usize = 8;
const APPENDS: usize = 20;

/// Records per append, and samples per record, of the writer that gets killed: big enough
/// that most of its time is spent writing the file.
const BATCH: usize = 40;
const BATCH_SAMPLES: usize = 200;

/// How many times a writer is killed: each kill lands at a random point of an append (reading,
/// validating, writing the temporary file, renaming), so more rounds cover more of them.
const ROUNDS: usize = 12;

fn record(target: &str, samples: Vec<f64>) -> Record {
    Record {
        target: target.to_owned(),
        measure: Measure::Startup,
        timestamp: 1_700_000_000,
        commit: Some("0123abcd".to_owned()),
        branch: Some("main".to_owned()),
        machine: "linux-x86_64-8cpu".to_owned(),
        unit: "s".to_owned(),
        samples,
        errors: None,
    }
}

fn history_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join(".gatecheck").join("history.jsonl")
}

#[test]
fn round_trip_keeps_every_field_and_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = history_path(&dir);
    let first = vec![record("cli", vec![0.21, 0.2, 0.25])];
    let mut second = record("health", vec![0.001, 0.5e-3]);
    second.measure = Measure::Response;
    second.commit = None;
    let mut third = record("bench/parse", vec![1234.0]);
    third.measure = Measure::Bench;
    third.unit = "ns".to_owned();
    History::append(&path, &first, 1000).expect("first append");
    History::append(&path, &[second.clone(), third.clone()], 1000).expect("second append");
    History::append(&path, &[], 1000).expect("empty append");
    let loaded = History::load(&path).expect("load");
    assert_eq!(loaded, vec![first[0].clone(), second, third]);
    let text = fs::read_to_string(&path).expect("read");
    assert_eq!(
        text.lines().next(),
        Some(r#"{"format":"gatecheck-history","version":1}"#)
    );
    assert_eq!(text.lines().count(), 4, "header + three records:\n{text}");
    assert!(text.contains(r#""measure":"response""#), "{text}");
}

#[test]
fn missing_file_is_an_empty_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = history_path(&dir);
    assert_eq!(History::load(&path).expect("load").len(), 0);
    assert!(!path.exists(), "loading creates nothing");
}

#[test]
fn concurrent_threads_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = history_path(&dir);
    std::thread::scope(|scope| {
        for writer in 0..WRITERS {
            let path = &path;
            scope.spawn(move || append_many(path, writer));
        }
    });
    assert_each_append_once(&path);
}

#[test]
fn concurrent_processes_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = history_path(&dir);
    let children: Vec<Child> = (0..WRITERS)
        .map(|writer| spawn_child("many", &path, writer))
        .collect();
    for (writer, child) in children.into_iter().enumerate() {
        let status = wait_with_timeout(child, &format!("writer {writer}"));
        assert!(status.success(), "writer {writer} failed: {status}");
    }
    assert_each_append_once(&path);
    assert_no_temp_files(&path);
}

#[test]
fn sigkill_during_appends_leaves_a_whole_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = history_path(&dir);
    for round in 0..ROUNDS {
        let before = History::load(&path).expect("load before").len();
        let mut child = spawn_child("forever", &path, round);
        wait_for_growth(&path, before, &mut child);
        std::thread::sleep(Duration::from_micros(random_below(20_000)));
        child.kill().expect("SIGKILL the writer");
        child.wait().expect("reap the writer");
        let records = History::load(&path).expect("the history loads cleanly after SIGKILL");
        assert_whole_batches(&records);
        assert!(records.len() > before, "round {round}: the writer appended");
    }
    // An append after the crashes works and keeps everything before it.
    let before = History::load(&path).expect("load").len();
    History::append(&path, &[record("after", vec![1.0])], 1000).expect("append after SIGKILL");
    let records = History::load(&path).expect("load after");
    assert_eq!(records.len(), before + 1);
    assert_whole_batches(&records[..before]);
}

#[test]
fn corrupt_file_is_an_error_and_left_byte_identical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = history_path(&dir);
    History::append(&path, &[record("cli", vec![0.2])], 1000).expect("append");
    let mut bytes = fs::read(&path).expect("read");
    bytes.extend_from_slice(b"{\"target\": \"cli\", \"measure\": \"startup\", trunc\n");
    fs::write(&path, &bytes).expect("corrupt the file");
    let err =
        History::append(&path, &[record("cli", vec![0.3])], 1000).expect_err("append refuses");
    match &err {
        HistoryError::Corrupt { path: p, line, .. } => {
            assert_eq!(p, &path);
            assert_eq!(*line, 3);
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(
        message.contains(":3:") && message.contains("left untouched"),
        "{message}"
    );
    assert!(matches!(
        History::load(&path),
        Err(HistoryError::Corrupt { line: 3, .. })
    ));
    assert_eq!(fs::read(&path).expect("read"), bytes, "byte-identical");
    assert_no_temp_files(&path);
}

#[test]
fn wrong_header_is_corrupt_and_left_byte_identical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = history_path(&dir);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    for contents in [
        "{\"format\":\"something-else\",\"version\":1}\n",
        "not json at all\n",
        "{\"target\":\"cli\",\"measure\":\"startup\"}\n",
    ] {
        fs::write(&path, contents).expect("write");
        let err = History::append(&path, &[record("cli", vec![0.3])], 1000).expect_err("refused");
        assert!(
            matches!(err, HistoryError::Corrupt { line: 1, .. }),
            "{contents:?}: {err:?}"
        );
        assert!(err.to_string().contains("gatecheck-history"), "{err}");
        assert_eq!(fs::read_to_string(&path).expect("read"), contents);
    }
}

#[test]
fn newer_version_is_an_error_and_left_byte_identical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = history_path(&dir);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let contents = "{\"format\":\"gatecheck-history\",\"version\":2}\n{\"v2\":\"record\"}\n";
    fs::write(&path, contents).expect("write");
    let err = History::append(&path, &[record("cli", vec![0.3])], 1000).expect_err("refused");
    match &err {
        HistoryError::NewerVersion {
            path: p,
            found,
            supported,
        } => {
            assert_eq!(p, &path);
            assert_eq!((*found, *supported), (2, 1));
        }
        other => panic!("expected NewerVersion, got {other:?}"),
    }
    assert!(err.to_string().contains("upgrade gatecheck"), "{err}");
    assert!(matches!(
        History::load(&path),
        Err(HistoryError::NewerVersion { found: 2, .. })
    ));
    assert_eq!(fs::read_to_string(&path).expect("read"), contents);
    assert_no_temp_files(&path);
}

#[test]
fn non_finite_sample_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = history_path(&dir);
    let err = History::append(&path, &[record("cli", vec![0.2, f64::INFINITY])], 1000)
        .expect_err("refused");
    assert!(
        matches!(err, HistoryError::NonFiniteSample { .. }),
        "{err:?}"
    );
    assert!(!path.exists());
}

/// The re-entered writer process: does nothing unless [`CHILD_ENV`] is set.
#[test]
fn child_writer() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut parts = spec.splitn(3, ' ');
    let mode = parts.next().expect("mode");
    let writer: usize = parts.next().expect("id").parse().expect("numeric id");
    let path = PathBuf::from(parts.next().expect("path"));
    match mode {
        "many" => append_many(&path, writer),
        "forever" => append_batches_forever(&path),
        other => panic!("unknown child mode {other}"),
    }
}

/// [`APPENDS`] appends of one record each, target `w<writer>`, sample = the append's index.
fn append_many(path: &Path, writer: usize) {
    for i in 0..APPENDS {
        let sample = vec![i as f64];
        History::append(path, &[record(&format!("w{writer}"), sample)], 1000).expect("append");
    }
}

/// Appends whole batches until killed: record `k` of batch `b` has target `b<b>` and samples
/// all equal to `k`.
fn append_batches_forever(path: &Path) {
    let first = History::load(path).expect("load").len() / BATCH;
    for batch in first.. {
        let records: Vec<Record> = (0..BATCH)
            .map(|k| record(&format!("b{batch}"), vec![k as f64; BATCH_SAMPLES]))
            .collect();
        History::append(path, &records, 1000).expect("append");
    }
}

fn assert_each_append_once(path: &Path) {
    let records = History::load(path).expect("load");
    let mut seen: BTreeMap<(String, u64), usize> = BTreeMap::new();
    for r in &records {
        *seen
            .entry((r.target.clone(), r.samples[0] as u64))
            .or_default() += 1;
    }
    assert_eq!(records.len(), WRITERS * APPENDS, "every record present");
    for writer in 0..WRITERS {
        for i in 0..APPENDS {
            let key = (format!("w{writer}"), i as u64);
            assert_eq!(seen.get(&key), Some(&1), "{key:?} exactly once");
        }
    }
}

/// The records are batches 0, 1, ... in order, each complete.
fn assert_whole_batches(records: &[Record]) {
    assert_eq!(records.len() % BATCH, 0, "only whole appends");
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r.target, format!("b{}", i / BATCH), "record {i}");
        assert_eq!(
            r.samples,
            vec![(i % BATCH) as f64; BATCH_SAMPLES],
            "record {i}"
        );
    }
}

fn assert_no_temp_files(path: &Path) {
    let dir = path.parent().expect("parent");
    let names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| n == "history.jsonl" || n == "history.jsonl.lock"),
        "only the history and its lock: {names:?}"
    );
}

fn spawn_child(mode: &str, path: &Path, writer: usize) -> Child {
    let exe = std::env::current_exe().expect("test binary path");
    Command::new(exe)
        .args(["perf_history::child_writer", "--exact", "--test-threads=1"])
        .env(CHILD_ENV, format!("{mode} {writer} {}", path.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn the test binary as a writer")
}

fn wait_with_timeout(mut child: Child, what: &str) -> std::process::ExitStatus {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{what}: still running after {} s, killed",
                TIMEOUT.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits until the killed-to-be writer has appended at least once more than `before`.
fn wait_for_growth(path: &Path, before: usize, child: &mut Child) {
    let deadline = Instant::now() + TIMEOUT;
    while History::load(path).expect("load while writing").len() <= before {
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("the writer exited early: {status}");
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            panic!("the writer appended nothing in {} s", TIMEOUT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A number in `0..bound` that differs from run to run (no seeded generator needed here).
fn random_below(bound: u64) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    u64::from(nanos) % bound
}

#[test]
fn the_history_keeps_the_newest_runs_of_each_target() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = history_path(&dir);
    for run in 0..25 {
        let sample = f64::from(run);
        History::append(
            &path,
            &[record("cli", vec![sample]), record("api", vec![sample])],
            10,
        )
        .expect("append");
    }
    let loaded = History::load(&path).expect("load");
    for target in ["cli", "api"] {
        let samples: Vec<f64> = loaded
            .iter()
            .filter(|r| r.target == target)
            .map(|r| r.samples[0])
            .collect();
        let newest: Vec<f64> = (15..25).map(f64::from).collect();
        assert_eq!(samples, newest, "{target}: the ten newest, oldest first");
    }
}

#[test]
fn a_history_that_is_a_fifo_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.jsonl");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let error = History::load(&path).expect_err("a FIFO is no history");
    assert!(error.to_string().contains("not a regular file"), "{error}");
}
