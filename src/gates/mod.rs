//! Stage 6: checks measurements against thresholds. Pure: no I/O.
//!
//! Every gate goes through one pipeline. A producer (the per-file metrics in [`per_file`], the
//! module graph in [`architecture`], the coverage reports in [`coverage`], a performance run in
//! `perf::gates`) turns its measurements into [`Measured`] findings for the gates it owns and
//! records them in [`Findings`]; which producer owns a gate is the type of its registry row
//! ([`crate::registry::Measure`]). Then [`evaluate`] alone decides every gate's status and
//! applies the `gatecheck: ignore` directives, the same way for every gate:
//!
//! - `disabled`: turned off (threshold `false`, `--ignore`, `--select` without it) and nothing
//!   measured for it (a `[[overrides]]` entry may still turn it on for some paths);
//! - `not_measured`: nothing recorded for the gate, or nothing checked (an empty tree, a tree
//!   without classes): never passed by default;
//! - `failed`: at least one violation that no directive exempts;
//! - `passed`: items were checked and none is over its threshold.

pub mod architecture;
pub mod coverage;
pub mod per_file;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::registry::{Bound, GATES, GateDef, Threshold, Thresholds};
use crate::suppress::Directive;

/// A gate's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Measured, and every item is within the threshold.
    Passed,
    /// At least one item exceeds the threshold.
    Failed,
    /// Not measured in this run.
    NotMeasured,
    /// Turned off: its threshold is `false`, `--ignore` names it, or `--select` does not.
    Disabled,
}

impl Status {
    /// Whether the gate was measured in this run (passed or failed).
    #[must_use]
    pub fn is_measured(self) -> bool {
        matches!(self, Status::Passed | Status::Failed)
    }
}

/// A measured value: a whole number (lines, complexity, counts) or a measurement in the gate's
/// unit (seconds, megabytes, percent). Written as a plain JSON number either way.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A whole number.
    Count(u64),
    /// A measurement.
    Number(f64),
}

impl Value {
    /// The value as a number, for comparisons and exports.
    #[must_use]
    #[expect(
        clippy::cast_precision_loss,
        reason = "metric values are far below 2^52"
    )]
    pub fn as_f64(self) -> f64 {
        match self {
            Value::Count(n) => n as f64,
            Value::Number(x) => x,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Count(n) => write!(f, "{n}"),
            Value::Number(x) => write!(f, "{}", (x * 100.0).round() / 100.0),
        }
    }
}

/// One item over a threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// File, relative to the analysis root.
    pub path: PathBuf,
    /// 1-based line (a function's `def`/`fn` line; 1 for a whole file).
    pub line: usize,
    /// The first line of the item's header: a function's first decorator or attribute, else
    /// `line`. A directive on the line above it also applies.
    pub header_line: usize,
    /// What is over: a function's qualified name, or the file path.
    pub item: String,
    /// The measured value.
    pub value: Value,
    /// The threshold that applied to it (after overrides).
    pub threshold: Threshold,
    /// For a suppressed violation, the reason given in the directive.
    pub reason: Option<String>,
}

/// The outcome of one gate.
#[derive(Clone, Debug)]
pub struct GateResult {
    /// The gate.
    pub gate: &'static GateDef,
    /// Its configured threshold (overrides may differ per path).
    pub threshold: Threshold,
    /// Its status.
    pub status: Status,
    /// Items over the threshold, worst first.
    pub violations: Vec<Violation>,
    /// Items over the threshold that a `gatecheck: ignore` directive exempts.
    pub suppressed: Vec<Violation>,
    /// How many items were checked.
    pub checked: usize,
}

/// The thresholds that apply to each analysed file (configuration plus matching
/// `[[overrides]]`), by path: what a producer judges a file's items against.
pub type FileThresholds<'a> = FxHashMap<&'a Path, &'a Thresholds>;

/// What one producer measured for one gate.
#[derive(Clone, Debug, Default)]
pub struct Measured {
    /// How many items were checked (functions, files, modules, classes, targets, 1 for a
    /// single total); 0 with no violation means nothing was measured.
    pub checked: usize,
    /// Items that break the gate, judged against their own thresholds, before suppression.
    pub violations: Vec<Violation>,
}

/// What the producers of a run measured, by gate; a gate with no entry is "not measured".
#[derive(Clone, Debug, Default)]
pub struct Findings {
    measured: BTreeMap<&'static str, Measured>,
}

impl Findings {
    /// Records what was measured for `gate`; a later record for the same gate is added to it.
    pub fn record(&mut self, gate: &'static GateDef, measured: Measured) {
        let entry = self.measured.entry(gate.key).or_default();
        entry.checked += measured.checked;
        entry.violations.extend(measured.violations);
    }

    /// What was recorded for `gate`.
    #[must_use]
    pub fn get(&self, gate: &GateDef) -> Option<&Measured> {
        self.measured.get(gate.key)
    }

    /// Adds every record of `other`.
    pub fn merge(&mut self, other: Findings) {
        for (key, measured) in other.measured {
            let entry = self.measured.entry(key).or_default();
            entry.checked += measured.checked;
            entry.violations.extend(measured.violations);
        }
    }
}

/// The `gatecheck:` directives of every analysed file, by its path: what may exempt a
/// violation.
#[derive(Debug, Default)]
pub struct Suppressions<'a> {
    by_path: FxHashMap<&'a Path, &'a [Directive]>,
}

impl<'a> Suppressions<'a> {
    /// The directives of each `(path, directives)` pair.
    pub fn new(files: impl IntoIterator<Item = (&'a Path, &'a [Directive])>) -> Self {
        Suppressions {
            by_path: files.into_iter().collect(),
        }
    }

    /// The directive exempting `violation` from `gate`: a file-level one first, else one on
    /// its line, the line above it, or the line above its header.
    fn find(&self, gate: &str, violation: &Violation) -> Option<&'a Directive> {
        let directives = self.by_path.get(violation.path.as_path())?;
        let covering = || directives.iter().filter(|d| d.covers(gate));
        covering().find(|d| d.file_level).or_else(|| {
            covering().find(|d| d.applies_to_lines(violation.line, violation.header_line))
        })
    }
}

/// Decides every gate of the registry from `findings`, with the configured `thresholds` and
/// the directives of `suppressions`: the one place a gate's status is set.
#[must_use]
pub fn evaluate(
    findings: &Findings,
    thresholds: &Thresholds,
    suppressions: &Suppressions<'_>,
) -> Vec<GateResult> {
    GATES
        .iter()
        .map(|gate| {
            let threshold = thresholds.get(gate.key).copied().unwrap_or(gate.default);
            let mut result = GateResult {
                gate,
                threshold,
                status: Status::NotMeasured,
                violations: Vec::new(),
                suppressed: Vec::new(),
                checked: 0,
            };
            let measured = findings
                .get(gate)
                .filter(|m| m.checked > 0 || !m.violations.is_empty());
            if let Some(measured) = measured {
                result.checked = measured.checked;
                for v in &measured.violations {
                    result.file(v.clone(), suppressions.find(gate.key, v));
                }
                result.settle();
            } else if threshold.is_off() {
                result.status = Status::Disabled;
            }
            result
        })
        .collect()
}

impl GateResult {
    /// Files a violation as suppressed (with the directive's reason) or not.
    fn file(&mut self, mut violation: Violation, directive: Option<&Directive>) {
        match directive {
            Some(d) => {
                violation.reason = Some(d.reason.clone());
                self.suppressed.push(violation);
            }
            None => self.violations.push(violation),
        }
    }

    /// Marks the gate measured: violations sorted worst first, and passed or failed.
    fn settle(&mut self) {
        let bound = self.gate.bound;
        self.violations.sort_by(|a, b| worst_first(bound, a, b));
        self.suppressed.sort_by(|a, b| worst_first(bound, a, b));
        self.status = if self.violations.is_empty() {
            Status::Passed
        } else {
            Status::Failed
        };
    }
}

/// Furthest beyond the threshold first (lowest first for an [`Bound::AtLeast`] gate).
fn worst_first(bound: Bound, a: &Violation, b: &Violation) -> std::cmp::Ordering {
    let by_value = b.value.as_f64().total_cmp(&a.value.as_f64());
    let by_value = if bound == Bound::AtLeast {
        by_value.reverse()
    } else {
        by_value
    };
    by_value
        .then_with(|| a.path.cmp(&b.path))
        .then(a.line.cmp(&b.line))
}
