//! gatecheck's own matcher for tree-sitter query patterns.
//!
//! The language knowledge stays in `queries/<lang>/*.scm`; this module runs those files over
//! a tree faster than tree-sitter's `QueryCursor` does for them. A `QueryCursor` keeps every
//! pattern's progress alive while it walks the whole tree, which for gatecheck's patterns
//! costs about half the parse time on Rust code (docs/performance.md). Here the tree is first
//! copied into a flat array in one `TreeCursor` walk ([`FlatTree`]); then each pattern is tried
//! only at the nodes whose kind can start it, with array reads.
//!
//! Supported: node kinds, `(_)`, `_`, anonymous `"tokens"`, fields, negated fields `!f`,
//! alternations `[...]`, anchors `.`, quantifiers `? * +`, several captures per node, and the
//! predicates `#eq?`, `#match?`, `#any-of?` with their `#not-` forms. Anything else is refused
//! when the query is compiled, naming the row. A match reports the same captures as
//! tree-sitter's (`tests/it/matcher.rs` checks it on every fixture; docs/metrics.md gives the
//! agreement on the corpus).
//!
//! Matches are enumerated as tree-sitter does (every combination of siblings). Budgets of
//! steps, per pattern at a node and per file, bound hostile input; when one runs out the run
//! says so ([`Outcome::complete`] is false), as tree-sitter's match limit does.

mod ast;
mod compile;
mod error;
mod flat;
mod runner;
mod syntax;

use tree_sitter::Language;

use compile::{CompiledPattern, Compiler, Step, StepTest};
pub use error::{Error, ErrorKind};
use flat::ERROR_KIND;
pub use flat::{FlatNode, FlatTree, NONE};
pub use runner::Capture;
use runner::Runner;

/// Steps a file may take per node before its matching stops (hostile inputs only: real code
/// takes under 10).
const STEPS_PER_NODE: u64 = 64;
/// Steps every file may take whatever its size.
const STEPS_BASE: u64 = 100_000;

/// A query compiled for the matcher.
#[derive(Debug)]
pub struct Program {
    patterns: Vec<CompiledPattern>,
    /// For each node kind id, the patterns whose root can match it; the last slot is for
    /// `ERROR` ([`kind_slot`]).
    by_kind: Vec<Vec<u32>>,
    /// Patterns whose root matches any named node.
    any_named: Vec<u32>,
    /// Patterns whose root matches any node.
    any: Vec<u32>,
    /// For each node kind id, whether a pattern tests the fields of its children.
    field_parents: Vec<bool>,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// False when the step budget ran out and later matches were not looked for.
    pub complete: bool,
}

impl Program {
    /// Compiles query `text` against `language`; also gives the capture names, by the
    /// capture index a [`Capture`] carries.
    ///
    /// # Errors
    /// [`Error`] at the place of a syntax error, of a kind, field or capture the grammar or
    /// the pattern lacks, of a malformed predicate, or of a construct the matcher refuses.
    pub fn compile(language: &Language, text: &str) -> Result<(Program, Vec<String>), Error> {
        let tops = syntax::parse(text)?;
        let mut compiler = Compiler::new(language, text);
        let patterns = tops
            .iter()
            .map(|top| compiler.pattern(top))
            .collect::<Result<Vec<_>, _>>()?;
        let kinds = language.node_kind_count() + 1;
        let mut program = Program {
            patterns: Vec::new(),
            by_kind: vec![Vec::new(); kinds],
            any_named: Vec::new(),
            any: Vec::new(),
            field_parents: vec![false; kinds],
        };
        for (index, pattern) in patterns.iter().enumerate() {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            program.index_root(&pattern.root, index);
            mark_field_parents(&pattern.root, &mut program.field_parents);
        }
        program.patterns = patterns;
        Ok((program, compiler.captures))
    }

    /// Files pattern `index` under the kinds its root can match.
    fn index_root(&mut self, root: &Step, index: u32) {
        let kinds = self.by_kind.len();
        let list = match &root.test {
            StepTest::Kind(kind) => match self.by_kind.get_mut(kind_slot(*kind, kinds)) {
                Some(list) => list,
                None => return,
            },
            StepTest::AnyNamed => &mut self.any_named,
            StepTest::Any | StepTest::Parent => &mut self.any,
            StepTest::Alternation(alternatives) => {
                for alternative in alternatives {
                    self.index_root(alternative, index);
                }
                return;
            }
        };
        if list.last() != Some(&index) {
            list.push(index);
        }
    }

    /// Runs every pattern over `tree` (a parse of `text`) and gives each match's captures to
    /// `sink`, in document order of the match roots, with the flat copy of the tree their node
    /// indices point into. `flat` is a buffer reused from call to call.
    pub fn run(
        &self,
        tree: &tree_sitter::Tree,
        flat: &mut FlatTree,
        text: &[u8],
        sink: &mut dyn FnMut(&FlatTree, &[Capture]),
    ) -> Outcome {
        flat.build(tree, &self.field_parents);
        let tree = &*flat;
        let nodes = tree.nodes();
        let budget = STEPS_BASE.saturating_add(STEPS_PER_NODE.saturating_mul(nodes.len() as u64));
        let runner = Runner::new(tree, text, budget);
        let mut captures = Vec::new();
        for (index, node) in nodes.iter().enumerate() {
            let index = u32::try_from(index).unwrap_or(NONE);
            for &pattern in self.candidates(node) {
                let pattern = &self.patterns[pattern as usize];
                runner.attempt(pattern, index, &mut captures, &mut |c| sink(tree, c));
            }
            if runner.spent() {
                break;
            }
        }
        Outcome {
            complete: runner.complete(),
        }
    }

    /// The patterns whose root may match `node`.
    fn candidates(&self, node: &FlatNode) -> impl Iterator<Item = &u32> {
        let by_kind = self
            .by_kind
            .get(kind_slot(node.kind, self.by_kind.len()))
            .map_or(&[][..], Vec::as_slice);
        let any_named = if node.named { &self.any_named[..] } else { &[] };
        by_kind.iter().chain(any_named).chain(&self.any)
    }
}

/// The index in a table of `len` kinds of a node kind: its id, or the last slot for `ERROR`
/// (whose id, `u16::MAX`, lies past the grammar's kinds).
fn kind_slot(kind: u16, len: usize) -> usize {
    if kind == ERROR_KIND {
        len.saturating_sub(1)
    } else {
        usize::from(kind)
    }
}

/// Marks the kinds of the steps whose children are tested by field (or by a missing field).
fn mark_field_parents(step: &Step, field_parents: &mut [bool]) {
    let tests_fields = !step.absent_fields.is_empty() || step.children.iter().any(|c| c.field != 0);
    if tests_fields {
        match &step.test {
            StepTest::Kind(kind) => {
                if let Some(flag) = field_parents.get_mut(usize::from(*kind)) {
                    *flag = true;
                }
            }
            StepTest::AnyNamed | StepTest::Any | StepTest::Parent => {
                field_parents.fill(true);
            }
            StepTest::Alternation(_) => {}
        }
    }
    for child in &step.children {
        mark_field_parents(child, field_parents);
    }
    if let StepTest::Alternation(alternatives) = &step.test {
        for alternative in alternatives {
            mark_field_parents(alternative, field_parents);
        }
    }
}
