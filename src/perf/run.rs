//! `gatecheck perf run`: measures every configured target, compares each measure with its
//! baseline, and appends the samples to the history.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use super::baseline::{Baseline, BaselineError};
use super::context::Context;
use super::history::{History, HistoryError, Measure, Record};
use super::measure::{self, ResponseResult, StartupResult};
use super::process::{ProcessError, Spawner};
use super::summary::PerfSummary;
use super::verdict::{VerdictEntry, verdicts};
use crate::config::Config;
use crate::config::perf::DEFAULT_NOISE_THRESHOLD;

/// Why a perf run could not be made (failing targets are results, not this).
#[derive(Debug, thiserror::Error)]
pub enum PerfError {
    /// The history cannot be read or written.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// The baseline asked for cannot be used.
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    /// A command could not be run at all.
    #[error(transparent)]
    Process(#[from] ProcessError),
}

/// What to run and where.
#[derive(Debug)]
pub struct RunOptions<'a> {
    /// The configuration with the targets and thresholds.
    pub config: &'a Config,
    /// The directory commands run in (the config file's directory).
    pub dir: &'a Path,
    /// The history file.
    pub history: &'a Path,
    /// A named baseline (or commit) instead of the recent runs.
    pub baseline: Option<&'a str>,
    /// Whether to append the results to the history.
    pub record: bool,
    /// How commands are started.
    pub spawner: &'a Spawner,
}

/// Everything a perf run found.
#[derive(Clone, Debug, Serialize)]
pub struct PerfReport {
    /// Machine fingerprint.
    pub machine: String,
    /// The commit measured, when known.
    pub commit: Option<String>,
    /// The branch measured, when known.
    pub branch: Option<String>,
    /// When, in seconds since the Unix epoch.
    pub timestamp: u64,
    /// The history file.
    pub history: String,
    /// Whether this run was appended to it.
    pub recorded: bool,
    /// What the verdicts compare with.
    pub baseline: String,
    /// Startup targets.
    pub startup: Vec<StartupResult>,
    /// Response targets.
    pub response: Vec<ResponseResult>,
    /// One verdict per target and measure that has a baseline.
    pub verdicts: Vec<VerdictEntry>,
}

impl PerfReport {
    /// Whether any verdict is a regression.
    #[must_use]
    pub fn has_regression(&self) -> bool {
        self.verdicts.iter().any(VerdictEntry::is_regression)
    }

    /// The figures of this run as a [`PerfSummary`] (`None` when nothing was measured).
    #[must_use]
    pub fn summary(&self) -> Option<PerfSummary> {
        let context = Context {
            machine: self.machine.clone(),
            commit: self.commit.clone(),
            branch: self.branch.clone(),
            timestamp: self.timestamp,
        };
        let records = records(&context, &self.startup, &self.response);
        PerfSummary::of(&records, &self.verdicts)
    }
}

/// Runs every target of `options.config`.
///
/// # Errors
/// [`PerfError`] when the history is corrupt or newer (checked before anything runs, and left
/// untouched), the baseline is unknown, or the spawner cannot start.
pub fn run(options: &RunOptions<'_>) -> Result<PerfReport, PerfError> {
    let history = History::load(options.history)?;
    let context = Context::detect(options.dir);
    let perf = &options.config.perf;
    let baseline = match options.baseline {
        Some(name) => Baseline::named(options.history, &history, name, &context.machine)?,
        None => Baseline::recent(&history, &context.machine, perf.baseline_runs),
    };
    let all = |_: &str| true;
    let (mut startup, mut response) = measure_targets(options, &all)?;
    let threshold = |name: &str| noise_threshold(options.config, name);
    let mut records = records(&context, &startup, &response);
    let mut verdicts = verdicts(&records, &baseline, threshold);
    let regressed: BTreeSet<String> = verdicts
        .iter()
        .filter(|v| v.is_regression())
        .map(|v| v.target.clone())
        .collect();
    if !regressed.is_empty() {
        // A regression must show again in a second measurement: a load spike on a shared
        // machine rarely lasts for two.
        let again = measure_targets(options, &|name| regressed.contains(name))?;
        replace_by_name(&mut startup, again.0, |s| &s.name);
        replace_by_name(&mut response, again.1, |r| &r.name);
        records = self::records(&context, &startup, &response);
        verdicts = remeasured_verdicts(&records, &baseline, &regressed, &threshold);
    }
    if options.record {
        History::append(options.history, &records, options.config.perf.history_runs)?;
    }
    Ok(PerfReport {
        machine: context.machine,
        commit: context.commit,
        branch: context.branch,
        timestamp: context.timestamp,
        history: options.history.display().to_string(),
        recorded: options.record,
        baseline: baseline.description,
        startup,
        response,
        verdicts,
    })
}

/// The verdicts of a second measurement, marking those of the re-measured targets.
fn remeasured_verdicts(
    records: &[Record],
    baseline: &Baseline,
    regressed: &BTreeSet<String>,
    threshold: &dyn Fn(&str) -> f64,
) -> Vec<VerdictEntry> {
    let mut found = verdicts(records, baseline, threshold);
    for v in &mut found {
        v.remeasured = regressed.contains(&v.target);
    }
    found
}

/// Measures the configured targets whose name `wanted` accepts, in configuration order.
fn measure_targets(
    options: &RunOptions<'_>,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<(Vec<StartupResult>, Vec<ResponseResult>), ProcessError> {
    let perf = &options.config.perf;
    let startup = perf
        .startup
        .iter()
        .filter(|t| wanted(&t.name))
        .map(|t| measure::startup(options.spawner, t, options.dir))
        .collect::<Result<Vec<_>, _>>()?;
    let response = perf
        .response
        .iter()
        .filter(|t| wanted(&t.name))
        .map(|t| measure::response(options.spawner, t, options.dir))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((startup, response))
}

/// Replaces the items of `all` that have the name of an item of `new` by that item.
fn replace_by_name<T>(all: &mut [T], new: Vec<T>, name: impl Fn(&T) -> &String) {
    for item in new {
        if let Some(slot) = all.iter_mut().find(|old| name(old) == name(&item)) {
            *slot = item;
        }
    }
}

/// The configured noise threshold of the target called `name` (5% when it has none).
#[must_use]
pub fn noise_threshold(config: &Config, name: &str) -> f64 {
    let startup = config
        .perf
        .startup
        .iter()
        .map(|t| (&t.name, t.noise_threshold));
    let response = config
        .perf
        .response
        .iter()
        .map(|t| (&t.name, t.noise_threshold));
    startup
        .chain(response)
        .find(|(n, _)| *n == name)
        .map_or(DEFAULT_NOISE_THRESHOLD, |(_, t)| t)
}

/// The history records of a run: one per target and measure that has a sample.
#[must_use]
pub fn records(
    context: &Context,
    startup: &[StartupResult],
    response: &[ResponseResult],
) -> Vec<Record> {
    let record = |target: &str, measure, unit: &str, samples: Vec<f64>, errors| Record {
        target: target.to_owned(),
        measure,
        timestamp: context.timestamp,
        commit: context.commit.clone(),
        branch: context.branch.clone(),
        machine: context.machine.clone(),
        unit: unit.to_owned(),
        samples,
        errors,
    };
    let mut records = Vec::new();
    for s in startup {
        records.push(record(
            &s.name,
            Measure::Startup,
            "s",
            s.wall_seconds.clone(),
            None,
        ));
        records.push(record(
            &s.name,
            Measure::Memory,
            "bytes",
            s.peak_rss_bytes.clone(),
            None,
        ));
    }
    for r in response {
        let errors = Some(r.errors as u64);
        records.push(record(
            &r.name,
            Measure::Response,
            "s",
            r.latency_seconds.clone(),
            errors,
        ));
        let memory = r.peak_memory_bytes.into_iter().collect();
        records.push(record(&r.name, Measure::Memory, "bytes", memory, None));
    }
    records.retain(|r| !r.samples.is_empty());
    records
}
