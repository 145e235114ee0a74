//! Tests: `[[performance.response]]` targets against the tiny HTTP server of
//! `fixtures/perf/server.py`: latency quantiles, errors, the server's peak memory, and the
//! server stopped (its port closed) after the probes.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::net::{TcpListener, TcpStream};

use crate::perf_support::{MIB, Project, fixture, gate, python};

/// A port that was free a moment ago on 127.0.0.1.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

fn response_config(name: &str, port: u16, path: &str, extra: &str) -> String {
    let server = [
        python().to_owned(),
        fixture("server.py"),
        port.to_string(),
        "30".to_owned(),
    ];
    format!(
        "[[performance.response]]\nname = {name:?}\nurl = \"http://127.0.0.1:{port}{path}\"\n\
         server = {server:?}\nrequests = 20\n{extra}\n"
    )
}

#[test]
fn a_server_is_started_probed_and_stopped() {
    let port = free_port();
    let project = Project::new(&response_config("health", port, "/health", ""));
    let (code, report, run) = project.perf_json(&[]);
    assert_eq!(code, 0, "{}", run.describe());
    let health = &report["perf"]["response"][0];
    assert_eq!(health["errors"], 0, "{health}");
    assert_eq!(health["latency"]["n"], 20);
    let (p50, p95, p99) = (
        health["latency"]["p50"].as_f64().expect("p50"),
        health["latency"]["p95"].as_f64().expect("p95"),
        health["latency"]["p99"].as_f64().expect("p99"),
    );
    assert!(
        p50 > 0.0 && p50 <= p95 && p95 <= p99 && p99 < 1.0,
        "{health}"
    );
    let peak = health["peak_memory_bytes"].as_f64().expect("server peak");
    assert!(
        peak > 30.0 * MIB && peak < 100.0 * MIB,
        "server peak {peak}"
    );
    assert_eq!(gate(&report, "max_response_time")["status"], "passed");
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the server still listens on {port}"
    );
}

#[test]
fn failed_requests_fail_the_response_gate() {
    let port = free_port();
    let project = Project::new(&response_config("broken", port, "/fail", "warmup = 0"));
    let (code, report, run) = project.perf_json(&[]);
    assert_eq!(code, 1, "{}", run.describe());
    let broken = &report["perf"]["response"][0];
    assert_eq!(broken["errors"], 20, "{broken}");
    assert_eq!(
        broken["first_error"],
        "HTTP status 500 Internal Server Error"
    );
    let violation = &gate(&report, "max_response_time")["violations"][0];
    assert_eq!(
        violation["item"],
        "response broken: failed requests of 20 (first: HTTP status 500 Internal Server Error)"
    );
    assert_eq!(violation["value"], 20, "the failed requests: {violation}");
    assert_eq!(
        violation["threshold"], false,
        "no failure allowed: {violation}"
    );
}

#[test]
fn a_server_that_never_answers_is_reported() {
    let port = free_port();
    // The server listens on another port than the URL's: never ready.
    let other = free_port();
    let server = [python().to_owned(), fixture("server.py"), other.to_string()];
    let config = format!(
        "[[performance.response]]\nname = \"deaf\"\nurl = \"http://127.0.0.1:{port}/\"\n\
         server = {server:?}\nready_timeout_seconds = 1\n"
    );
    let project = Project::new(&config);
    let (code, report, run) = project.perf_json(&[]);
    assert_eq!(code, 1, "{}", run.describe());
    let failure = &report["perf"]["response"][0]["failure"];
    assert_eq!(failure["what"], "server");
    let reason = failure["reason"].as_str().expect("reason");
    assert!(reason.ends_with("did not answer within 1.0 s"), "{reason}");
    assert!(
        TcpStream::connect(("127.0.0.1", other)).is_err(),
        "server stopped"
    );
}
