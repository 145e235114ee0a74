//! The language registry: one [`LanguageSpec`] value per supported language.
//!
//! This is the only place that lists languages. A language is a tree-sitter grammar, a folder
//! of queries (`queries/<id>/*.scm`, embedded at build time by `build.rs`) and a small adapter
//! for what queries cannot say (how a path maps to a module name, which module system the
//! module graph follows, how its comments look, what input the grammar cannot take).
//! It is a leaf module: nothing in it depends on the pipeline stages.

mod python;
mod queries;
mod rust;
mod rust_use;
pub mod vocabulary;

use std::path::Path;
use std::sync::OnceLock;

pub use queries::{CompiledQuery, QueryError, QuerySet, QuerySource, query_files};

/// Which capture an import text comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportText {
    /// The exact text of an `@import.module` / `@import.from` / `@import.name` node.
    Statement,
    /// The source text from an `@import.path` node on: the path runs as far as it goes.
    CodePath,
}

/// One module path named by an import, split into segments as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPath {
    /// Leading dots of a Python relative import (`..a` is 2); 0 when absolute.
    pub level: usize,
    /// The segments: `["a", "b"]` for `a.b`, `["crate", "a", "f"]` for `crate::a::f`.
    pub segments: Vec<String>,
}

/// How the module graph names a language's files and resolves their imports.
///
/// The code is in `graph::resolve`, a layer above this one: a spec names the system its
/// language follows, and languages that share a system (a dialect, a stub format) share its
/// code. A language whose system gatecheck does not model yet uses [`ModuleSystem::Files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleSystem {
    /// Every file is a module named by its path; imports are not resolved.
    Files,
    /// Python: packages from `__init__.py` chains, `src/` layouts and `[python] roots`;
    /// absolute and relative imports.
    Python,
    /// Rust: crates from `Cargo.toml` files and the `mod` tree of each; `use` declarations and
    /// paths in code.
    Rust,
}

/// Everything gatecheck knows about one language.
pub struct LanguageSpec {
    /// Stable identifier, used in reports and as the query folder name (`python`, `rust`).
    pub id: &'static str,
    /// File name extensions (without the dot) that select this language.
    pub extensions: &'static [&'static str],
    /// The tree-sitter grammar.
    pub grammar: fn() -> tree_sitter::Language,
    /// How a line comment starts (`#`, `//`). This and the next two fields describe the text
    /// for readers that do not parse it (the metric fixture runner, `tests/it/fixtures.rs`).
    pub line_comment: &'static str,
    /// How a block comment starts and ends (`/*`, `*/`), if the language has them.
    pub block_comment: Option<(&'static str, &'static str)>,
    /// How a decorator or attribute line starts (`@`; `#[`, `#![`).
    pub decorators: &'static [&'static str],
    /// Separator between the segments of a qualified name (`.` or `::`).
    pub name_separator: &'static str,
    /// Maps a file's path, relative to the analysis root and split into components (the last
    /// one without its extension), to the segments of its module name.
    pub module_segments: fn(&[String]) -> Vec<String>,
    /// How the module graph names its files and resolves their imports.
    pub module_system: ModuleSystem,
    /// Splits the text of an import capture into the module paths it names (see
    /// [`ImportPath`]).
    pub import_paths: fn(&str, ImportText) -> Vec<ImportPath>,
    /// Checks input the grammar cannot take safely (a crash, not a syntax error) before it is
    /// parsed; returns why the file must be skipped.
    pub guard: fn(&str) -> Result<(), String>,
    /// The compiled queries, built on first use and shared by all threads.
    compiled: OnceLock<Result<CompiledQuery, QueryError>>,
}

impl std::fmt::Debug for LanguageSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanguageSpec")
            .field("id", &self.id)
            .field("extensions", &self.extensions)
            .finish_non_exhaustive()
    }
}

impl LanguageSpec {
    /// The language's queries, compiled once per process and validated against the vocabulary.
    ///
    /// # Errors
    /// A query that does not compile against the grammar, or that uses a capture outside the
    /// vocabulary: a defect of gatecheck itself, reported with file, row and column.
    pub fn query(&self) -> Result<&CompiledQuery, &QueryError> {
        self.compiled
            .get_or_init(|| CompiledQuery::compile(query_set(self)))
            .as_ref()
    }

    /// The text of all the language's query files, as it is compiled (for tests that compile
    /// it with tree-sitter's own `Query`).
    #[must_use]
    pub fn query_text(&self) -> String {
        query_set(self).text()
    }

    /// The qualified module name of a file from its path relative to the analysis root.
    #[must_use]
    pub fn module_name(&self, relative: &Path) -> String {
        let mut parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if let (Some(last), Some(stem)) = (parts.last_mut(), relative.file_stem()) {
            *last = stem.to_string_lossy().into_owned();
        }
        (self.module_segments)(&parts).join(self.name_separator)
    }
}

/// What a language's queries are compiled from: the files of its folder `queries/<id>/`.
fn query_set(spec: &LanguageSpec) -> QuerySet {
    QuerySet {
        language: spec.id,
        grammar: spec.grammar,
        files: query_files(spec.id),
    }
}

/// Every supported language, the registry: a language adds its entry here and its `mod` line
/// above (docs/architecture.md, "Adding a language").
pub static LANGUAGES: &[&LanguageSpec] = &[&python::SPEC, &rust::SPEC];

/// The language of a file, from its extension.
#[must_use]
pub fn for_path(path: &Path) -> Option<&'static LanguageSpec> {
    let extension = path.extension()?.to_str()?;
    LANGUAGES
        .iter()
        .copied()
        .find(|spec| spec.extensions.contains(&extension))
}

/// The language with identifier `id`.
#[must_use]
pub fn by_id(id: &str) -> Option<&'static LanguageSpec> {
    LANGUAGES.iter().copied().find(|spec| spec.id == id)
}

/// Segments of a module path after the last `src` directory, if there is one.
fn after_src(parts: &[String]) -> &[String] {
    match parts.iter().rposition(|p| p == "src") {
        Some(i) => parts.get(i + 1..).unwrap_or_default(),
        None => parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_compiles_its_queries() {
        for spec in LANGUAGES {
            if let Err(e) = spec.query() {
                panic!("{}: {e}", spec.id);
            }
        }
    }

    #[test]
    fn languages_are_found_by_extension() {
        assert_eq!(for_path(Path::new("a/b.py")).map(|s| s.id), Some("python"));
        assert_eq!(for_path(Path::new("a/b.pyi")).map(|s| s.id), Some("python"));
        assert_eq!(for_path(Path::new("a/b.rs")).map(|s| s.id), Some("rust"));
        assert!(for_path(Path::new("a/b.txt")).is_none());
        assert!(for_path(Path::new("Makefile")).is_none());
    }

    #[test]
    fn module_names_follow_the_path() {
        let py = by_id("python").unwrap();
        assert_eq!(py.module_name(Path::new("src/pkg/mod.py")), "pkg.mod");
        assert_eq!(py.module_name(Path::new("pkg/__init__.py")), "pkg");
        let rs = by_id("rust").unwrap();
        assert_eq!(rs.module_name(Path::new("src/lib.rs")), "crate");
        assert_eq!(rs.module_name(Path::new("src/a/mod.rs")), "crate::a");
        assert_eq!(rs.module_name(Path::new("src/a/b.rs")), "crate::a::b");
    }
}
