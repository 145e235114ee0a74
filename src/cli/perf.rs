//! `gatecheck perf`: run the performance targets, compare runs, save baselines, import
//! criterion and hyperfine results; and the hidden `gatecheck __spawn` (the lean spawner).

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Subcommand;

use super::Exit;
use super::perf_history::{self, BaselineCommand, CompareArgs, ImportCommand};
use gatecheck::config::Config;
use gatecheck::perf::history::path_for as history_path;
use gatecheck::perf::process::Spawner;
use gatecheck::perf::run::{self, PerfReport, RunOptions};
use gatecheck::perf::spawner;
use gatecheck::report::emit::Format;

/// Arguments of `gatecheck perf`.
#[derive(Debug, clap::Args)]
pub(crate) struct PerfArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: PerfCommand,
    /// Configuration file (default: discovered from the current directory upwards).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// History file (default: `history` in [performance], else .gatecheck/history.jsonl next
    /// to the configuration).
    #[arg(long, global = true)]
    pub history: Option<PathBuf>,
}

/// `gatecheck perf` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum PerfCommand {
    /// Measure every [performance] target, compare with the baseline, append to the history
    /// (exit 0 passed, 1 a performance gate failed or a regression, 2 error).
    Run(RunArgs),
    /// Compare the latest run in the history with its baseline (exit 1 on a regression).
    Compare(CompareArgs),
    /// Manage named baselines.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Import benchmark results into the history and compare them with their baseline.
    #[command(subcommand)]
    Import(ImportCommand),
}

/// Arguments of `gatecheck perf run`.
#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {
    /// Compare with this saved baseline (or commit) instead of the last runs on this machine.
    #[arg(long, value_name = "NAME|REV")]
    pub baseline: Option<String>,
    /// Do not append this run to the history.
    #[arg(long)]
    pub no_record: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

/// Arguments of the hidden `gatecheck __spawn`.
#[derive(Debug, clap::Args)]
pub(crate) struct SpawnArgs {
    /// Where to write the JSON report.
    #[arg(long)]
    pub report: PathBuf,
    /// The command: program then arguments.
    #[arg(last = true, required = true)]
    pub command: Vec<OsString>,
}

/// Runs the lean spawner.
pub(crate) fn spawn(args: &SpawnArgs) -> anyhow::Result<Exit> {
    spawner::run(&args.report, &args.command)?;
    Ok(Exit::Passed)
}

/// Runs `gatecheck perf ...`.
pub(crate) fn run(args: &PerfArgs) -> anyhow::Result<Exit> {
    let (config, dir, history) = locate(args)?;
    match &args.command {
        PerfCommand::Run(run_args) => perf_run(&config, &dir, &history, run_args),
        PerfCommand::Compare(compare) => perf_history::compare(&config, &history, compare),
        PerfCommand::Baseline(BaselineCommand::Save { name, runs }) => {
            let runs = runs.unwrap_or(config.perf.baseline_runs);
            perf_history::save_baseline(&history, name, runs)
        }
        PerfCommand::Import(what) => perf_history::import(&config, &dir, &history, what),
    }
}

/// The configuration, the directory commands run in, and the history file.
fn locate(args: &PerfArgs) -> anyhow::Result<(Config, PathBuf, PathBuf)> {
    let config = match &args.config {
        Some(file) => Config::load(file)?,
        None => Config::discover(Path::new("."))?,
    };
    let dir = config
        .base_dir()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let history = args
        .history
        .clone()
        .unwrap_or_else(|| history_path(&config, &dir));
    Ok((config, dir, history))
}

fn perf_run(config: &Config, dir: &Path, history: &Path, args: &RunArgs) -> anyhow::Result<Exit> {
    refuse_commands_from_outside(config)?;
    if config.perf.startup.is_empty() && config.perf.response.is_empty() {
        anyhow::bail!(
            "no performance targets: add [[performance.startup]] or [[performance.response]] \
             to {} (see docs/performance.md)",
            config
                .source
                .as_deref()
                .map_or_else(|| "gatecheck.toml".into(), |p| p.display().to_string())
        );
    }
    let started = Instant::now();
    let spawner = Spawner::current()?;
    let perf = run::run(&RunOptions {
        config,
        dir,
        history,
        baseline: args.baseline.as_deref(),
        record: !args.no_record,
        spawner: &spawner,
    })?;
    let report = gatecheck::judge::perf_report(perf, config, dir, started.elapsed());
    let failed = !report.summary.passed;
    let text = gatecheck::report::text::Text {
        color: color(args),
        ..Default::default()
    };
    super::output::write_report(&report, args.format, args.output.as_deref(), text)?;
    Ok(if failed { Exit::Failed } else { Exit::Passed })
}

fn color(args: &RunArgs) -> bool {
    args.output.is_none()
        && std::env::var_os("NO_COLOR").is_none()
        && std::io::stdout().is_terminal()
}

/// `gatecheck check --with-perf`: runs the targets of `config` (recorded in the history); the
/// caller judges the performance gates from the result.
pub(super) fn with_perf(config: &Config) -> anyhow::Result<PerfReport> {
    refuse_commands_from_outside(config)?;
    let dir = config
        .base_dir()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let history = history_path(config, &dir);
    let spawner = Spawner::current()?;
    Ok(run::run(&RunOptions {
        config,
        dir: &dir,
        history: &history,
        baseline: None,
        record: true,
        spawner: &spawner,
    })?)
}

/// Refuses to run the `[performance]` commands of a configuration that the upward search
/// found outside the current git work tree: anyone who could write there could run commands
/// as you. `--config` names a file explicitly, which is trusted.
fn refuse_commands_from_outside(config: &Config) -> anyhow::Result<()> {
    if config.may_run_commands {
        return Ok(());
    }
    anyhow::bail!(
        "{} was found above the current directory, outside its git work tree; gatecheck does \
         not run [performance] commands from such a file. Name it with --config to run them",
        config.source_name()
    )
}
