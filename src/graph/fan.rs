//! Fan-out and fan-in: how many distinct modules a module imports, and how many import it.
//! Every import kind counts (a `type_only` or `deferred` import is still a dependency a reader
//! must know); a module importing itself does not, and unresolved imports do not.

use super::model::{Module, ModuleGraph, Resolution};

/// A module's fan-out and fan-in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fan {
    /// Distinct internal modules it imports (plus distinct external packages with
    /// `count_external`).
    pub fan_out: usize,
    /// Distinct internal modules that import it.
    pub fan_in: usize,
}

/// One distinct dependency of a module.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dependency<'g> {
    /// A module of the graph, by id.
    Internal(usize),
    /// An external package, by name.
    External(&'g str),
}

/// The distinct dependencies of module `id`, each with the line of its first import, in line
/// order; externals only with `count_external`.
#[must_use]
pub fn dependencies(
    id: usize,
    module: &Module,
    count_external: bool,
) -> Vec<(Dependency<'_>, usize)> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for import in &module.imports {
        let dependency = match &import.resolution {
            Resolution::Internal(target) if *target != id => Dependency::Internal(*target),
            Resolution::External(package) if count_external => Dependency::External(package),
            _ => continue,
        };
        if seen.insert(dependency.clone()) {
            out.push((dependency, import.line));
        }
    }
    out
}

/// Fan-out and fan-in of every module, indexed like [`ModuleGraph::modules`].
#[must_use]
pub fn fans(graph: &ModuleGraph, count_external: bool) -> Vec<Fan> {
    let mut fans = vec![Fan::default(); graph.modules.len()];
    for (id, module) in graph.modules.iter().enumerate() {
        let deps = dependencies(id, module, count_external);
        fans[id].fan_out = deps.len();
        for (dependency, _) in deps {
            if let Dependency::Internal(target) = dependency
                && let Some(fan) = fans.get_mut(target)
            {
                fan.fan_in += 1;
            }
        }
    }
    fans
}
