//! Tests: `gatecheck serve`, `--output` for node_exporter's textfile collector, `--push` to a
//! Pushgateway and the Grafana dashboard, each against the real component (Debian packages
//! `prometheus`, `prometheus-node-exporter`, `prometheus-pushgateway`; `.ci/run` installs
//! them; without one, the tests that need it are skipped with a line saying so, see
//! tests/it/external.rs).
//!
//! Every server, gatecheck's and the tools', listens on a loopback port the system picked, so
//! these tests run in parallel with each other; every child process is killed when its test
//! ends, passed or failed ([`Child`]'s `Drop`).
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

mod cache;
mod dashboard;
mod endpoints;
mod load;
mod push;
mod textfile;
mod tools;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::project::small_project;

/// Longest wait for anything a test waits for (a server to start, an analysis to finish).
const PATIENCE: Duration = Duration::from_secs(60);

/// A child process that is killed when dropped.
pub(crate) struct Child {
    pub(crate) child: std::process::Child,
    name: String,
}

impl Child {
    pub(crate) fn spawn(command: &mut Command, name: &str) -> Child {
        let child = command.spawn().unwrap_or_else(|e| {
            panic!("cannot start {name} ({e}); is it installed? (.ci/run installs it)")
        });
        Child {
            child,
            name: name.to_owned(),
        }
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` (`TERM`, `INT`) with kill(1) (the crate forbids `unsafe`, so no libc).
    pub(crate) fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([format!("-{signal}"), self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} {} failed", self.name);
    }

    /// Waits for the process to exit, at most `limit`.
    pub(crate) fn wait_at_most(&mut self, limit: Duration) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                started.elapsed() < limit,
                "{} did not exit within {limit:?}",
                self.name
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running `gatecheck serve`, its address, and its standard error lines.
pub(crate) struct Server {
    pub(crate) process: Child,
    pub(crate) addr: SocketAddr,
    pub(crate) stderr: mpsc::Receiver<String>,
}

impl Server {
    /// Starts `gatecheck serve PATH --listen 127.0.0.1:0 ARGS...` and waits for its address.
    /// The binary is the one cargo built for the tests, or `$GATECHECK_SERVE_BIN` (to measure
    /// a release build under the load test, see docs/performance.md).
    pub(crate) fn start(path: &Path, args: &[&str]) -> Server {
        let binary = std::env::var_os("GATECHECK_SERVE_BIN").map_or_else(
            || assert_cmd::cargo::cargo_bin!("gatecheck").to_path_buf(),
            std::path::PathBuf::from,
        );
        let mut command = Command::new(binary);
        command
            .arg("serve")
            .arg(path)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut process = Child::spawn(&mut command, "gatecheck serve");
        let stderr = process.child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[serve] {line}");
                let _ = tx.send(line);
            }
        });
        let first = rx
            .recv_timeout(PATIENCE)
            .expect("gatecheck serve prints its address");
        let addr = first
            .rsplit_once("http://")
            .and_then(|(_, a)| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {first:?}"));
        Server {
            process,
            addr,
            stderr: rx,
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Waits until `/metrics` has `name` at a value `accept`s; returns the scrape.
    pub(crate) fn wait_for(&self, name: &str, accept: impl Fn(f64) -> bool) -> String {
        let started = Instant::now();
        loop {
            let (status, body) = get(&self.url("/metrics"));
            if status == 200 && metric(&body, name).is_some_and(&accept) {
                return body;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{name} never reached the expected value; last scrape:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// An HTTP client that treats every status as an answer.
pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// GET `url`: status and body.
pub(crate) fn get(url: &str) -> (u16, String) {
    let mut response = agent()
        .get(url)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .expect("body");
    (status, body)
}

/// The value of the sample `name` (the whole series, labels included) in `text`.
pub(crate) fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

/// A copy of `fixtures/projects/small` in a temporary directory that a test may change.
pub(crate) fn small_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&small_project(), dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    let mut pending = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((from, to)) = pending.pop() {
        std::fs::create_dir_all(&to).expect("mkdir");
        for entry in std::fs::read_dir(&from).expect("read dir") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                pending.push((entry.path(), target));
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }
}

/// A free loopback port (bound, then released for the tool that is started next).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}
