//! `gatecheck serve`: its arguments and the `--push` arguments it shares with `check`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::Exit;
use gatecheck::push::{self, Target};
use gatecheck::serve::{self, Limits, Options};

/// Arguments of `gatecheck serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// The directory (or file) to analyse.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Address to listen on; the default answers only on this machine (loopback). Port 0
    /// picks a free port (the address is printed on standard error).
    #[arg(long, default_value = "127.0.0.1:9464")]
    pub listen: SocketAddr,
    /// Re-analyse this often even when no file changed (e.g. 60s, 5m).
    #[arg(long, default_value = "60s", value_parser = super::at_least_a_second)]
    pub interval: Duration,
    /// Look for changed files this often (1s or more) and re-analyse when one changed; 0
    /// turns it off.
    #[arg(long, default_value = "2s", value_parser = poll)]
    pub poll: Duration,
    /// Configuration (re-read on every analysis), exclusions and threads.
    #[command(flatten)]
    pub analysis: super::AnalysisArgs,
    /// Most connections served at once; more wait to be accepted.
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=65_536))]
    pub max_connections: u32,
    /// Time a client has to send its request head (also the keep-alive idle time).
    #[arg(long, default_value = "5s", value_parser = super::timeout)]
    pub header_timeout: Duration,
    /// Time after which a connection is closed, whatever it is doing (its response in flight
    /// gets 2 more seconds).
    #[arg(long, default_value = "30s", value_parser = super::timeout)]
    pub request_timeout: Duration,
}

/// `--push` and its grouping labels (for `check`).
#[derive(Debug, clap::Args)]
pub(crate) struct PushArgs {
    /// Also PUT the Prometheus metrics to this Pushgateway (e.g. http://127.0.0.1:9091), under
    /// /metrics/job/<JOB>/instance/<INSTANCE>; a failed push exits with 2.
    #[arg(long, value_name = "URL")]
    pub push: Option<String>,
    /// The `job` grouping label of --push.
    #[arg(
        long,
        value_name = "JOB",
        default_value = "gatecheck",
        requires = "push"
    )]
    pub push_job: String,
    /// The `instance` grouping label of --push (default: this machine's host name).
    #[arg(long, value_name = "INSTANCE", requires = "push")]
    pub push_instance: Option<String>,
}

impl PushArgs {
    /// Where to push, when --push was given.
    pub(crate) fn target(&self) -> Option<Target> {
        self.push.as_ref().map(|url| Target {
            url: url.clone(),
            job: self.push_job.clone(),
            instance: self.push_instance.clone().unwrap_or_else(push::hostname),
        })
    }
}

pub(super) fn run(args: &ServeArgs) -> anyhow::Result<Exit> {
    let options = Options {
        path: args.path.clone(),
        config: args.analysis.config.clone(),
        exclude: args.analysis.exclude.clone(),
        threads: args.analysis.threads,
        listen: args.listen,
        interval: args.interval,
        poll: Some(args.poll).filter(|p| !p.is_zero()),
        limits: Limits {
            max_connections: args.max_connections as usize,
            header_timeout: args.header_timeout,
            request_timeout: args.request_timeout,
        },
    };
    serve::run(&options, &|addr| {
        gatecheck::note!("gatecheck serve: listening on http://{addr}");
        if !addr.ip().is_loopback() {
            gatecheck::note!(
                "gatecheck serve: warning: {addr} is not a loopback address; anyone who \
                     can reach it can read the report (file paths and function names)"
            );
        }
    })?;
    Ok(Exit::Passed)
}

/// `--poll`: 0 (off) or at least a second.
fn poll(text: &str) -> Result<Duration, String> {
    match humantime::parse_duration(text) {
        Ok(d) if d.is_zero() => Ok(d),
        _ => super::at_least_a_second(text),
    }
}
