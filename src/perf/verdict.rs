//! Regression verdicts of a run's records against a [`Baseline`], with the one-line text
//! people read: `startup cli: 212 ms → 248 ms, +17% (95% CI +12%..+22%), regression`.

use serde::Serialize;

use super::baseline::{Baseline, key};
use super::history::{Measure, Record};
use super::stats::{CompareOptions, Verdict, VerdictKind, compare, format_seconds};

/// The verdict of one target and measure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VerdictEntry {
    /// The target.
    pub target: String,
    /// What was compared.
    pub measure: Measure,
    /// The baseline, for people.
    pub baseline: String,
    /// How many earlier records the baseline pooled.
    pub baseline_records: usize,
    /// The noise threshold that applied (0.05 = 5%).
    pub noise_threshold: f64,
    /// The statistics and the conclusion.
    pub verdict: Verdict,
    /// The line for people.
    pub text: String,
}

impl VerdictEntry {
    /// Whether it is a regression.
    #[must_use]
    pub fn is_regression(&self) -> bool {
        self.verdict.kind == VerdictKind::Regression
    }
}

/// Compares each of `current` with its baseline; `threshold` gives the noise threshold of a
/// target. Records with no baseline get no verdict.
pub fn verdicts(
    current: &[Record],
    baseline: &Baseline,
    threshold: impl Fn(&str) -> f64,
) -> Vec<VerdictEntry> {
    current
        .iter()
        .filter_map(|record| {
            let (samples, records) = baseline.samples(&key(record))?;
            let noise_threshold = threshold(&record.target);
            let options = CompareOptions {
                noise_threshold,
                ..CompareOptions::default()
            };
            let verdict = compare(&samples, &record.samples, &options);
            let text = format!(
                "{} {}: {}",
                record.measure.name(),
                record.target,
                verdict.render(|x| format_value(x, &record.unit))
            );
            Some(VerdictEntry {
                target: record.target.clone(),
                measure: record.measure,
                baseline: baseline.description.clone(),
                baseline_records: records,
                noise_threshold,
                verdict,
                text,
            })
        })
        .collect()
}

/// A value of `unit` for people: seconds as `212 ms`, bytes as `23.4 MiB`.
#[must_use]
pub fn format_value(value: f64, unit: &str) -> String {
    match unit {
        "s" => format_seconds(value),
        "bytes" => format_bytes(value),
        other => format!("{value} {other}"),
    }
}

/// Bytes in MiB (1 MiB = 1,048,576 bytes), as `23.4 MiB`.
#[must_use]
pub fn format_bytes(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / MIB)
}

/// Bytes in a MiB: the unit of `max_memory_usage` ("MB" in the config means MiB).
pub const MIB: f64 = 1_048_576.0;
