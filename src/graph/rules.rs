//! Layer and forbidden-import rules (what import-linter offers Python users, for both
//! languages). A rule name covers the module of that name and its submodules; every import
//! kind counts, since a `type_only` or `deferred` import is still a dependency of the design.
//! Unresolved imports are never matched: they lead nowhere known.

use super::model::{ModuleGraph, Resolution};
use super::settings::{ForbidRule, LayerRule, covers};

/// One import that breaks a rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleViolation {
    /// The importing module's id.
    pub module: usize,
    /// The line of the import.
    pub line: usize,
    /// What it imports (module name, or the import as written for an external package).
    pub target: String,
    /// Which rule it breaks, for people (`app.domain may not import app.web (layers ...)`).
    pub rule: String,
}

/// What an import leads to, as rules see it: a module's name or an external package.
fn imported(graph: &ModuleGraph, resolution: &Resolution, written: &str) -> Option<(String, bool)> {
    match resolution {
        Resolution::Internal(id) => graph.modules.get(*id).map(|m| (m.name.clone(), true)),
        Resolution::External(package) => Some((
            if covers(package, written) {
                written
            } else {
                package
            }
            .to_owned(),
            false,
        )),
        Resolution::Unresolved => None,
    }
}

/// Calls `visit(module id, line, imported name, internal?)` for every resolved import.
fn each_import(graph: &ModuleGraph, mut visit: impl FnMut(usize, usize, &str, bool)) {
    for (id, module) in graph.modules.iter().enumerate() {
        for import in &module.imports {
            if let Some((name, internal)) = imported(graph, &import.resolution, &import.target) {
                visit(id, import.line, &name, internal);
            }
        }
    }
}

/// The position in `order` of the most specific layer covering `module`.
fn layer_of(order: &[String], module: &str) -> Option<usize> {
    order
        .iter()
        .enumerate()
        .filter(|(_, layer)| covers(layer, module))
        .max_by_key(|(_, layer)| layer.len())
        .map(|(i, _)| i)
}

/// Imports from a lower layer into a higher one, sorted by module and line.
#[must_use]
pub fn layer_violations(graph: &ModuleGraph, rules: &[LayerRule]) -> Vec<RuleViolation> {
    let mut found = Vec::new();
    for rule in rules {
        each_import(graph, |id, line, target, internal| {
            let from = layer_of(&rule.order, &graph.modules[id].name);
            let to = layer_of(&rule.order, target).filter(|_| internal);
            if let (Some(from), Some(to)) = (from, to)
                && to < from
            {
                found.push(RuleViolation {
                    module: id,
                    line,
                    target: target.to_owned(),
                    rule: format!(
                        "layer {} may not import the higher layer {} (layers: {})",
                        rule.order[from],
                        rule.order[to],
                        rule.order.join(" > ")
                    ),
                });
            }
        });
    }
    found.sort();
    found.dedup();
    found
}

/// Imports that a forbid rule names, sorted by module and line.
#[must_use]
pub fn forbidden_imports(graph: &ModuleGraph, rules: &[ForbidRule]) -> Vec<RuleViolation> {
    let mut found = Vec::new();
    for rule in rules {
        each_import(graph, |id, line, target, _| {
            if !covers(&rule.from, &graph.modules[id].name) {
                return;
            }
            if let Some(to) = rule.to.iter().find(|to| covers(to, target)) {
                found.push(RuleViolation {
                    module: id,
                    line,
                    target: target.to_owned(),
                    rule: format!("{} may not import {to}", rule.from),
                });
            }
        });
    }
    found.sort();
    found.dedup();
    found
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
#[must_use]
pub fn unmatched(
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
