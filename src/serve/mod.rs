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
mod settings;
mod state;
mod watch;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc;

pub use settings::{Limits, Options, ServeError};

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
