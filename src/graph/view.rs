//! The module graph as `gatecheck graph` draws it: nodes with fan-in/out, one edge per pair of
//! modules (its import count, strongest kind and first line), cycle edges and nodes marked;
//! with a depth, modules are first collapsed into their packages (the first N segments of
//! their names) so that a big repository stays readable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::cycles::{self, Cycle};
use super::fan::fans;
use super::model::{Import, Module, ModuleGraph, Resolution};
use super::settings::ArchitectureSettings;
use crate::facts::ImportKind;

/// One node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewNode {
    /// Module (or, collapsed, package) name.
    pub name: String,
    /// Its file (collapsed: the directory its modules share), relative to the analysis root.
    pub path: PathBuf,
    /// Language identifier.
    pub language: &'static str,
    /// Fan-out in the drawn graph.
    pub fan_out: usize,
    /// Fan-in in the drawn graph.
    pub fan_in: usize,
    /// Whether it belongs to an import cycle.
    pub in_cycle: bool,
}

/// One edge: every import from one node to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewEdge {
    /// Importing node, by index.
    pub from: usize,
    /// Imported node, by index.
    pub to: usize,
    /// The first import's line (in the first importing file, when collapsed).
    pub line: usize,
    /// How many imports it stands for.
    pub imports: usize,
    /// The strongest kind among them: `runtime` over `deferred` over `type_only`.
    pub kind: ImportKind,
    /// Whether it is an edge of an import cycle.
    pub in_cycle: bool,
}

/// What is drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// Nodes, sorted by name.
    pub nodes: Vec<ViewNode>,
    /// Edges, sorted by (from, to).
    pub edges: Vec<ViewEdge>,
    /// The import cycles of the drawn graph.
    pub cycles: Vec<Cycle>,
}

/// Above this many modules a graph drawn without `--depth` is collapsed into packages: a
/// picture of hundreds of boxes is a hairball nobody reads.
pub const READABLE_MODULES: usize = 100;

/// The depth that collapses `graph` into a readable picture: the deepest whose packages are
/// at most [`READABLE_MODULES`] (at least 1); `None` when the graph is small enough as it is.
#[must_use]
pub fn readable_depth(graph: &ModuleGraph) -> Option<usize> {
    if graph.modules.len() <= READABLE_MODULES {
        return None;
    }
    let packages = |depth: usize| {
        let mut names: Vec<String> = graph
            .modules
            .iter()
            .map(|m| package_of(&m.name, depth))
            .collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    };
    let deepest = graph
        .modules
        .iter()
        .map(|m| m.name.split(['.', ':']).filter(|s| !s.is_empty()).count())
        .max()
        .unwrap_or(1);
    (1..=deepest)
        .take_while(|&d| d == 1 || packages(d) <= READABLE_MODULES)
        .last()
}

/// `graph` without the modules that import no module of the tree and that none imports (test
/// data, scripts, examples): they are dots without lines in a picture. Gives the number left
/// out.
#[must_use]
pub fn connected(graph: &ModuleGraph) -> (ModuleGraph, usize) {
    let linked = linked(graph);
    let mut new_id = vec![usize::MAX; graph.modules.len()];
    let mut kept = Vec::new();
    for (id, module) in graph.modules.iter().enumerate() {
        if linked[id] {
            new_id[id] = kept.len();
            kept.push(module.clone());
        }
    }
    for module in &mut kept {
        for import in &mut module.imports {
            if let Resolution::Internal(to) = import.resolution {
                import.resolution = Resolution::Internal(new_id[to]);
            }
        }
    }
    let dropped = graph.modules.len() - kept.len();
    (ModuleGraph { modules: kept }, dropped)
}

/// For each module, whether it imports another module of the tree or is imported by one.
fn linked(graph: &ModuleGraph) -> Vec<bool> {
    let mut linked = vec![false; graph.modules.len()];
    for (from, module) in graph.modules.iter().enumerate() {
        let internal = module.imports.iter().filter_map(|i| match i.resolution {
            Resolution::Internal(to) if to != from && to < graph.modules.len() => Some(to),
            _ => None,
        });
        for to in internal {
            linked[from] = true;
            linked[to] = true;
        }
    }
    linked
}

/// The first `depth` segments of a module name (`.` or `::` separated).
#[must_use]
pub fn package_of(name: &str, depth: usize) -> String {
    let separator = if name.contains("::") { "::" } else { "." };
    name.split(separator)
        .take(depth.max(1))
        .collect::<Vec<_>>()
        .join(separator)
}

/// `graph` with each module replaced by its package of `depth` segments; imports between
/// modules of one package disappear.
#[must_use]
pub fn collapse(graph: &ModuleGraph, depth: usize) -> ModuleGraph {
    let package: Vec<String> = graph
        .modules
        .iter()
        .map(|m| package_of(&m.name, depth))
        .collect();
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (id, name) in package.iter().enumerate() {
        members.entry(name).or_default().push(id);
    }
    let id_of: BTreeMap<&str, usize> = members.keys().enumerate().map(|(i, n)| (*n, i)).collect();
    let modules = members
        .iter()
        .map(|(name, ids)| {
            let imports = ids
                .iter()
                .flat_map(|&id| &graph.modules[id].imports)
                .filter_map(|i| remap(i, &package, &id_of, id_of[name]))
                .collect();
            Module {
                name: (*name).to_owned(),
                path: shared_dir(ids.iter().map(|&id| graph.modules[id].path.as_path())),
                language: graph.modules[ids[0]].language,
                imports,
            }
        })
        .collect();
    ModuleGraph { modules }
}

/// An import seen from the collapsed graph; `None` for one inside its own package.
fn remap(
    import: &Import,
    package: &[String],
    id_of: &BTreeMap<&str, usize>,
    own: usize,
) -> Option<Import> {
    let resolution = match &import.resolution {
        Resolution::Internal(to) => {
            let to = *package.get(*to).and_then(|p| id_of.get(p.as_str()))?;
            (to != own).then_some(Resolution::Internal(to))?
        }
        other => other.clone(),
    };
    Some(Import {
        resolution,
        ..import.clone()
    })
}

/// The deepest directory holding every path.
fn shared_dir<'p>(mut paths: impl Iterator<Item = &'p Path>) -> PathBuf {
    let Some(first) = paths.next() else {
        return PathBuf::new();
    };
    let mut shared = first.parent().map(Path::to_path_buf).unwrap_or_default();
    for p in paths {
        while !p.starts_with(&shared) {
            if !shared.pop() {
                break;
            }
        }
    }
    shared
}

/// The view of `graph` (collapsed to `depth` segments when given).
#[must_use]
pub fn view(graph: &ModuleGraph, settings: &ArchitectureSettings, depth: Option<usize>) -> View {
    let collapsed;
    let graph = match depth {
        Some(d) => {
            collapsed = collapse(graph, d);
            &collapsed
        }
        None => graph,
    };
    let cycles = cycles::cycles(graph, settings.type_only_in_cycles);
    let mut component = vec![usize::MAX; graph.modules.len()];
    for (c, cycle) in cycles.iter().enumerate() {
        for &m in &cycle.members {
            component[m] = c;
        }
    }
    let counted = cycles::edges(graph, settings.type_only_in_cycles);
    let in_cycle = |from: usize, to: usize| {
        component[from] != usize::MAX
            && component[from] == component[to]
            && counted[from].contains_key(&to)
    };
    let edges = edges(graph, &in_cycle);
    let nodes = graph
        .modules
        .iter()
        .zip(fans(graph, settings.count_external))
        .enumerate()
        .map(|(id, (m, fan))| ViewNode {
            name: m.name.clone(),
            path: m.path.clone(),
            language: m.language,
            fan_out: fan.fan_out,
            fan_in: fan.fan_in,
            in_cycle: component[id] != usize::MAX,
        })
        .collect();
    View {
        nodes,
        edges,
        cycles,
    }
}

/// One edge per (from, to) pair of internal imports.
fn edges(graph: &ModuleGraph, in_cycle: &dyn Fn(usize, usize) -> bool) -> Vec<ViewEdge> {
    let mut pairs: BTreeMap<(usize, usize), ViewEdge> = BTreeMap::new();
    for (from, module) in graph.modules.iter().enumerate() {
        for import in &module.imports {
            let Resolution::Internal(to) = import.resolution else {
                continue;
            };
            if to >= graph.modules.len() {
                continue;
            }
            let edge = pairs.entry((from, to)).or_insert(ViewEdge {
                from,
                to,
                line: import.line,
                imports: 0,
                kind: import.kind,
                in_cycle: in_cycle(from, to),
            });
            edge.imports += 1;
            edge.kind = strongest(edge.kind, import.kind);
        }
    }
    pairs.into_values().collect()
}

fn strongest(a: ImportKind, b: ImportKind) -> ImportKind {
    let rank = |k: ImportKind| match k {
        ImportKind::Runtime => 2,
        ImportKind::Deferred => 1,
        ImportKind::TypeOnly => 0,
    };
    if rank(b) > rank(a) { b } else { a }
}
