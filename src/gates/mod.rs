//! Stage 6: checks measurements against thresholds. Pure: no I/O.
//!
//! A gate is `passed` when it was measured and nothing exceeds its threshold, `failed` when
//! something does (and is not suppressed), `not_measured` when this run has no measurement for
//! it: never passed by default.

pub mod architecture;
pub mod project;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::analysis::FileAnalysis;
use crate::metrics::FunctionMetrics;
use crate::registry::Thresholds;
use crate::registry::{Bound, GATES, GateDef, Measure, Threshold};
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

/// What the whole-project stages (coverage, performance, the module graph) measured for their
/// gates ([`Measure::Project`]): a gate with no entry is "not measured".
#[derive(Clone, Debug, Default)]
pub struct ProjectFindings {
    measured: BTreeMap<&'static str, Measured>,
}

/// What one stage measured for one project-level gate.
#[derive(Clone, Debug, Default)]
pub struct Measured {
    /// How many items were checked (targets, modules, classes, 1 for a single total).
    pub checked: usize,
    /// Items that break the gate, already judged by the stage that measured them.
    pub violations: Vec<Violation>,
}

impl ProjectFindings {
    /// Records what was measured for `gate`; a later record for the same gate is added to it.
    pub fn record(&mut self, gate: &'static str, measured: Measured) {
        let entry = self.measured.entry(gate).or_default();
        entry.checked += measured.checked;
        entry.violations.extend(measured.violations);
    }

    /// What was recorded for `gate`.
    #[must_use]
    pub fn get(&self, gate: &str) -> Option<&Measured> {
        self.measured.get(gate)
    }
}

/// Evaluates every gate of the registry over `files` and the project-level `findings`.
#[must_use]
pub fn evaluate(
    files: &[FileAnalysis],
    thresholds: &Thresholds,
    findings: &ProjectFindings,
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
            let measured = match gate.measure {
                Measure::Project => take_project(findings, gate.key, &mut result),
                Measure::Function(_) | Measure::File(_) => {
                    for file in files {
                        check_file(gate, file, &mut result);
                    }
                    true
                }
                // Judged from the module graph by `architecture::evaluate`, after this.
                Measure::Module | Measure::Graph | Measure::Rules(_) => false,
            };
            if measured {
                result.settle();
            }
            result
        })
        .collect()
}

impl GateResult {
    /// Marks the gate measured: violations sorted worst first, and passed or failed.
    pub fn settle(&mut self) {
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

/// Copies a project-level gate's findings into its result; false when it was not measured.
fn take_project(findings: &ProjectFindings, key: &str, result: &mut GateResult) -> bool {
    let Some(measured) = findings.get(key) else {
        return false;
    };
    result.checked = measured.checked;
    result.violations.clone_from(&measured.violations);
    true
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

fn check_file(gate: &'static GateDef, file: &FileAnalysis, result: &mut GateResult) {
    let threshold = file
        .thresholds
        .get(gate.key)
        .copied()
        .unwrap_or(gate.default);
    let file_directive = file
        .directives
        .iter()
        .find(|d| d.file_level && d.covers(gate.key));
    let mut check = |line: usize, item: String, value: u64, directive: Option<&Directive>| {
        result.checked += 1;
        #[expect(
            clippy::cast_precision_loss,
            reason = "metric values are far below 2^52"
        )]
        let over = value as f64 > threshold.as_f64();
        if over {
            let violation = Violation {
                path: file.path.clone(),
                line,
                item,
                value: Value::Count(value),
                threshold,
                reason: directive.map(|d| d.reason.clone()),
            };
            if directive.is_some() {
                result.suppressed.push(violation);
            } else {
                result.violations.push(violation);
            }
        }
    };
    match gate.measure {
        Measure::Function(read) => {
            for f in &file.metrics.functions {
                let directive =
                    file_directive.or_else(|| function_directive(&file.directives, f, gate.key));
                check(f.start_line, f.qualified_name.clone(), read(f), directive);
            }
        }
        Measure::File(read) => {
            let (value, line) = read(&file.metrics);
            let path = crate::paths::to_slash(&file.path);
            check(line, path, value, file_directive);
        }
        Measure::Project | Measure::Module | Measure::Graph | Measure::Rules(_) => {}
    }
}

/// The directive exempting `f` from `gate`: on its def/fn line, on the line above it, or on
/// the line above its decorators / attributes.
fn function_directive<'d>(
    directives: &'d [Directive],
    f: &FunctionMetrics,
    gate: &str,
) -> Option<&'d Directive> {
    directives.iter().find(|d| {
        !d.file_level
            && d.covers(gate)
            && (d.line == f.start_line || d.line + 1 == f.start_line || d.line + 1 == f.header_line)
    })
}
