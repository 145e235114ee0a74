//! Stage 4, beside the metrics: the per-file architecture facts (imports, module declarations,
//! and what each method of a class touches), taken from the same captured ranges the metrics
//! use. Plain data, computed in the per-file task and cacheable; [`crate::graph::resolve`]
//! turns the facts of every file into the module graph, and [`crate::graph::cohesion`]
//! computes LCOM4 from the class facts.
//!
//! Knows no language: the queries say where imports, type-checking blocks, function bodies and
//! `self` references are; the language adapter splits an import's text into paths.

pub mod sweep;

use serde::Serialize;

use crate::lang::ImportPath;

/// How an import runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Executed when the module is loaded (or a Rust `use`/path, always a real dependency).
    Runtime,
    /// Only seen by type checkers (Python `if TYPE_CHECKING:`); left out of cycles by default.
    TypeOnly,
    /// Executed later, inside a function body (Python lazy import).
    Deferred,
}

/// What an import names, beyond its path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportForm {
    /// The path is a module (`import a.b`, a Rust `use` path, `extern crate x`).
    Module,
    /// `from <path> import <name>`: `name` is a module below the path, or something in it.
    FromName(String),
    /// `from <path> import *`.
    FromAll,
    /// A path in code (`crate::a::f()`); only the first use of each path is kept.
    CodePath,
}

/// One import as written in a file, before resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileImport {
    /// The module path (relative level and segments as written).
    pub path: ImportPath,
    /// What it names.
    pub form: ImportForm,
    /// 1-based line of the import statement (or of the path in code).
    pub line: usize,
    /// How it runs.
    pub kind: ImportKind,
    /// Names of the inline modules (Rust `mod m { ... }`) it is written in, outermost first:
    /// `self` and `super` start from there.
    pub scope: Vec<String>,
}

/// A module whose body is in another file (Rust `mod x;`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleDeclaration {
    /// The module's name.
    pub name: String,
    /// The path of a `#[path = "..."]` attribute on it, as written.
    pub path_attribute: Option<String>,
    /// Inline modules it is declared in, outermost first.
    pub scope: Vec<String>,
    /// 1-based line.
    pub line: usize,
    /// An inline module (`mod x { ... }`): its body is in this file.
    pub inline: bool,
}

/// The architecture facts of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphFacts {
    /// Imports in source order.
    pub imports: Vec<FileImport>,
    /// Module declarations in source order.
    pub module_declarations: Vec<ModuleDeclaration>,
    /// Classes (Python) and types with inherent `impl` blocks (Rust), in source order; the
    /// `impl` blocks of one type in one file are merged.
    pub classes: Vec<ClassFacts>,
}

/// What a method touches, for cohesion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MethodFacts {
    /// Method name.
    pub name: String,
    /// 1-based line of its `def`/`fn`.
    pub line: usize,
    /// Instance attributes / fields it reads or writes (`self.x` gives `x`), sorted, unique.
    pub attributes: Vec<String>,
    /// Methods of the same class it calls through `self` (`self.m()` gives `m`), sorted, unique.
    pub self_calls: Vec<String>,
}

/// A Python class or the inherent `impl` blocks of one Rust type in one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClassFacts {
    /// Qualified name, as for functions (`pkg.mod.Class`, `crate::mod::Type`).
    pub qualified_name: String,
    /// 1-based line of the `class` / first `impl` line.
    pub start_line: usize,
    /// Methods that count for cohesion (exclusions are the extractor's, see docs/metrics.md).
    pub methods: Vec<MethodFacts>,
}
