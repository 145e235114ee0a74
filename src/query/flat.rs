//! A syntax tree copied into a flat array in one `TreeCursor` walk, so that patterns are
//! matched with array reads instead of tree-sitter node calls.
//!
//! The array is in document order (pre-order); each node links to its first child and next
//! sibling. The buffer is reused from file to file by its owner, so its memory is that of the
//! largest file seen, not of the repository.

use tree_sitter::Tree;

/// "No node" in a link.
pub const NONE: u32 = u32::MAX;

/// The kind id of `ERROR` nodes: tree-sitter's built-in error symbol, past the grammar's kinds.
pub(crate) const ERROR_KIND: u16 = u16::MAX;

/// One visible node of a syntax tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlatNode {
    /// The grammar's public kind id.
    pub kind: u16,
    /// The field this node is in within its parent (0: none).
    pub field: u16,
    /// Whether the node is named (not a bare token).
    pub named: bool,
    /// First byte.
    pub start_byte: u32,
    /// One past the last byte.
    pub end_byte: u32,
    /// Index of the first child, or [`NONE`].
    pub first_child: u32,
    /// Index of the next sibling, or [`NONE`].
    pub next_sibling: u32,
}

/// A flattened syntax tree.
#[derive(Debug, Default)]
pub struct FlatTree {
    nodes: Vec<FlatNode>,
    /// Indices of the nodes from the root to the current one, during a build.
    path: Vec<u32>,
}

impl FlatTree {
    /// Replaces the content with `tree`. Files are capped far below 4 GiB, so byte offsets
    /// fit in `u32`; larger values saturate. Rows are not kept: they are cheaper to compute
    /// from the text for the few nodes that are captured.
    ///
    /// `field_parents[kind]` says whether the children of a node of that kind need their field
    /// (reading a field costs a search of the grammar's field map); other children get 0.
    pub fn build(&mut self, tree: &Tree, field_parents: &[bool]) {
        self.nodes.clear();
        self.path.clear();
        let mut cursor = tree.walk();
        self.push(&cursor, false);
        loop {
            if cursor.goto_first_child() {
                let parent = self.current();
                let index = self.push(&cursor, self.wants_field(parent, field_parents));
                self.nodes[parent as usize].first_child = index;
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    let previous = self.path.pop().unwrap_or(NONE);
                    let parent = self.current();
                    let field = self.wants_field(parent, field_parents);
                    let index = self.push(&cursor, field);
                    self.nodes[previous as usize].next_sibling = index;
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
                self.path.pop();
            }
        }
    }

    fn current(&self) -> u32 {
        self.path.last().copied().unwrap_or(NONE)
    }

    fn wants_field(&self, parent: u32, field_parents: &[bool]) -> bool {
        self.nodes
            .get(parent as usize)
            .and_then(|p| field_parents.get(usize::from(p.kind)))
            .copied()
            .unwrap_or(true)
    }

    /// Appends the cursor's node and makes it the current one.
    fn push(&mut self, cursor: &tree_sitter::TreeCursor<'_>, with_field: bool) -> u32 {
        let node = cursor.node();
        let field = if with_field {
            cursor.field_id().map_or(0, std::num::NonZero::get)
        } else {
            0
        };
        let index = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        self.nodes.push(FlatNode {
            kind: node.kind_id(),
            field,
            named: node.is_named(),
            start_byte: saturate(node.start_byte()),
            end_byte: saturate(node.end_byte()),
            first_child: NONE,
            next_sibling: NONE,
        });
        self.path.push(index);
        index
    }

    /// The nodes in document order.
    #[must_use]
    pub fn nodes(&self) -> &[FlatNode] {
        &self.nodes
    }

    /// The node at `index`.
    #[must_use]
    pub fn node(&self, index: u32) -> &FlatNode {
        &self.nodes[index as usize]
    }

    /// The children of the node at `index`, in order.
    pub fn children(&self, index: u32) -> Siblings<'_> {
        self.from(self.node(index).first_child)
    }

    /// The siblings from `index` on (itself included).
    pub fn from(&self, index: u32) -> Siblings<'_> {
        Siblings {
            tree: self,
            next: index,
        }
    }
}

/// Iterates over siblings by their links.
pub struct Siblings<'t> {
    tree: &'t FlatTree,
    next: u32,
}

impl Iterator for Siblings<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.next == NONE {
            return None;
        }
        let current = self.next;
        self.next = self.tree.node(current).next_sibling;
        Some(current)
    }
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_children_and_siblings_in_document_order() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let tree = parser.parse("a = 1\nb(2)\n", None).unwrap();
        let mut flat = FlatTree::default();
        flat.build(&tree, &[]);
        let root = flat.node(0);
        assert_eq!(root.start_byte, 0);
        let statements: Vec<u32> = flat.children(0).collect();
        assert_eq!(statements.len(), 2);
        let second = flat.node(statements[1]);
        assert_eq!((second.start_byte, second.end_byte), (6, 10));
        // The assignment's children carry their fields (`left`, `right`) when asked for.
        let assignment = flat.node(statements[0]).first_child;
        let left = flat.node(flat.node(assignment).first_child);
        assert_ne!(left.field, 0);
        // Every node is reached exactly once from the root by the links.
        let mut seen = 0;
        let mut stack = vec![0u32];
        while let Some(i) = stack.pop() {
            seen += 1;
            stack.extend(flat.children(i));
        }
        assert_eq!(seen, flat.nodes().len());
        let kinds: usize = {
            let mut c = tree.walk();
            let mut n = 1;
            'outer: loop {
                if c.goto_first_child() {
                    n += 1;
                    continue;
                }
                loop {
                    if c.goto_next_sibling() {
                        n += 1;
                        break;
                    }
                    if !c.goto_parent() {
                        break 'outer;
                    }
                }
            }
            n
        };
        assert_eq!(kinds, flat.nodes().len());
    }
}
