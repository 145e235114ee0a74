//! The command line: argument definitions (clap derive) and the commands they run.

mod check;
mod graph;
mod init;
pub(crate) mod output;
mod perf;
mod perf_history;
mod serve;
mod show_config;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use gatecheck::config::Config;
use gatecheck::report::emit::Format;
use gatecheck::report::text::GroupBy;

/// What a command asks the process to exit with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Every measured gate passed.
    Passed,
    /// At least one gate failed.
    Failed,
}

/// Fast quality gates for Python and Rust codebases.
#[derive(Debug, Parser)]
#[command(name = "gatecheck", version, about, long_about = None)]
pub(crate) struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// gatecheck's commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Analyse code and check it against the quality gates (exit 0 passed, 1 failed, 2 error).
    Check(CheckArgs),
    /// Write a gatecheck.toml with every default gate, commented.
    Init(InitArgs),
    /// Measure startup time, peak memory and response time; keep a history; call regressions.
    Perf(perf::PerfArgs),
    /// The lean spawner that `gatecheck perf` runs each measured command through (internal).
    #[command(name = "__spawn", hide = true)]
    Spawn(perf::SpawnArgs),
    /// Write the module graph (DOT, Mermaid or JSON), import cycles highlighted.
    Graph(GraphArgs),
    /// Keep the analysis of a tree up to date and serve it over HTTP: /metrics (Prometheus),
    /// /report.json and /healthz.
    Serve(serve::ServeArgs),
}

/// Formats of `gatecheck graph`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum GraphFormat {
    /// Graphviz DOT (render with `dot -Tsvg`).
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
    /// Nodes, edges and cycles as JSON.
    Json,
}

/// Arguments of `gatecheck graph`.
#[derive(Debug, clap::Args)]
pub(crate) struct GraphArgs {
    /// File or directory to analyse.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Collapse modules into packages: keep the first N segments of each name (a graph of
    /// more than 100 modules is collapsed to a readable level by default).
    #[arg(long, value_name = "N", conflicts_with = "full")]
    pub depth: Option<usize>,
    /// Draw every module, however many there are.
    #[arg(long)]
    pub full: bool,
    /// Write the graph to this file (atomically) instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Configuration, exclusions and threads.
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// What every analysing command (`check`, `graph`, `serve`) takes besides its paths.
#[derive(Debug, clap::Args)]
pub(crate) struct AnalysisArgs {
    /// Configuration file (gatecheck.toml, pyproject.toml or Cargo.toml); default: discovered
    /// from the (first) analysed path upwards.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Leave out paths matching this pattern (.gitignore syntax), besides the configured
    /// ones; repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// Analyse the directories left out by default too (virtual environments, build output,
    /// caches, `.git`...; see `walk::DEFAULT_EXCLUDES`).
    #[arg(long)]
    pub no_default_excludes: bool,
    /// Analyse what .gitignore, .ignore and .git/info/exclude leave out, and hidden files
    /// and directories too (for audits).
    #[arg(long)]
    pub no_ignore: bool,
    /// Worker threads of an analysis (default: one per core; at most 4 per core).
    #[arg(long, short = 'j', default_value_t = 0, value_parser = threads)]
    pub threads: usize,
}

impl AnalysisArgs {
    /// The configuration named by `--config`, else discovered from `start`, plus `--exclude`.
    pub(crate) fn load_config(&self, start: &std::path::Path) -> anyhow::Result<Config> {
        let mut config = match &self.config {
            Some(file) => Config::load(file)?,
            None => Config::discover(start)?,
        };
        say_where_it_is(&config, start);
        config.exclude.extend(self.exclude.iter().cloned());
        if self.no_default_excludes {
            config.without_default_excludes();
        }
        config.respect_ignores = !self.no_ignore;
        Ok(config)
    }
}

/// Says on stderr which configuration is used when it lies outside the analysed tree (found
/// in a parent directory), so a surprising threshold has a visible cause.
fn say_where_it_is(config: &Config, start: &std::path::Path) {
    let Some(dir) = config.base_dir() else {
        return;
    };
    let absolute =
        |p: &std::path::Path| gatecheck::paths::normalize(&gatecheck::paths::absolute(p));
    let (dir, start) = (absolute(dir), absolute(start));
    let start_dir = if start.is_dir() {
        start.as_path()
    } else {
        start.parent().unwrap_or(&start)
    };
    if !start_dir.starts_with(&dir) || start_dir == dir {
        return;
    }
    {
        gatecheck::note!(
            "gatecheck: using the configuration {} (found above {})",
            config.source_name(),
            start.display()
        );
    }
}

/// Arguments of `gatecheck check`.
#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// Files or directories to analyse.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text, env = "GATECHECK_FORMAT")]
    pub format: Format,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Check only these gates (comma-separated keys, e.g. `max_complexity,layers`); the
    /// others are reported as disabled.
    #[arg(long, value_delimiter = ',', value_name = "GATE,...", value_parser = gate_name)]
    pub select: Option<Vec<String>>,
    /// Do not check these gates (comma-separated keys); they are reported as disabled.
    #[arg(long, value_delimiter = ',', value_name = "GATE,...", value_parser = gate_name)]
    pub ignore: Vec<String>,
    /// Configuration, exclusions and threads.
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Never use colour.
    #[arg(long)]
    pub no_color: bool,
    /// Text format: order the findings by file (worst first within a file) or by gate.
    #[arg(long, value_enum, default_value_t = GroupBy::File)]
    pub group_by: GroupBy,
    /// Text format: a count of findings per gate instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Print the settings in effect for this file, and where each comes from, instead of
    /// checking anything.
    #[arg(long, value_name = "PATH")]
    pub show_config: Option<PathBuf>,
    /// Print nothing; the exit status says it all (0 passed, 1 a gate failed, 2 error).
    #[arg(long, short = 'q', conflicts_with_all = ["verbose", "statistics"])]
    pub quiet: bool,
    /// Text format: also list suppressed findings and the gates not measured or disabled.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Also run the [performance] targets (`gatecheck perf run`) into the same report.
    #[arg(long)]
    pub with_perf: bool,
    /// `--push` to a Prometheus Pushgateway, and its grouping labels.
    #[command(flatten)]
    pub push: serve::PushArgs,
    /// Coverage report for `min_test_coverage` (Cobertura XML, LCOV or coverage.py JSON);
    /// repeatable. Default: the first of coverage.xml, cobertura.xml,
    /// coverage/cobertura-coverage.xml, lcov.info, coverage/lcov.info, coverage.json found in
    /// the configuration file's directory, the analysis root or the current directory.
    #[arg(long, value_name = "FILE")]
    pub coverage: Vec<PathBuf>,
}

/// Arguments of `gatecheck init`.
#[derive(Debug, clap::Args)]
pub(crate) struct InitArgs {
    /// Where to write it.
    #[arg(default_value = "gatecheck.toml")]
    pub path: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// Runs the parsed command line.
///
/// # Errors
/// Anything that keeps the command from running (exit status 2).
pub(crate) fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Perf(args) => perf::run(&args),
        Command::Spawn(args) => perf::spawn(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Serve(args) => serve::run(&args),
    }
}

/// A gate key given on the command line, refused with the closest gate when unknown.
fn gate_name(name: &str) -> Result<String, String> {
    gatecheck::config::known_gate(name.trim()).map(|g| g.key.to_owned())
}

/// A thread count: 0 (one per core) up to four per core, never more than 256; more threads
/// than that only cost memory (each has its own parser and stack) and time.
fn threads(text: &str) -> Result<usize, String> {
    let n: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of threads"))?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let most = (cores * 4).clamp(4, 256);
    if n > most {
        return Err(format!(
            "{n} threads is more than this machine can use ({cores} cores; at most {most}); \
             0 means one per core"
        ));
    }
    Ok(n)
}

/// A duration of at least one second (`--interval`, `--poll`): shorter ones would make a
/// server spend its time re-walking the tree.
pub(crate) fn at_least_a_second(text: &str) -> Result<std::time::Duration, String> {
    let d = humantime::parse_duration(text).map_err(|e| format!("`{text}`: {e}"))?;
    if d < std::time::Duration::from_secs(1) {
        return Err(format!("`{text}` is under one second; use 1s or more"));
    }
    Ok(d)
}

/// A timeout that is not zero and at most an hour (`--header-timeout`, `--request-timeout`).
pub(crate) fn timeout(text: &str) -> Result<std::time::Duration, String> {
    let d = humantime::parse_duration(text).map_err(|e| format!("`{text}`: {e}"))?;
    if d.is_zero() || d > std::time::Duration::from_secs(3600) {
        return Err(format!("`{text}` must be more than zero and at most 1h"));
    }
    Ok(d)
}
