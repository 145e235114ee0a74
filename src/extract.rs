//! Stage 3: runs a language's compiled query over a tree and keeps what the metrics need as
//! plain data: every captured node's byte range, lines and roles, the names of definitions, the
//! comments that carry `gatecheck:` directives, and the syntax errors. After this stage the
//! tree can be dropped; nothing downstream needs it. Knows no metric and no language.

use rustc_hash::FxHashMap;
use tree_sitter::Tree;

use crate::lang::CompiledQuery;
use crate::lang::vocabulary::{Capture, Roles};
use crate::query::{self, FlatNode, FlatTree};

/// The marker that starts a gatecheck directive in a comment.
pub const DIRECTIVE_MARKER: &str = "gatecheck:";

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
    /// Whether the matcher stopped early on hostile input (its step budget ran out), so that
    /// the file's figures may be low.
    pub incomplete: bool,
}

/// Extraction with its reusable buffer: one per worker thread, so that the flat copy of each
/// tree reuses the memory of the previous one.
#[derive(Debug, Default)]
pub struct Extractor {
    flat: FlatTree,
}

impl Extractor {
    /// Runs `query` over `tree`, a parse of `text`.
    #[must_use]
    pub fn extract(&mut self, tree: &Tree, text: &str, query: &CompiledQuery) -> Facts {
        extract(tree, text, query, &mut self.flat)
    }
}

fn extract(tree: &Tree, text: &str, query: &CompiledQuery, flat: &mut FlatTree) -> Facts {
    let mut collector = Collector {
        facts: Facts::default(),
        index: FxHashMap::default(),
        bytes: text.as_bytes(),
        lines: LineStarts::new(text),
    };
    let outcome = query
        .program
        .run(tree, flat, text.as_bytes(), &mut |flat, captures| {
            collector.add(flat, captures, query);
        });
    let mut facts = collector.facts;
    facts.incomplete = !outcome.complete;
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
    /// Item index by node index in `flat`.
    index: FxHashMap<u32, usize>,
    bytes: &'t [u8],
    lines: LineStarts,
}

/// The byte offset where each line starts, to give captured nodes their rows as tree-sitter
/// counts them (a row ends at each `\n`; the column is the byte offset in the row).
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts(starts)
    }

    /// The 0-based row of `byte`.
    fn row(&self, byte: usize) -> usize {
        self.0
            .partition_point(|&start| start <= byte)
            .saturating_sub(1)
    }

    /// Whether `byte` is at the start of a row (column 0).
    fn starts_row(&self, byte: usize) -> bool {
        self.0.binary_search(&byte).is_ok()
    }
}

impl Collector<'_> {
    fn add(&mut self, flat: &FlatTree, captures: &[query::Capture], query: &CompiledQuery) {
        let mut definition = None;
        let mut name = None;
        for capture in captures {
            let Some(Some(role)) = query.roles.get(usize::from(capture.index)) else {
                continue;
            };
            match role {
                Capture::Name => name = Some(capture.node),
                Capture::Comment => self.comment(flat, capture.node),
                role if is_definition(*role) => definition = Some(capture.node),
                _ => {}
            }
            if *role != Capture::Name {
                self.item_mut(flat, capture.node).roles.insert(*role);
            }
        }
        if let (Some(definition), Some(name)) = (definition, name) {
            let text = self.text(flat, name);
            let name = clean_name(text);
            self.item_mut(flat, definition).name = Some(name);
        }
    }

    fn text(&self, flat: &FlatTree, node: u32) -> &str {
        let node = flat.node(node);
        self.bytes
            .get(node.start_byte as usize..node.end_byte as usize)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// Keeps a comment that holds a directive.
    fn comment(&mut self, flat: &FlatTree, node: u32) {
        let comment = self.text(flat, node);
        if comment.contains(DIRECTIVE_MARKER) {
            let line = self.lines.row(flat.node(node).start_byte as usize) + 1;
            let comment = comment.to_owned();
            self.facts.directives.push((line, comment));
        }
    }

    /// The item of `node`, created on first sight.
    fn item_mut(&mut self, flat: &FlatTree, node: u32) -> &mut Item {
        let items = &mut self.facts.items;
        let lines = &self.lines;
        let slot = *self.index.entry(node).or_insert_with(|| {
            items.push(item(flat.node(node), lines));
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

fn item(node: &FlatNode, lines: &LineStarts) -> Item {
    let (start_byte, end_byte) = (node.start_byte as usize, node.end_byte as usize);
    let first_row = lines.row(start_byte);
    let end_row = lines.row(end_byte);
    let last_row = if lines.starts_row(end_byte) && end_row > first_row {
        end_row - 1
    } else {
        end_row
    };
    Item {
        start_byte,
        end_byte,
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
