//! `gatecheck check`: config -> analyze -> gates -> report.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{CheckArgs, Exit, output};
use gatecheck::analysis::Analysis;
use gatecheck::analyze::{self, Request};
use gatecheck::config::Config;
use gatecheck::coverage;
use gatecheck::judge;
use gatecheck::paths;
use gatecheck::report::text::Text;
use gatecheck::report::{self, Report};

/// The progress bar appears only after this long, so quick runs print nothing extra.
const PROGRESS_DELAY: Duration = Duration::from_secs(1);

pub(super) fn run(args: &CheckArgs) -> anyhow::Result<Exit> {
    if let Some(file) = &args.show_config {
        let config = args.analysis.load_config(file)?;
        return super::show_config::run(&config, file);
    }
    // A run that fails before its report exists still leaves a valid document for the
    // machine-readable formats (exit 2 either way).
    let (analysis, report) = analyse_and_judge(args)
        .inspect_err(|error| output::write_error(args.format, args.output.as_deref(), error))?;
    // A reader that stops early (`| head`) ends the output, not the verdict: the exit status
    // still says whether a gate failed.
    output::unless_broken_pipe(emit(&report, args))?;
    push(&report, args)?;
    let exit = if report.summary.passed {
        Exit::Passed
    } else {
        Exit::Failed
    };
    // The process ends right after this: freeing every file's results one allocation at a
    // time costs tens of milliseconds on a large tree, and the operating system takes the
    // memory back at once anyway.
    std::mem::forget((analysis, report));
    Ok(exit)
}

fn analyse_and_judge(args: &CheckArgs) -> anyhow::Result<(Analysis, Report)> {
    let config = load_config(args)?;
    let first = args.paths.first().map_or(Path::new("."), PathBuf::as_path);
    let root = paths::project_root(config.base_dir(), first);
    let scope = scope(&args.paths, &root);
    // A subset is judged on the whole project's module graph, so the project is analysed too.
    let mut analysed = args.paths.clone();
    if scope.is_some() {
        analysed.insert(0, root.clone());
    }
    let request = Request {
        paths: &analysed,
        root: &root,
        config: &config,
        threads: args.analysis.threads,
    };
    let progress = Progress::new();
    let analysis = analyze::analyze(&request, &|n| progress.advance(n))?;
    progress.finish();
    let report = judge(&analysis, &config, &root, scope.as_deref(), args)?;
    Ok((analysis, report))
}

/// The configuration named by `--config`, else discovered from the first path, plus `--exclude`.
fn load_config(args: &CheckArgs) -> anyhow::Result<Config> {
    let first = args
        .paths
        .first()
        .map_or_else(|| PathBuf::from("."), Clone::clone);
    let mut config = args.analysis.load_config(&first)?;
    config.gates.select(args.select.as_deref(), &args.ignore);
    Ok(config)
}

/// The paths asked for, relative to the project root, when they are less than the whole of it
/// (`None` when one of them is the root or holds it).
fn scope(paths: &[PathBuf], root: &Path) -> Option<Vec<PathBuf>> {
    let relative: Vec<PathBuf> = paths
        .iter()
        .map(|p| paths::relative_to_root(p, root))
        .collect();
    let whole = paths
        .iter()
        .any(|p| root.starts_with(paths::normalize(&paths::absolute(p))));
    (!whole).then_some(relative)
}

/// The report of `analysis`: every gate, with the coverage reports named or found and, with
/// `--with-perf`, the performance targets run; only the files of `scope` are reported.
fn judge(
    analysis: &Analysis,
    config: &Config,
    root: &Path,
    scope: Option<&[PathBuf]>,
    args: &CheckArgs,
) -> anyhow::Result<Report> {
    let project_dir = config.base_dir().unwrap_or(Path::new("."));
    let coverage = coverage::read_reports(&args.coverage, &[project_dir, root, Path::new(".")])?;
    let perf = args
        .with_perf
        .then(|| super::perf::with_perf(config))
        .transpose()?;
    let run = judge::Run {
        analysis,
        config,
        coverage,
        perf,
        scope,
    };
    Ok(judge::judge(run)?)
}

fn emit(report: &Report, args: &CheckArgs) -> anyhow::Result<()> {
    if args.quiet {
        return Ok(());
    }
    let text = Text {
        color: use_color(args),
        width: output::terminal_width(args.output.is_none()),
        group_by: args.group_by,
        verbose: args.verbose,
        statistics: args.statistics,
    };
    output::write_report(report, args.format, args.output.as_deref(), text)
}

/// With --push, sends the metrics to the Pushgateway (whatever --format says).
fn push(report: &Report, args: &CheckArgs) -> anyhow::Result<()> {
    let Some(target) = args.push.target() else {
        return Ok(());
    };
    let mut metrics = Vec::new();
    report::prometheus::write(report, &mut metrics)?;
    Ok(target.push(&metrics)?)
}

/// Colour only for a person at a terminal who has not opted out.
fn use_color(args: &CheckArgs) -> bool {
    args.output.is_none()
        && !args.no_color
        && std::env::var_os("NO_COLOR").is_none()
        && std::io::stdout().is_terminal()
}

/// A progress bar on stderr, only on a terminal, only after [`PROGRESS_DELAY`].
struct Progress {
    started: Instant,
    done: AtomicU64,
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new() -> Progress {
        let enabled = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} {pos} files measured ({elapsed})")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            started: Instant::now(),
            done: AtomicU64::new(0),
            bar,
        }
    }

    fn advance(&self, n: usize) {
        let done = self.done.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if let Some(bar) = &self.bar {
            if bar.is_hidden() && self.started.elapsed() > PROGRESS_DELAY {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            bar.set_position(done);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
