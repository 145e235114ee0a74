//! The `[performance]` targets: the commands `gatecheck perf run` times (`[[performance.startup]]`)
//! and the URLs it probes (`[[performance.response]]`), with their defaults.

use std::path::PathBuf;
use std::time::Duration;

/// Timed runs of a startup target unless `runs` says otherwise.
pub const DEFAULT_RUNS: usize = 10;
/// Untimed runs before the timed ones unless `warmup` says otherwise.
pub const DEFAULT_WARMUP: usize = 1;
/// Longest one run of a command may take unless `timeout_seconds` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Requests per response target unless `requests` says otherwise.
pub const DEFAULT_REQUESTS: usize = 50;
/// Longest wait for a server to answer unless `ready_timeout_seconds` says otherwise.
pub const DEFAULT_READY_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest one request may take unless `request_timeout_seconds` says otherwise.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Smallest relative change that can be a regression unless `noise_threshold_percent` says
/// otherwise (5%).
pub const DEFAULT_NOISE_THRESHOLD: f64 = 0.05;
/// Earlier runs of a target that make its default baseline unless `baseline_runs` says
/// otherwise.
pub const DEFAULT_BASELINE_RUNS: usize = 5;
/// Records the history keeps per target and measure unless `history_runs` says otherwise:
/// older ones are dropped when a run is appended, so the file (read on every run) stays small.
pub const DEFAULT_HISTORY_RUNS: usize = 1000;

/// Everything under `[performance]` besides the gate thresholds.
#[derive(Clone, Debug, PartialEq)]
pub struct PerfConfig {
    /// Commands timed from spawn to exit.
    pub startup: Vec<StartupTarget>,
    /// URLs probed for latency.
    pub response: Vec<ResponseTarget>,
    /// The history file (`history = "..."`, relative to the config file); `None`: the default
    /// `.gatecheck/history.jsonl`.
    pub history: Option<PathBuf>,
    /// How many earlier runs of a target on the same machine make its default baseline.
    pub baseline_runs: usize,
    /// How many records per target and measure the history keeps (`history_runs`).
    pub history_runs: usize,
}

impl Default for PerfConfig {
    fn default() -> Self {
        PerfConfig {
            startup: Vec::new(),
            response: Vec::new(),
            history: None,
            baseline_runs: DEFAULT_BASELINE_RUNS,
            history_runs: DEFAULT_HISTORY_RUNS,
        }
    }
}

/// One `[[performance.startup]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct StartupTarget {
    /// Its name in reports and the history.
    pub name: String,
    /// Program and arguments (no shell), run in the config file's directory.
    pub command: Vec<String>,
    /// Timed runs.
    pub runs: usize,
    /// Untimed runs first.
    pub warmup: usize,
    /// Longest one run may take; then its process group is killed.
    pub timeout: Duration,
    /// Smallest relative change that can be a regression (0.05 = 5%).
    pub noise_threshold: f64,
    /// The line of the entry in the config file.
    pub line: usize,
}

/// One `[[performance.response]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseTarget {
    /// Its name in reports and the history.
    pub name: String,
    /// The `http://` URL requested with GET.
    pub url: String,
    /// A server to start first (program and arguments, run in the config file's directory)
    /// and to stop after; `None`: the URL is already served.
    pub server: Option<Vec<String>>,
    /// Timed requests.
    pub requests: usize,
    /// Untimed requests first.
    pub warmup: usize,
    /// Longest wait for the URL to answer after the server starts.
    pub ready_timeout: Duration,
    /// Longest one request may take; a slower one counts as an error.
    pub request_timeout: Duration,
    /// Smallest relative change that can be a regression (0.05 = 5%).
    pub noise_threshold: f64,
    /// The line of the entry in the config file.
    pub line: usize,
}
