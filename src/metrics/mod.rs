//! Stage 4: turns a tree and its [`Facts`] into numbers, in one iterative walk.
//!
//! Knows no language and no node kind: everything it needs comes as [`Roles`] from the
//! queries. Each function, method, lambda and closure is measured on its own: what lies inside
//! a nested function counts for that function, not for its parent. The results are plain data
//! with no reference to the tree, so they can be cached and sent across threads.

mod cognitive;
mod cyclomatic;
pub mod lines;

use serde::Serialize;
use tree_sitter::{Node, Tree};

use crate::extract::Facts;
use crate::lang::LanguageSpec;
use crate::lang::vocabulary::{Capture, Roles};
use cognitive::LogicOp;
use lines::{LineKind, LineMarks};

/// What kind of function a [`FunctionMetrics`] describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionKind {
    /// A named function, top level or nested.
    Function,
    /// A function defined in a class, `impl` or trait body.
    Method,
    /// An anonymous function expression (Python `lambda`).
    Lambda,
    /// A closure expression (Rust).
    Closure,
}

impl FunctionKind {
    fn from_capture(capture: Capture) -> FunctionKind {
        match capture {
            Capture::DefinitionMethod => FunctionKind::Method,
            Capture::DefinitionLambda => FunctionKind::Lambda,
            Capture::DefinitionClosure => FunctionKind::Closure,
            _ => FunctionKind::Function,
        }
    }

    fn anonymous_name(self) -> &'static str {
        match self {
            FunctionKind::Lambda => "<lambda>",
            FunctionKind::Closure => "<closure>",
            FunctionKind::Function | FunctionKind::Method => "<anonymous>",
        }
    }
}

/// The measurements of one function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FunctionMetrics {
    /// Its name (`<lambda>` / `<closure>` for anonymous ones).
    pub name: String,
    /// Module, enclosing classes / impls / functions and name, joined by the language's
    /// separator (`pkg.mod.Class.method`, `crate::m::Type::method`).
    pub qualified_name: String,
    /// What kind of function it is.
    pub kind: FunctionKind,
    /// 1-based line of the `def` / `fn` keyword line (not of a decorator or attribute).
    pub start_line: usize,
    /// 1-based last line.
    pub end_line: usize,
    /// Lines spanned: `end_line - start_line + 1`.
    pub length: usize,
    /// Lines in that span that hold code (not blank, comment or docstring lines).
    pub code_lines: usize,
    /// Cyclomatic complexity.
    pub cyclomatic: u32,
    /// Cognitive complexity.
    pub cognitive: u32,
    /// Declared parameters.
    pub params: u32,
    /// Deepest nesting of control-flow blocks.
    pub max_nesting: u32,
}

/// The measurements of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FileMetrics {
    /// Physical lines.
    pub lines: usize,
    /// Lines with code.
    pub code_lines: usize,
    /// Lines with only comments or docstrings.
    pub comment_lines: usize,
    /// Lines with only white space.
    pub blank_lines: usize,
    /// Syntax errors: ERROR and MISSING nodes in the tree.
    pub syntax_errors: usize,
    /// 1-based line of the first syntax error.
    pub first_syntax_error_line: Option<usize>,
    /// Every function, in source order.
    pub functions: Vec<FunctionMetrics>,
}

/// A function being measured.
struct Open {
    start_byte: usize,
    metrics: FunctionMetrics,
    nesting: u32,
}

/// What entering a node changed, to undo on leaving it.
#[derive(Default)]
struct Frame {
    function: bool,
    scope: bool,
    nesting: bool,
    comment: bool,
    /// The boolean operator this node continues for its children (seen through groups).
    logic: Option<LogicOp>,
}

/// The walk's state.
struct Walker<'a> {
    facts: &'a Facts,
    text: &'a [u8],
    separator: &'a str,
    scopes: Vec<String>,
    open: Vec<Open>,
    done: Vec<(usize, FunctionMetrics)>,
    marks: LineMarks,
    comment_depth: usize,
    syntax_errors: usize,
    first_error_row: Option<usize>,
}

/// Measures one parsed file.
#[must_use]
pub fn measure(tree: &Tree, text: &str, facts: &Facts, language: &LanguageSpec, module: &str) -> FileMetrics {
    let line_count = lines::count(text);
    let mut walker = Walker {
        facts,
        text: text.as_bytes(),
        separator: language.name_separator,
        scopes: if module.is_empty() { Vec::new() } else { vec![module.to_owned()] },
        open: Vec::new(),
        done: Vec::new(),
        marks: LineMarks::new(line_count),
        comment_depth: 0,
        syntax_errors: 0,
        first_error_row: None,
    };
    walker.walk(tree);
    walker.finish(text)
}

impl Walker<'_> {
    /// Pre-order walk with a cursor and an explicit frame stack: no recursion, so any depth of
    /// input nesting is safe.
    fn walk(&mut self, tree: &Tree) {
        let mut cursor = tree.walk();
        let mut frames: Vec<Frame> = Vec::new();
        loop {
            let node = cursor.node();
            let parent_logic = frames.last().and_then(|f| f.logic);
            let frame = self.enter(node, parent_logic);
            frames.push(frame);
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if let Some(frame) = frames.pop() {
                    self.leave(&frame);
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    fn enter(&mut self, node: Node<'_>, parent_logic: Option<LogicOp>) -> Frame {
        self.note_syntax(node);
        let roles = self.facts.roles.get(&node.id()).copied().unwrap_or_default();
        let mut frame = Frame {
            comment: self.note_lines(node, roles),
            ..Frame::default()
        };
        if roles.is_empty() {
            return frame;
        }
        if let Some(definition) = roles.definition() {
            self.open_function(node, definition);
            frame.function = true;
        } else if roles.is_scope() {
            let name = self.facts.names.get(&node.id()).cloned().unwrap_or_default();
            self.scopes.push(name);
            frame.scope = true;
        }
        if roles.has(Capture::LogicGroup) {
            frame.logic = parent_logic;
        }
        if let Some(current) = self.open.last_mut() {
            let m = &mut current.metrics;
            m.cyclomatic += cyclomatic::decisions(roles);
            m.cognitive += cognitive::increment(roles, current.nesting, parent_logic);
            if roles.has(Capture::Parameter) {
                m.params += 1;
            }
            if roles.has(Capture::Nesting) {
                current.nesting += 1;
                m.max_nesting = m.max_nesting.max(current.nesting);
                frame.nesting = true;
            }
        }
        if let Some(op) = cognitive::logic_op(roles) {
            frame.logic = Some(op);
        }
        frame
    }

    fn leave(&mut self, frame: &Frame) {
        if frame.nesting {
            if let Some(current) = self.open.last_mut() {
                current.nesting = current.nesting.saturating_sub(1);
            }
        }
        if frame.scope {
            self.scopes.pop();
        }
        if frame.function {
            self.scopes.pop();
            if let Some(done) = self.open.pop() {
                self.done.push((done.start_byte, done.metrics));
            }
        }
        if frame.comment {
            self.comment_depth = self.comment_depth.saturating_sub(1);
        }
    }

    fn open_function(&mut self, node: Node<'_>, definition: Capture) {
        let kind = FunctionKind::from_capture(definition);
        let name = self
            .facts
            .names
            .get(&node.id())
            .cloned()
            .unwrap_or_else(|| kind.anonymous_name().to_owned());
        let mut path = self.scopes.clone();
        path.push(name.clone());
        let start_line = node.start_position().row + 1;
        let end_line = last_row(node) + 1;
        self.scopes.push(name.clone());
        self.open.push(Open {
            start_byte: node.start_byte(),
            metrics: FunctionMetrics {
                name,
                qualified_name: path.join(self.separator),
                kind,
                start_line,
                end_line,
                length: end_line + 1 - start_line,
                code_lines: 0,
                cyclomatic: 1,
                cognitive: 0,
                params: 0,
                max_nesting: 0,
            },
            nesting: 0,
        });
    }

    fn note_syntax(&mut self, node: Node<'_>) {
        if node.is_error() || node.is_missing() {
            self.syntax_errors += 1;
            let row = node.start_position().row;
            self.first_error_row = Some(self.first_error_row.map_or(row, |r| r.min(row)));
        }
    }

    /// Marks the lines a comment or a code token covers; returns whether `node` is a comment.
    fn note_lines(&mut self, node: Node<'_>, roles: Roles) -> bool {
        let first = node.start_position().row;
        if roles.has(Capture::Comment) || roles.has(Capture::Docstring) {
            self.comment_depth += 1;
            self.marks.comment(first, last_row(node));
            return true;
        } else if self.comment_depth == 0 && node.child_count() == 0 && node.end_byte() > node.start_byte() {
            let token = self.text.get(node.start_byte()..node.end_byte()).unwrap_or_default();
            if !token.iter().all(u8::is_ascii_whitespace) {
                self.marks.code(first, node.end_position().row);
            }
        }
        false
    }

    fn finish(mut self, text: &str) -> FileMetrics {
        // Functions still open (impossible for a well-formed walk) are closed as they are.
        while let Some(open) = self.open.pop() {
            self.done.push((open.start_byte, open.metrics));
        }
        let kinds = self.marks.classify(text);
        let mut code_before = Vec::with_capacity(kinds.len() + 1);
        code_before.push(0usize);
        for kind in &kinds {
            let last = code_before.last().copied().unwrap_or(0);
            code_before.push(last + usize::from(*kind == LineKind::Code));
        }
        let code_in = |first: usize, last: usize| {
            let end = code_before.get(last).copied().unwrap_or_else(|| code_before.last().copied().unwrap_or(0));
            end.saturating_sub(code_before.get(first - 1).copied().unwrap_or(0))
        };
        self.done.sort_by_key(|(start, _)| *start);
        let mut functions: Vec<FunctionMetrics> = self.done.into_iter().map(|(_, f)| f).collect();
        for f in &mut functions {
            f.code_lines = code_in(f.start_line, f.end_line);
        }
        let count = |k: LineKind| kinds.iter().filter(|x| **x == k).count();
        FileMetrics {
            lines: kinds.len(),
            code_lines: count(LineKind::Code),
            comment_lines: count(LineKind::Comment),
            blank_lines: count(LineKind::Blank),
            syntax_errors: self.syntax_errors,
            first_syntax_error_line: self.first_error_row.map(|r| r + 1),
            functions,
        }
    }
}

/// The last row a node covers: a node that ends at column 0 ends on the row before.
fn last_row(node: Node<'_>) -> usize {
    let end = node.end_position();
    if end.column == 0 && end.row > node.start_position().row {
        end.row - 1
    } else {
        end.row
    }
}
