//! Tests: the `[performance]` targets in the configuration: defaults, every key, and errors
//! that name the file, the line, the key and the fix (closest valid key for a typo).
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::path::PathBuf;
use std::time::Duration;

use gatecheck::config::{Config, ConfigError};

fn load(text: &str) -> Result<Config, ConfigError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gatecheck.toml");
    std::fs::write(&path, text).expect("write");
    Config::load(&path)
}

fn error(text: &str) -> String {
    let err = load(text).expect_err("the configuration is refused");
    let message = err.to_string();
    assert!(
        message.contains("gatecheck.toml:"),
        "names the file and line: {message}"
    );
    message
}

#[test]
fn targets_with_defaults_and_every_key() {
    let config = load(
        r#"
[performance]
max_startup_time = 1.5
history = "perf/history.jsonl"
baseline_runs = 3

[[performance.startup]]
name = "cli"
command = ["python", "-c", "import app"]

[[performance.startup]]
name = "tuned"
command = ["app"]
runs = 20
warmup = 0
timeout_seconds = 2.5
noise_threshold_percent = 10

[[performance.response]]
name = "health"
url = "http://127.0.0.1:8000/health"
server = ["python", "-m", "app"]
requests = 100
warmup = 5
ready_timeout_seconds = 3
request_timeout_seconds = 0.5
noise_threshold_percent = 2
"#,
    )
    .expect("valid");
    let perf = &config.perf;
    assert_eq!(perf.history, Some(PathBuf::from("perf/history.jsonl")));
    assert_eq!(perf.baseline_runs, 3);
    let cli = &perf.startup[0];
    assert_eq!((cli.name.as_str(), cli.command.len()), ("cli", 3));
    assert_eq!(
        (cli.runs, cli.warmup, cli.timeout),
        (10, 1, Duration::from_secs(60))
    );
    assert!((cli.noise_threshold - 0.05).abs() < 1e-12);
    assert_eq!(cli.line, 7);
    let tuned = &perf.startup[1];
    assert_eq!((tuned.runs, tuned.warmup), (20, 0));
    assert_eq!(tuned.timeout, Duration::from_millis(2500));
    assert!((tuned.noise_threshold - 0.10).abs() < 1e-12);
    let health = &perf.response[0];
    assert_eq!(health.url, "http://127.0.0.1:8000/health");
    assert_eq!(health.server.as_ref().map(Vec::len), Some(3));
    assert_eq!((health.requests, health.warmup), (100, 5));
    assert_eq!(health.ready_timeout, Duration::from_secs(3));
    assert_eq!(health.request_timeout, Duration::from_millis(500));
    assert_eq!(
        config
            .gates
            .thresholds
            .get("max_startup_time")
            .map(|t| t.as_f64()),
        Some(1.5)
    );
}

#[test]
fn a_response_target_defaults() {
    let config = load("[[performance.response]]\nname = \"h\"\nurl = \"http://127.0.0.1:1/\"\n")
        .expect("valid");
    let h = &config.perf.response[0];
    assert_eq!((h.requests, h.warmup, h.server.is_none()), (50, 1, true));
    assert_eq!(h.ready_timeout, Duration::from_secs(30));
}

#[test]
fn errors_name_the_line_the_key_and_the_fix() {
    let cases: &[(&str, &str)] = &[
        (
            "[[performance.startup]]\nname = \"a\"\ncommand = [\"x\"]\nrunz = 3\n",
            "gatecheck.toml:4: unknown key `runz` in [[performance.startup]]; did you mean `runs`?",
        ),
        (
            "[[performance.startup]]\nname = \"a\"\ncommand = \"python app.py\"\n",
            "gatecheck.toml:3: `command` must be a list of strings",
        ),
        (
            "[[performance.startup]]\ncommand = [\"x\"]\n",
            "gatecheck.toml:1: `[[performance.startup]]` needs `name`, for example `name = \"cli\"`",
        ),
        (
            "[[performance.startup]]\nname = \"a\"\n",
            "needs `command`, for example `command = [\"python\", \"-c\", \"import app\"]`",
        ),
        (
            "[[performance.startup]]\nname = \"a\"\ncommand = [\"x\"]\nruns = 0\n",
            "gatecheck.toml:4: `runs` must be a whole number from 1 to 1000000, not integer",
        ),
        (
            "[[performance.startup]]\nname = \"a\"\ncommand = [\"x\"]\ntimeout_seconds = -1\n",
            "gatecheck.toml:4: `timeout_seconds` must be a number of seconds, more than 0",
        ),
        (
            "[[performance.response]]\nname = \"h\"\nurl = \"https://example.org/\"\n",
            "gatecheck.toml:3: `url` must be an http:// URL, not `https://example.org/`",
        ),
        (
            "[performance]\nstartup = { name = \"a\" }\n",
            "gatecheck.toml:2: `startup` must be an array of tables: [[performance.startup]]",
        ),
        (
            "[performance]\nbaseline_rns = 3\n",
            "gatecheck.toml:2: unknown key `baseline_rns` in [performance]; did you mean `baseline_runs`?",
        ),
        (
            "[[performance.startup]]\nname = \"a\"\ncommand = [\"x\"]\n\
             [[performance.response]]\nname = \"a\"\nurl = \"http://127.0.0.1:1/\"\n",
            "gatecheck.toml:4: `name` `a` is already the name of the target on line 1",
        ),
    ];
    for (text, expected) in cases {
        let message = error(text);
        assert!(
            message.contains(expected),
            "{text:?}\n  gave: {message}\n  want: {expected}"
        );
    }
}

#[test]
fn a_gate_in_the_wrong_section_is_still_told_where_it_belongs() {
    let message = error("[performance]\nmax_complexity = 3\n");
    assert!(
        message.contains("it belongs in [code_quality]"),
        "{message}"
    );
}
