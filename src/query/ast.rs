//! The syntax tree of a query file, as [`super::syntax`] reads it: patterns, their children,
//! captures, quantifiers and predicates, still named as written (kinds and fields are resolved
//! against a grammar by [`super::compile`]).

/// A kind test written in a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `(name)`: a named node of that kind.
    Named(String),
    /// `"text"`: an anonymous node (a token) of that kind.
    Anonymous(String),
    /// `(_)`: any named node.
    AnyNamed,
    /// `_`: any node.
    Any,
}

/// How often a pattern may repeat among its siblings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Quantifier {
    /// Exactly once.
    One,
    /// `?`
    ZeroOrOne,
    /// `*`
    ZeroOrMore,
    /// `+`
    OneOrMore,
}

impl Quantifier {
    /// Whether the pattern may be absent.
    pub(crate) fn optional(self) -> bool {
        matches!(self, Quantifier::ZeroOrOne | Quantifier::ZeroOrMore)
    }

    /// Whether the pattern may match more than one sibling.
    pub(crate) fn repeats(self) -> bool {
        matches!(self, Quantifier::ZeroOrMore | Quantifier::OneOrMore)
    }
}

/// One pattern: a node test with children, or an alternation.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    /// What the node must be.
    pub(crate) test: Test,
    /// Capture names (without `@`).
    pub(crate) captures: Vec<String>,
    /// Repetition among siblings.
    pub(crate) quantifier: Quantifier,
    /// Byte offset of its first character in the text.
    pub(crate) at: usize,
}

/// The test of a [`Pattern`].
#[derive(Clone, Debug)]
pub(crate) enum Test {
    /// A node of a kind, with child patterns in order.
    Node {
        /// The kind.
        kind: Kind,
        /// The children, anchors and negated fields, in written order.
        children: Vec<Child>,
    },
    /// `[a b c]`: any one of the alternatives.
    Alternation(Vec<Pattern>),
}

/// One item inside a node pattern.
#[derive(Clone, Debug)]
pub(crate) enum Child {
    /// A child pattern, possibly under a field name.
    Step {
        /// `field:` before the pattern.
        field: Option<String>,
        /// The pattern.
        pattern: Pattern,
        /// Byte offset of the field name, or of the pattern when it has none.
        at: usize,
    },
    /// `!field`: the node has no child in that field.
    NegatedField {
        /// The field name.
        name: String,
        /// Byte offset of the `!`.
        at: usize,
    },
    /// `.`: the anchor operator, at that byte offset.
    Anchor(usize),
}

/// One argument of a predicate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Argument {
    /// `@name`
    Capture(String),
    /// `"text"` (or a bare word)
    Text(String),
}

/// `(#name? args...)`
#[derive(Clone, Debug)]
pub(crate) struct Predicate {
    /// The name with `#` and `?`, e.g. `#match?`.
    pub(crate) name: String,
    /// The arguments.
    pub(crate) arguments: Vec<Argument>,
    /// Byte offset of its `(`.
    pub(crate) at: usize,
}

/// A top-level pattern with the predicates written anywhere inside it.
#[derive(Clone, Debug)]
pub(crate) struct TopPattern {
    /// The pattern.
    pub(crate) pattern: Pattern,
    /// Its predicates.
    pub(crate) predicates: Vec<Predicate>,
}
