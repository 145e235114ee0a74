//! What `gatecheck serve` is asked to do and how it fails: its options, connection limits and
//! errors, and its one-line log, shared by the analysis thread and the HTTP server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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

impl Options {
    /// The project root report paths are relative to, with the configuration directory
    /// `config_dir` in effect (see [`crate::paths::project_root`]).
    #[must_use]
    pub fn root(&self, config_dir: Option<&std::path::Path>) -> PathBuf {
        crate::paths::project_root(config_dir, &self.path)
    }
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

/// Connection limits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Time a client has to send a request head (and that a connection may stay idle).
    pub header_timeout: Duration,
    /// Time after which a connection is closed, whatever it is doing.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 512,
            header_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// One line on standard error: what the server is doing, for its operator.
pub(crate) fn log(message: std::fmt::Arguments<'_>) {
    {
        crate::note!("gatecheck serve: {message}");
    }
}
