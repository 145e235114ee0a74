//! The search: runs one compiled pattern at one node of the flat tree, calling back once for
//! every way it matches (every combination of siblings, as tree-sitter enumerates them), within
//! the step budgets of [`super::Program::run`].

use std::cell::Cell;

use super::flat::{ERROR_KIND, FlatTree};
use super::step::{CompiledPattern, Predicate, Step, StepTest};

/// Steps one pattern may take at one node. A pattern whose sibling combinations explode on one
/// construct (a `let` chain of thousands of `&&`) gives up there, and the rest of the file is
/// still matched, as tree-sitter's match limit drops matches and goes on.
pub(super) const STEPS_PER_ATTEMPT: u64 = 10_000;
/// The most repetitions of one quantified step (each is a stack frame).
pub(super) const MAX_REPEATS: u32 = 256;

/// One captured node of a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capture {
    /// The capture's index among the capture names that [`super::Program::compile`] gives.
    pub index: u16,
    /// The node's index in the [`FlatTree`].
    pub node: u32,
}

/// What a step calls for each way it matched, with the [`Tail`] of the match.
pub(super) type Continue<'c> = &'c mut dyn FnMut(&mut Vec<Capture>, Tail);

/// How a match of a step's pattern ended, as tree-sitter's query cursor sees it.
#[derive(Clone, Copy)]
pub(super) struct Tail {
    /// `seeking_immediate_match`: whether an anchored step that comes next must match the
    /// very next node.
    seek: bool,
    /// The node matched last, in the order of the steps: the deepest last one.
    last: u32,
}

/// The state of one run over a file: the tree, its text and the budgets left.
pub(super) struct Runner<'a> {
    tree: &'a FlatTree,
    text: &'a [u8],
    /// Steps left for the file.
    budget: Cell<u64>,
    /// Steps left for the current pattern at the current node.
    attempt: Cell<u64>,
    /// False once a budget or the repetition bound cut a search short.
    complete: Cell<bool>,
}

impl<'a> Runner<'a> {
    /// A runner over `tree` (of `text`) with `budget` steps for the file.
    pub(super) fn new(tree: &'a FlatTree, text: &'a [u8], budget: u64) -> Runner<'a> {
        Runner {
            tree,
            text,
            budget: Cell::new(budget),
            attempt: Cell::new(STEPS_PER_ATTEMPT),
            complete: Cell::new(true),
        }
    }

    /// Tries `pattern` at the node at `index`, with a fresh budget for the attempt; gives
    /// `sink` the captures of every match whose predicates hold. `captures` is a buffer.
    pub(super) fn attempt(
        &self,
        pattern: &CompiledPattern,
        index: u32,
        captures: &mut Vec<Capture>,
        sink: &mut dyn FnMut(&[Capture]),
    ) {
        self.attempt.set(STEPS_PER_ATTEMPT);
        self.step(&pattern.root, index, false, captures, &mut |captures, _| {
            if self.satisfied(&pattern.predicates, captures) {
                sink(captures);
            }
        });
    }

    /// Whether the file's budget is spent.
    pub(super) fn spent(&self) -> bool {
        self.budget.get() == 0
    }

    /// False once a budget or the repetition bound cut a search short.
    pub(super) fn complete(&self) -> bool {
        self.complete.get()
    }

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

    /// Calls `then` once for every way `step` matches the node at `index`. `follow` says
    /// whether the step that comes after `step`'s pattern (in the order tree-sitter lays its
    /// steps out) is anchored.
    fn step(
        &self,
        step: &Step,
        index: u32,
        follow: bool,
        captures: &mut Vec<Capture>,
        then: Continue<'_>,
    ) {
        if !self.spend() || !self.passes(step, index) {
            return;
        }
        if let StepTest::Alternation(alternatives) = &step.test {
            for (i, alternative) in alternatives.iter().enumerate() {
                // Past an alternative but the last, tree-sitter's next step is a jump.
                let follow = follow && i + 1 == alternatives.len();
                self.step(
                    alternative,
                    index,
                    follow,
                    captures,
                    &mut |captures, tail| {
                        let before = captures.len();
                        push_captures(captures, step, index);
                        then(captures, tail);
                        captures.truncate(before);
                    },
                );
            }
            return;
        }
        let before = captures.len();
        push_captures(captures, step, index);
        let start = Position::start(self.tree.node(index).first_child, index);
        self.children(step, follow, start, captures, then);
        captures.truncate(before);
    }

    /// Whether the node at `index` passes the kind test and the negated fields of `step`.
    fn passes(&self, step: &Step, index: u32) -> bool {
        let node = self.tree.node(index);
        let kind_passes = match &step.test {
            StepTest::Kind(kind) => node.kind == *kind,
            // As in tree-sitter, wildcards do not match `ERROR` nodes.
            StepTest::AnyNamed => node.named && node.kind != ERROR_KIND,
            StepTest::Any | StepTest::Parent => node.kind != ERROR_KIND,
            StepTest::Alternation(_) => true,
        };
        kind_passes
            && (step.absent_fields.is_empty()
                || !self
                    .tree
                    .children(index)
                    .any(|c| step.absent_fields.contains(&self.tree.node(c).field)))
    }

    /// Matches `parent`'s child steps from `at.step` on against the siblings from `at.from`
    /// on; `follow` is the parent's (see [`Runner::step`]).
    fn children(
        &self,
        parent: &Step,
        follow: bool,
        at: Position,
        captures: &mut Vec<Capture>,
        then: Continue<'_>,
    ) {
        let Some(step) = parent.children.get(at.step) else {
            let tail = Tail {
                seek: at.exact,
                last: at.last,
            };
            then(captures, tail);
            return;
        };
        let last = at.step + 1 == parent.children.len() && parent.anchor_last;
        if at.repeats > 0 {
            self.children(parent, follow, at.moved_on(), captures, then);
        } else if step.quantifier.optional() && self.may_skip(last, at) {
            self.children(parent, follow, at.skipped(step), captures, then);
        }
        if at.repeats >= MAX_REPEATS {
            self.complete.set(false);
            return;
        }
        let step_follow = step_follow(parent, at.step, follow);
        // tree-sitter does not split on a `first_only` step: only its first node is tried.
        let limit = if step.first_only { 1 } else { usize::MAX };
        let passing = |&c: &u32| !step.first_only || self.passes(step, c);
        for child in self.candidates(step, at, last).filter(passing).take(limit) {
            let after = self.tree.node(child).next_sibling;
            self.step(step, child, step_follow, captures, &mut |captures, tail| {
                let next = at.matched(step, after, tail, step_follow);
                self.children(parent, follow, next, captures, then);
            });
        }
    }

    /// Whether a `?` or `*` step may match nothing here. tree-sitter allows it for the last
    /// step before a trailing anchor only if the node matched last (in the order of the steps,
    /// so possibly a descendant of the last child matched, or the parent if none was) has no
    /// named sibling after it.
    fn may_skip(&self, last: bool, at: Position) -> bool {
        !last || !self.named_from(self.tree.node(at.last).next_sibling)
    }

    /// Whether a named node is among the siblings from `from` on.
    fn named_from(&self, from: u32) -> bool {
        self.tree.from(from).any(|c| self.tree.node(c).named)
    }

    /// The siblings that `step` may match at `at`, in its field: only the next one for a
    /// repetition or when tree-sitter seeks an immediate match; for an anchored step the
    /// anonymous ones up to and including the first named one; otherwise all. A step before a
    /// trailing anchor (`last`) matches only nodes with no named sibling after them.
    fn candidates<'s>(
        &'s self,
        step: &'s Step,
        at: Position,
        last: bool,
    ) -> impl Iterator<Item = u32> + 's {
        let exact = at.exact || at.repeats > 0;
        // Siblings are in document order: none named follows the last named one.
        let last_named = last
            .then(|| {
                self.tree
                    .from(at.from)
                    .filter(|&c| self.tree.node(c).named)
                    .last()
            })
            .flatten();
        let mut named_seen = false;
        self.tree
            .from(at.from)
            .take_while(|_| self.can_go_on())
            .take(if exact { 1 } else { usize::MAX })
            .take_while(move |&c| {
                let go = !(step.anchored && named_seen);
                named_seen |= self.tree.node(c).named;
                go
            })
            .filter(move |&c| step.field == 0 || self.tree.node(c).field == step.field)
            .filter(move |&c| !last || last_named.is_none_or(|named| c >= named))
    }

    fn text(&self, index: u32) -> &str {
        let node = self.tree.node(index);
        self.text
            .get(node.start_byte as usize..node.end_byte as usize)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// Whether every predicate holds, as tree-sitter tests them: a text predicate on every
    /// node of its capture; `#eq?` between two captures on their nodes pair by pair, with as
    /// many nodes on each side.
    fn satisfied(&self, predicates: &[Predicate], captures: &[Capture]) -> bool {
        predicates
            .iter()
            .all(|predicate| self.holds(predicate, captures))
    }

    fn holds(&self, predicate: &Predicate, captures: &[Capture]) -> bool {
        let texts = |index: u16| {
            captures
                .iter()
                .filter(move |c| c.index == index)
                .map(|c| self.text(c.node))
        };
        match predicate {
            Predicate::EqCapture {
                capture,
                other,
                negated,
            } => pairwise_equal(texts(*capture), texts(*other), *negated),
            Predicate::EqText {
                capture,
                text,
                negated,
            } => texts(*capture).all(|t| (t == text) != *negated),
            Predicate::Match {
                capture,
                regex,
                negated,
            } => texts(*capture).all(|t| regex.is_match(t) != *negated),
            Predicate::AnyOf {
                capture,
                texts: any_of,
                negated,
            } => texts(*capture).all(|t| any_of.iter().any(|x| x == t) != *negated),
        }
    }
}

/// tree-sitter's `#eq? @a @b`: the texts of `left` and `right` equal pair by pair (differ,
/// when `negated`), and as many on each side.
fn pairwise_equal<'t>(
    mut left: impl Iterator<Item = &'t str>,
    mut right: impl Iterator<Item = &'t str>,
    negated: bool,
) -> bool {
    loop {
        match (left.next(), right.next()) {
            (Some(a), Some(b)) if (a == b) == negated => return false,
            (Some(_), Some(_)) => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// Whether the step that tree-sitter lays out after child step `at` of `parent` (and its
/// children) is anchored: the next child step, or `follow` after the last one; never after a
/// repeating step, which is followed by its repetition.
fn step_follow(parent: &Step, at: usize, follow: bool) -> bool {
    let repeats = parent
        .children
        .get(at)
        .is_some_and(|s| s.quantifier.repeats());
    !repeats
        && parent
            .children
            .get(at + 1)
            .map_or(follow, |next| next.anchored)
}

fn push_captures(captures: &mut Vec<Capture>, step: &Step, node: u32) {
    captures.extend(step.captures.iter().map(|&index| Capture { index, node }));
}

/// Where the matching of a node's children stands.
#[derive(Clone, Copy)]
struct Position {
    /// The child step to match next.
    step: usize,
    /// The first sibling it may match.
    from: u32,
    /// How often the step has matched so far (a quantified step repeating).
    repeats: u32,
    /// tree-sitter's `seeking_immediate_match`: the step must match the sibling at `from`
    /// itself, as an anchored step after `_` (or after a pattern ending in `_`), or the step
    /// after a skipped first step with a leading anchor.
    exact: bool,
    /// The node matched last, in the order of the steps (the parent before any child).
    last: u32,
}

impl Position {
    fn start(from: u32, parent: u32) -> Position {
        Position {
            step: 0,
            from,
            repeats: 0,
            exact: false,
            last: parent,
        }
    }

    /// On to the next step after one or more repetitions of this one.
    fn moved_on(self) -> Position {
        Position {
            step: self.step + 1,
            repeats: 0,
            exact: false,
            ..self
        }
    }

    /// On to the next step, `step` having matched nothing. A skipped first step with a
    /// leading anchor passes it on: the next step must match the very first child.
    fn skipped(self, step: &Step) -> Position {
        Position {
            step: self.step + 1,
            exact: self.exact || (step.anchored && self.step == 0),
            ..self
        }
    }

    /// After `step` matched a node whose next sibling is `after`, its match ending in `tail`;
    /// an unnamed wildcard `_` seeks when the step after it (`step_follow`) is anchored.
    fn matched(self, step: &Step, after: u32, tail: Tail, step_follow: bool) -> Position {
        let repeats = step.quantifier.repeats();
        let wildcard = matches!(step.test, StepTest::Any);
        Position {
            step: if repeats { self.step } else { self.step + 1 },
            from: after,
            repeats: if repeats { self.repeats + 1 } else { 0 },
            exact: if wildcard { step_follow } else { tail.seek },
            last: tail.last,
        }
    }
}
