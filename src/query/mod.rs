//! gatecheck's own matcher for tree-sitter query patterns.
//!
//! # What it is
//!
//! The language knowledge stays in `queries/<lang>/*.scm`; this module runs those files over
//! a tree faster than tree-sitter's `QueryCursor` does for them. A `QueryCursor` keeps every
//! pattern's progress alive while it walks the whole tree, which for gatecheck's patterns
//! costs about half the parse time on Rust code (docs/performance.md). Here the tree is first
//! copied into a flat array in one `TreeCursor` walk ([`FlatTree`]); then each pattern is tried
//! only at the nodes whose kind can start it, with array reads, by a backtracking search that
//! enumerates every combination of siblings, as tree-sitter does.
//!
//! | file | job |
//! | --- | --- |
//! | `syntax.rs`, `ast.rs` | `.scm` text to a syntax tree of patterns |
//! | `compile.rs`, `step.rs` | names to the grammar's ids, captures to indices, into the steps the search runs; the refusals |
//! | `flat.rs` | the tree copied into a flat array |
//! | `runner.rs` | the search, the predicates and the budgets |
//! | `error.rs` | the one error type, [`Error`] |
//!
//! The public surface: [`Program::compile`] (query text to a [`Program`] and its capture
//! names, or an [`Error`] with its [`ErrorKind`], row, column and message) and [`Program::run`]
//! (each match's [`Capture`]s, indexing a [`FlatTree`] of [`FlatNode`]s, and an [`Outcome`]).
//!
//! # The supported subset
//!
//! A match reports the same captures as tree-sitter's `QueryCursor`, including where
//! tree-sitter's semantics are surprising (third column).
//!
//! | construct | written | as tree-sitter, also |
//! | --- | --- | --- |
//! | a node of a kind | `(call)` | `(ERROR)` finds error nodes |
//! | a token | `"if"` | |
//! | wildcards | `(_)` any named node, `_` any node | neither matches an `ERROR` node |
//! | wildcard root | `(_ (identifier) ...)` | the root is not tested: started at its first child, it takes the parent (not `ERROR`, but an anonymous node) |
//! | children in order | `(a (b) (c))` | other siblings may come between; a leaf child step that captures nothing is tried at its first node only (tree-sitter does not split on it) |
//! | fields | `name: (identifier)` | |
//! | negated fields | `(a !body)` | |
//! | alternations | `[(a) "b" (c)]` | |
//! | anchors | `(a . (b))`, `(a (b) . (c))`, `(a (b) .)` | an anchored step may match the anonymous siblings before the first named one; after `_` (or a pattern ending in `_`), only the next sibling |
//! | quantifiers | `(b)?`, `(b)*`, `(b)+` | repetitions are adjacent siblings; before a trailing anchor each one must be the last named child; a first step with a leading anchor that matched nothing passes the anchor on, exactly: the next step must match the very first child; skipping the last step before a trailing anchor needs the last matched node (or, if none, the parent) to have no named sibling after it |
//! | captures | `@name`, several per node | |
//! | predicates | `#eq?`, `#match?`, `#any-of?` and their `#not-` forms | they hold for every node of their capture; `#eq? @a @b` compares the nodes pair by pair, as many on each side |
//!
//! # What it refuses, and why
//!
//! A construct outside the subset is refused when the query is compiled, never approximated:
//! [`ErrorKind::Unsupported`], at its row and column, with a message that says what to write
//! instead (`src/query/tests.rs` has one case per refusal).
//!
//! | refused | why |
//! | --- | --- |
//! | a top-level sequence `((a) (b))`, a group inside a node `(p ((a) (b))*)` | patterns with several roots need tree-sitter's in-progress states across siblings; none of gatecheck's queries needs them |
//! | a quantifier on a top-level pattern `(a)*` | tree-sitter reads it as such a sequence |
//! | a supertype `(expression)`, a subtype test `(expression/identifier)` | the matcher tests concrete kind ids; write the kinds |
//! | `(MISSING ...)` | syntax errors are counted from the tree, not by queries |
//! | a quantifier inside an alternation `[(a)* (b)]` | quantify the alternation: `[(a) (b)]*` |
//! | a predicate other than the six above (`#is?`, `#set!`, `#any-eq?`...) | not implemented |
//! | a predicate on a capture inside a quantified pattern or an alternative | tree-sitter drops a match in progress whose captures are a subset of another's at the same step before it tests predicates, so which nodes a predicate sees depends on its pruning |
//! | an anchor right before a predicate `(a (b) . (#eq? ...))` | tree-sitter ignores such an anchor |
//! | an anchor after a `?` or `*` pattern that has no anchor before it: `(p (a)* . (b))` | tree-sitter drops the match in progress that skipped `(a)` (for which the anchor is void) as soon as one that matched `(a)` reaches `(b)` with more captures; `(p . (a)* . (b))` is supported |
//! | an anchor next to a `?` or `*` alternation: `(p . [(a) (b)]? (c))` | tree-sitter's skip of a quantified alternation does not carry anchors as it does for a node |
//! | an anchor after a child that captures nothing and has no anchor before it: `(p (a) . (b))` | tree-sitter tries only the first `(a)` when its grammar analysis finds `(b)` certain, and all of them otherwise; a capture on `(a)` (`@_a`) makes it try all |
//! | a wildcard root whose first child is quantified or an alternation, or with a negated field: `(_ (b)* ...)`, `(_ [(b) (c)])`, `(_ !f (b))` | tree-sitter starts such a pattern at each possible first child and ignores the root's negated fields |
//!
//! Syntax errors ([`ErrorKind::Syntax`]), kinds, fields and captures that do not exist
//! ([`ErrorKind::Unknown`]) and malformed predicates ([`ErrorKind::Predicate`]) are errors
//! too, which tree-sitter reports as well. The caller adds the file: `src/lang/queries.rs`
//! reports `queries/<lang>/<file>:<row>: message`.
//!
//! # Budgets
//!
//! The search counts its steps. A file may take `STEPS_BASE` (100,000) steps plus
//! `STEPS_PER_NODE` (64) per node (real code takes under 10 per node); one pattern at one node
//! may take `STEPS_PER_ATTEMPT` (10,000), so that one construct whose sibling combinations
//! explode (a `let` chain of thousands of `&&`) gives up alone and the rest of the file is
//! still matched; one quantified step repeats at most `MAX_REPEATS` (256) times, which bounds
//! the recursion. When any of them runs out the matches found so far are kept and
//! [`Outcome::complete`] is false, as tree-sitter's match limit drops matches and goes on;
//! `src/analyze.rs` turns that into a per-file warning, never a silent undercount.
//!
//! # How it is tested
//!
//! - Unit tests: every refusal and every kind of error with its message and position
//!   (`src/query/tests.rs`), the reader (`syntax.rs`), the flat tree (`flat.rs`).
//! - Differential: `tests/it/matcher.rs` compares the captures of both engines with
//!   gatecheck's own queries on every source and fixture of the repository, on edge cases,
//!   and (ignored, `GATECHECK_MATCHER_CORPUS`) on a corpus of real code.
//! - Property: `tests/it/matcher_fuzz` generates Python and Rust sources (a template grammar,
//!   and edited fixtures) and queries from the supported subset, and compares the two engines
//!   the same way; disagreements are shrunk and printed with their seed. `cargo test` runs 150
//!   cases; `.ci/run` runs it for 60 s in release (`GATECHECK_MATCHER_FUZZ_SECONDS`), from a
//!   fixed seed and from a random one it prints (`GATECHECK_MATCHER_FUZZ_SEED` replays it).
//!   Its `FOUND` table keeps every disagreement it found as a regression case.
//!
//! # Adding support for a construct
//!
//! 1. Read it in `syntax.rs` into `ast.rs`, and resolve it in `compile.rs` into the `Step`s
//!    the search runs; drop its refusal and the refusal's case in `src/query/tests.rs`.
//! 2. Match it in `runner.rs`, as tree-sitter's `QueryCursor` does (`query.c` in the
//!    tree-sitter crate is the reference: read `ts_query_cursor__advance`).
//! 3. Teach the fuzz's generator (`tests/it/matcher_fuzz/patterns.rs`) to write it, and run
//!    the bounded fuzz in release for some minutes. A disagreement that cannot be resolved
//!    becomes a refusal, with its reason in the table above.
//! 4. Update the tables above and `queries/README.md`.

mod ast;
mod compile;
mod error;
mod flat;
mod runner;
mod step;
mod syntax;
#[cfg(test)]
mod tests;

use tree_sitter::Language;

use compile::Compiler;
pub use error::{Error, ErrorKind};
use flat::ERROR_KIND;
pub use flat::{FlatNode, FlatTree, NONE};
pub use runner::Capture;
use runner::Runner;
use step::{CompiledPattern, Step, StepTest};

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
