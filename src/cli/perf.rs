//! `gatecheck perf`: run the performance targets, compare runs, save baselines, import
//! criterion and hyperfine results; and the hidden `gatecheck __spawn` (the lean spawner).

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use clap::Subcommand;

use super::{Exit, Format};
use gatecheck::analyze::Analysis;
use gatecheck::config::Config;
use gatecheck::gates::registry::Measure;
use gatecheck::gates::{self, GateResult, Status};
use gatecheck::perf::baseline::{self, Baseline, latest_and_before};
use gatecheck::perf::context::fingerprint;
use gatecheck::perf::history::History;
use gatecheck::perf::process::Spawner;
use gatecheck::perf::run::{self, PerfReport, RunOptions, history_path, noise_threshold};
use gatecheck::perf::verdict::verdicts;
use gatecheck::perf::{import, spawner};
use gatecheck::report::Report;

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

/// Arguments of `gatecheck perf compare`.
#[derive(Debug, clap::Args)]
pub(crate) struct CompareArgs {
    /// Compare with this saved baseline (or commit) instead of the runs before the latest.
    #[arg(long, value_name = "NAME|REV")]
    pub baseline: Option<String>,
}

/// `gatecheck perf baseline` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum BaselineCommand {
    /// Save the latest runs of every target on this machine as the baseline NAME.
    Save {
        /// The baseline's name (letters, digits, `.`, `_`, `-`).
        name: String,
        /// How many latest runs of each target to keep (default: baseline_runs).
        #[arg(long)]
        runs: Option<usize>,
    },
}

/// `gatecheck perf import` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum ImportCommand {
    /// Criterion results: every <DIR>/**/new/{sample,estimates}.json (usually target/criterion).
    Criterion {
        /// The criterion output directory.
        dir: PathBuf,
    },
    /// A hyperfine --export-json file.
    Hyperfine {
        /// The JSON file.
        file: PathBuf,
    },
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
        PerfCommand::Compare(compare) => perf_compare(&config, &history, compare),
        PerfCommand::Baseline(BaselineCommand::Save { name, runs }) => {
            let runs = runs.unwrap_or(config.perf.baseline_runs);
            save_baseline(&history, name, runs)
        }
        PerfCommand::Import(what) => perf_import(&config, &dir, &history, what),
    }
}

fn save_baseline(history: &Path, name: &str, runs: usize) -> anyhow::Result<Exit> {
    let records = History::load(history)?;
    let (path, n) = baseline::save(history, &records, name, &fingerprint(), runs)?;
    say(&format!(
        "saved baseline {name}: {n} records in {}",
        path.display()
    ))?;
    Ok(Exit::Passed)
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
    let analysis = Analysis {
        root: dir.to_path_buf(),
        files: Vec::new(),
        diagnostics: Vec::new(),
        duration: started.elapsed(),
    };
    let results = perf_gates(config, &perf);
    let failed = results.iter().any(|r| r.status == Status::Failed);
    let mut report = Report::new(&analysis, &results, config.source.as_deref());
    report.perf = Some(perf);
    super::check::write_report(&report, args.format, args.output.as_deref(), color(args))?;
    Ok(if failed { Exit::Failed } else { Exit::Passed })
}

/// The gate results of a perf run alone: performance gates from `perf`, the others not
/// measured.
fn perf_gates(config: &Config, perf: &PerfReport) -> Vec<GateResult> {
    let mut results = gates::evaluate(&[], &config.thresholds);
    for r in &mut results {
        if !matches!(r.gate.measure, Measure::Perf) {
            r.status = Status::NotMeasured;
        }
    }
    let source = config
        .source
        .clone()
        .unwrap_or_else(|| "gatecheck.toml".into());
    gatecheck::perf::gates::apply(&mut results, perf, &source);
    results
}

fn color(args: &RunArgs) -> bool {
    args.output.is_none()
        && std::env::var_os("NO_COLOR").is_none()
        && std::io::stdout().is_terminal()
}

fn perf_compare(config: &Config, history: &Path, args: &CompareArgs) -> anyhow::Result<Exit> {
    let records = History::load(history)?;
    let machine = fingerprint();
    let (latest, recent) = latest_and_before(&records, &machine, config.perf.baseline_runs);
    if latest.is_empty() {
        anyhow::bail!(
            "{}: no run on this machine ({machine}) to compare; run `gatecheck perf run` first",
            history.display()
        );
    }
    let baseline = match &args.baseline {
        Some(name) => Baseline::named(history, &records, name, &machine)?,
        None => recent,
    };
    let found = verdicts(&latest, &baseline, |name| noise_threshold(config, name));
    let mut text = format!("latest runs against {}:\n", baseline.description);
    for v in &found {
        text.push_str(&format!("  {}\n", v.text));
    }
    if found.is_empty() {
        text.push_str("  no baseline for any target yet\n");
    }
    say(text.trim_end())?;
    Ok(if found.iter().any(|v| v.is_regression()) {
        Exit::Failed
    } else {
        Exit::Passed
    })
}

fn perf_import(
    config: &Config,
    dir: &Path,
    history: &Path,
    what: &ImportCommand,
) -> anyhow::Result<Exit> {
    let context = gatecheck::perf::context::Context::detect(dir);
    let records = match what {
        ImportCommand::Criterion { dir } => import::criterion(dir, &context)?,
        ImportCommand::Hyperfine { file } => import::hyperfine(file, &context)?,
    };
    let earlier = History::load(history)?;
    let baseline = Baseline::recent(&earlier, &context.machine, config.perf.baseline_runs);
    let found = verdicts(&records, &baseline, |name| noise_threshold(config, name));
    History::append(history, &records)?;
    let mut text = format!(
        "imported {} benchmarks into {}\n",
        records.len(),
        history.display()
    );
    for v in &found {
        text.push_str(&format!("  {}\n", v.text));
    }
    say(text.trim_end())?;
    Ok(if found.iter().any(|v| v.is_regression()) {
        Exit::Failed
    } else {
        Exit::Passed
    })
}

fn say(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}").context("writing to standard output")?;
    Ok(())
}

/// `gatecheck check --with-perf`: runs the targets of `config` (recorded in the history) and
/// fills in the performance gates of `results`.
pub(super) fn with_perf(config: &Config, results: &mut [GateResult]) -> anyhow::Result<PerfReport> {
    let dir = config
        .base_dir()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let history = history_path(config, &dir);
    let spawner = Spawner::current()?;
    let perf = run::run(&RunOptions {
        config,
        dir: &dir,
        history: &history,
        baseline: None,
        record: true,
        spawner: &spawner,
    })?;
    let source = config
        .source
        .clone()
        .unwrap_or_else(|| "gatecheck.toml".into());
    gatecheck::perf::gates::apply(results, &perf, &source);
    Ok(perf)
}
