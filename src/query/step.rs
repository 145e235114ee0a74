//! The compiled form of a pattern that the search runs ([`super::runner`]): steps with
//! grammar ids, capture indices and compiled predicates, as [`super::compile`] makes them.

use regex::Regex;

use super::syntax::Quantifier;

/// A pattern step resolved against a grammar.
#[derive(Debug)]
pub(crate) struct Step {
    /// What the node must be.
    pub(crate) test: StepTest,
    /// The field the node must be in (0: any).
    pub(crate) field: u16,
    /// Fields the node must have no child in.
    pub(crate) absent_fields: Vec<u16>,
    /// Capture indices given to the node.
    pub(crate) captures: Vec<u16>,
    /// Child steps, in order.
    pub(crate) children: Vec<Step>,
    /// Whether the last child step must match the last named child (a trailing `.`).
    pub(crate) anchor_last: bool,
    /// Whether this step must match the named sibling right after the previous step's node
    /// (or the first named child): a `.` before it.
    pub(crate) anchored: bool,
    /// Repetition among siblings.
    pub(crate) quantifier: Quantifier,
    /// Whether only the first sibling that passes the step is tried: tree-sitter does not
    /// split its match in progress on a leaf step that captures nothing and is not followed by
    /// an anchored step.
    pub(crate) first_only: bool,
}

/// The node test of a [`Step`].
#[derive(Debug)]
pub(crate) enum StepTest {
    /// A node of this kind id.
    Kind(u16),
    /// Any named node.
    AnyNamed,
    /// Any node.
    Any,
    /// The root of `(_ (kind) ...)`, which tree-sitter does not test: it starts such a pattern
    /// at the first child and takes its parent, named or not, unless it is an `ERROR` node.
    Parent,
    /// One of these steps (each with its own captures and children).
    Alternation(Vec<Step>),
}

/// A text predicate over captured nodes.
#[derive(Debug)]
pub(crate) enum Predicate {
    /// `#eq?` / `#not-eq?` with a text.
    EqText {
        capture: u16,
        text: String,
        negated: bool,
    },
    /// `#eq?` / `#not-eq?` between two captures.
    EqCapture {
        capture: u16,
        other: u16,
        negated: bool,
    },
    /// `#match?` / `#not-match?`
    Match {
        capture: u16,
        regex: Regex,
        negated: bool,
    },
    /// `#any-of?` / `#not-any-of?`
    AnyOf {
        capture: u16,
        texts: Vec<String>,
        negated: bool,
    },
}

/// One compiled top-level pattern.
#[derive(Debug)]
pub(crate) struct CompiledPattern {
    /// The root step.
    pub(crate) root: Step,
    /// Predicates every match must satisfy.
    pub(crate) predicates: Vec<Predicate>,
}

/// Whether `step`, its children or its alternatives capture a node.
pub(crate) fn captures_any(step: &Step) -> bool {
    !step.captures.is_empty()
        || step.children.iter().any(captures_any)
        || matches!(&step.test, StepTest::Alternation(a) if a.iter().any(captures_any))
}

/// Marks the child steps that tree-sitter does not split on ([`Step::first_only`]): leaves
/// that capture nothing and have no anchored step after them (a repeating one then starts at
/// its first node only).
pub(crate) fn mark_first_only(children: &mut [Step]) {
    let anchored_next: Vec<bool> = children.iter().skip(1).map(|c| c.anchored).collect();
    for (i, child) in children.iter_mut().enumerate() {
        child.first_only = child.children.is_empty()
            && !captures_any(child)
            && !matches!(child.test, StepTest::Alternation(_))
            && !anchored_next.get(i).copied().unwrap_or(false);
    }
}
