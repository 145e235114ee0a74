//! The producer of the per-function and per-file gates ([`Measure::Function`],
//! [`Measure::File`]): each function's or file's figure against the threshold that applies to
//! its file (configuration plus matching `[[overrides]]`).

use super::{Measured, Value, Violation};
use crate::analysis::FileAnalysis;
use crate::registry::{GateDef, Measure, Threshold};

/// What `files` measure for `gate`; `None` when the gate is not a per-file one.
#[must_use]
pub fn measure(gate: &'static GateDef, files: &[FileAnalysis]) -> Option<Measured> {
    if !matches!(gate.measure, Measure::Function(_) | Measure::File(_)) {
        return None;
    }
    let mut measured = Measured::default();
    for file in files {
        let threshold = file
            .thresholds
            .get(gate.key)
            .copied()
            .unwrap_or(gate.default);
        if threshold.is_off() {
            continue;
        }
        let mut check = |line: usize, header_line: usize, item: &dyn Fn() -> String, value| {
            measured.checked += 1;
            if over(value, threshold) {
                measured.violations.push(Violation {
                    path: file.path.clone(),
                    line,
                    header_line,
                    item: item(),
                    value: Value::Count(value),
                    threshold,
                    reason: None,
                });
            }
        };
        match gate.measure {
            Measure::Function(read) => {
                for f in &file.metrics.functions {
                    let name = || f.qualified_name.clone();
                    check(f.start_line, f.header_line, &name, read(f));
                }
            }
            Measure::File(read) => {
                let (value, line) = read(&file.metrics);
                check(line, line, &|| crate::paths::to_slash(&file.path), value);
            }
            Measure::Coverage | Measure::Perf(_) | Measure::Architecture(_) => {}
        }
    }
    Some(measured)
}

fn over(value: u64, threshold: Threshold) -> bool {
    #[expect(
        clippy::cast_precision_loss,
        reason = "metric values are far below 2^52"
    )]
    let value = value as f64;
    value > threshold.as_f64()
}
