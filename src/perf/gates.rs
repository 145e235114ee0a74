//! The performance gates: `max_startup_time` (median wall time of each startup target),
//! `max_memory_usage` (largest peak RSS of each measured command and server, in MB = MiB),
//! `max_response_time` (p95 latency of each response target; failed requests fail it too) and
//! `no_regression` (no verdict is a regression). A target that could not be measured (a run
//! that failed or timed out, a server that never answered) fails its gate. A gate with nothing
//! measured is not recorded, so it stays "not measured".
//!
//! Every violation carries the exact figure in the threshold's unit (`gates::Value::Number`:
//! seconds, MB), and its item says what the figure is, so that reports read
//! `startup cli: median of 10 runs (s) 2.31 > 2`. A failure has no figure to compare: it
//! breaks the rule that every target must be measured, so its threshold is the flag `false`
//! (no failure allowed) and its value the number of failed runs or requests, which reports
//! show as `item (n)`: `response api: failed requests of 20 (first: HTTP status 500) (20)`.

use std::path::{Path, PathBuf};

use super::run::PerfReport;
use super::verdict::MIB;
use crate::gates::{Measured, Value, Violation};
use crate::registry::{PerfGate, Threshold};

/// What `perf` measured for `gate` against `threshold`; violations point at `config` (the
/// line of the target's entry). `None` when the gate checked nothing ("not measured").
#[must_use]
pub fn measure(
    gate: PerfGate,
    perf: &PerfReport,
    threshold: Threshold,
    config: &Path,
) -> Option<Measured> {
    let (checked, items) = match gate {
        PerfGate::StartupTime => startup_time(perf, threshold),
        PerfGate::Memory => memory(perf, threshold),
        PerfGate::ResponseTime => response_time(perf, threshold),
        PerfGate::Regression => regressions(perf, threshold),
    };
    if checked == 0 && items.is_empty() {
        return None;
    }
    let violations = items
        .into_iter()
        .map(|item| item.violation(config, threshold))
        .collect();
    Some(Measured {
        checked,
        violations,
    })
}

/// One target over a limit, before it becomes a [`Violation`].
struct Item {
    line: usize,
    text: String,
    value: Value,
    /// A failure to measure: judged by the "every target is measured" rule, not the limit.
    failure: bool,
}

impl Item {
    fn over(line: usize, text: String, figure: f64) -> Item {
        Item {
            line,
            text,
            value: Value::Number(figure),
            failure: false,
        }
    }

    fn failed(kind: &str, name: &str, line: usize, failure: String) -> Item {
        Item {
            line,
            text: format!("{kind} {name}: {failure}; failures"),
            value: Value::Count(1),
            failure: true,
        }
    }

    fn violation(self, config: &Path, threshold: Threshold) -> Violation {
        Violation {
            path: config_name(config),
            line: self.line,
            header_line: self.line,
            item: self.text,
            value: self.value,
            threshold: if self.failure {
                Threshold::Flag(false)
            } else {
                threshold
            },
            reason: None,
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
            items.push(Item::failed("startup", &s.name, s.line, failure.describe()));
        } else if let Some(wall) = &s.wall {
            checked += 1;
            if wall.median > limit {
                let text = format!("startup {}: median of {} runs (s)", s.name, wall.n);
                items.push(Item::over(s.line, text, wall.median));
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
            let text = format!("{kind} {name}: peak memory (MB)");
            items.push(Item::over(line, text, peak / MIB));
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
            items.push(Item::failed(
                "response",
                &r.name,
                r.line,
                failure.describe(),
            ));
            continue;
        }
        checked += 1;
        if r.errors > 0 {
            let first = r.first_error.as_deref().unwrap_or("no detail");
            let text = format!(
                "response {}: failed requests of {} (first: {first})",
                r.name, r.requests
            );
            items.push(Item {
                line: r.line,
                text,
                value: Value::Count(u64::try_from(r.errors).unwrap_or(u64::MAX)),
                failure: true,
            });
        }
        if let Some(latency) = r.latency.as_ref().filter(|l| l.p95 > limit) {
            let text = format!("response {}: p95 of {} requests (s)", r.name, latency.n);
            items.push(Item::over(r.line, text, latency.p95));
        }
    }
    (checked, items)
}

fn regressions(perf: &PerfReport, rule: Threshold) -> (usize, Vec<Item>) {
    let forbidden = rule.as_f64() > 0.0;
    let decided = perf.verdicts.iter().filter(|v| v.is_decided());
    let checked = decided.clone().count();
    let items = decided
        .filter(|v| forbidden && v.is_regression())
        .map(|v| Item {
            line: line_of(perf, &v.target),
            text: format!("{} (against {}); ratio of medians", v.text, v.baseline),
            // Against a median of 0 the ratio is infinite, which JSON cannot hold.
            value: Value::Number(v.verdict.ratio.map_or(1.0, |r| r.min(f64::MAX))),
            failure: false,
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
