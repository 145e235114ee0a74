//! Builds the [`ModuleGraph`] from the per-file facts of an [`Analysis`]: names every file's
//! module (which needs the whole tree: `__init__.py` chains, `Cargo.toml` files, `mod` trees),
//! then resolves each import to a module of the tree, an external package, or "unresolved".
//!
//! Language-specific naming and resolution live here (`python.rs`, `rust.rs`, `cargo.rs`)
//! rather than in the `src/lang` adapters: they work on the whole tree and read manifests,
//! while an adapter describes one file's syntax. The one place that picks a resolver by
//! language id is [`Resolver::for_language`].

mod cargo;
mod python;
mod rust;

use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use super::model::{Import, Module, ModuleGraph, Resolution};
use crate::analysis::{Analysis, FileAnalysis};
use crate::paths;

/// What module naming needs beyond the files themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolveSettings {
    /// Python import roots (`[python] roots`), relative to the analysis root; a file below
    /// one is named from there, and directories below it without `__init__.py` are namespace
    /// packages.
    pub python_roots: Vec<PathBuf>,
}

impl ResolveSettings {
    /// The settings for an analysis rooted at `root`: `roots` (`[python] roots`) are relative
    /// to `base` (the configuration file's directory, or `root` without a file) and become
    /// relative to `root`; a root outside it is left out.
    #[must_use]
    pub fn new(roots: &[String], base: &Path, root: &Path) -> ResolveSettings {
        let base = paths::absolute(base);
        let root = paths::normalize(&paths::absolute(root));
        let python_roots = roots
            .iter()
            .filter_map(|r| {
                let absolute = paths::normalize(&base.join(r));
                absolute.strip_prefix(&root).ok().map(Path::to_path_buf)
            })
            .collect();
        ResolveSettings { python_roots }
    }
}

/// Names, by which imports find modules.
#[derive(Debug, Default)]
pub(super) struct Namespace {
    /// Module id by name.
    ids: FxHashMap<String, usize>,
    /// First segments of Python module names: an import starting with one looks internal.
    python_tops: FxHashSet<String>,
    /// Rust library crates of the tree: crate module name by the name other crates use.
    rust_crates: FxHashMap<String, String>,
}

impl Namespace {
    fn id(&self, name: &str) -> Option<usize> {
        self.ids.get(name).copied()
    }
}

/// How one language names and resolves; picked by language id.
#[derive(Clone, Debug)]
enum Resolver {
    Python(python::Context),
    Rust(rust::Context),
}

impl Resolver {
    /// Names the files of one language: (name, resolver context) per file, in order.
    fn for_language(
        language: &str,
        files: &[&FileAnalysis],
        root: &Path,
        settings: &ResolveSettings,
    ) -> Vec<(String, Option<Resolver>)> {
        match language {
            "python" => {
                let paths: Vec<&Path> = files.iter().map(|f| f.path.as_path()).collect();
                let root_name = root_name(root);
                python::module_names(&paths, &settings.python_roots, &root_name)
                    .into_iter()
                    .map(|(n, c)| (n, Some(Resolver::Python(c))))
                    .collect()
            }
            "rust" => rust::module_names(files, root)
                .into_iter()
                .map(|(n, c)| (n, Some(Resolver::Rust(c))))
                .collect(),
            _ => files.iter().map(|f| (path_name(&f.path), None)).collect(),
        }
    }

    fn resolve(
        &self,
        import: &crate::facts::FileImport,
        namespace: &Namespace,
    ) -> Option<(String, Resolution)> {
        match self {
            Resolver::Python(context) => python::resolve(import, context, namespace),
            Resolver::Rust(context) => rust::resolve(import, context, namespace),
        }
    }
}

/// The module graph of `analysis`: every file is a module (sorted by name), each with its
/// resolved imports in line order. An import of the module itself is no edge.
#[must_use]
pub fn build(analysis: &Analysis, settings: &ResolveSettings) -> ModuleGraph {
    let mut named = named(&analysis.files, &analysis.root, settings);
    named.sort_by(|a, b| a.0.cmp(&b.0));
    let namespace = namespace(&named);
    let modules = named
        .iter()
        .enumerate()
        .map(|(id, (name, file, resolver))| Module {
            name: name.clone(),
            path: file.path.clone(),
            language: file.language,
            imports: resolver
                .as_ref()
                .map(|r| imports(id, file, r, &namespace))
                .unwrap_or_default(),
        })
        .collect();
    ModuleGraph { modules }
}

/// The module name of each of `files` (in their order), by the same rules as the graph's
/// nodes: the one naming rule of each language, which also prefixes qualified function and
/// class names (`analyze` applies it), so a function and its module always agree.
#[must_use]
pub fn module_names(
    files: &[FileAnalysis],
    root: &Path,
    settings: &ResolveSettings,
) -> Vec<String> {
    let named = named(files, root, settings);
    let by_path: FxHashMap<&Path, &str> = named
        .iter()
        .map(|(name, file, _)| (file.path.as_path(), name.as_str()))
        .collect();
    files
        .iter()
        .map(|f| {
            by_path
                .get(f.path.as_path())
                .copied()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// Every file named, with its resolver, names made unique.
fn named<'a>(
    files: &'a [FileAnalysis],
    root: &Path,
    settings: &ResolveSettings,
) -> Vec<(String, &'a FileAnalysis, Option<Resolver>)> {
    let mut languages: Vec<&str> = files.iter().map(|f| f.language).collect();
    languages.sort_unstable();
    languages.dedup();
    let mut named: Vec<(String, &FileAnalysis, Option<Resolver>)> = Vec::new();
    for language in languages {
        let of_language: Vec<&FileAnalysis> =
            files.iter().filter(|f| f.language == language).collect();
        let names = Resolver::for_language(language, &of_language, root, settings);
        named.extend(
            names
                .into_iter()
                .zip(of_language)
                .map(|((name, resolver), file)| (name, file, resolver)),
        );
    }
    make_unique(&mut named);
    named
}

/// Resolves the imports of module `id`, dropping imports of itself and repeats on one line.
fn imports(
    id: usize,
    file: &FileAnalysis,
    resolver: &Resolver,
    namespace: &Namespace,
) -> Vec<Import> {
    let mut out: Vec<Import> = Vec::with_capacity(file.imports.len());
    for import in &file.imports {
        let Some((target, resolution)) = resolver.resolve(import, namespace) else {
            continue;
        };
        if resolution == Resolution::Internal(id) {
            continue;
        }
        let resolved = Import {
            target,
            line: import.line,
            kind: import.kind,
            resolution,
        };
        if !out
            .iter()
            .rev()
            .take_while(|i| i.line == import.line)
            .any(|i| *i == resolved)
        {
            out.push(resolved);
        }
    }
    out.sort_by_key(|i| i.line);
    out
}

fn namespace(named: &[(String, &FileAnalysis, Option<Resolver>)]) -> Namespace {
    let mut namespace = Namespace::default();
    for (id, (name, _, resolver)) in named.iter().enumerate() {
        namespace.ids.insert(name.clone(), id);
        match resolver {
            Some(Resolver::Python(_)) => {
                let top = name.split('.').next().unwrap_or_default();
                namespace.python_tops.insert(top.to_owned());
            }
            Some(Resolver::Rust(context)) => {
                if let Some(import_name) = context.library() {
                    let crate_name = context.crate_name().to_owned();
                    namespace
                        .rust_crates
                        .insert(import_name.to_owned(), crate_name);
                }
            }
            None => {}
        }
    }
    namespace
}

/// A later file whose name is taken gets `name@path` (paths are unique).
fn make_unique(named: &mut [(String, &FileAnalysis, Option<Resolver>)]) {
    named.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    let mut taken: FxHashSet<String> = FxHashSet::default();
    for (name, file, _) in named.iter_mut() {
        if !taken.insert(name.clone()) {
            *name = format!("{name}@{}", file.path.display());
            taken.insert(name.clone());
        }
    }
}

fn path_name(path: &Path) -> String {
    paths::to_slash(path)
}

/// The analysis root's own directory name (for a root that is itself a Python package).
fn root_name(root: &Path) -> String {
    paths::absolute(root)
        .components()
        .next_back()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or_default()
        .to_owned()
}
