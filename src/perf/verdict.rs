//! Regression verdicts of a run's records against a [`Baseline`], with the one-line text
//! people read: `startup cli: 212 ms → 248 ms, +17% (95% CI +12%..+22%), regression`.
//!
//! **Run-to-run drift.** The statistics of [`compare`] treat the samples of one run as
//! independent, but on a shared machine a whole run can be slower than the previous one
//! (another job started). When the baseline holds several runs, the relative spread of their
//! medians ([`run_drift`]) is how much the same code moved between runs here, and a change
//! smaller than that is not called: the noise threshold used is the larger of the configured
//! one and the drift.

use serde::Serialize;

use super::baseline::{Baseline, key};
use super::history::{Measure, Record};
use super::stats::{
    CompareOptions, Verdict, VerdictKind, compare, format_seconds, percentile, usable_sorted,
};

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
    /// The noise threshold that applied (0.05 = 5%): the configured one, or the run-to-run
    /// drift of the baseline when that is larger.
    pub noise_threshold: f64,
    /// The run-to-run drift of the baseline (0 with fewer than 2 baseline runs).
    pub run_drift: f64,
    /// Whether the target was measured a second time because the first measurement was a
    /// regression; the verdict and the figures are then those of the second measurement.
    pub remeasured: bool,
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

    /// Whether the samples sufficed for a verdict (regression, improvement or no change).
    #[must_use]
    pub fn is_decided(&self) -> bool {
        self.verdict.kind != VerdictKind::InsufficientData
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
            let run_drift = run_drift(baseline.records(&key(record)));
            let noise_threshold = threshold(&record.target).max(run_drift);
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
                run_drift,
                remeasured: false,
                verdict,
                text,
            })
        })
        .collect()
}

/// The largest relative distance of one run's median from the median of the runs' medians,
/// over `runs` (0 with fewer than two runs that have a usable sample).
#[must_use]
pub fn run_drift(runs: &[Record]) -> f64 {
    let medians: Vec<f64> = runs
        .iter()
        .filter_map(|r| percentile(&usable_sorted(&r.samples), 0.5))
        .collect();
    let sorted = usable_sorted(&medians);
    let center = match percentile(&sorted, 0.5) {
        Some(center) if sorted.len() >= 2 && center > 0.0 => center,
        _ => return 0.0,
    };
    sorted
        .iter()
        .map(|m| (m / center - 1.0).abs())
        .fold(0.0, f64::max)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perf::history::Measure;

    fn run(samples: Vec<f64>) -> Record {
        Record {
            target: "cli".to_owned(),
            measure: Measure::Startup,
            timestamp: 1,
            commit: None,
            branch: None,
            machine: "m".to_owned(),
            unit: "s".to_owned(),
            samples,
            errors: None,
        }
    }

    #[test]
    fn drift_is_the_largest_distance_from_the_median_run() {
        assert!(run_drift(&[]).abs() < 1e-12);
        assert!(run_drift(&[run(vec![1.0; 5])]).abs() < 1e-12);
        let runs = [run(vec![1.0; 5]), run(vec![1.3; 5]), run(vec![0.9; 5])];
        assert!(
            (run_drift(&runs) - 0.3).abs() < 1e-9,
            "{}",
            run_drift(&runs)
        );
    }

    #[test]
    fn a_change_within_the_run_to_run_drift_is_not_a_regression() {
        let noisy = |m: f64| (0..10).map(|i| m * (1.0 + 0.001 * f64::from(i))).collect();
        let current = [run(noisy(1.2))];
        let calm = Baseline::recent(&[run(noisy(1.0)), run(noisy(1.0))], "m", 5);
        let found = verdicts(&current, &calm, |_| 0.05);
        assert_eq!(found[0].verdict.kind, VerdictKind::Regression, "{found:?}");
        assert!(found[0].run_drift < 0.01);
        let drifting = Baseline::recent(
            &[run(noisy(0.8)), run(noisy(1.0)), run(noisy(1.25))],
            "m",
            5,
        );
        let found = verdicts(&current, &drifting, |_| 0.05);
        assert_eq!(found[0].verdict.kind, VerdictKind::NoChange, "{found:?}");
        assert!((found[0].noise_threshold - 0.25).abs() < 0.01, "{found:?}");
    }
}
