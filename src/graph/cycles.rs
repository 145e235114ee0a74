//! Import cycles: the strongly connected components of the module graph that hold a cycle (two
//! or more modules, or one module importing itself), each with one shortest concrete cycle and
//! the line of every import on it, so a person sees which import to cut.

use std::collections::{BTreeMap, VecDeque};

use super::model::{ModuleGraph, Resolution};
use super::scc;
use crate::facts::ImportKind;

/// Above this many (member x edge) steps, a component's cycle is searched from its first
/// member only instead of from every member: a breadth-first search per member costs
/// members x edges, which for a 10,000-module ring is 10^8 steps.
const EXHAUSTIVE_BUDGET: usize = 4_000_000;

/// One import on a cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CycleEdge {
    /// The importing module's id.
    pub from: usize,
    /// The imported module's id.
    pub to: usize,
    /// The line of the (first) import of `to` in `from`.
    pub line: usize,
}

/// One import cycle: a strongly connected component and one shortest cycle through it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    /// Every module of the component, by id (ascending, which is name order).
    pub members: Vec<usize>,
    /// A shortest cycle: each edge's `to` is the next edge's `from`, the last edge returns to
    /// the first module.
    pub path: Vec<CycleEdge>,
}

/// The internal edges that take part in cycle detection: for each module, each distinct
/// target with the line of its first import (`type_only` imports only when asked).
#[must_use]
pub fn edges(graph: &ModuleGraph, type_only_in_cycles: bool) -> Vec<BTreeMap<usize, usize>> {
    graph
        .modules
        .iter()
        .map(|module| {
            let mut targets = BTreeMap::new();
            for import in &module.imports {
                let counted = type_only_in_cycles || import.kind != ImportKind::TypeOnly;
                if let (true, Resolution::Internal(to)) = (counted, &import.resolution)
                    && *to < graph.modules.len()
                {
                    targets.entry(*to).or_insert(import.line);
                }
            }
            targets
        })
        .collect()
}

/// Every import cycle of `graph`, sorted by first member.
#[must_use]
pub fn cycles(graph: &ModuleGraph, type_only_in_cycles: bool) -> Vec<Cycle> {
    let edges = edges(graph, type_only_in_cycles);
    let adjacency: Vec<Vec<usize>> = edges.iter().map(|t| t.keys().copied().collect()).collect();
    scc::components(&adjacency)
        .into_iter()
        .filter(|c| c.len() > 1 || c.iter().any(|&v| edges[v].contains_key(&v)))
        .map(|members| {
            let path = shortest_cycle(&members, &edges);
            Cycle { members, path }
        })
        .collect()
}

/// A shortest cycle inside the component `members`: the shortest through any member when the
/// component is small enough to search from each, else the shortest through its first member.
fn shortest_cycle(members: &[usize], edges: &[BTreeMap<usize, usize>]) -> Vec<CycleEdge> {
    let edge_count: usize = members.iter().map(|&m| edges[m].len()).sum();
    let starts = if members.len().saturating_mul(edge_count) <= EXHAUSTIVE_BUDGET {
        members
    } else {
        &members[..1]
    };
    let mut best: Option<Vec<usize>> = None;
    for &start in starts {
        let bound = best.as_ref().map_or(usize::MAX, Vec::len);
        if let Some(cycle) = cycle_through(start, members, edges, bound) {
            best = Some(cycle);
        }
    }
    let nodes = best.unwrap_or_default();
    (0..nodes.len())
        .map(|i| {
            let (from, to) = (nodes[i], nodes[(i + 1) % nodes.len()]);
            let line = edges[from].get(&to).copied().unwrap_or(0);
            CycleEdge { from, to, line }
        })
        .collect()
}

/// The modules of a shortest cycle through `start` within `members`, if one is shorter than
/// `bound` modules: a breadth-first search from `start` back to it.
fn cycle_through(
    start: usize,
    members: &[usize],
    edges: &[BTreeMap<usize, usize>],
    bound: usize,
) -> Option<Vec<usize>> {
    let inside = |v: usize| members.binary_search(&v).is_ok();
    let mut parent: BTreeMap<usize, usize> = BTreeMap::new();
    let mut depth: BTreeMap<usize, usize> = BTreeMap::from([(start, 1)]);
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        let d = depth.get(&v).copied().unwrap_or(0);
        if d >= bound {
            return None;
        }
        for &w in edges[v].keys().filter(|&&w| inside(w)) {
            if w == start {
                return Some(walk_back(v, start, &parent));
            }
            if let std::collections::btree_map::Entry::Vacant(e) = depth.entry(w) {
                e.insert(d + 1);
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    None
}

/// The path `start .. last` read back through `parent`.
fn walk_back(last: usize, start: usize, parent: &BTreeMap<usize, usize>) -> Vec<usize> {
    let mut nodes = vec![last];
    let mut v = last;
    while v != start {
        match parent.get(&v) {
            Some(&p) => v = p,
            None => break,
        }
        nodes.push(v);
    }
    nodes.reverse();
    nodes
}
