//! Cohesion of a class as LCOM4 (Hitz & Montazeri, 1995): the methods are the nodes of a graph
//! in which two methods are connected when both use one instance attribute / field, or when
//! one calls the other through `self`; LCOM4 is the number of connected components. 1 is a
//! cohesive class; 2 or more means the class holds that many independent parts. Which methods
//! count (dunders other than `__init__`, trait impls are left out) is the extractor's decision,
//! documented in docs/metrics.md.

use std::collections::BTreeMap;

use crate::facts::ClassFacts;

/// A class's cohesion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cohesion {
    /// The number of connected method groups (0 for a class without methods).
    pub lcom4: usize,
    /// The method names of each group, groups ordered by their first method's line, names in
    /// line order.
    pub groups: Vec<Vec<String>>,
}

/// LCOM4 of `class`.
#[must_use]
pub fn cohesion(class: &ClassFacts) -> Cohesion {
    let methods = &class.methods;
    let mut sets = DisjointSets::new(methods.len());
    let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_attribute: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, m) in methods.iter().enumerate() {
        // Two definitions of one name (a property's getter and setter) are one method.
        sets.union(i, *by_name.entry(&m.name).or_insert(i));
        for attribute in &m.attributes {
            sets.union(i, *by_attribute.entry(attribute).or_insert(i));
        }
    }
    for (i, m) in methods.iter().enumerate() {
        for callee in m.self_calls.iter().filter_map(|c| by_name.get(c.as_str())) {
            sets.union(i, *callee);
        }
    }
    let mut order: Vec<usize> = (0..methods.len()).collect();
    order.sort_by_key(|&i| (methods[i].line, i));
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut group_of_root: BTreeMap<usize, usize> = BTreeMap::new();
    for i in order {
        let next = groups.len();
        let g = *group_of_root.entry(sets.find(i)).or_insert(next);
        if g == next {
            groups.push(Vec::new());
        }
        if !groups[g].contains(&methods[i].name) {
            groups[g].push(methods[i].name.clone());
        }
    }
    Cohesion {
        lcom4: groups.len(),
        groups,
    }
}

/// Union-find with path halving and union by size.
struct DisjointSets {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut v: usize) -> usize {
        while self.parent[v] != v {
            self.parent[v] = self.parent[self.parent[v]];
            v = self.parent[v];
        }
        v
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let (big, small) = if self.size[a] >= self.size[b] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small] = big;
        self.size[big] += self.size[small];
    }
}
