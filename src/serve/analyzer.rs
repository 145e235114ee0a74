//! The analysis thread of `gatecheck serve`: analyses, publishes the complete result, then
//! waits until the interval has passed or a file changed, and again, until told to stop.
//!
//! Changes are found by polling: the walk that an analysis does (same excludes) is repeated
//! without reading any file, and the paths, sizes and modification times are compared, plus
//! those of the configuration files. Polling needs no watch handles, works on any file
//! system (network mounts, containers' bind mounts) and costs one directory walk per poll,
//! which is small next to an analysis; a `notify`-based watcher would save that walk but not
//! the re-analysis itself, so it is not worth its platform differences here.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Instant, UNIX_EPOCH};

use bytes::Bytes;

use super::settings::{Options, log};
use super::state::{Snapshot, State};
use crate::analysis::Analysis;
use crate::analyze::{self, AnalyzeError, Request};
use crate::config::{Config, ConfigError};
use crate::coverage::{self, CoverageError};
use crate::file_cache::FileCache;
use crate::judge;
use crate::paths;
use crate::perf::history::HistoryError;
use crate::perf::run::history_path;
use crate::perf::summary::{self, PerfSummary};
use crate::report::{self, Report};
use crate::walk::{self, WalkSettings};

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
    let root = paths::report_root(std::slice::from_ref(&options.path));
    let mut walked = WalkSettings {
        root: root.clone(),
        exclude_base: root,
        exclude: options.exclude.clone(),
        threads: 1,
    };
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

/// Waits until the interval since `started` has passed or the tree differs from `before`;
/// false when told to stop.
fn wait_for_change(
    options: &Options,
    walked: &WalkSettings,
    before: u64,
    started: Instant,
    stop: &Receiver<()>,
) -> bool {
    loop {
        let until_interval = options.interval.saturating_sub(started.elapsed());
        let nap = options
            .poll
            .map_or(until_interval, |p| p.min(until_interval));
        match stop.recv_timeout(nap) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return false,
        }
        if started.elapsed() >= options.interval
            || (options.poll.is_some() && fingerprint(options, walked) != before)
        {
            return true;
        }
    }
}

/// Loads the configuration (again: it may have changed) and analyses the tree; returns the
/// snapshot and the walk settings it used.
fn analyse(
    options: &Options,
    cache: &FileCache,
) -> Result<(Snapshot, WalkSettings), AnalysisError> {
    let mut config = match &options.config {
        Some(file) => Config::load(file)?,
        None => Config::discover(&options.path)?,
    };
    config.exclude.extend(options.exclude.iter().cloned());
    let paths = [options.path.clone()];
    let root = paths::report_root(std::slice::from_ref(&options.path));
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
    let walked = WalkSettings {
        exclude_base: config
            .base_dir()
            .map_or_else(|| root.clone(), Path::to_path_buf),
        root,
        exclude: config.exclude,
        threads: 1,
    };
    Ok((snapshot, walked))
}

/// The gates and the report of `analysis`, with the project's coverage report when it has
/// one.
fn report_of(analysis: &Analysis, config: &Config, root: &Path) -> Result<Report, AnalysisError> {
    let project_dir = config.base_dir().unwrap_or(root);
    let coverage = coverage::read_reports(&[], &[project_dir, root])?;
    let mut report = judge::report(analysis, config, coverage, None);
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
    summary::latest_summary(&history_path(config, dir))
}

/// A hash of the paths, sizes and modification times of the files an analysis would read,
/// and of the configuration files it may load.
fn fingerprint(options: &Options, settings: &WalkSettings) -> u64 {
    let mut hasher = DefaultHasher::new();
    let files = walk::discover(std::slice::from_ref(&options.path), settings)
        .map(|d| d.files.into_iter().map(|f| f.path).collect::<Vec<_>>())
        .unwrap_or_default();
    let configs = ["gatecheck.toml", "pyproject.toml", "Cargo.toml"]
        .iter()
        .map(|name| settings.root.join(name))
        .chain(options.config.clone());
    for path in files.into_iter().chain(configs) {
        path.hash(&mut hasher);
        stamp(&path).hash(&mut hasher);
    }
    hasher.finish()
}

/// Size and modification time of `path` (zeros when it cannot be read).
fn stamp(path: &Path) -> (u64, u128) {
    std::fs::metadata(path).map_or((0, 0), |m| {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        (m.len(), modified)
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn the_root_is_the_directory_served() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(paths::report_root(&[dir.path().to_path_buf()]), dir.path());
        assert_eq!(paths::report_root(&[dir.path().join("m.py")]), dir.path());
        assert_eq!(paths::report_root(&[PathBuf::from("m.py")]), Path::new("."));
    }
}
