//! Stage 3: runs a language's compiled query over a tree and keeps what the metrics need as
//! plain data: every captured node's byte range, lines and roles, the names of definitions, the
//! comments that carry `gatecheck:` directives, and the syntax errors. After this stage the
//! tree can be dropped; nothing downstream needs it. Knows no metric and no language.

use rustc_hash::FxHashMap;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor, QueryMatch, Tree};

use crate::lang::CompiledQuery;
use crate::lang::vocabulary::{Capture, Roles};

/// The marker that starts a gatecheck directive in a comment.
pub const DIRECTIVE_MARKER: &str = "gatecheck:";

/// An upper bound on in-progress query matches. Matches beyond it are dropped by tree-sitter;
/// [`Facts::incomplete`] then says so, and the file's figures may be low.
const MATCH_LIMIT: u32 = 1 << 16;

/// One captured node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// First byte.
    pub start_byte: usize,
    /// One past the last byte.
    pub end_byte: usize,
    /// 0-based first row.
    pub first_row: usize,
    /// 0-based last row (a node ending at column 0 ends on the row before).
    pub last_row: usize,
    /// The roles it plays.
    pub roles: Roles,
    /// For a definition, its name (from the `@name` of the same match).
    pub name: Option<String>,
}

/// What the queries found in one file.
#[derive(Debug, Default)]
pub struct Facts {
    /// Captured nodes in document order: by start, then outer before inner.
    pub items: Vec<Item>,
    /// Comments holding a `gatecheck:` directive: 1-based line and the comment text.
    pub directives: Vec<(usize, String)>,
    /// ERROR and MISSING nodes in the tree.
    pub syntax_errors: usize,
    /// 0-based row of the first of them.
    pub first_syntax_error_row: Option<usize>,
    /// Whether tree-sitter dropped matches (see [`MATCH_LIMIT`]).
    pub incomplete: bool,
}

/// Runs `query` over `tree`.
#[must_use]
pub fn extract(tree: &Tree, text: &str, query: &CompiledQuery, cursor: &mut QueryCursor) -> Facts {
    cursor.set_match_limit(MATCH_LIMIT);
    let mut collector = Collector {
        facts: Facts::default(),
        index: FxHashMap::default(),
        bytes: text.as_bytes(),
    };
    let mut matches = cursor.matches(&query.query, tree.root_node(), text.as_bytes());
    while let Some(m) = matches.next() {
        collector.add(m, query);
    }
    let mut facts = collector.facts;
    facts.incomplete = cursor.did_exceed_match_limit();
    facts.items.sort_by_key(|i| {
        (
            i.start_byte,
            std::cmp::Reverse(i.end_byte),
            !is_pure_nesting(i.roles),
        )
    });
    facts.directives.sort();
    facts.directives.dedup();
    if tree.root_node().has_error() {
        count_syntax_errors(tree, &mut facts);
    }
    facts
}

/// Gathers the captures of every match into one item per node.
struct Collector<'t> {
    facts: Facts,
    /// Item index by node id. Node ids are addresses: a fast non-cryptographic hash fits.
    index: FxHashMap<usize, usize>,
    bytes: &'t [u8],
}

impl Collector<'_> {
    fn add(&mut self, m: &QueryMatch<'_, '_>, query: &CompiledQuery) {
        let mut definition = None;
        let mut name = None;
        for capture in m.captures() {
            let Some(Some(role)) = query.roles.get(capture.index as usize) else {
                continue;
            };
            match role {
                Capture::Name => name = Some(capture.node),
                Capture::Comment => self.comment(capture.node),
                role if is_definition(*role) => definition = Some(capture.node),
                _ => {}
            }
            if *role != Capture::Name {
                self.item_mut(capture.node).roles.insert(*role);
            }
        }
        if let (Some(definition), Some(name)) = (definition, name) {
            let text = name.utf8_text(self.bytes).unwrap_or_default();
            self.item_mut(definition).name = Some(clean_name(text));
        }
    }

    /// Keeps a comment that holds a directive.
    fn comment(&mut self, node: Node<'_>) {
        let comment = node.utf8_text(self.bytes).unwrap_or_default();
        if comment.contains(DIRECTIVE_MARKER) {
            let line = node.start_position().row + 1;
            self.facts.directives.push((line, comment.to_owned()));
        }
    }

    /// The item of `node`, created on first sight.
    fn item_mut(&mut self, node: Node<'_>) -> &mut Item {
        let items = &mut self.facts.items;
        let slot = *self.index.entry(node.id()).or_insert_with(|| {
            items.push(item(node));
            items.len() - 1
        });
        let last = items.len() - 1;
        &mut items[slot.min(last)]
    }
}

fn is_definition(role: Capture) -> bool {
    matches!(
        role,
        Capture::DefinitionFunction
            | Capture::DefinitionMethod
            | Capture::DefinitionLambda
            | Capture::DefinitionClosure
            | Capture::DefinitionClass
            | Capture::DefinitionModule
            | Capture::ModuleDeclaration
            | Capture::CohesionClass
    )
}

/// A block that only nests. When it has the same range as the one statement it holds, it is
/// that statement's parent, so it must come first.
fn is_pure_nesting(mut roles: Roles) -> bool {
    // A type-checking block is still a plain block to the metrics.
    roles.remove(Capture::ImportTypeChecking);
    let mut nesting = Roles::default();
    nesting.insert(Capture::Nesting);
    roles == nesting
}

fn item(node: Node<'_>) -> Item {
    let first_row = node.start_position().row;
    let end = node.end_position();
    let last_row = if end.column == 0 && end.row > first_row {
        end.row - 1
    } else {
        end.row
    };
    Item {
        start_byte: node.start_byte(),
        end_byte: node.end_byte(),
        first_row,
        last_row,
        roles: Roles::default(),
        name: None,
    }
}

/// Counts ERROR and MISSING nodes with an iterative cursor walk (only for trees that have any).
fn count_syntax_errors(tree: &Tree, facts: &mut Facts) {
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            facts.syntax_errors += 1;
            let row = node.start_position().row;
            facts.first_syntax_error_row =
                Some(facts.first_syntax_error_row.map_or(row, |r| r.min(row)));
        }
        // Subtrees without errors hold none; skip them.
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// A definition name without generic arguments or white space (`Foo<T>` is `Foo`).
fn clean_name(text: &str) -> String {
    let base = text.split('<').next().unwrap_or(text);
    base.chars().filter(|c| !c.is_whitespace()).collect()
}
