//! `gatecheck perf compare`, `perf baseline save` and `perf import`: the subcommands that
//! read and extend the performance history without running the targets.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Subcommand;

use super::Exit;
use gatecheck::config::Config;
use gatecheck::perf::baseline::{self, Baseline, latest_and_before};
use gatecheck::perf::context::{self, fingerprint};
use gatecheck::perf::history::History;
use gatecheck::perf::import;
use gatecheck::perf::run::noise_threshold;
use gatecheck::perf::verdict::verdicts;

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

/// `gatecheck perf baseline save`.
pub(super) fn save_baseline(history: &Path, name: &str, runs: usize) -> anyhow::Result<Exit> {
    let records = History::load(history)?;
    let (path, n) = baseline::save(history, &records, name, &fingerprint(), runs)?;
    say(&format!(
        "saved baseline {name}: {n} records in {}",
        path.display()
    ))?;
    Ok(Exit::Passed)
}

/// `gatecheck perf compare`.
pub(super) fn compare(config: &Config, history: &Path, args: &CompareArgs) -> anyhow::Result<Exit> {
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

/// `gatecheck perf import`.
pub(super) fn import(
    config: &Config,
    dir: &Path,
    history: &Path,
    what: &ImportCommand,
) -> anyhow::Result<Exit> {
    let context = context::Context::detect(dir);
    let records = match what {
        ImportCommand::Criterion { dir } => import::criterion(dir, &context)?,
        ImportCommand::Hyperfine { file } => import::hyperfine(file, &context)?,
    };
    let earlier = History::load(history)?;
    let baseline = Baseline::recent(&earlier, &context.machine, config.perf.baseline_runs);
    let found = verdicts(&records, &baseline, |name| noise_threshold(config, name));
    History::append(history, &records, config.perf.history_runs)?;
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
