//! Resolves the patterns read by [`super::syntax`] against a grammar: node kinds and field
//! names become the grammar's numeric ids, captures become indices, predicates are checked and
//! their regular expressions compiled. What the matcher cannot do is refused here, once, with
//! the row of the pattern, instead of being matched wrongly.

use regex::Regex;
use tree_sitter::Language;

use super::error::{Error, ErrorKind};
use super::step::{CompiledPattern, Predicate, Step, StepTest, captures_any, mark_first_only};
use super::syntax::{self, Argument, Child, Kind, Quantifier, TopPattern};

/// Resolves names to ids; collects capture names in first-seen order.
pub(crate) struct Compiler<'l> {
    language: &'l Language,
    /// The query text, for the position of an error.
    text: &'l [u8],
    /// Capture names, indexed by capture index.
    pub(crate) captures: Vec<String>,
    /// The captures of the current pattern given inside a quantified pattern or an
    /// alternative: how many nodes they hold varies from match to match.
    varying: Vec<u16>,
    /// Whether the step being compiled is inside a quantified pattern or an alternative.
    in_varying: bool,
}

impl<'l> Compiler<'l> {
    pub(crate) fn new(language: &'l Language, text: &'l str) -> Compiler<'l> {
        Compiler {
            language,
            text: text.as_bytes(),
            captures: Vec::new(),
            varying: Vec::new(),
            in_varying: false,
        }
    }

    /// An error of `kind` at byte `at` of the text.
    fn error<T>(&self, at: usize, kind: ErrorKind, message: impl Into<String>) -> Result<T, Error> {
        Err(Error::at(self.text, at, kind, message))
    }

    /// Compiles one top-level pattern.
    pub(crate) fn pattern(&mut self, top: &TopPattern) -> Result<CompiledPattern, Error> {
        self.varying.clear();
        self.in_varying = false;
        let mut root = self.step(&top.pattern, 0, false)?;
        if root.quantifier != Quantifier::One {
            return self.error(
                top.pattern.at,
                ErrorKind::Unsupported,
                "a quantifier on a top-level pattern `(a)*` is not supported by gatecheck's \
                 matcher: tree-sitter reads it as a sequence of siblings; quantify a child of \
                 the parent instead: `(parent (a)*)`",
            );
        }
        self.wildcard_root(&mut root, top.pattern.at)?;
        let predicates = top
            .predicates
            .iter()
            .map(|p| self.predicate(p))
            .collect::<Result<_, _>>()?;
        Ok(CompiledPattern { root, predicates })
    }

    /// tree-sitter starts a pattern `(_ (kind) ...)` (a wildcard root whose first child step
    /// tests a kind, with no anchor before it) at that child, and takes the parent untested:
    /// any node but `ERROR` passes, and the root's negated fields are ignored. The matcher
    /// does the same ([`StepTest::Parent`]) where the first child step matches exactly once,
    /// and refuses the rest.
    fn wildcard_root(&self, root: &mut Step, at: usize) -> Result<(), Error> {
        let Some(first) = root.children.first() else {
            return Ok(());
        };
        let tested = matches!(first.test, StepTest::AnyNamed | StepTest::Any);
        if !matches!(root.test, StepTest::AnyNamed) || first.anchored || tested {
            return Ok(());
        }
        let quantified = first.quantifier != Quantifier::One;
        let alternation = matches!(first.test, StepTest::Alternation(_));
        if quantified || alternation || !root.absent_fields.is_empty() {
            return self.error(
                at,
                ErrorKind::Unsupported,
                "a wildcard root `(_ ...)` whose first child pattern is quantified or an \
                 alternation, or with a negated field, is not supported by gatecheck's matcher: \
                 tree-sitter starts such a pattern at the child and does not test the root; \
                 name the root's kind, or start with an anchored or wildcard child",
            );
        }
        root.test = StepTest::Parent;
        Ok(())
    }

    fn capture(&mut self, name: &str) -> u16 {
        let index = match self.captures.iter().position(|c| c == name) {
            Some(i) => i,
            None => {
                self.captures.push(name.to_owned());
                self.captures.len() - 1
            }
        };
        let index = u16::try_from(index).unwrap_or(u16::MAX);
        if self.in_varying && !self.varying.contains(&index) {
            self.varying.push(index);
        }
        index
    }

    fn known_capture(&self, name: &str, at: usize) -> Result<u16, Error> {
        match self.captures.iter().position(|c| c == name) {
            Some(i) => Ok(u16::try_from(i).unwrap_or(u16::MAX)),
            None => self.error(
                at,
                ErrorKind::Unknown,
                format!("predicate names `@{name}`, which the pattern does not capture"),
            ),
        }
    }

    /// A capture that a predicate may test: one the pattern gives to a fixed number of nodes.
    fn fixed_capture(&self, name: &str, at: usize) -> Result<u16, Error> {
        let index = self.known_capture(name, at)?;
        if self.varying.contains(&index) {
            return self.error(
                at,
                ErrorKind::Unsupported,
                format!(
                    "a predicate on `@{name}`, captured inside a quantified pattern or an \
                     alternative, is not supported by gatecheck's matcher: tree-sitter keeps only \
                     the longest of overlapping matches before it tests predicates; capture a \
                     node outside the quantifier or the alternation"
                ),
            );
        }
        Ok(index)
    }

    fn field(&self, name: &str, at: usize) -> Result<u16, Error> {
        match self.language.field_id_for_name(name) {
            Some(id) => Ok(id.get()),
            None => self.error(
                at,
                ErrorKind::Unknown,
                format!("the grammar has no field `{name}`"),
            ),
        }
    }

    fn kind(&self, name: &str, named: bool, at: usize) -> Result<u16, Error> {
        let id = self.language.id_for_node_kind(name, named);
        if id == 0 && name != "end" {
            let what = if named { "node kind" } else { "token" };
            let shown = if named {
                name.to_owned()
            } else {
                format!("{name:?}")
            };
            return self.error(
                at,
                ErrorKind::Unknown,
                format!("the grammar has no {what} `{shown}`"),
            );
        }
        if self.language.node_kind_is_supertype(id) {
            return self.error(
                at,
                ErrorKind::Unsupported,
                format!("`{name}` is a supertype; gatecheck's matcher needs concrete node kinds"),
            );
        }
        Ok(id)
    }

    fn step(
        &mut self,
        pattern: &syntax::Pattern,
        field: u16,
        anchored: bool,
    ) -> Result<Step, Error> {
        let outer = self.in_varying;
        self.in_varying |= pattern.quantifier != Quantifier::One;
        let captures = pattern.captures.iter().map(|c| self.capture(c)).collect();
        let mut step = Step {
            test: StepTest::Any,
            field,
            absent_fields: Vec::new(),
            captures,
            children: Vec::new(),
            anchor_last: false,
            anchored,
            quantifier: pattern.quantifier,
            first_only: false,
        };
        match &pattern.test {
            syntax::Test::Alternation(alternatives) => {
                let steps = self.alternatives(alternatives)?;
                step.test = StepTest::Alternation(steps);
            }
            syntax::Test::Node { kind, children } => {
                step.test = self.kind_test(kind, pattern.at)?;
                self.children(&mut step, children)?;
            }
        }
        self.in_varying = outer;
        Ok(step)
    }

    fn alternatives(&mut self, alternatives: &[syntax::Pattern]) -> Result<Vec<Step>, Error> {
        let outer = std::mem::replace(&mut self.in_varying, true);
        let steps = alternatives
            .iter()
            .map(|a| {
                if a.quantifier != Quantifier::One {
                    return self.error(
                        a.at,
                        ErrorKind::Unsupported,
                        "a quantifier inside an alternation `[(a)* (b)]` is not supported by \
                         gatecheck's matcher; quantify the whole alternation: `[(a) (b)]*`",
                    );
                }
                self.step(a, 0, false)
            })
            .collect();
        self.in_varying = outer;
        steps
    }

    fn kind_test(&self, kind: &Kind, at: usize) -> Result<StepTest, Error> {
        Ok(match kind {
            Kind::Named(name) => StepTest::Kind(self.kind(name, true, at)?),
            Kind::Anonymous(text) => StepTest::Kind(self.kind(text, false, at)?),
            Kind::AnyNamed => StepTest::AnyNamed,
            Kind::Any => StepTest::Any,
        })
    }

    fn children(&mut self, step: &mut Step, children: &[Child]) -> Result<(), Error> {
        let mut anchor = None;
        for child in children {
            match child {
                Child::Anchor(at) => anchor = Some(*at),
                Child::NegatedField { name, at } => {
                    step.absent_fields.push(self.field(name, *at)?);
                }
                Child::Step { field, pattern, at } => {
                    self.child(step, field.as_deref(), pattern, (*at, anchor))?;
                    anchor = None;
                }
            }
        }
        if let Some(at) = anchor {
            self.trailing_anchor(step, at)?;
        }
        mark_first_only(&mut step.children);
        Ok(())
    }

    /// Compiles a child step of `step` at byte `at.0`, in `field`, after the anchor at `at.1`.
    fn child(
        &mut self,
        step: &mut Step,
        field: Option<&str>,
        pattern: &syntax::Pattern,
        at: (usize, Option<usize>),
    ) -> Result<(), Error> {
        let (at, anchor) = at;
        if let Some(anchor) = anchor {
            self.anchor_beside(step.children.last(), Some(pattern), anchor)?;
        }
        let field = field.map_or(Ok(0), |name| self.field(name, at))?;
        let child = self.step(pattern, field, anchor.is_some())?;
        step.children.push(child);
        Ok(())
    }

    /// A trailing anchor at byte `at`: the last child step must match the last named child.
    fn trailing_anchor(&self, step: &mut Step, at: usize) -> Result<(), Error> {
        if step.children.is_empty() {
            return self.error(
                at,
                ErrorKind::Syntax,
                "an anchor `.` needs a child pattern: `(a . (b))` or `(a (b) .)`",
            );
        }
        self.anchor_beside(step.children.last(), None, at)?;
        step.anchor_last = true;
        Ok(())
    }

    /// Refuses the anchor at byte `at` between the child step `before` it and the pattern
    /// `after` it (`None` for a trailing anchor) where tree-sitter's matches do not follow the
    /// anchor alone: it drops a match in progress that skipped a `?` or `*` step once another
    /// matched that step and reached the same place with more captures.
    fn anchor_beside(
        &self,
        before: Option<&Step>,
        after: Option<&syntax::Pattern>,
        at: usize,
    ) -> Result<(), Error> {
        let optional_before = before.filter(|s| s.quantifier.optional());
        let alternation = optional_before
            .is_some_and(|s| matches!(s.test, StepTest::Alternation(_)))
            || after.is_some_and(|p| {
                p.quantifier.optional() && matches!(p.test, syntax::Test::Alternation(_))
            });
        if alternation {
            return self.error(
                at,
                ErrorKind::Unsupported,
                "an anchor `.` next to a `?` or `*` alternation is not supported by gatecheck's \
                 matcher: tree-sitter's skipping of a quantified alternation does not keep \
                 anchors as it does for a node; quantify the alternatives' parent, or use `+`",
            );
        }
        if optional_before.is_some_and(|s| !s.anchored) && after.is_some() {
            return self.error(
                at,
                ErrorKind::Unsupported,
                "an anchor `.` after a `?` or `*` pattern with no anchor before it \
                 (`(a)* . (b)`) is not supported by gatecheck's matcher: tree-sitter drops the \
                 matches that skip `(a)` once one matches it; anchor it (`. (a)* . (b)`) or use \
                 `+`",
            );
        }
        if before.is_some_and(|s| !s.anchored && !captures_any(s)) && after.is_some() {
            return self.error(
                at,
                ErrorKind::Unsupported,
                "an anchor `.` after a child pattern that captures nothing and has no anchor \
                 before it (`(p (a) . (b))`) is not supported by gatecheck's matcher: tree-sitter \
                 tries only the first `(a)` when its grammar analysis finds `(b)` always there; \
                 capture `(a)` (a helper capture `@_a` will do)",
            );
        }
        Ok(())
    }

    fn predicate(&self, predicate: &syntax::Predicate) -> Result<Predicate, Error> {
        let (name, at) = (predicate.name.as_str(), predicate.at);
        let negated = name.starts_with("#not-");
        let base = name.trim_start_matches('#').trim_start_matches("not-");
        let shape = self.predicate_shape(name, base, at)?;
        let Some((Argument::Capture(first), rest)) = predicate.arguments.split_first() else {
            return self.error(at, ErrorKind::Predicate, format!("`{name}` takes {shape}"));
        };
        let capture = self.fixed_capture(first, at)?;
        match (base, rest, texts_of(rest)) {
            ("eq?", [Argument::Capture(other)], _) => Ok(Predicate::EqCapture {
                capture,
                other: self.fixed_capture(other, at)?,
                negated,
            }),
            ("eq?", [_], Some(mut texts)) => Ok(Predicate::EqText {
                capture,
                text: texts.remove(0),
                negated,
            }),
            ("match?", [_], Some(texts)) => {
                self.regex(name, &texts[0], at)
                    .map(|regex| Predicate::Match {
                        capture,
                        regex,
                        negated,
                    })
            }
            ("any-of?", _, Some(texts)) => Ok(Predicate::AnyOf {
                capture,
                texts,
                negated,
            }),
            _ => self.error(at, ErrorKind::Predicate, format!("`{name}` takes {shape}")),
        }
    }

    /// The arguments that predicate `name` (`base` without `#` and `not-`) takes; an error
    /// for a predicate the matcher does not run.
    fn predicate_shape(&self, name: &str, base: &str, at: usize) -> Result<&'static str, Error> {
        match base {
            "eq?" => Ok("a capture, then one text or one capture"),
            "match?" => Ok("a capture, then one regular expression"),
            "any-of?" => Ok("a capture, then texts"),
            _ => self.error(
                at,
                ErrorKind::Unsupported,
                format!(
                    "predicate `{name}` is not supported by gatecheck's matcher (supported: \
                     #eq?, #not-eq?, #match?, #not-match?, #any-of?, #not-any-of?)"
                ),
            ),
        }
    }

    fn regex(&self, predicate: &str, pattern: &str, at: usize) -> Result<Regex, Error> {
        Regex::new(pattern).or_else(|e| {
            self.error(
                at,
                ErrorKind::Predicate,
                format!("bad regular expression in `{predicate}`: {e}"),
            )
        })
    }
}

/// The texts of predicate arguments; `None` if one is a capture.
fn texts_of(arguments: &[Argument]) -> Option<Vec<String>> {
    arguments
        .iter()
        .map(|a| match a {
            Argument::Text(t) => Some(t.clone()),
            Argument::Capture(_) => None,
        })
        .collect()
}
