//! The one place that turns an analysis into a module graph and class facts, for `check`
//! and `graph`: the wiring point of the import resolver (issue 4). A separate file so that
//! `check` and `graph` both depend on it and not on each other.

use std::path::PathBuf;

use gatecheck::analyze::Analysis;
use gatecheck::config::Config;
use gatecheck::graph::architecture::Architecture;
use gatecheck::graph::model::{ClassFacts, ModuleGraph};

/// The module graph of `analysis`.
///
/// WIRING POINT (issue 4): returns `None` until the resolver (`graph::resolve::build`, branch
/// `graphx`) is merged; then it becomes
/// `Some(gatecheck::graph::resolve::build(analysis, &settings))`. `None` keeps the graph
/// gates "not measured" and makes `gatecheck graph` say that the graph is unavailable.
pub(super) fn module_graph(analysis: &Analysis, config: &Config) -> Option<ModuleGraph> {
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
