//! `gatecheck graph`: analyse, build the module graph, write it as DOT, Mermaid or JSON; and
//! [`architecture`], the one place that turns an analysis into a module graph and class
//! facts for both `graph` and `check`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};

use super::{Exit, GraphArgs, GraphFormat};
use gatecheck::analyze::{self, Analysis, Request};
use gatecheck::atomic_file;
use gatecheck::config::Config;
use gatecheck::graph::architecture::Architecture;
use gatecheck::graph::export;
use gatecheck::graph::model::{ClassFacts, ModuleGraph};
use gatecheck::graph::view::{View, view};

/// The module graph of `analysis`.
///
/// WIRING POINT (issue 4): returns `None` until the resolver (`graph::resolve::build`, branch
/// `graphx`) is merged; then it becomes
/// `Some(gatecheck::graph::resolve::build(analysis, &settings))`. `None` keeps the graph
/// gates "not measured" and makes `gatecheck graph` say that the graph is unavailable.
fn module_graph(analysis: &Analysis, config: &Config) -> Option<ModuleGraph> {
    let _ = (analysis, config);
    None
}

/// The class facts of every file, with its path.
///
/// WIRING POINT (issue 4): returns `None` until `FileAnalysis` carries its `ClassFacts`
/// (branch `graphx`); then it collects them from `analysis.files`. `None` keeps
/// `single_responsibility` "not measured".
fn class_facts(analysis: &Analysis) -> Option<Vec<(PathBuf, ClassFacts)>> {
    let _ = analysis;
    None
}

/// Every architecture analysis of `analysis`, or `None` when no module graph can be built.
pub(super) fn architecture(analysis: &Analysis, config: &Config) -> Option<Architecture> {
    let graph = module_graph(analysis, config)?;
    Some(Architecture::analyze(
        graph,
        class_facts(analysis),
        &config.architecture,
    ))
}

pub(super) fn run(args: &GraphArgs) -> anyhow::Result<Exit> {
    if args.depth == Some(0) {
        bail!("--depth must be 1 or more (the number of name segments a package keeps)");
    }
    let (analysis, config) = analyse(args)?;
    let Some(graph) = module_graph(&analysis, &config) else {
        bail!(
            "this build of gatecheck cannot build the module graph yet (the import resolver \
             of issue 4 is not part of it); `gatecheck check` reports the graph gates as \
             not_measured meanwhile"
        );
    };
    let drawn = view(&graph, &config.architecture, args.depth);
    let text = render(&drawn, args)?;
    if args.format == GraphFormat::Mermaid
        && let Some(warning) = export::mermaid_edge_warning(drawn.edges.len())
    {
        #[expect(clippy::print_stderr, reason = "a warning about the output")]
        {
            eprintln!("warning: {warning}");
        }
    }
    if let Some(path) = &args.output {
        return atomic_file::write(path, text.as_bytes())
            .with_context(|| format!("writing the graph to {}", path.display()))
            .map(|()| Exit::Passed);
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(Exit::Passed)
}

/// Reads the configuration and analyses `args.path`.
fn analyse(args: &GraphArgs) -> anyhow::Result<(Analysis, Config)> {
    let mut config = match &args.config {
        Some(file) => Config::load(file)?,
        None => Config::discover(&args.path)?,
    };
    config.exclude.extend(args.exclude.iter().cloned());
    let paths = [args.path.clone()];
    let root = super::check::analysis_root(&paths);
    let request = Request {
        paths: &paths,
        root: &root,
        config: &config,
        threads: args.threads,
    };
    let analysis = analyze::analyze(&request, &|_| {})?;
    Ok((analysis, config))
}

/// The drawn graph in the requested format.
fn render(drawn: &View, args: &GraphArgs) -> anyhow::Result<String> {
    Ok(match args.format {
        GraphFormat::Dot => export::dot(drawn),
        GraphFormat::Mermaid => export::mermaid(drawn),
        GraphFormat::Json => {
            let mut text = serde_json::to_string_pretty(&export::json_document(drawn, args.depth))?;
            text.push('\n');
            text
        }
    })
}
