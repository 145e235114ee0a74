//! `gatecheck serve`'s endpoints, its limits, re-analysis and shutdown, on a copy of the small
//! fixture project.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use super::{Server, agent, get, metric, small_copy};
use crate::prometheus::assert_promtool_accepts;

/// Sends `request` as it is and returns everything the server answers until it closes.
pub(crate) fn raw(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    // The server may answer and close before all of a huge request is written.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status line of a raw answer.
fn status_line(answer: &str) -> &str {
    answer.lines().next().unwrap_or("")
}

#[test]
fn serve_answers_metrics_report_and_health() {
    let dir = small_copy();
    let server = Server::start(dir.path(), &[]);
    let text = server.wait_for("gatecheck_serve_analyses_total", |n| n >= 1.0);
    assert_promtool_accepts(&text, "a scrape of gatecheck serve");
    assert_eq!(
        metric(&text, "gatecheck_files{language=\"python\"}"),
        Some(4.0)
    );
    assert_eq!(
        metric(&text, "gatecheck_serve_analysis_failures_total"),
        Some(0.0)
    );
    assert_eq!(
        metric(&text, "gatecheck_serve_last_analysis_files_parsed"),
        Some(5.0)
    );
    let duration = metric(&text, "gatecheck_serve_last_analysis_duration_seconds");
    assert!(duration.is_some_and(|d| d > 0.0), "{duration:?}");

    let response = agent().get(&server.url("/metrics")).call().expect("GET");
    let content_type = response.headers().get("content-type").expect("type");
    assert_eq!(content_type, "text/plain; version=0.0.4; charset=utf-8");

    let (status, report) = get(&server.url("/report.json"));
    assert_eq!(status, 200);
    let report: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    assert_eq!(report["summary"]["files"], 5);
    assert_eq!(report["summary"]["functions"], 15);
    assert_eq!(get(&server.url("/healthz")), (200, "ok\n".to_owned()));
    assert_eq!(
        get(&server.url("/metrics?x=1")).0,
        200,
        "a query is ignored"
    );
    assert_eq!(get(&server.url("/")).0, 404);
    assert_eq!(get(&server.url("/metrics/")).0, 404);

    let scrapes = metric(
        &get(&server.url("/metrics")).1,
        "gatecheck_serve_scrapes_total",
    );
    // wait_for's scrapes (at least one), the typed one, the ?x=1 one and this one.
    assert!(scrapes.is_some_and(|n| n >= 4.0), "{scrapes:?}");
}

#[test]
fn serve_refuses_other_methods_bodies_and_malformed_requests() {
    let dir = small_copy();
    let server = Server::start(dir.path(), &[]);
    let addr = server.addr;
    let head = raw(
        addr,
        b"HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status_line(&head), "HTTP/1.1 200 OK", "{head}");
    assert!(head.contains("content-length: "), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "HEAD has no body: {head}");
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let request = format!("{method} /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        let answer = raw(addr, request.as_bytes());
        assert_eq!(
            status_line(&answer),
            "HTTP/1.1 405 Method Not Allowed",
            "{method}"
        );
        assert!(answer.contains("allow: GET, HEAD"), "{answer}");
    }
    let with_body = raw(
        addr,
        b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    );
    assert_eq!(status_line(&with_body), "HTTP/1.1 413 Payload Too Large");
    let garbage = raw(addr, b"\x16\x03\x01\x02\x00 not http at all\r\n\r\n");
    assert_eq!(status_line(&garbage), "HTTP/1.1 400 Bad Request");
    let huge = format!(
        "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let answer = raw(addr, huge.as_bytes());
    assert_eq!(
        status_line(&answer),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    let many: String = (0..200).map(|i| format!("X-{i}: v\r\n")).collect();
    let answer = raw(
        addr,
        format!("GET /metrics HTTP/1.1\r\n{many}\r\n").as_bytes(),
    );
    assert_eq!(
        status_line(&answer),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    assert_eq!(get(&server.url("/healthz")).0, 200, "still serving");
}

#[test]
fn a_slow_client_is_cut_off_and_does_not_block_scrapes() {
    let dir = small_copy();
    let server = Server::start(dir.path(), &["--header-timeout", "1s"]);
    let mut slow = TcpStream::connect(server.addr).expect("connect");
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let started = Instant::now();
    let mut closed = false;
    for byte in b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" {
        assert_eq!(
            get(&server.url("/healthz")).0,
            200,
            "others are served meanwhile"
        );
        if slow.write_all(&[*byte]).is_err() {
            closed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let mut answer = Vec::new();
    let _ = slow.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    // Either the write failed, or the server answered 408 / closed without answering.
    assert!(
        closed || !answer.starts_with("HTTP/1.1 200"),
        "a request taking 10 s to send its head was served: {answer}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "cut off in time"
    );

    // A connection that never sends a byte, and one idle after its request, are closed too.
    for request in [&b""[..], b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"] {
        let mut idle = TcpStream::connect(server.addr).expect("connect");
        idle.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        idle.write_all(request).expect("write");
        let mut answer = Vec::new();
        let read = idle.read_to_end(&mut answer);
        assert!(
            read.is_ok(),
            "closed by the server, not by our 20 s timeout: {read:?}"
        );
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            request.is_empty() || answer.starts_with("HTTP/1.1 200"),
            "{answer}"
        );
    }
}

#[test]
fn serve_reanalyses_only_the_changed_file_and_keeps_the_last_result_on_failure() {
    let dir = small_copy();
    let server = Server::start(dir.path(), &["--poll", "1s", "--interval", "1h"]);
    let first = server.wait_for("gatecheck_serve_analyses_total", |n| n >= 1.0);
    assert_eq!(
        metric(&first, "gatecheck_serve_last_analysis_files_parsed"),
        Some(5.0)
    );
    let functions = metric(&first, "gatecheck_functions{language=\"python\"}").expect("count");

    let module = dir.path().join("pkg/extra.py");
    std::fs::write(&module, "def added(x):\n    return x\n").expect("write");
    let second = server.wait_for("gatecheck_serve_analyses_total", |n| n >= 2.0);
    assert_eq!(
        metric(&second, "gatecheck_serve_last_analysis_files_parsed"),
        Some(1.0),
        "only the new file is parsed"
    );
    assert_eq!(
        metric(&second, "gatecheck_functions{language=\"python\"}"),
        Some(functions + 1.0)
    );

    std::fs::write(
        dir.path().join("gatecheck.toml"),
        "[code_quality]\nmax_complexity = \"x\"\n",
    )
    .expect("break the config");
    let failed = server.wait_for("gatecheck_serve_analysis_failures_total", |n| n >= 1.0);
    assert_eq!(
        metric(&failed, "gatecheck_functions{language=\"python\"}"),
        Some(functions + 1.0),
        "the last complete result is still served"
    );
    assert_eq!(metric(&failed, "gatecheck_serve_analyses_total"), Some(2.0));
    let logged = server
        .stderr
        .recv_timeout(Duration::from_secs(10))
        .expect("a log line");
    assert!(
        logged.contains("analysis failed") && logged.contains("gatecheck.toml"),
        "{logged}"
    );
}

#[test]
fn serve_stops_cleanly_on_sigterm_and_sigint() {
    for signal in ["TERM", "INT"] {
        let dir = small_copy();
        let mut server = Server::start(dir.path(), &[]);
        server.wait_for("gatecheck_serve_analyses_total", |n| n >= 1.0);
        let idle = TcpStream::connect(server.addr).expect("an idle keep-alive connection");
        server.process.signal(signal);
        let status = server.process.wait_at_most(Duration::from_secs(20));
        assert_eq!(status.code(), Some(0), "SIG{signal}: {status}");
        assert!(
            TcpStream::connect(server.addr).is_err(),
            "the port is closed"
        );
        drop(idle);
        let said: Vec<String> = server.stderr.try_iter().collect();
        assert!(said.iter().any(|l| l.contains("shutting down")), "{said:?}");
    }
}

#[test]
fn serve_refuses_a_port_in_use_with_exit_2() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let output = assert_cmd::cargo::cargo_bin_cmd!("gatecheck")
        .args(["serve", ".", "--listen", &addr])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")),
        "{stderr}"
    );
}

#[test]
fn a_busy_keep_alive_connection_is_closed_after_the_request_timeout() {
    let dir = small_copy();
    let server = Server::start(dir.path(), &["--request-timeout", "1s"]);
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let started = Instant::now();
    let mut served = 0;
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "still open after 20 s and {served} requests"
        );
        if stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .is_err()
        {
            break;
        }
        let mut answer = [0u8; 1024];
        match stream.read(&mut answer) {
            Ok(0) | Err(_) => break,
            Ok(_) => served += 1,
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        served >= 2,
        "it was served, keep-alive, before being closed: {served}"
    );
    assert_eq!(
        get(&server.url("/healthz")).0,
        200,
        "new connections still served"
    );
}

#[test]
fn a_corrupt_perf_history_fails_the_analysis_and_is_left_byte_identical() {
    let dir = small_copy();
    let history = dir.path().join(".gatecheck/history.jsonl");
    std::fs::create_dir_all(dir.path().join(".gatecheck")).expect("mkdir .gatecheck");
    let corrupt = "{\"version\": 1, \"not a record\n";
    std::fs::write(&history, corrupt).expect("write the corrupt history");
    let server = Server::start(dir.path(), &[]);
    let failed = server.wait_for("gatecheck_serve_analysis_failures_total", |n| n >= 1.0);
    assert_eq!(metric(&failed, "gatecheck_serve_analyses_total"), Some(0.0));
    let logged = server
        .stderr
        .recv_timeout(Duration::from_secs(10))
        .expect("a log line");
    assert!(
        logged.contains("analysis failed") && logged.contains("history.jsonl"),
        "{logged}"
    );
    assert_eq!(
        std::fs::read_to_string(&history).expect("read the history"),
        corrupt,
        "serve only reads the history"
    );
}
