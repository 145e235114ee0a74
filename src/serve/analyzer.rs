//! The analysis thread of `gatecheck serve`: analyses, publishes the complete result, then
//! waits until the interval has passed or a file changed ([`super::watch`]), and again, until
//! told to stop.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;
use std::time::Instant;

use bytes::Bytes;

use super::settings::{Options, log};
use super::state::{Snapshot, State};
use super::watch::{Watched, fingerprint, wait_for_change};
use crate::analysis::Analysis;
use crate::analyze::{self, AnalyzeError, Request};
use crate::config::{Config, ConfigError};
use crate::coverage::{self, CoverageError};
use crate::file_cache::FileCache;
use crate::judge;
use crate::perf::history::{self, HistoryError};
use crate::perf::summary::{self, PerfSummary};
use crate::report::{self, Report};

/// Why one analysis failed.
#[derive(Debug, thiserror::Error)]
enum AnalysisError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Analyze(#[from] AnalyzeError),
    #[error(transparent)]
    Coverage(#[from] CoverageError),
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Judge(#[from] judge::JudgeError),
    #[error("cannot render the report: {0}")]
    Render(#[from] std::io::Error),
}

/// Starts the analysis thread; it stops when `stop`'s sender is dropped.
pub(super) fn spawn(
    options: Options,
    state: Arc<State>,
    stop: Receiver<()>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("gatecheck-analysis".to_owned())
        .spawn(move || run(&options, &state, &stop))
}

fn run(options: &Options, state: &State, stop: &Receiver<()>) {
    let cache = FileCache::new();
    let root = options.root(None);
    let mut initial = Config::default();
    initial.exclude.clone_from(&options.exclude);
    let mut walked = Watched::new(&initial, &root);
    loop {
        let started = Instant::now();
        let before = fingerprint(options, &walked);
        match analyse(options, &cache) {
            Ok((snapshot, settings)) => {
                let parsed = cache.finish_run().misses;
                state.publish(snapshot, started.elapsed().as_secs_f64(), parsed);
                walked = settings;
            }
            Err(e) => {
                cache.finish_run();
                state.failed(started.elapsed().as_secs_f64());
                log(format_args!("analysis failed: {e}"));
            }
        }
        if !wait_for_change(options, &walked, before, started, stop) {
            return;
        }
    }
}

/// Loads the configuration (again: it may have changed) and analyses the tree; returns the
/// snapshot and the walk settings it used.
fn analyse(options: &Options, cache: &FileCache) -> Result<(Snapshot, Watched), AnalysisError> {
    let mut config = match &options.config {
        Some(file) => Config::load(file)?,
        None => Config::discover(&options.path)?,
    };
    config.exclude.extend(options.exclude.iter().cloned());
    let paths = [options.path.clone()];
    let root = options.root(config.base_dir());
    let request = Request {
        paths: &paths,
        root: &root,
        config: &config,
        threads: options.threads,
    };
    let analysis = analyze::analyze_cached(&request, Some(cache), &|_| {})?;
    let report = report_of(&analysis, &config, &root)?;
    let mut metrics = Vec::new();
    report::prometheus::write(&report, &mut metrics)?;
    let mut json = Vec::new();
    report::json::write(&report, &mut json)?;
    let snapshot = Snapshot {
        metrics: Bytes::from(metrics),
        report: Bytes::from(json),
    };
    let walked = Watched::new(&config, &root);
    Ok((snapshot, walked))
}

/// The gates and the report of `analysis`, with the project's coverage report when it has
/// one.
fn report_of(analysis: &Analysis, config: &Config, root: &Path) -> Result<Report, AnalysisError> {
    let project_dir = config.base_dir().unwrap_or(root);
    let coverage = coverage::read_reports(&[], &[project_dir, root])?;
    let mut report = judge::report(analysis, config, coverage, None)?;
    report.perf_latest = latest_perf(config, root)?;
    Ok(report)
}

/// The newest figures of the project's performance history (re-read on every analysis: a CI
/// job may have appended a run), so /metrics serves them as `check --with-perf` does; reading
/// only, no program is run. `None` without a history.
fn latest_perf(config: &Config, root: &Path) -> Result<Option<PerfSummary>, HistoryError> {
    let dir = config
        .base_dir()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(root);
    summary::latest_summary(&history::path_for(config, dir))
}
