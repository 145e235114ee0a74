//! Stage 6: checks measurements against thresholds. Pure: no I/O.
//!
//! A gate is `passed` when it was measured and nothing exceeds its threshold, `failed` when
//! something does (and is not suppressed), `not_measured` when this run has no measurement for
//! it: never passed by default.

pub mod architecture;
pub mod registry;

use std::path::PathBuf;

use serde::Serialize;

use crate::analyze::FileAnalysis;
use crate::config::Thresholds;
use crate::metrics::FunctionMetrics;
use crate::suppress::Directive;
use registry::{GATES, GateDef, Measure, Threshold};

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
    pub value: u64,
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

/// Evaluates every gate of the registry over `files`.
#[must_use]
pub fn evaluate(files: &[FileAnalysis], thresholds: &Thresholds) -> Vec<GateResult> {
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
            if matches!(gate.measure, Measure::Function(_) | Measure::File(_)) {
                for file in files {
                    check_file(gate, file, &mut result);
                }
                result.violations.sort_by(worst_first);
                result.suppressed.sort_by(worst_first);
                result.status = if result.violations.is_empty() {
                    Status::Passed
                } else {
                    Status::Failed
                };
            }
            result
        })
        .collect()
}

fn worst_first(a: &Violation, b: &Violation) -> std::cmp::Ordering {
    b.value
        .cmp(&a.value)
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
                value,
                threshold,
                reason: directive.map(|d| d.reason.clone()),
            };
            let list = if directive.is_some() {
                &mut result.suppressed
            } else {
                &mut result.violations
            };
            list.push(violation);
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
            let path = file.path.to_string_lossy().replace('\\', "/");
            check(line, path, value, file_directive);
        }
        Measure::NotMeasured | Measure::Module | Measure::Graph | Measure::Rules(_) => {}
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
