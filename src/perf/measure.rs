//! Measuring the configured targets: startup commands run `warmup + runs` times through the
//! spawner ([`super::process`]); response targets start their server, wait for the URL to
//! answer, send timed GET requests and stop the server.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::process::{Finished, Outcome, ProcessError, Running, Spawner};
use super::stats::{Summary, percentile, usable_sorted};
use crate::config::perf::{ResponseTarget, StartupTarget};

/// How long a server may take to stop after SIGTERM before its group is killed.
pub const STOP_GRACE: Duration = Duration::from_secs(5);

/// Pause between two readiness probes of a starting server.
const READY_POLL: Duration = Duration::from_millis(20);

/// A run (or a server) that failed: the target's measurement stops there.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    /// What failed: `warmup run 1`, `run 3`, `server`.
    pub what: String,
    /// What happened: `exited with status 3`, `timed out after 2.0 s...`.
    pub reason: String,
    /// The end of its standard error.
    pub stderr_tail: String,
}

impl Failure {
    fn of(what: String, finished: &Finished) -> Failure {
        Failure {
            what,
            reason: finished.outcome.describe(),
            stderr_tail: finished.stderr.text(),
        }
    }

    /// What failed and how, then the end of its stderr: `run 3 exited with status 1; stderr:
    /// ValueError: ...`.
    #[must_use]
    pub fn describe(&self) -> String {
        if self.stderr_tail.is_empty() {
            format!("{} {}", self.what, self.reason)
        } else {
            format!(
                "{} {}; stderr: {}",
                self.what, self.reason, self.stderr_tail
            )
        }
    }
}

/// The measurements of one `[[performance.startup]]` target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StartupResult {
    /// The target's name.
    pub name: String,
    /// Its line in the config file.
    pub line: usize,
    /// Timed runs asked for.
    pub runs: usize,
    /// Wall time of each timed run, in seconds, spawn to exit.
    pub wall_seconds: Vec<f64>,
    /// Peak RSS of each timed run's process tree, in bytes.
    pub peak_rss_bytes: Vec<f64>,
    /// Summary of `wall_seconds` (median, p95, min, max, MAD).
    pub wall: Option<Summary>,
    /// The largest of `peak_rss_bytes`.
    pub peak_memory_bytes: Option<f64>,
    /// The run that failed, if one did (no run after it was made).
    pub failure: Option<Failure>,
}

/// Latency quantiles of a response target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Latency {
    /// Successful requests measured.
    pub n: usize,
    /// Fastest, in seconds.
    pub min: f64,
    /// Median, in seconds.
    pub p50: f64,
    /// 95th percentile, in seconds.
    pub p95: f64,
    /// 99th percentile, in seconds.
    pub p99: f64,
    /// Slowest, in seconds.
    pub max: f64,
}

impl Latency {
    /// The quantiles of `samples`; `None` without a usable sample.
    #[must_use]
    pub fn of(samples: &[f64]) -> Option<Latency> {
        let sorted = usable_sorted(samples);
        Some(Latency {
            n: sorted.len(),
            min: *sorted.first()?,
            p50: percentile(&sorted, 0.5)?,
            p95: percentile(&sorted, 0.95)?,
            p99: percentile(&sorted, 0.99)?,
            max: *sorted.last()?,
        })
    }
}

/// The measurements of one `[[performance.response]]` target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponseResult {
    /// The target's name.
    pub name: String,
    /// Its line in the config file.
    pub line: usize,
    /// The URL probed.
    pub url: String,
    /// Timed requests asked for.
    pub requests: usize,
    /// Latency of each successful timed request, in seconds, until the whole body was read.
    pub latency_seconds: Vec<f64>,
    /// Quantiles of `latency_seconds`.
    pub latency: Option<Latency>,
    /// Timed requests that failed (no answer, timeout, or HTTP status 400 or more).
    pub errors: usize,
    /// What the first failed request got.
    pub first_error: Option<String>,
    /// Peak RSS of the server's process tree, in bytes, when gatecheck started it.
    pub peak_memory_bytes: Option<f64>,
    /// Why the target could not be measured (server failed to start or answer).
    pub failure: Option<Failure>,
}

/// Runs `target` `warmup + runs` times from `cwd`; the first failed run ends it.
///
/// # Errors
/// [`ProcessError`] when the spawner cannot be started at all.
pub fn startup(
    spawner: &Spawner,
    target: &StartupTarget,
    cwd: &Path,
) -> Result<StartupResult, ProcessError> {
    let mut result = StartupResult {
        name: target.name.clone(),
        line: target.line,
        runs: target.runs,
        wall_seconds: Vec::with_capacity(target.runs),
        peak_rss_bytes: Vec::with_capacity(target.runs),
        wall: None,
        peak_memory_bytes: None,
        failure: None,
    };
    for run in 0..target.warmup + target.runs {
        let finished = Running::start(spawner, &target.command, cwd)?.wait_timeout(target.timeout);
        let timed = run >= target.warmup;
        match finished.outcome {
            Outcome::Ended {
                code: Some(0),
                wall_seconds,
                peak_rss_bytes,
                ..
            } if timed => {
                result.wall_seconds.push(wall_seconds);
                result.peak_rss_bytes.push(peak_rss_bytes as f64);
            }
            ref outcome if !outcome.succeeded() => {
                let what = if timed {
                    format!("run {}", run - target.warmup + 1)
                } else {
                    format!("warmup run {}", run + 1)
                };
                result.failure = Some(Failure::of(what, &finished));
                break;
            }
            _ => {}
        }
    }
    result.wall = Summary::of(&result.wall_seconds);
    result.peak_memory_bytes = result.peak_rss_bytes.iter().copied().reduce(f64::max);
    Ok(result)
}

/// Starts the target's server (if any) from `cwd`, waits for its URL, sends `warmup +
/// requests` GET requests one after the other, and stops the server.
///
/// # Errors
/// [`ProcessError`] when the spawner cannot be started at all.
pub fn response(
    spawner: &Spawner,
    target: &ResponseTarget,
    cwd: &Path,
) -> Result<ResponseResult, ProcessError> {
    let mut result = ResponseResult {
        name: target.name.clone(),
        line: target.line,
        url: target.url.clone(),
        requests: target.requests,
        latency_seconds: Vec::with_capacity(target.requests),
        latency: None,
        errors: 0,
        first_error: None,
        peak_memory_bytes: None,
        failure: None,
    };
    let mut server = match &target.server {
        Some(command) => Some(Running::start(spawner, command, cwd)?),
        None => None,
    };
    match wait_ready(target, server.as_mut()) {
        Ok(()) => probe(target, &mut result),
        Err(reason) => {
            result.failure = Some(Failure {
                what: "server".to_owned(),
                reason,
                stderr_tail: String::new(),
            });
        }
    }
    if let Some(server) = server {
        stopped(server.stop(STOP_GRACE), &mut result);
    }
    result.latency = Latency::of(&result.latency_seconds);
    Ok(result)
}

/// Records a stopped server's peak memory, and its stderr when it failed.
fn stopped(finished: Finished, result: &mut ResponseResult) {
    if let Outcome::Ended { peak_rss_bytes, .. } = finished.outcome {
        result.peak_memory_bytes = Some(peak_rss_bytes as f64);
    }
    match &mut result.failure {
        Some(failure) => failure.stderr_tail = finished.stderr.text(),
        None if !matches!(finished.outcome, Outcome::Ended { .. }) => {
            result.failure = Some(Failure::of("server".to_owned(), &finished));
        }
        None => {}
    }
}

/// An HTTP client for plain-HTTP local servers: no proxy, no redirects, statuses as values.
fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .build()
        .new_agent()
}

/// Polls the URL until it answers with any HTTP status, the server exits, or the ready
/// timeout passes.
fn wait_ready(target: &ResponseTarget, mut server: Option<&mut Running>) -> Result<(), String> {
    let deadline = Instant::now() + target.ready_timeout;
    let agent = agent(
        READY_POLL
            .max(Duration::from_secs(1))
            .min(target.ready_timeout),
    );
    loop {
        if server.as_mut().is_some_and(|s| s.has_exited()) {
            return Err("the server exited before its URL answered".to_owned());
        }
        if agent.get(&target.url).call().is_ok() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "{} did not answer within {:.1} s",
                target.url,
                target.ready_timeout.as_secs_f64()
            ));
        }
        std::thread::sleep(READY_POLL);
    }
}

/// Sends the warm-up and timed requests; records latencies and errors of the timed ones.
fn probe(target: &ResponseTarget, result: &mut ResponseResult) {
    let agent = agent(target.request_timeout);
    for i in 0..target.warmup + target.requests {
        let started = Instant::now();
        let answer = request(&agent, &target.url);
        let elapsed = started.elapsed().as_secs_f64();
        if i < target.warmup {
            continue;
        }
        match answer {
            Ok(()) => result.latency_seconds.push(elapsed),
            Err(error) => {
                result.errors += 1;
                result.first_error.get_or_insert(error);
            }
        }
    }
}

/// One GET with its whole body read; an HTTP status of 400 or more is an error.
fn request(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    let mut response = agent.get(url).call().map_err(|e| e.to_string())?;
    let status = response.status();
    response
        .body_mut()
        .read_to_vec()
        .map_err(|e| format!("reading the body: {e}"))?;
    if status.as_u16() >= 400 {
        return Err(format!("HTTP status {status}"));
    }
    Ok(())
}
