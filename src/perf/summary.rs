//! The newest performance figures in one small structure, for exports that must not run
//! programs (`gatecheck serve`, the Prometheus output): [`latest_summary`] reads them from a
//! history file, [`PerfSummary::of`] from a run's records.

use std::path::Path;

use serde::Serialize;

use super::baseline::latest_and_before;
use super::history::{History, HistoryError, Measure, Record};
use super::stats::{Summary, percentile, usable_sorted};
use super::verdict::{VerdictEntry, verdicts};
use crate::config::perf::{DEFAULT_BASELINE_RUNS, DEFAULT_NOISE_THRESHOLD};

/// The figures of one target and measure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SummaryEntry {
    /// The target.
    pub target: String,
    /// What was measured.
    pub measure: Measure,
    /// Unit of the figures (`s`, `bytes`).
    pub unit: String,
    /// Median, p95, min, max, MAD and the number of samples.
    pub summary: Summary,
    /// The 99th percentile.
    pub p99: f64,
    /// The sum of the usable samples.
    pub sum: f64,
    /// Failed requests, for a response target.
    pub errors: Option<u64>,
    /// Whether the verdict against the baseline is a regression (`None`: no verdict).
    pub regression: Option<bool>,
}

/// The newest figures of every target and measure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PerfSummary {
    /// Machine fingerprint of the newest record.
    pub machine: String,
    /// Time of the newest record, in seconds since the Unix epoch.
    pub timestamp: u64,
    /// Commit of the newest record, when known.
    pub commit: Option<String>,
    /// One entry per target and measure, sorted by target then measure.
    pub entries: Vec<SummaryEntry>,
}

impl PerfSummary {
    /// The summary of `records` (one per target and measure), with regression flags from
    /// `verdicts`; `None` when there is no record.
    #[must_use]
    pub fn of(records: &[Record], verdicts: &[VerdictEntry]) -> Option<PerfSummary> {
        let newest = records.iter().max_by_key(|r| r.timestamp)?;
        let mut entries: Vec<SummaryEntry> = records
            .iter()
            .filter_map(|r| {
                let summary = Summary::of(&r.samples)?;
                let usable = usable_sorted(&r.samples);
                let p99 = percentile(&usable, 0.99)?;
                let verdict = verdicts
                    .iter()
                    .find(|v| v.target == r.target && v.measure == r.measure);
                Some(SummaryEntry {
                    target: r.target.clone(),
                    measure: r.measure,
                    unit: r.unit.clone(),
                    summary,
                    p99,
                    sum: usable.iter().sum(),
                    errors: r.errors,
                    regression: verdict.map(VerdictEntry::is_regression),
                })
            })
            .collect();
        entries.sort_by(|a, b| (&a.target, a.measure).cmp(&(&b.target, b.measure)));
        Some(PerfSummary {
            machine: newest.machine.clone(),
            timestamp: newest.timestamp,
            commit: newest.commit.clone(),
            entries,
        })
    }
}

/// The newest record of every target and measure of the machine that wrote the history's
/// last record, summarised, with regression flags against the
/// [`DEFAULT_BASELINE_RUNS`] records before each (5% noise threshold). `Ok(None)` for a
/// missing or empty history. Reads only: runs no program, takes no lock.
///
/// # Errors
/// [`HistoryError`] when the file cannot be read, is corrupt, or is of a newer version.
pub fn latest_summary(history: &Path) -> Result<Option<PerfSummary>, HistoryError> {
    let records = History::load(history)?;
    let Some(last) = records.last() else {
        return Ok(None);
    };
    let (latest, baseline) = latest_and_before(&records, &last.machine, DEFAULT_BASELINE_RUNS);
    let verdicts = verdicts(&latest, &baseline, |_| DEFAULT_NOISE_THRESHOLD);
    Ok(PerfSummary::of(&latest, &verdicts))
}
