//! Every architecture analysis of one module graph, computed once and shared by the gates,
//! the reports and `gatecheck graph`.

use std::path::PathBuf;

use super::cohesion::{Cohesion, cohesion};
use super::cycles::{Cycle, cycles};
use super::fan::{Fan, fans};
use super::model::ModuleGraph;
use super::rules::{RuleViolation, forbidden_imports, layer_violations};
use super::settings::{ArchitectureSettings, ForbidRule, LayerRule, covers};
use crate::facts::ClassFacts;

/// One class with its cohesion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassCohesion {
    /// The file that defines it, relative to the analysis root.
    pub path: PathBuf,
    /// What the extractor found.
    pub facts: ClassFacts,
    /// Its LCOM4 and method groups.
    pub cohesion: Cohesion,
}

impl ClassCohesion {
    /// Its methods, counted by distinct name (a getter and setter pair is one).
    #[must_use]
    pub fn methods(&self) -> usize {
        self.cohesion.groups.iter().map(Vec::len).sum()
    }

    /// Large enough to be checked (`min_methods`) and LCOM4 above 1.
    #[must_use]
    pub fn low_cohesion(&self, min_methods: usize) -> bool {
        self.methods() >= min_methods && self.cohesion.lcom4 > 1
    }
}

/// The results of every architecture analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Architecture {
    /// The module graph analysed.
    pub graph: ModuleGraph,
    /// The settings it was analysed with.
    pub settings: ArchitectureSettings,
    /// Fan-out and fan-in per module, indexed like the graph's modules.
    pub fans: Vec<Fan>,
    /// Import cycles, sorted by first member.
    pub cycles: Vec<Cycle>,
    /// Classes with their cohesion, in input order; `None` when this run extracted no class
    /// facts (cohesion is then not measured).
    pub classes: Option<Vec<ClassCohesion>>,
    /// Imports from a lower layer into a higher one.
    pub layer_violations: Vec<RuleViolation>,
    /// Imports a forbid rule names.
    pub forbidden_imports: Vec<RuleViolation>,
}

impl Architecture {
    /// Analyses `graph` and the classes of each file (`None`: no class facts were extracted).
    #[must_use]
    pub fn analyze(
        graph: ModuleGraph,
        classes: Option<Vec<(PathBuf, ClassFacts)>>,
        settings: &ArchitectureSettings,
    ) -> Architecture {
        let classes = classes.map(|list| {
            list.into_iter()
                .map(|(path, facts)| ClassCohesion {
                    path,
                    cohesion: cohesion(&facts),
                    facts,
                })
                .collect()
        });
        Architecture {
            fans: fans(&graph, settings.count_external),
            cycles: cycles(&graph, settings.type_only_in_cycles),
            layer_violations: layer_violations(&graph, &settings.layers),
            forbidden_imports: forbidden_imports(&graph, &settings.forbid),
            classes,
            settings: settings.clone(),
            graph,
        }
    }

    /// Modules that belong to some cycle.
    #[must_use]
    pub fn modules_in_cycles(&self) -> usize {
        self.cycles.iter().map(|c| c.members.len()).sum()
    }

    /// Classes large enough to be checked whose LCOM4 is above 1.
    pub fn low_cohesion(&self) -> impl Iterator<Item = &ClassCohesion> {
        let min = self.settings.min_methods_for_cohesion;
        self.classes
            .iter()
            .flatten()
            .filter(move |c| c.low_cohesion(min))
    }
}

impl Architecture {
    /// The first `[[architecture.layers]]` name or `[[architecture.forbid]]` `from` that covers
    /// no module of the graph, if any.
    #[must_use]
    pub fn unmatched_rule(&self) -> Option<UnmatchedRule> {
        unmatched(&self.graph, &self.settings.layers, &self.settings.forbid)
            .into_iter()
            .next()
    }
}

/// A rule entry that names no module of the graph (a typo, a renamed package): a
/// configuration error, since such a rule silently checks nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "[[architecture.{table}]] entry {entry} names `{name}`, which is no module of the project{}",
    closest.as_ref().map_or_else(String::new, |c| format!("; the closest module is `{c}`"))
)]
pub struct UnmatchedRule {
    /// `layers` or `forbid`.
    pub table: &'static str,
    /// 1-based position of the entry in its table.
    pub entry: usize,
    /// The name that matches nothing.
    pub name: String,
    /// The existing module name closest to it.
    pub closest: Option<String>,
}

/// The layer names and forbid `from` names that cover no module of `graph` (a forbid rule's
/// `to` may name a package nobody imports yet: that is the point of forbidding it). Nothing
/// for an empty graph, where no rule can be checked anyway.
fn unmatched(
    graph: &ModuleGraph,
    layers: &[LayerRule],
    forbid: &[ForbidRule],
) -> Vec<UnmatchedRule> {
    if graph.modules.is_empty() {
        return Vec::new();
    }
    let layer_names = layers
        .iter()
        .enumerate()
        .flat_map(|(i, rule)| rule.order.iter().map(move |name| ("layers", i + 1, name)));
    let forbid_names = forbid
        .iter()
        .enumerate()
        .map(|(i, rule)| ("forbid", i + 1, &rule.from));
    layer_names
        .chain(forbid_names)
        .filter(|(_, _, name)| !graph.modules.iter().any(|m| covers(name, &m.name)))
        .map(|(table, entry, name)| UnmatchedRule {
            table,
            entry,
            name: name.clone(),
            closest: closest_module(graph, name),
        })
        .collect()
}

fn closest_module(graph: &ModuleGraph, name: &str) -> Option<String> {
    graph
        .modules
        .iter()
        .map(|m| (strsim::jaro_winkler(name, &m.name), &m.name))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n.clone())
}
