//! Stage 4: turns a file's [`Facts`] into numbers, in one pass over the captured nodes.
//!
//! Knows no language, no node kind and no tree: everything it needs comes as [`Roles`] on byte
//! ranges. Captured nodes arrive in document order, outer before inner, so one stack of open
//! ranges tells, for every node, its innermost function, its nesting level and its enclosing
//! scopes. Each function, method, lambda and closure is measured on its own: what lies inside
//! a nested function counts for that function, not for its parent, unless
//! [`NestedFunctions::Fold`] asks for the scores of complexipy and radon ([`fold`]). The
//! results are plain data, so they can be cached and sent across threads.

mod cognitive;
mod cyclomatic;
mod fold;
mod kind;
pub mod lines;

pub use fold::NestedFunctions;
pub use kind::FunctionKind;

use serde::Serialize;

use crate::extract::{Facts, Item};
use crate::lang::vocabulary::{Capture, Roles};
use lines::LineKind;

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
    /// 1-based first line of the decorators / attributes / doc comments right above it
    /// (`start_line` when it has none); a suppression comment above this line applies to it.
    #[serde(skip)]
    pub header_line: usize,
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

/// Qualified names longer than this many segments keep their first and last halves around a
/// `...`: real code nests a handful of scopes, and a name's length must not grow with hostile
/// nesting depth.
const MAX_NAME_SEGMENTS: usize = 16;

/// A range still open during the pass, and what to undo when it closes.
enum Open {
    /// A class / impl / module: contributes its name to qualified names.
    Scope { end: usize, name: String },
    /// A function being measured (index into `Pass::functions`).
    Function { end: usize, index: usize },
    /// A nesting block of the function at `index` (if inside one).
    Nesting { end: usize, index: Option<usize> },
    /// A switch, and whether one of its cases already matched anything.
    Switch { end: usize, has_default: bool },
}

impl Open {
    fn end(&self) -> usize {
        match self {
            Open::Scope { end, .. }
            | Open::Function { end, .. }
            | Open::Nesting { end, .. }
            | Open::Switch { end, .. } => *end,
        }
    }
}

/// A function being measured, with its current nesting level.
struct Measuring {
    metrics: FunctionMetrics,
    nesting: u32,
    /// Whether the recursion increment was already given.
    recursive: bool,
    /// Cognitive increments that grow with nesting, its own and those folded into it.
    structural: u32,
    /// How much deeper its contents are for its parent, in fold mode.
    fold_offset: u32,
}

/// Measures one file from its facts, each function on its own. `module` is its qualified
/// module name; `separator` joins name segments.
#[must_use]
pub fn measure(facts: &Facts, text: &str, separator: &str, module: &str) -> FileMetrics {
    measure_with(facts, text, separator, module, NestedFunctions::Separate)
}

/// Measures one file from its facts; `nested` says how nested functions count.
#[must_use]
pub fn measure_with(
    facts: &Facts,
    text: &str,
    separator: &str,
    module: &str,
    nested: NestedFunctions,
) -> FileMetrics {
    let mut sweep = Sweep {
        module,
        separator,
        nested,
        functions: Vec::new(),
        stack: Vec::new(),
        current: Vec::new(),
        decorators: Vec::new(),
    };
    for item in &facts.items {
        sweep.visit(item, text);
    }
    sweep.close_until(usize::MAX);
    let comments: Vec<(usize, usize)> = facts
        .items
        .iter()
        .filter(|i| i.roles.has(Capture::Comment) || i.roles.has(Capture::Docstring))
        .map(|i| (i.start_byte, i.end_byte))
        .collect();
    let kinds = lines::classify(text, &merge(comments));
    let mut functions: Vec<FunctionMetrics> =
        sweep.functions.into_iter().map(|f| f.metrics).collect();
    fill_lines(&mut functions, &kinds, &sweep.decorators);
    let count_kind = |k: LineKind| kinds.iter().filter(|x| **x == k).count();
    FileMetrics {
        lines: kinds.len(),
        code_lines: count_kind(LineKind::Code),
        comment_lines: count_kind(LineKind::Comment),
        blank_lines: count_kind(LineKind::Blank),
        syntax_errors: facts.syntax_errors,
        first_syntax_error_line: facts.first_syntax_error_row.map(|r| r + 1),
        functions,
    }
}

/// The state of the pass over a file's items.
struct Sweep<'a> {
    module: &'a str,
    separator: &'a str,
    nested: NestedFunctions,
    functions: Vec<Measuring>,
    /// Ranges still open, outermost first.
    stack: Vec<Open>,
    /// Indices of open functions, innermost last.
    current: Vec<usize>,
    /// 1-based first and last lines of decorators.
    decorators: Vec<(usize, usize)>,
}

impl Sweep<'_> {
    fn visit(&mut self, item: &Item, text: &str) {
        self.close_until(item.start_byte);
        if item.roles.has(Capture::Decorator) {
            self.decorators
                .push((item.first_row + 1, item.last_row + 1));
        }
        self.open_definition(item);
        let roles = self.one_default_per_switch(item.roles);
        let index = self.current.last().copied();
        if let Some(f) = index.and_then(|i| self.functions.get_mut(i)) {
            count(f, roles);
            if roles.has(Capture::ReferenceCall) {
                note_recursion(
                    f,
                    text.get(item.start_byte..item.end_byte).unwrap_or_default(),
                );
            }
        }
        let end = item.end_byte;
        if roles.has(Capture::BranchSwitch) {
            self.stack.push(Open::Switch {
                end,
                has_default: false,
            });
        }
        if item.roles.has(Capture::Nesting) {
            self.stack.push(Open::Nesting { end, index });
        }
    }

    /// Opens the function or naming scope that `item` starts, if any.
    fn open_definition(&mut self, item: &Item) {
        let end = item.end_byte;
        if let Some(definition) = item.roles.definition() {
            let qualified = qualified_name(
                &self.stack,
                &self.functions,
                self.module,
                self.separator,
                item,
                definition,
            );
            let mut function = open_function(item, definition, qualified);
            let parent = self.current.last().and_then(|i| self.functions.get(*i));
            if let Some(parent) = parent {
                function.fold_offset = fold::offset(function.metrics.kind, parent.nesting);
            }
            self.functions.push(function);
            let index = self.functions.len() - 1;
            self.current.push(index);
            self.stack.push(Open::Function { end, index });
        } else if item.roles.is_scope() {
            let name = item.name.clone().unwrap_or_default();
            self.stack.push(Open::Scope { end, name });
        }
    }

    /// A switch has one default path: a second case that matches anything is an ordinary
    /// case (radon subtracts at most one per `match`).
    fn one_default_per_switch(&mut self, mut roles: Roles) -> Roles {
        if !roles.has(Capture::BranchCaseDefault) {
            return roles;
        }
        let switch = self.stack.iter_mut().rev().find_map(|open| match open {
            Open::Switch { has_default, .. } => Some(has_default),
            _ => None,
        });
        match switch {
            Some(has_default) if *has_default => roles.remove(Capture::BranchCaseDefault),
            Some(has_default) => *has_default = true,
            None => {}
        }
        roles
    }

    /// Closes every open range that ends at or before `at`.
    fn close_until(&mut self, at: usize) {
        while self.stack.last().is_some_and(|open| open.end() <= at) {
            match self.stack.pop() {
                Some(Open::Function { index, .. }) => {
                    self.current.pop();
                    if self.nested == NestedFunctions::Fold {
                        self.fold(index);
                    }
                }
                Some(Open::Nesting { index: Some(i), .. }) => {
                    if let Some(f) = self.functions.get_mut(i) {
                        f.nesting = f.nesting.saturating_sub(1);
                    }
                }
                _ => {}
            }
        }
    }
}

impl Sweep<'_> {
    /// Folds the function at `index`, just closed, into the function around it.
    fn fold(&mut self, index: usize) {
        let Some(&parent) = self.current.last() else {
            return;
        };
        // A parent opens before its children, so it sits before them.
        let (before, from) = self.functions.split_at_mut(index);
        if let (Some(outer), Some(child)) = (before.get_mut(parent), from.first()) {
            child.fold_into(outer);
        }
    }
}

impl Measuring {
    /// Fold mode: adds this closed function to its `parent`. Each of its nesting-dependent
    /// increments is deeper by its offset there; its recursion increment stays its own; a
    /// lambda's or closure's decision points count for the parent, a named function's do not.
    fn fold_into(&self, parent: &mut Measuring) {
        let own = self.metrics.cognitive - u32::from(self.recursive);
        let deeper = self.structural.saturating_mul(self.fold_offset);
        let p = &mut parent.metrics;
        p.cognitive = p.cognitive.saturating_add(own.saturating_add(deeper));
        parent.structural = parent.structural.saturating_add(self.structural);
        if self.metrics.kind.is_anonymous() {
            p.cyclomatic = p.cyclomatic.saturating_add(self.metrics.cyclomatic - 1);
        }
    }
}

/// A call of the function by its own bare name is recursion: +1 cognitive, once.
fn note_recursion(f: &mut Measuring, callee: &str) {
    if !f.recursive && callee == f.metrics.name {
        f.recursive = true;
        f.metrics.cognitive += 1;
    }
}

/// Adds what one captured node contributes to the innermost open function.
fn count(f: &mut Measuring, roles: Roles) {
    let m = &mut f.metrics;
    m.cyclomatic += cyclomatic::decisions(roles);
    m.cognitive += cognitive::increment(roles, f.nesting);
    if cognitive::nests(roles) {
        f.structural = f.structural.saturating_add(1);
    }
    if roles.has(Capture::Parameter) {
        m.params += 1;
    }
    if roles.has(Capture::Nesting) {
        f.nesting += 1;
        m.max_nesting = m.max_nesting.max(f.nesting);
    }
}

fn open_function(item: &Item, definition: Capture, qualified_name: String) -> Measuring {
    let kind = FunctionKind::from_capture(definition);
    let start_line = item.first_row + 1;
    let end_line = item.last_row + 1;
    Measuring {
        metrics: FunctionMetrics {
            name: item
                .name
                .clone()
                .unwrap_or_else(|| kind.anonymous_name().to_owned()),
            qualified_name,
            kind,
            start_line,
            end_line,
            length: end_line + 1 - start_line,
            code_lines: 0,
            cyclomatic: 1,
            cognitive: 0,
            params: 0,
            max_nesting: 0,
            header_line: start_line,
        },
        nesting: 0,
        recursive: false,
        structural: 0,
        fold_offset: 0,
    }
}

/// Module, then every enclosing scope and function, then the name.
fn qualified_name(
    stack: &[Open],
    functions: &[Measuring],
    module: &str,
    separator: &str,
    item: &Item,
    definition: Capture,
) -> String {
    let mut parts: Vec<&str> = Vec::with_capacity(stack.len() + 2);
    if !module.is_empty() {
        parts.push(module);
    }
    for open in stack {
        match open {
            Open::Scope { name, .. } => parts.push(name),
            Open::Function { index, .. } => {
                if let Some(f) = functions.get(*index) {
                    parts.push(&f.metrics.name);
                }
            }
            Open::Nesting { .. } | Open::Switch { .. } => {}
        }
    }
    let anonymous = FunctionKind::from_capture(definition).anonymous_name();
    parts.push(item.name.as_deref().unwrap_or(anonymous));
    // Hostile input can nest thousands of functions; names stay short (and memory linear).
    if parts.len() > MAX_NAME_SEGMENTS {
        let tail = parts.split_off(parts.len() - MAX_NAME_SEGMENTS / 2);
        parts.truncate(MAX_NAME_SEGMENTS / 2);
        parts.push("...");
        parts.extend(tail);
    }
    parts.join(separator)
}

/// Sorted, non-overlapping ranges (a docstring may also be captured inside another comment).
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Fills each function's code lines (from the file's line kinds) and its header line (from
/// the decorators right above it).
fn fill_lines(
    functions: &mut [FunctionMetrics],
    kinds: &[LineKind],
    decorators: &[(usize, usize)],
) {
    let mut code_before = Vec::with_capacity(kinds.len() + 1);
    code_before.push(0usize);
    for kind in kinds {
        let last = code_before.last().copied().unwrap_or(0);
        code_before.push(last + usize::from(*kind == LineKind::Code));
    }
    let total = code_before.last().copied().unwrap_or(0);
    for f in functions {
        let end = code_before.get(f.end_line).copied().unwrap_or(total);
        let before = code_before.get(f.start_line - 1).copied().unwrap_or(total);
        f.code_lines = end.saturating_sub(before);
        while let Some(&(first, _)) = decorators
            .iter()
            .find(|(first, last)| *last + 1 == f.header_line && *first < f.header_line)
        {
            f.header_line = first;
        }
    }
}
