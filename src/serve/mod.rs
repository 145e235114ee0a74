//! `gatecheck serve`: keeps the analysis of one tree up to date and serves it over HTTP for
//! Prometheus to scrape (`/metrics`), for tools (`/report.json`) and for health checks
//! (`/healthz`).
//!
//! Two parts that share only a [`state::State`]: the analysis runs on its own thread
//! ([`analyzer`]), re-analyses on an interval and when files change, re-parses only the files
//! whose text changed ([`crate::file_cache`]) and publishes each complete result as one
//! immutable snapshot with an atomic pointer swap; the HTTP server ([`http`], hyper on a
//! single-threaded tokio runtime) reads the current snapshot and never waits for an analysis.

mod analyzer;
mod http;
mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

pub use http::Limits;

/// What to serve and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// The directory or file to analyse.
    pub path: PathBuf,
    /// Configuration file; `None`: discovered from `path` upwards on every analysis.
    pub config: Option<PathBuf>,
    /// Extra exclude patterns (`.gitignore` syntax).
    pub exclude: Vec<String>,
    /// Worker threads of an analysis (0: one per core).
    pub threads: usize,
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Time between two analyses when nothing changes.
    pub interval: Duration,
    /// How often to look for changed files (`None`: only on the interval).
    pub poll: Option<Duration>,
    /// Connection limits of the HTTP server.
    pub limits: Limits,
}

/// Errors that stop `gatecheck serve` (a failed analysis does not: it is logged, counted in
/// `gatecheck_serve_analysis_failures_total`, and the last complete result stays served).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr} (pick a free address with --listen)")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The runtime, a signal handler or the analysis thread could not be started.
    #[error("cannot start the server: {0}")]
    Start(std::io::Error),
}

/// Runs the server until SIGINT or SIGTERM; `ready` is called with the bound address once the
/// server accepts connections (with port 0, the port the system chose).
///
/// # Errors
/// [`ServeError`] when the server cannot start.
pub fn run(options: &Options, ready: &dyn Fn(SocketAddr)) -> Result<(), ServeError> {
    let state =
        Arc::new(state::State::new().map_err(|e| ServeError::Start(std::io::Error::other(e)))?);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Start)?;
    let (stop, stopped) = mpsc::channel::<()>();
    let analysis =
        analyzer::spawn(options.clone(), Arc::clone(&state), stopped).map_err(ServeError::Start)?;
    let served = runtime.block_on(http::serve(options, Arc::clone(&state), ready));
    // Dropping the sender wakes the analysis thread; it stops after the analysis in progress.
    drop(stop);
    if served.is_ok() && analysis.is_finished() {
        let _ = analysis.join();
    }
    served
}

/// One line on standard error: what the server is doing, for its operator.
pub(crate) fn log(message: std::fmt::Arguments<'_>) {
    #[expect(
        clippy::print_stderr,
        reason = "a long-running server reports on stderr"
    )]
    {
        eprintln!("gatecheck serve: {message}");
    }
}
