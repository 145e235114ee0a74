//! Strongly connected components by Tarjan's algorithm, iterative: an explicit stack of
//! (node, next edge) frames replaces recursion, so a chain of any length cannot overflow the
//! thread's stack.

/// Marks a node not yet visited.
const UNVISITED: usize = usize::MAX;

/// The strongly connected components of the graph `adjacency` (node `v`'s successors are
/// `adjacency[v]`; successors out of range are ignored). Each component lists its nodes in
/// ascending order; components are sorted by their first node.
#[must_use]
pub fn components(adjacency: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut tarjan = Tarjan::new(adjacency);
    for root in 0..adjacency.len() {
        if tarjan.index[root] == UNVISITED {
            tarjan.run_from(root);
        }
    }
    let mut found = tarjan.components;
    for c in &mut found {
        c.sort_unstable();
    }
    found.sort_unstable();
    found
}

struct Tarjan<'a> {
    adjacency: &'a [Vec<usize>],
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    /// The explicit call stack: a node and the position of its next edge to follow.
    frames: Vec<(usize, usize)>,
    next_index: usize,
    components: Vec<Vec<usize>>,
}

impl<'a> Tarjan<'a> {
    fn new(adjacency: &'a [Vec<usize>]) -> Self {
        let n = adjacency.len();
        Tarjan {
            adjacency,
            index: vec![UNVISITED; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            frames: Vec::new(),
            next_index: 0,
            components: Vec::new(),
        }
    }

    fn enter(&mut self, v: usize) {
        self.index[v] = self.next_index;
        self.low[v] = self.next_index;
        self.next_index += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        self.frames.push((v, 0));
    }

    fn run_from(&mut self, root: usize) {
        self.enter(root);
        while let Some(frame) = self.frames.last_mut() {
            let (v, edge) = *frame;
            frame.1 += 1;
            match self.adjacency[v].get(edge) {
                Some(&w) if w >= self.index.len() => {}
                Some(&w) if self.index[w] == UNVISITED => self.enter(w),
                Some(&w) if self.on_stack[w] => self.low[v] = self.low[v].min(self.index[w]),
                Some(_) => {}
                None => self.leave(v),
            }
        }
    }

    /// All of `v`'s edges are followed: pass its low link to its caller, and pop its
    /// component when `v` is the component's root.
    fn leave(&mut self, v: usize) {
        self.frames.pop();
        if let Some(&(parent, _)) = self.frames.last() {
            self.low[parent] = self.low[parent].min(self.low[v]);
        }
        if self.low[v] != self.index[v] {
            return;
        }
        let mut component = Vec::new();
        while let Some(w) = self.stack.pop() {
            self.on_stack[w] = false;
            component.push(w);
            if w == v {
                break;
            }
        }
        self.components.push(component);
    }
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn finds_rings_and_singletons() {
        let adjacency = vec![vec![1], vec![2], vec![0, 3], vec![], vec![4]];
        assert_eq!(components(&adjacency), [vec![0, 1, 2], vec![3], vec![4]]);
    }
}
