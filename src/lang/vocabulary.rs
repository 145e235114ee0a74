//! The capture vocabulary shared by every language's `queries/<lang>/*.scm`.
//!
//! Queries say *where* a construct is; this enum names *what* it is. Metric code matches on
//! these variants and never on node kinds or language names. A capture name in a query that is
//! not listed here is an error when the language is loaded (helper captures start with `_`).

/// One role a syntax node can play. A node can play several (a Python `if` body is `@nesting`,
/// its statement `@branch.if`), so roles are combined in a [`Roles`] bit set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Capture {
    /// `@definition.function`: a named function (top level or nested).
    DefinitionFunction,
    /// `@definition.method`: a function defined in a class / impl / trait body.
    DefinitionMethod,
    /// `@definition.lambda`: an anonymous function expression (Python `lambda`).
    DefinitionLambda,
    /// `@definition.closure`: a closure expression (Rust `|x| ...`).
    DefinitionClosure,
    /// `@definition.class`: a type body that qualifies the names inside it (class, impl, trait).
    DefinitionClass,
    /// `@definition.module`: an inline module that qualifies the names inside it.
    DefinitionModule,
    /// `@name`: the identifier naming the definition captured in the same match.
    Name,
    /// `@parameter`: one declared parameter of the innermost enclosing function.
    Parameter,
    /// `@reference.call`: the callee of a call by a bare name (`f(x)`), for recursion.
    ReferenceCall,
    /// `@branch.if`: an `if` statement or expression.
    BranchIf,
    /// `@branch.else_if`: an `elif` / `else if` continuing an `if` chain.
    BranchElseIf,
    /// `@branch.else`: the final `else` of an `if` chain.
    BranchElse,
    /// `@branch.loop`: a `for`, `while` or `loop`.
    BranchLoop,
    /// `@branch.loop_else`: the `else` block of a loop (Python), run when no `break` happened.
    BranchLoopElse,
    /// `@branch.switch`: a `match` statement or expression as a whole.
    BranchSwitch,
    /// `@branch.case`: one case / arm of a switch.
    BranchCase,
    /// `@branch.case_default`: a case that matches anything (`case _:`); also a `@branch.case`.
    BranchCaseDefault,
    /// `@branch.guard`: the condition of a match guard (`pat if cond =>`).
    BranchGuard,
    /// `@branch.catch`: an exception handler (`except`).
    BranchCatch,
    /// `@branch.try_else`: the `else` block of a `try` (Python), run when nothing was raised.
    BranchTryElse,
    /// `@branch.ternary`: a conditional expression.
    BranchTernary,
    /// `@branch.try_op`: an early-return operator (Rust `?`).
    BranchTryOp,
    /// `@branch.unparsed`: a control-flow keyword inside unparsed text (a Rust macro's token
    /// tree): a decision whose structure is unknown.
    BranchUnparsed,
    /// `@branch.assert`: an assertion (one path raises).
    BranchAssert,
    /// `@branch.comprehension`: a `for` clause of a comprehension.
    BranchComprehension,
    /// `@branch.comprehension_if`: an `if` clause of a comprehension.
    BranchComprehensionIf,
    /// `@logic.and`: one boolean `and` / `&&` operator.
    LogicAnd,
    /// `@logic.or`: one boolean `or` / `||` operator.
    LogicOr,
    /// `@logic.continued`: a boolean operator whose parent (seen through parentheses) is the
    /// same operator, so it continues a sequence rather than starting one.
    LogicContinued,
    /// `@nesting`: a block whose contents are one nesting level deeper.
    Nesting,
    /// `@jump.label`: a `break` / `continue` to a label.
    JumpLabel,
    /// `@comment`: a comment.
    Comment,
    /// `@docstring`: a documentation string (counted as comment lines).
    Docstring,
    /// `@decorator`: a decorator or attribute (or Rust doc comment) attached to the definition
    /// below it; a suppression comment above it applies to that definition.
    Decorator,
    /// `@import`: a whole import statement (Python `import` / `from ... import`, Rust `use`,
    /// `extern crate`); the import captures inside it belong to it.
    Import,
    /// `@import.module`: an imported module path as written (Python `a.b` of `import a.b`, Rust
    /// the whole use tree of a `use`), split into paths by the language adapter.
    ImportModule,
    /// `@import.from`: the module a `from ... import` statement imports from (`..a.b`).
    ImportFrom,
    /// `@import.name`: one name imported by `from ... import name`.
    ImportName,
    /// `@import.wildcard`: the `*` of `from ... import *`.
    ImportWildcard,
    /// `@import.path`: the first segment of a path in code that names a module of the same crate
    /// (`crate::a::f()`, `super::x`); the path continues in the text after it.
    ImportPath,
    /// `@import.type_checking`: a block that only type checkers run (`if TYPE_CHECKING:`).
    ImportTypeChecking,
    /// `@import.deferred`: a body whose imports run later, when it is called (a Python function).
    ImportDeferred,
    /// `@module.declaration`: a module whose body is in another file (Rust `mod x;`), with `@name`.
    ModuleDeclaration,
    /// `@module.path`: the string of a path attribute (`#[path = "x.rs"]`) for the module
    /// declaration below it.
    ModulePath,
    /// `@cohesion.class`: a type body whose methods are measured for cohesion (Python class,
    /// Rust inherent `impl`).
    CohesionClass,
    /// `@cohesion.method`: a method that counts for cohesion.
    CohesionMethod,
    /// `@cohesion.excluded`: a method left out of cohesion even if `@cohesion.method` matched it
    /// (Python static / class methods, dunder methods other than `__init__`).
    CohesionExcluded,
    /// `@reference.self_field`: the attribute / field name in `self.x` (a call when an
    /// argument list follows it).
    ReferenceSelfField,
    /// `@reference.self_call`: the method name of a call that names no `self` field
    /// (`Self::m()`); a `@reference.self_field` followed by `(` is a call too (`self.m()`).
    ReferenceSelfCall,
}

impl Capture {
    /// Every capture with its name in queries, in declaration order.
    pub const ALL: &[(Capture, &'static str)] = &[
        (Capture::DefinitionFunction, "definition.function"),
        (Capture::DefinitionMethod, "definition.method"),
        (Capture::DefinitionLambda, "definition.lambda"),
        (Capture::DefinitionClosure, "definition.closure"),
        (Capture::DefinitionClass, "definition.class"),
        (Capture::DefinitionModule, "definition.module"),
        (Capture::Name, "name"),
        (Capture::Parameter, "parameter"),
        (Capture::ReferenceCall, "reference.call"),
        (Capture::BranchIf, "branch.if"),
        (Capture::BranchElseIf, "branch.else_if"),
        (Capture::BranchElse, "branch.else"),
        (Capture::BranchLoop, "branch.loop"),
        (Capture::BranchLoopElse, "branch.loop_else"),
        (Capture::BranchSwitch, "branch.switch"),
        (Capture::BranchCase, "branch.case"),
        (Capture::BranchCaseDefault, "branch.case_default"),
        (Capture::BranchGuard, "branch.guard"),
        (Capture::BranchCatch, "branch.catch"),
        (Capture::BranchTryElse, "branch.try_else"),
        (Capture::BranchTernary, "branch.ternary"),
        (Capture::BranchTryOp, "branch.try_op"),
        (Capture::BranchUnparsed, "branch.unparsed"),
        (Capture::BranchAssert, "branch.assert"),
        (Capture::BranchComprehension, "branch.comprehension"),
        (Capture::BranchComprehensionIf, "branch.comprehension_if"),
        (Capture::LogicAnd, "logic.and"),
        (Capture::LogicOr, "logic.or"),
        (Capture::LogicContinued, "logic.continued"),
        (Capture::Nesting, "nesting"),
        (Capture::JumpLabel, "jump.label"),
        (Capture::Comment, "comment"),
        (Capture::Docstring, "docstring"),
        (Capture::Decorator, "decorator"),
        (Capture::Import, "import"),
        (Capture::ImportModule, "import.module"),
        (Capture::ImportFrom, "import.from"),
        (Capture::ImportName, "import.name"),
        (Capture::ImportWildcard, "import.wildcard"),
        (Capture::ImportPath, "import.path"),
        (Capture::ImportTypeChecking, "import.type_checking"),
        (Capture::ImportDeferred, "import.deferred"),
        (Capture::ModuleDeclaration, "module.declaration"),
        (Capture::ModulePath, "module.path"),
        (Capture::CohesionClass, "cohesion.class"),
        (Capture::CohesionMethod, "cohesion.method"),
        (Capture::CohesionExcluded, "cohesion.excluded"),
        (Capture::ReferenceSelfField, "reference.self_field"),
        (Capture::ReferenceSelfCall, "reference.self_call"),
    ];

    /// The capture called `name` in a query, if it is part of the vocabulary.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Capture> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
    }

    /// The name of this capture in queries.
    #[must_use]
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, n)| n)
    }

    fn bit(self) -> u64 {
        const _: () = assert!(Capture::ALL.len() <= 64, "Roles holds 64 captures at most");
        1 << (self as u64)
    }
}

/// The set of roles one node plays, as a bit set of [`Capture`]s (at most 64; a test checks
/// that every capture has its own bit).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Roles(u64);

impl Roles {
    /// Adds a role.
    pub fn insert(&mut self, capture: Capture) {
        self.0 |= capture.bit();
    }

    /// Removes a role.
    pub fn remove(&mut self, capture: Capture) {
        self.0 &= !capture.bit();
    }

    /// Whether the node plays `capture`.
    #[must_use]
    pub fn has(self, capture: Capture) -> bool {
        self.0 & capture.bit() != 0
    }

    /// Whether the node plays no role at all.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The definition kind this node starts, if any. A node matched both as a method and as a
    /// plain function is a method: the more specific pattern wins.
    #[must_use]
    pub fn definition(self) -> Option<Capture> {
        [
            Capture::DefinitionMethod,
            Capture::DefinitionFunction,
            Capture::DefinitionLambda,
            Capture::DefinitionClosure,
        ]
        .into_iter()
        .find(|c| self.has(*c))
    }

    /// Whether this node opens a naming scope that is not a function (class, impl, module).
    #[must_use]
    pub fn is_scope(self) -> bool {
        self.has(Capture::DefinitionClass) || self.has(Capture::DefinitionModule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_capture_round_trips_through_its_name() {
        for &(capture, name) in Capture::ALL {
            assert_eq!(Capture::from_name(name), Some(capture));
            assert_eq!(capture.name(), name);
        }
    }

    #[test]
    fn every_capture_has_its_own_bit() {
        let mut all = Roles::default();
        for &(capture, _) in Capture::ALL {
            assert!(!all.has(capture), "{capture:?} shares a bit");
            all.insert(capture);
        }
    }

    #[test]
    fn method_wins_over_function() {
        let mut roles = Roles::default();
        roles.insert(Capture::DefinitionFunction);
        roles.insert(Capture::DefinitionMethod);
        assert_eq!(roles.definition(), Some(Capture::DefinitionMethod));
    }
}
