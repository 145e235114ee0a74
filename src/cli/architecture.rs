//! The one place that turns an analysis into a module graph and class facts, for `check`
//! and `graph`: the wiring point of the import resolver (issue 4). A separate file so that
//! `check` and `graph` both depend on it and not on each other.

use std::path::PathBuf;

use gatecheck::analyze::Analysis;
use gatecheck::config::Config;
use gatecheck::graph::architecture::Architecture;
use gatecheck::graph::model::{ClassFacts, ModuleGraph};
use gatecheck::graph::resolve::{self, ResolveSettings};

/// The module graph of `analysis` (issue 4's resolver).
pub(super) fn module_graph(analysis: &Analysis, config: &Config) -> Option<ModuleGraph> {
    let settings = ResolveSettings::from_config(config, &analysis.root);
    Some(resolve::build(analysis, &settings))
}

/// The class facts of every file, with its path.
fn class_facts(analysis: &Analysis) -> Option<Vec<(PathBuf, ClassFacts)>> {
    Some(
        analysis
            .files
            .iter()
            .flat_map(|f| f.classes.iter().map(|c| (f.path.clone(), c.clone())))
            .collect(),
    )
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
