//! The module graph shared by the resolver and the graph analyses: modules with their resolved
//! imports. Plain data only; the per-file facts it is built from live in [`crate::facts`].

use std::path::PathBuf;

use serde::Serialize;

use crate::facts::ImportKind;

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
