//! The sweep that collects a file's [`super::GraphFacts`] from its captured items: one pass,
//! a stack of open ranges (functions, classes, inline modules, type-checking blocks).

use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    ClassFacts, FileImport, GraphFacts, ImportForm, ImportKind, MethodFacts, ModuleDeclaration,
};
use crate::extract::{Facts, Item};
use crate::lang::vocabulary::Capture;
use crate::lang::{ImportPath, ImportText, LanguageSpec};

/// Qualified class names longer than this many segments keep their ends around a `...` (as
/// function names do), so hostile nesting cannot make names grow without bound.
const MAX_NAME_SEGMENTS: usize = 16;

/// Collects the facts of one file. `module` is its qualified module name (as for function
/// names).
#[must_use]
pub fn collect(facts: &Facts, text: &str, spec: &LanguageSpec, module: &str) -> GraphFacts {
    let mut sweep = Sweep {
        text,
        spec,
        module,
        stack: Vec::new(),
        out: GraphFacts::default(),
        pending_path: None,
        seen_code_paths: FxHashSet::default(),
        type_checking: 0,
        deferred: 0,
        inline_modules: Vec::new(),
    };
    for item in &facts.items {
        sweep.visit(item);
    }
    let mut out = sweep.out;
    out.classes = finish_classes(out.classes);
    out
}

/// A range still open during the sweep.
struct Open {
    end: usize,
    what: Opened,
}

enum Opened {
    /// An import statement and, for `from ... import`, its module.
    Statement {
        from: Option<ImportPath>,
        line: usize,
    },
    TypeChecking,
    Deferred,
    /// A naming scope (class, impl, function); `inline_module` for a Rust inline `mod`.
    Scope {
        name: String,
        inline_module: bool,
    },
    /// A class measured for cohesion (index into the classes).
    Class(usize),
    /// A method measured for cohesion (class and method index), `None` when excluded.
    Method(Option<(usize, usize)>),
}

struct Sweep<'a> {
    text: &'a str,
    spec: &'a LanguageSpec,
    module: &'a str,
    stack: Vec<Open>,
    out: GraphFacts,
    /// A `#[path]` string waiting for its `mod` declaration: its end byte and value.
    pending_path: Option<(usize, String)>,
    seen_code_paths: FxHashSet<(Vec<String>, Vec<String>)>,
    /// Open type-checking blocks and function bodies, and the names of the open inline
    /// modules, kept as ranges open and close so that no import walks the whole stack.
    type_checking: usize,
    deferred: usize,
    inline_modules: Vec<String>,
}

impl Sweep<'_> {
    fn visit(&mut self, item: &Item) {
        while self.stack.last().is_some_and(|o| o.end <= item.start_byte) {
            if let Some(open) = self.stack.pop() {
                self.count(&open.what, false);
            }
        }
        let roles = item.roles;
        if roles.has(Capture::CohesionClass) {
            self.open_class(item);
        }
        if roles.has(Capture::CohesionMethod) {
            self.open_method(item, roles.has(Capture::CohesionExcluded));
        }
        if roles.is_scope() || roles.definition().is_some() {
            let name = item
                .name
                .clone()
                .unwrap_or_else(|| "<anonymous>".to_owned());
            let inline_module = roles.has(Capture::DefinitionModule);
            if inline_module {
                self.inline_declaration(item, &name);
            }
            self.push(
                item,
                Opened::Scope {
                    name,
                    inline_module,
                },
            );
        }
        for (capture, opened) in [
            (Capture::ImportTypeChecking, Opened::TypeChecking),
            (Capture::ImportDeferred, Opened::Deferred),
        ] {
            if roles.has(capture) {
                self.push(item, opened);
            }
        }
        self.references(item);
        self.imports(item);
    }

    fn push(&mut self, item: &Item, what: Opened) {
        self.count(&what, true);
        self.stack.push(Open {
            end: item.end_byte,
            what,
        });
    }

    fn node_text(&self, item: &Item) -> &str {
        self.text
            .get(item.start_byte..item.end_byte)
            .unwrap_or_default()
    }

    /// Import statements, their parts, code paths and module declarations.
    fn imports(&mut self, item: &Item) {
        let roles = item.roles;
        if roles.has(Capture::Import) {
            let line = item.first_row + 1;
            self.push(item, Opened::Statement { from: None, line });
        }
        if roles.has(Capture::ModulePath) {
            let value = unquote(self.node_text(item));
            self.pending_path = Some((item.end_byte, value));
        }
        if roles.has(Capture::ModuleDeclaration) {
            self.declaration(item);
        }
        let in_statement = self.statement().is_some();
        if roles.has(Capture::ImportPath) && !in_statement {
            self.code_path(item);
        }
        if in_statement {
            self.statement_part(item);
        }
    }

    /// A part of the open import statement: its `from` module, a module, a name or `*`.
    fn statement_part(&mut self, item: &Item) {
        let roles = item.roles;
        if roles.has(Capture::ImportFrom) {
            let from = self.paths(item).into_iter().next();
            if let Some((from_slot, _)) = self.statement() {
                *from_slot = from;
            }
        } else if roles.has(Capture::ImportModule) {
            for path in self.paths(item) {
                self.add_import(path, ImportForm::Module, None);
            }
        } else if roles.has(Capture::ImportName) {
            let name = self.paths(item).into_iter().next().unwrap_or_default();
            self.add_from(ImportForm::FromName(name.segments.join(".")));
        } else if roles.has(Capture::ImportWildcard) {
            self.add_from(ImportForm::FromAll);
        }
    }

    /// The innermost open import statement: its `from` module and its line.
    fn statement(&mut self) -> Option<(&mut Option<ImportPath>, usize)> {
        self.stack.iter_mut().rev().find_map(|o| match &mut o.what {
            Opened::Statement { from, line } => Some((from, *line)),
            _ => None,
        })
    }

    fn paths(&self, item: &Item) -> Vec<ImportPath> {
        (self.spec.import_paths)(self.node_text(item), ImportText::Statement)
    }

    fn add_from(&mut self, form: ImportForm) {
        let from = self.statement().and_then(|(from, _)| from.clone());
        if let Some(path) = from {
            self.add_import(path, form, None);
        }
    }

    /// Adds an import; `line` defaults to the open statement's.
    fn add_import(&mut self, path: ImportPath, form: ImportForm, line: Option<usize>) {
        let Some(line) = line.or_else(|| self.statement().map(|(_, line)| line)) else {
            return;
        };
        let kind = self.kind();
        let scope = self.inline_scope();
        self.out.imports.push(FileImport {
            path,
            form,
            line,
            kind,
            scope,
        });
    }

    fn code_path(&mut self, item: &Item) {
        let rest = self.text.get(item.start_byte..).unwrap_or_default();
        let Some(path) = (self.spec.import_paths)(rest, ImportText::CodePath)
            .into_iter()
            .next()
        else {
            return;
        };
        let scope = self.inline_scope();
        if self.seen_code_paths.insert((path.segments.clone(), scope)) {
            self.add_import(path, ImportForm::CodePath, Some(item.first_row + 1));
        }
    }

    fn declaration(&mut self, item: &Item) {
        let pending = self.pending_path.take();
        let path_attribute = pending.and_then(|(end, value)| {
            let between = self.text.get(end..item.start_byte).unwrap_or_default();
            // Only attributes and comments may stand between the attribute and its `mod`.
            (!between.contains([';', '{', '}'])).then_some(value)
        });
        self.out.module_declarations.push(ModuleDeclaration {
            name: item.name.clone().unwrap_or_default(),
            path_attribute,
            scope: self.inline_scope(),
            line: item.first_row + 1,
            inline: false,
        });
    }

    fn inline_declaration(&mut self, item: &Item, name: &str) {
        self.pending_path = None;
        self.out.module_declarations.push(ModuleDeclaration {
            name: name.to_owned(),
            path_attribute: None,
            scope: self.inline_scope(),
            line: item.first_row + 1,
            inline: true,
        });
    }

    /// Keeps the counts of open blocks as `what` opens or closes.
    fn count(&mut self, what: &Opened, opening: bool) {
        let counter = match what {
            Opened::TypeChecking => &mut self.type_checking,
            Opened::Deferred => &mut self.deferred,
            Opened::Scope {
                name,
                inline_module: true,
            } => {
                if opening {
                    self.inline_modules.push(name.clone());
                } else {
                    self.inline_modules.pop();
                }
                return;
            }
            _ => return,
        };
        *counter = if opening {
            *counter + 1
        } else {
            counter.saturating_sub(1)
        };
    }

    /// Type-only beats deferred: a `TYPE_CHECKING` block never runs.
    fn kind(&self) -> ImportKind {
        if self.type_checking > 0 {
            ImportKind::TypeOnly
        } else if self.deferred > 0 {
            ImportKind::Deferred
        } else {
            ImportKind::Runtime
        }
    }

    /// The open inline modules, outermost first; at most [`MAX_NAME_SEGMENTS`] of them are
    /// kept, so hostile nesting costs no more per import than real code.
    fn inline_scope(&self) -> Vec<String> {
        let kept = self.inline_modules.len().min(MAX_NAME_SEGMENTS);
        self.inline_modules.get(..kept).unwrap_or_default().to_vec()
    }

    fn open_class(&mut self, item: &Item) {
        let mut parts: Vec<&str> = Vec::with_capacity(self.stack.len() + 2);
        if !self.module.is_empty() {
            parts.push(self.module);
        }
        for open in &self.stack {
            if let Opened::Scope { name, .. } = &open.what {
                parts.push(name);
            }
        }
        parts.push(item.name.as_deref().unwrap_or("<anonymous>"));
        let qualified_name = shorten(parts).join(self.spec.name_separator);
        self.out.classes.push(ClassFacts {
            qualified_name,
            start_line: item.first_row + 1,
            methods: Vec::new(),
        });
        let index = self.out.classes.len() - 1;
        self.push(item, Opened::Class(index));
    }

    fn open_method(&mut self, item: &Item, excluded: bool) {
        // A method belongs to the class whose own scope is the innermost open range: a
        // function with `self` in a trait impl or nested in a method belongs to none.
        let class = match self.stack.as_slice() {
            [
                ..,
                Open {
                    what: Opened::Class(index),
                    ..
                },
                Open {
                    what: Opened::Scope { .. },
                    ..
                },
            ] => Some(*index),
            _ => None,
        };
        let slot = match class.and_then(|c| self.out.classes.get_mut(c).map(|k| (c, k))) {
            Some((c, class)) if !excluded => {
                class.methods.push(MethodFacts {
                    name: item.name.clone().unwrap_or_default(),
                    line: item.first_row + 1,
                    attributes: Vec::new(),
                    self_calls: Vec::new(),
                });
                Some((c, class.methods.len() - 1))
            }
            _ => None,
        };
        self.push(item, Opened::Method(slot));
    }

    /// `self.x` and `self.m()`, for the innermost open method. A field reference followed by
    /// an argument list is a call.
    fn references(&mut self, item: &Item) {
        let field = item.roles.has(Capture::ReferenceSelfField);
        if !field && !item.roles.has(Capture::ReferenceSelfCall) {
            return;
        }
        let after = self.text.get(item.end_byte..).unwrap_or_default();
        let call = !field || after.trim_start_matches([' ', '\t']).starts_with('(');
        let method = self.stack.iter().rev().find_map(|o| match o.what {
            Opened::Method(slot) => Some(slot),
            _ => None,
        });
        let Some(Some((c, m))) = method else {
            return;
        };
        let name = self.node_text(item).trim().to_owned();
        let method = self
            .out
            .classes
            .get_mut(c)
            .and_then(|class| class.methods.get_mut(m));
        if let Some(method) = method {
            let list = if call {
                &mut method.self_calls
            } else {
                &mut method.attributes
            };
            list.push(name);
        }
    }
}

/// Merges classes of the same name (a Rust type's several `impl` blocks), sorts and dedups
/// each method's names, and counts a `self.m` that names a method of the class (a bound
/// method passed on, a property) as a call of it.
fn finish_classes(classes: Vec<ClassFacts>) -> Vec<ClassFacts> {
    let mut merged: Vec<ClassFacts> = Vec::with_capacity(classes.len());
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    for class in classes {
        match index
            .get(&class.qualified_name)
            .and_then(|i| merged.get_mut(*i))
        {
            Some(first) => first.methods.extend(class.methods),
            None => {
                index.insert(class.qualified_name.clone(), merged.len());
                merged.push(class);
            }
        }
    }
    for class in &mut merged {
        let names: FxHashSet<String> = class.methods.iter().map(|m| m.name.clone()).collect();
        for method in &mut class.methods {
            let (calls, fields): (Vec<String>, Vec<String>) =
                method.attributes.drain(..).partition(|a| names.contains(a));
            method.attributes = fields;
            method.self_calls.extend(calls);
            method.attributes.sort_unstable();
            method.attributes.dedup();
            method.self_calls.sort_unstable();
            method.self_calls.dedup();
        }
    }
    merged
}

/// Keeps the first and last halves of a very long name.
fn shorten(mut parts: Vec<&str>) -> Vec<&str> {
    if parts.len() > MAX_NAME_SEGMENTS {
        let tail = parts.split_off(parts.len() - MAX_NAME_SEGMENTS / 2);
        parts.truncate(MAX_NAME_SEGMENTS / 2);
        parts.push("...");
        parts.extend(tail);
    }
    parts
}

/// The value of a string literal: `"x.rs"` and `r#"x.rs"#` give `x.rs`.
fn unquote(literal: &str) -> String {
    literal
        .trim_start_matches('r')
        .trim_matches('#')
        .trim_matches('"')
        .to_owned()
}
