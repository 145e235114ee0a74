//! The architecture model shared by the module resolver and the graph analyses: modules with
//! their resolved imports, and the per-class facts that cohesion (LCOM4) is computed from.
//! Plain data only (no tree references), so per-file parts can be cached.

use std::path::PathBuf;

use serde::Serialize;

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

/// Where an import leads.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "target")]
pub enum Resolution {
    /// A module of the analysed tree: an index into [`ModuleGraph::modules`].
    Internal(usize),
    /// A package outside the analysed tree (its top-level name: `requests`, `serde`).
    External(String),
    /// Looked internal (relative, `crate::`, `super::`) but no module matches: listed, never
    /// guessed.
    Unresolved,
}

/// One import statement (or one path of a grouped `use`), as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Import {
    /// The imported module as written, made absolute (`a.b.c`, `crate::a::b`).
    pub target: String,
    /// 1-based line of the import.
    pub line: usize,
    /// How it runs.
    pub kind: ImportKind,
    /// Where it leads.
    pub resolution: Resolution,
}

/// One module: a source file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Module {
    /// Dotted (Python `pkg.mod`) or path (Rust `crate_name::a::b`) name, unique in the graph.
    pub name: String,
    /// The file, relative to the analysis root, with `/` separators.
    pub path: PathBuf,
    /// Language identifier (`python`, `rust`).
    pub language: &'static str,
    /// Its imports in line order.
    pub imports: Vec<Import>,
}

/// All modules of an analysis; a module's id is its index, modules sorted by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ModuleGraph {
    /// The modules.
    pub modules: Vec<Module>,
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
