//! Builds the [`ModuleGraph`] from the per-file facts of an [`Analysis`]: names every file's
//! module (which needs the whole tree: `__init__.py` chains, `Cargo.toml` files, `mod` trees),
//! then resolves each import to a module of the tree, an external package, or "unresolved".
//!
//! A language's spec names its module system (`LanguageSpec::module_system`, data);
//! [`naming`] maps each system to its code, one line per system: `python.rs`, `rust.rs` (with
//! `cargo.rs`), or path names without imports for a language gatecheck does not model yet.
//! The code lives here rather than in the `src/lang` adapters because it works on the whole
//! tree, reads manifests and the per-file facts, all above `lang` in the layers.

mod cargo;
mod python;
mod rust;

use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use super::model::{Import, Module, ModuleGraph, Resolution};
use crate::analysis::{Analysis, FileAnalysis};
use crate::facts::FileImport;
use crate::lang::{self, LanguageSpec, ModuleSystem};
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
    /// First segments of module names that an import naming them treats as internal (Python:
    /// a missing module under one is unresolved, not an external package).
    tops: FxHashSet<String>,
    /// Libraries of the tree: the library's module name by the name other modules import it by
    /// (Rust library crates).
    libraries: FxHashMap<String, String>,
}

impl Namespace {
    fn id(&self, name: &str) -> Option<usize> {
        self.ids.get(name).copied()
    }
}

/// The files of one language, with what naming them needs beyond the files.
pub(super) struct Tree<'a> {
    /// The language.
    spec: &'static LanguageSpec,
    /// Its files, paths relative to `root`.
    files: &'a [&'a FileAnalysis],
    /// The analysis root (manifests are read below it).
    root: &'a Path,
    /// The naming settings.
    settings: &'a ResolveSettings,
}

/// A named module, ready to resolve the imports of its file.
pub(super) trait Importer {
    /// Records what imports of other modules need to know about this one, named `name`.
    fn register(&self, name: &str, namespace: &mut Namespace);

    /// Resolves one import: `(target, resolution)`, or `None` when it makes no edge.
    fn resolve(&self, import: &FileImport, namespace: &Namespace) -> Option<(String, Resolution)>;
}

/// Names every file of a tree, in order, each with its importer.
pub(super) type Naming = fn(&Tree<'_>) -> Vec<(String, Box<dyn Importer>)>;

/// The code of each module system a language spec can name: the one place a
/// [`ModuleSystem`] becomes code, one line per system.
fn naming(system: ModuleSystem) -> Naming {
    match system {
        ModuleSystem::Files => |tree| by_path(tree.files),
        ModuleSystem::Python => python::names,
        ModuleSystem::Rust => rust::names,
    }
}

/// Names the files of one language by the module system of its spec.
fn names(
    language: &str,
    files: &[&FileAnalysis],
    root: &Path,
    settings: &ResolveSettings,
) -> Vec<(String, Box<dyn Importer>)> {
    let Some(spec) = lang::by_id(language) else {
        return by_path(files);
    };
    let tree = Tree {
        spec,
        files,
        root,
        settings,
    };
    naming(spec.module_system)(&tree)
}

/// [`ModuleSystem::Files`]: each file is a module named by its path, without imports.
fn by_path(files: &[&FileAnalysis]) -> Vec<(String, Box<dyn Importer>)> {
    files
        .iter()
        .map(|f| {
            (
                paths::to_slash(&f.path),
                Box::new(NoImports) as Box<dyn Importer>,
            )
        })
        .collect()
}

/// The importer of a module whose imports are not resolved.
struct NoImports;

impl Importer for NoImports {
    fn register(&self, _: &str, _: &mut Namespace) {}

    fn resolve(&self, _: &FileImport, _: &Namespace) -> Option<(String, Resolution)> {
        None
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
        .map(|(id, (name, file, importer))| Module {
            name: name.clone(),
            path: file.path.clone(),
            language: file.language,
            imports: imports(id, file, importer.as_ref(), &namespace),
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

/// Every file named, with its importer, names made unique.
fn named<'a>(
    files: &'a [FileAnalysis],
    root: &Path,
    settings: &ResolveSettings,
) -> Vec<(String, &'a FileAnalysis, Box<dyn Importer>)> {
    let mut languages: Vec<&str> = files.iter().map(|f| f.language).collect();
    languages.sort_unstable();
    languages.dedup();
    let mut named: Vec<(String, &FileAnalysis, Box<dyn Importer>)> = Vec::new();
    for language in languages {
        let of_language: Vec<&FileAnalysis> =
            files.iter().filter(|f| f.language == language).collect();
        let names = names(language, &of_language, root, settings);
        named.extend(
            names
                .into_iter()
                .zip(of_language)
                .map(|((name, importer), file)| (name, file, importer)),
        );
    }
    make_unique(&mut named);
    named
}

/// Resolves the imports of module `id`, dropping imports of itself and repeats on one line.
fn imports(
    id: usize,
    file: &FileAnalysis,
    importer: &dyn Importer,
    namespace: &Namespace,
) -> Vec<Import> {
    let mut out: Vec<Import> = Vec::with_capacity(file.imports.len());
    for import in &file.imports {
        let Some((target, resolution)) = importer.resolve(import, namespace) else {
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

fn namespace(named: &[(String, &FileAnalysis, Box<dyn Importer>)]) -> Namespace {
    let mut namespace = Namespace::default();
    for (id, (name, _, importer)) in named.iter().enumerate() {
        namespace.ids.insert(name.clone(), id);
        importer.register(name, &mut namespace);
    }
    namespace
}

/// A later file whose name is taken gets `name@path` (paths are unique).
fn make_unique(named: &mut [(String, &FileAnalysis, Box<dyn Importer>)]) {
    named.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    let mut taken: FxHashSet<String> = FxHashSet::default();
    for (name, file, _) in named.iter_mut() {
        if !taken.insert(name.clone()) {
            *name = format!("{name}@{}", file.path.display());
            taken.insert(name.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{ImportForm, ImportKind};
    use crate::lang::ImportPath;

    #[test]
    fn a_language_without_a_module_system_has_path_modules_and_no_edges() {
        let file = FileAnalysis {
            path: PathBuf::from("pkg/a.x"),
            language: "x",
            metrics: crate::metrics::FileMetrics::default(),
            directives: Vec::new(),
            thresholds: crate::registry::Thresholds::default(),
            imports: vec![FileImport {
                path: ImportPath {
                    level: 0,
                    segments: vec!["pkg".to_owned()],
                },
                form: ImportForm::Module,
                line: 1,
                kind: ImportKind::Runtime,
                scope: Vec::new(),
            }],
            module_declarations: Vec::new(),
            classes: Vec::new(),
        };
        let tree = Tree {
            spec: lang::LANGUAGES[0],
            files: &[&file],
            root: Path::new("."),
            settings: &ResolveSettings::default(),
        };
        let named = naming(ModuleSystem::Files)(&tree);
        assert_eq!(named.len(), 1);
        let (name, importer) = &named[0];
        assert_eq!(name, "pkg/a.x");
        assert!(
            importer
                .resolve(&file.imports[0], &Namespace::default())
                .is_none()
        );
    }
}
