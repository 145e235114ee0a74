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
mod syntax;

use std::cell::Cell;

use tree_sitter::Language;

use compile::{CompiledPattern, Compiler, Predicate, Step, StepTest};
pub use error::{Error, ErrorKind};
pub use flat::{FlatNode, FlatTree, NONE};

/// Steps a file may take per node before its matching stops (hostile inputs only: real code
/// takes under 10).
const STEPS_PER_NODE: u64 = 64;
/// Steps every file may take whatever its size.
const STEPS_BASE: u64 = 100_000;
/// Steps one pattern may take at one node. A pattern whose sibling combinations explode on one
/// construct (a `let` chain of thousands of `&&`) gives up there, and the rest of the file is
/// still matched, as tree-sitter's match limit drops matches and goes on.
const STEPS_PER_ATTEMPT: u64 = 10_000;
/// The most repetitions of one quantified step (each is a stack frame).
const MAX_REPEATS: u32 = 256;

/// A query compiled for the matcher.
#[derive(Debug)]
pub struct Program {
    patterns: Vec<CompiledPattern>,
    /// For each node kind id, the patterns whose root can match it.
    by_kind: Vec<Vec<u32>>,
    /// Patterns whose root matches any named node.
    any_named: Vec<u32>,
    /// Patterns whose root matches any node.
    any: Vec<u32>,
    /// For each node kind id, whether a pattern tests the fields of its children.
    field_parents: Vec<bool>,
}

/// One captured node of a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capture {
    /// The capture's index in [`Program::capture_names`].
    pub index: u16,
    /// The node's index in the [`FlatTree`].
    pub node: u32,
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
        let list = match &root.test {
            StepTest::Kind(kind) => match self.by_kind.get_mut(usize::from(*kind)) {
                Some(list) => list,
                None => return,
            },
            StepTest::AnyNamed => &mut self.any_named,
            StepTest::Any => &mut self.any,
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
        let runner = Runner {
            tree,
            text,
            budget: Cell::new(budget),
            attempt: Cell::new(STEPS_PER_ATTEMPT),
            complete: Cell::new(true),
        };
        let mut captures = Vec::new();
        for (index, node) in nodes.iter().enumerate() {
            let index = u32::try_from(index).unwrap_or(NONE);
            let by_kind = self
                .by_kind
                .get(usize::from(node.kind))
                .map_or(&[][..], Vec::as_slice);
            let any_named = if node.named { &self.any_named[..] } else { &[] };
            for &pattern in by_kind.iter().chain(any_named).chain(&self.any) {
                let pattern = &self.patterns[pattern as usize];
                runner.attempt.set(STEPS_PER_ATTEMPT);
                runner.step(&pattern.root, index, &mut captures, &mut |captures| {
                    if runner.satisfied(&pattern.predicates, captures) {
                        sink(tree, captures);
                    }
                });
            }
            if runner.budget.get() == 0 {
                break;
            }
        }
        Outcome {
            complete: runner.complete.get(),
        }
    }
}

/// What a step calls for each way it matched.
type Continue<'c> = &'c mut dyn FnMut(&mut Vec<Capture>);

struct Runner<'a> {
    tree: &'a FlatTree,
    text: &'a [u8],
    /// Steps left for the file.
    budget: Cell<u64>,
    /// Steps left for the current pattern at the current node.
    attempt: Cell<u64>,
    /// False once a budget or the repetition bound cut a search short.
    complete: Cell<bool>,
}

impl Runner<'_> {
    /// Takes one step from both budgets; false once either is spent.
    fn spend(&self) -> bool {
        if !self.can_go_on() {
            return false;
        }
        self.budget.set(self.budget.get() - 1);
        self.attempt.set(self.attempt.get() - 1);
        true
    }

    /// Whether both budgets have steps left; once one is spent, the run is incomplete.
    fn can_go_on(&self) -> bool {
        let left = self.budget.get() > 0 && self.attempt.get() > 0;
        if !left {
            self.complete.set(false);
        }
        left
    }

    /// Calls `then` once for every way `step` matches the node at `index`.
    fn step(&self, step: &Step, index: u32, captures: &mut Vec<Capture>, then: Continue<'_>) {
        if !self.spend() || !self.passes(step, index) {
            return;
        }
        if let StepTest::Alternation(alternatives) = &step.test {
            for alternative in alternatives {
                self.step(alternative, index, captures, &mut |captures| {
                    let before = captures.len();
                    push_captures(captures, step, index);
                    then(captures);
                    captures.truncate(before);
                });
            }
            return;
        }
        let before = captures.len();
        push_captures(captures, step, index);
        let first_child = self.tree.node(index).first_child;
        self.children(step, 0, first_child, 0, captures, then);
        captures.truncate(before);
    }

    /// Whether the node at `index` passes the kind test and the negated fields of `step`.
    fn passes(&self, step: &Step, index: u32) -> bool {
        let node = self.tree.node(index);
        let kind_passes = match &step.test {
            StepTest::Kind(kind) => node.kind == *kind,
            StepTest::AnyNamed => node.named,
            StepTest::Any | StepTest::Alternation(_) => true,
        };
        kind_passes
            && (step.absent_fields.is_empty()
                || !self
                    .tree
                    .children(index)
                    .any(|c| step.absent_fields.contains(&self.tree.node(c).field)))
    }

    /// Matches `parent`'s child steps from `at` on against the siblings from `from` on.
    /// `repeats` counts the occurrences of step `at` so far (a quantified step repeating).
    fn children(
        &self,
        parent: &Step,
        at: usize,
        from: u32,
        repeats: u32,
        captures: &mut Vec<Capture>,
        then: Continue<'_>,
    ) {
        let Some(step) = parent.children.get(at) else {
            let named_after = || self.tree.from(from).any(|c| self.tree.node(c).named);
            if !(parent.anchor_last && named_after()) {
                then(captures);
            }
            return;
        };
        if repeats > 0 || step.quantifier.optional() {
            self.children(parent, at + 1, from, 0, captures, then);
        }
        if repeats >= MAX_REPEATS {
            self.complete.set(false);
            return;
        }
        let (next, count) = if step.quantifier.repeats() {
            (at, repeats + 1)
        } else {
            (at + 1, 0)
        };
        for child in self.candidates(step, from) {
            let after = self.tree.node(child).next_sibling;
            self.step(step, child, captures, &mut |captures| {
                self.children(parent, next, after, count, captures, then);
            });
        }
    }

    /// The siblings from `from` on that `step` may match: all of them, or for an anchored
    /// step only the first (anonymous nodes skipped when it wants a named one); in its field.
    fn candidates<'s>(&'s self, step: &'s Step, from: u32) -> impl Iterator<Item = u32> + 's {
        let limit = if step.anchored { 1 } else { usize::MAX };
        self.tree
            .from(from)
            .take_while(|_| self.can_go_on())
            .filter(move |&c| !(step.anchored && step.wants_named && !self.tree.node(c).named))
            .take(limit)
            .filter(move |&c| step.field == 0 || self.tree.node(c).field == step.field)
    }

    fn text(&self, index: u32) -> &str {
        let node = self.tree.node(index);
        self.text
            .get(node.start_byte as usize..node.end_byte as usize)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// Whether every predicate holds for every node of the captures it names.
    fn satisfied(&self, predicates: &[Predicate], captures: &[Capture]) -> bool {
        predicates.iter().all(|predicate| {
            let (capture, negated) = match predicate {
                Predicate::EqText {
                    capture, negated, ..
                }
                | Predicate::EqCapture {
                    capture, negated, ..
                }
                | Predicate::Match {
                    capture, negated, ..
                }
                | Predicate::AnyOf {
                    capture, negated, ..
                } => (*capture, *negated),
            };
            captures
                .iter()
                .filter(|c| c.index == capture)
                .all(|c| self.holds(predicate, c.node, captures) != negated)
        })
    }

    fn holds(&self, predicate: &Predicate, node: u32, captures: &[Capture]) -> bool {
        let text = self.text(node);
        match predicate {
            Predicate::EqText { text: expected, .. } => text == expected,
            Predicate::EqCapture { other, .. } => captures
                .iter()
                .filter(|c| c.index == *other)
                .all(|c| self.text(c.node) == text),
            Predicate::Match { regex, .. } => regex.is_match(text),
            Predicate::AnyOf { texts, .. } => texts.iter().any(|t| t == text),
        }
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
            StepTest::AnyNamed | StepTest::Any => field_parents.fill(true),
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

fn push_captures(captures: &mut Vec<Capture>, step: &Step, node: u32) {
    captures.extend(step.captures.iter().map(|&index| Capture { index, node }));
}
