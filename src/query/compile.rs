//! Resolves the patterns read by [`super::syntax`] against a grammar: node kinds and field
//! names become the grammar's numeric ids, captures become indices, predicates are checked and
//! their regular expressions compiled. What the matcher cannot do is refused here, once, with
//! the row of the pattern, instead of being matched wrongly.

use regex::Regex;
use tree_sitter::Language;

use super::syntax::{self, Argument, Child, Kind, Quantifier, TopPattern};

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
    /// Whether only named nodes can pass the test (an anchor then skips anonymous ones).
    pub(crate) wants_named: bool,
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

/// A pattern the matcher cannot run, or that names what the grammar does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CompileError {
    /// 0-based row in the query text.
    pub(crate) row: usize,
    /// What is wrong.
    pub(crate) message: String,
}

/// Resolves names to ids; collects capture names in first-seen order.
pub(crate) struct Compiler<'l> {
    language: &'l Language,
    /// Capture names, indexed by capture index.
    pub(crate) captures: Vec<String>,
    row: usize,
}

impl<'l> Compiler<'l> {
    pub(crate) fn new(language: &'l Language) -> Compiler<'l> {
        Compiler {
            language,
            captures: Vec::new(),
            row: 0,
        }
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, CompileError> {
        Err(CompileError {
            row: self.row,
            message: message.into(),
        })
    }

    /// Compiles one top-level pattern.
    pub(crate) fn pattern(&mut self, top: &TopPattern) -> Result<CompiledPattern, CompileError> {
        self.row = top.row;
        let root = self.step(&top.pattern, 0, false)?;
        let predicates = top
            .predicates
            .iter()
            .map(|p| self.predicate(p))
            .collect::<Result<_, _>>()?;
        Ok(CompiledPattern { root, predicates })
    }

    fn capture(&mut self, name: &str) -> u16 {
        let index = match self.captures.iter().position(|c| c == name) {
            Some(i) => i,
            None => {
                self.captures.push(name.to_owned());
                self.captures.len() - 1
            }
        };
        u16::try_from(index).unwrap_or(u16::MAX)
    }

    fn known_capture(&self, name: &str) -> Result<u16, CompileError> {
        match self.captures.iter().position(|c| c == name) {
            Some(i) => Ok(u16::try_from(i).unwrap_or(u16::MAX)),
            None => self.error(format!(
                "predicate names `@{name}`, which the pattern does not capture"
            )),
        }
    }

    fn field(&self, name: &str) -> Result<u16, CompileError> {
        match self.language.field_id_for_name(name) {
            Some(id) => Ok(id.get()),
            None => self.error(format!("the grammar has no field `{name}`")),
        }
    }

    fn kind(&self, name: &str, named: bool) -> Result<u16, CompileError> {
        let id = self.language.id_for_node_kind(name, named);
        if id == 0 && name != "end" {
            return self.error(format!("the grammar has no node kind `{name}`"));
        }
        if self.language.node_kind_is_supertype(id) {
            return self.error(format!(
                "`{name}` is a supertype; gatecheck's matcher needs concrete node kinds"
            ));
        }
        Ok(id)
    }

    fn step(
        &mut self,
        pattern: &syntax::Pattern,
        field: u16,
        anchored: bool,
    ) -> Result<Step, CompileError> {
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
            wants_named: false,
        };
        match &pattern.test {
            syntax::Test::Alternation(alternatives) => {
                let steps = self.alternatives(alternatives)?;
                step.wants_named = steps.iter().all(|s| s.wants_named);
                step.test = StepTest::Alternation(steps);
            }
            syntax::Test::Node { kind, children } => {
                step.wants_named = matches!(kind, Kind::Named(_) | Kind::AnyNamed);
                step.test = self.kind_test(kind)?;
                self.children(&mut step, children)?;
            }
        }
        Ok(step)
    }

    fn alternatives(
        &mut self,
        alternatives: &[syntax::Pattern],
    ) -> Result<Vec<Step>, CompileError> {
        alternatives
            .iter()
            .map(|a| {
                if a.quantifier != Quantifier::One {
                    return self.error("a quantifier inside an alternation is not supported");
                }
                self.step(a, 0, false)
            })
            .collect()
    }

    fn kind_test(&self, kind: &Kind) -> Result<StepTest, CompileError> {
        Ok(match kind {
            Kind::Named(name) => StepTest::Kind(self.kind(name, true)?),
            Kind::Anonymous(text) => StepTest::Kind(self.kind(text, false)?),
            Kind::AnyNamed => StepTest::AnyNamed,
            Kind::Any => StepTest::Any,
        })
    }

    fn children(&mut self, step: &mut Step, children: &[Child]) -> Result<(), CompileError> {
        let mut anchor_pending = false;
        for child in children {
            match child {
                Child::Anchor => anchor_pending = true,
                Child::NegatedField(name) => step.absent_fields.push(self.field(name)?),
                Child::Step { field, pattern } => {
                    let field = field.as_deref().map_or(Ok(0), |name| self.field(name))?;
                    let child = self.step(pattern, field, anchor_pending)?;
                    step.children.push(child);
                    anchor_pending = false;
                }
            }
        }
        if anchor_pending && step.children.is_empty() {
            return self.error("an anchor `.` with no child pattern is not supported");
        }
        step.anchor_last = anchor_pending;
        Ok(())
    }

    fn predicate(&self, predicate: &syntax::Predicate) -> Result<Predicate, CompileError> {
        let name = predicate.name.as_str();
        let negated = name.starts_with("#not-");
        let base = name.trim_start_matches('#').trim_start_matches("not-");
        let Some((Argument::Capture(first), rest)) = predicate.arguments.split_first() else {
            return self.error(format!("`{name}` must start with a capture"));
        };
        let capture = self.known_capture(first)?;
        let texts: Option<Vec<String>> = rest
            .iter()
            .map(|a| match a {
                Argument::Text(t) => Some(t.clone()),
                Argument::Capture(_) => None,
            })
            .collect();
        match (base, rest, texts) {
            ("eq?", [Argument::Capture(other)], _) => Ok(Predicate::EqCapture {
                capture,
                other: self.known_capture(other)?,
                negated,
            }),
            ("eq?", [_], Some(mut texts)) => Ok(Predicate::EqText {
                capture,
                text: texts.remove(0),
                negated,
            }),
            ("match?", [_], Some(texts)) => {
                self.regex(name, &texts[0]).map(|regex| Predicate::Match {
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
            _ => self.error(format!(
                "predicate `{name}` with these arguments is not supported (supported: #eq?, \
                 #not-eq?, #match?, #not-match?, #any-of?, #not-any-of?)"
            )),
        }
    }

    fn regex(&self, predicate: &str, pattern: &str) -> Result<Regex, CompileError> {
        Regex::new(pattern)
            .or_else(|e| self.error(format!("bad regular expression in `{predicate}`: {e}")))
    }
}
