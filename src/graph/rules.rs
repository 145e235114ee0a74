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
