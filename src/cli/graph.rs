//! `gatecheck graph`: analyse, build the module graph (`super::architecture`), write it as
//! DOT, Mermaid or JSON.

use std::io::Write;

use anyhow::{Context, bail};

use super::{Exit, GraphArgs, GraphFormat};
use gatecheck::analysis::Analysis;
use gatecheck::analyze::{self, Request};
use gatecheck::atomic_file;
use gatecheck::config::Config;
use gatecheck::graph::model::ModuleGraph;
use gatecheck::graph::view::{READABLE_MODULES, View, connected, readable_depth, view};
use gatecheck::report::graph as export;

pub(super) fn run(args: &GraphArgs) -> anyhow::Result<Exit> {
    if args.depth == Some(0) {
        bail!("--depth must be 1 or more (the number of name segments a package keeps)");
    }
    let (analysis, config) = analyse(args)?;
    let (graph, depth) = what_to_draw(gatecheck::judge::module_graph(&analysis, &config), args);
    let drawn = view(&graph, &config.architecture, depth);
    let text = render(&drawn, args.format, depth)?;
    if args.format == GraphFormat::Mermaid
        && let Some(warning) = export::mermaid_edge_warning(drawn.edges.len())
    {
        {
            gatecheck::note!("warning: {warning}");
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

/// The graph and the depth to draw: as asked, or for a large graph without `--depth`, its
/// connected modules collapsed to a readable level.
fn what_to_draw(graph: ModuleGraph, args: &GraphArgs) -> (ModuleGraph, Option<usize>) {
    let by_default = args.depth.is_none() && !args.full;
    let graph = if by_default && graph.modules.len() > READABLE_MODULES {
        leave_out_isolated(&graph)
    } else {
        graph
    };
    let depth = args.depth.or_else(|| collapse_by_default(&graph, args));
    (graph, depth)
}

/// A large graph drawn by default leaves out the modules with no import to or from another
/// one, and says so on stderr.
fn leave_out_isolated(graph: &ModuleGraph) -> ModuleGraph {
    let (kept, dropped) = connected(graph);
    if dropped > 0 {
        {
            gatecheck::note!(
                "gatecheck: {dropped} modules that import no module of the tree and that none \
                 imports are left out of the picture (--full draws them)"
            );
        }
    }
    kept
}

/// The depth a large graph is collapsed to when `--depth` is not given (`--full` draws every
/// module), said on stderr.
fn collapse_by_default(graph: &ModuleGraph, args: &GraphArgs) -> Option<usize> {
    if args.full {
        return None;
    }
    let depth = readable_depth(graph)?;
    {
        gatecheck::note!(
            "gatecheck: {} modules collapsed into packages of {depth} name segment(s) for a \
             readable picture; --depth N chooses the level, --full draws every module",
            graph.modules.len()
        );
    }
    Some(depth)
}

/// Reads the configuration and analyses `args.path`.
fn analyse(args: &GraphArgs) -> anyhow::Result<(Analysis, Config)> {
    let config = args.analysis.load_config(&args.path)?;
    let paths = [args.path.clone()];
    let root = gatecheck::paths::project_root(config.base_dir(), &args.path);
    let request = Request {
        paths: &paths,
        root: &root,
        config: &config,
        threads: args.analysis.threads,
    };
    let analysis = analyze::analyze(&request, &|_| {})?;
    Ok((analysis, config))
}

/// The drawn graph in the requested format.
fn render(drawn: &View, format: GraphFormat, depth: Option<usize>) -> anyhow::Result<String> {
    Ok(match format {
        GraphFormat::Dot => export::dot(drawn),
        GraphFormat::Mermaid => export::mermaid(drawn),
        GraphFormat::Json => {
            let mut text = serde_json::to_string_pretty(&export::json_document(drawn, depth))?;
            text.push('\n');
            text
        }
    })
}
