//! The performance gates: `max_startup_time` (median wall time of each startup target),
//! `max_memory_usage` (largest peak RSS of each measured command and server, in MiB),
//! `max_response_time` (p95 latency of each response target; failed requests fail it too) and
//! `no_regression` (no verdict is a regression). A target that could not be measured (a run
//! that failed or timed out, a server that never answered) fails its gate. A gate with nothing
//! measured stays "not measured".

use std::path::{Path, PathBuf};

use super::measure::Failure;
use super::run::PerfReport;
use super::stats::{VerdictKind, format_seconds};
use super::verdict::{MIB, format_bytes};
use crate::gates::registry::Threshold;
use crate::gates::{GateResult, Status, Violation};

/// Fills in the performance gates of `results` from `perf`; violations point at `config`
/// (the line of the target's entry).
pub fn apply(results: &mut [GateResult], perf: &PerfReport, config: &Path) {
    for result in results.iter_mut() {
        let found = match result.gate.key {
            "max_startup_time" => startup_time(perf, result.threshold),
            "max_memory_usage" => memory(perf, result.threshold),
            "max_response_time" => response_time(perf, result.threshold),
            "no_regression" => regressions(perf, result.threshold),
            _ => continue,
        };
        let (checked, items) = found;
        result.checked = checked;
        result.violations = items
            .into_iter()
            .map(|item| item.violation(config, result.threshold))
            .collect();
        result.status = if !result.violations.is_empty() {
            Status::Failed
        } else if checked > 0 {
            Status::Passed
        } else {
            Status::NotMeasured
        };
    }
}

/// One target over a limit, before it becomes a [`Violation`].
struct Item {
    line: usize,
    text: String,
    measured: Option<f64>,
}

impl Item {
    fn failed(kind: &str, name: &str, line: usize, failure: &Failure) -> Item {
        let stderr = if failure.stderr_tail.is_empty() {
            String::new()
        } else {
            format!("; stderr: {}", failure.stderr_tail)
        };
        Item {
            line,
            text: format!("{kind} {name}: {} {}{stderr}", failure.what, failure.reason),
            measured: None,
        }
    }

    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a finite, non-negative measurement rounded up"
    )]
    fn violation(self, config: &Path, threshold: Threshold) -> Violation {
        Violation {
            path: config_name(config),
            line: self.line,
            item: self.text,
            value: self.measured.map_or(0, |m| m.ceil() as u64),
            threshold,
            reason: None,
            measured: self.measured,
        }
    }
}

fn config_name(config: &Path) -> PathBuf {
    config
        .file_name()
        .map_or_else(|| config.to_path_buf(), PathBuf::from)
}

fn startup_time(perf: &PerfReport, limit: Threshold) -> (usize, Vec<Item>) {
    let limit = limit.as_f64();
    let mut items = Vec::new();
    let mut checked = 0;
    for s in &perf.startup {
        if let Some(failure) = &s.failure {
            items.push(Item::failed("startup", &s.name, s.line, failure));
        } else if let Some(wall) = &s.wall {
            checked += 1;
            if wall.median > limit {
                items.push(Item {
                    line: s.line,
                    text: format!(
                        "startup {}: median {} over {} ({} runs)",
                        s.name,
                        format_seconds(wall.median),
                        format_seconds(limit),
                        wall.n
                    ),
                    measured: Some(wall.median),
                });
            }
        }
    }
    (checked, items)
}

fn memory(perf: &PerfReport, limit: Threshold) -> (usize, Vec<Item>) {
    let limit_bytes = limit.as_f64() * MIB;
    let startup = perf
        .startup
        .iter()
        .map(|s| ("startup", &s.name, s.line, s.peak_memory_bytes));
    let servers = perf
        .response
        .iter()
        .map(|r| ("server of", &r.name, r.line, r.peak_memory_bytes));
    let mut items = Vec::new();
    let mut checked = 0;
    for (kind, name, line, peak) in startup.chain(servers) {
        let Some(peak) = peak else { continue };
        checked += 1;
        if peak > limit_bytes {
            items.push(Item {
                line,
                text: format!(
                    "{kind} {name}: peak memory {} over {}",
                    format_bytes(peak),
                    format_bytes(limit_bytes)
                ),
                measured: Some(peak / MIB),
            });
        }
    }
    (checked, items)
}

fn response_time(perf: &PerfReport, limit: Threshold) -> (usize, Vec<Item>) {
    let limit = limit.as_f64();
    let mut items = Vec::new();
    let mut checked = 0;
    for r in &perf.response {
        if let Some(failure) = &r.failure {
            items.push(Item::failed("response", &r.name, r.line, failure));
            continue;
        }
        checked += 1;
        if r.errors > 0 {
            let first = r.first_error.as_deref().unwrap_or("no detail");
            let text = format!(
                "response {}: {} of {} requests failed (first: {first})",
                r.name, r.errors, r.requests
            );
            items.push(Item {
                line: r.line,
                text,
                measured: None,
            });
        }
        if let Some(latency) = r.latency.as_ref().filter(|l| l.p95 > limit) {
            items.push(Item {
                line: r.line,
                text: format!(
                    "response {}: p95 {} over {} ({} requests)",
                    r.name,
                    format_seconds(latency.p95),
                    format_seconds(limit),
                    latency.n
                ),
                measured: Some(latency.p95),
            });
        }
    }
    (checked, items)
}

fn regressions(perf: &PerfReport, rule: Threshold) -> (usize, Vec<Item>) {
    let forbidden = rule.as_f64() > 0.0;
    let decided = perf
        .verdicts
        .iter()
        .filter(|v| v.verdict.kind != VerdictKind::InsufficientData);
    let checked = decided.clone().count();
    let items = decided
        .filter(|v| forbidden && v.is_regression())
        .map(|v| Item {
            line: line_of(perf, &v.target),
            text: format!("{} (against {})", v.text, v.baseline),
            measured: None,
        })
        .collect();
    (checked, items)
}

fn line_of(perf: &PerfReport, target: &str) -> usize {
    let startup = perf.startup.iter().map(|s| (&s.name, s.line));
    let response = perf.response.iter().map(|r| (&r.name, r.line));
    startup
        .chain(response)
        .find(|(name, _)| *name == target)
        .map_or(1, |(_, line)| line)
}
