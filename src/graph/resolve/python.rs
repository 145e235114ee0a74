//! Python module names and import resolution.
//!
//! A file's module name is its path below its import root: a configured `[python] roots`
//! entry, else the last `src/` directory above it, else the directory above the top of its
//! `__init__.py` chain (a file in a directory without `__init__.py` is a top-level module, as
//! for a script directory on `sys.path`). Below a configured root or `src/`, directories
//! without `__init__.py` are namespace packages.

use std::path::{Component, Path, PathBuf};

use rustc_hash::FxHashSet;

use super::{Importer, Namespace, Tree};
use crate::facts::{FileImport, ImportForm};
use crate::graph::model::Resolution;
use crate::paths;

/// What resolution needs to know about the importing module.
#[derive(Clone, Debug)]
pub(super) struct Context {
    /// Its dotted name, split.
    segments: Vec<String>,
    /// Whether it is a package (`__init__.py`): relative imports start from itself.
    is_package: bool,
}

impl Importer for Context {
    /// Its top-level name: an import under it that is not found is unresolved, not external.
    fn register(&self, name: &str, namespace: &mut Namespace) {
        let top = name.split('.').next().unwrap_or_default();
        namespace.tops.insert(top.to_owned());
    }

    fn resolve(&self, import: &FileImport, namespace: &Namespace) -> Option<(String, Resolution)> {
        resolve(import, self, namespace)
    }
}

/// `ModuleSystem::Python`: the module names of the files of `tree`, in the same order.
pub(super) fn names(tree: &Tree<'_>) -> Vec<(String, Box<dyn Importer>)> {
    let paths: Vec<&Path> = tree.files.iter().map(|f| f.path.as_path()).collect();
    module_names(&paths, &tree.settings.python_roots, &root_name(tree.root))
        .into_iter()
        .map(|(name, context)| (name, Box::new(context) as Box<dyn Importer>))
        .collect()
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

/// The module names of `paths` (relative to the analysis root), in the same order.
/// `root_name` is the analysis root's own directory name, used when the root is a package.
pub(super) fn module_names(
    paths: &[&Path],
    roots: &[PathBuf],
    root_name: &str,
) -> Vec<(String, Context)> {
    let packages: FxHashSet<&Path> = paths
        .iter()
        .filter(|p| p.file_stem().is_some_and(|s| s == "__init__"))
        .filter_map(|p| p.parent())
        .collect();
    paths
        .iter()
        .map(|path| {
            let mut segments = name_segments(path, roots, &packages, root_name);
            let is_package = path.file_stem().is_some_and(|s| s == "__init__");
            if is_package && segments.len() > 1 {
                segments.pop();
            }
            (
                segments.join("."),
                Context {
                    segments,
                    is_package,
                },
            )
        })
        .collect()
}

/// The segments of a file's name, `__init__` still included.
fn name_segments(
    path: &Path,
    roots: &[PathBuf],
    packages: &FxHashSet<&Path>,
    root_name: &str,
) -> Vec<String> {
    let parent = path.parent().unwrap_or(Path::new(""));
    let configured = roots
        .iter()
        .filter(|r| parent.starts_with(r))
        .max_by_key(|r| r.components().count());
    let src = path
        .ancestors()
        .skip(1)
        .find(|a| a.file_name().is_some_and(|n| n == "src"));
    let base = configured.map(PathBuf::as_path).or(src);
    let mut segments = Vec::new();
    let base = base.unwrap_or_else(|| {
        let top = package_chain_top(parent, packages);
        if top.as_os_str().is_empty() && packages.contains(top) && !root_name.is_empty() {
            // The analysis root is itself a package: its name is the top segment.
            segments.push(root_name.to_owned());
        }
        top.parent()
            .filter(|_| packages.contains(top))
            .unwrap_or(top)
    });
    let below = path.strip_prefix(base).unwrap_or(path);
    segments.extend(below.components().filter_map(|c| match c {
        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
        _ => None,
    }));
    if let (Some(last), Some(stem)) = (segments.last_mut(), path.file_stem()) {
        *last = stem.to_string_lossy().into_owned();
    }
    segments
}

/// The topmost directory of the unbroken `__init__.py` chain that holds `dir` (`dir` itself
/// when it is no package).
fn package_chain_top<'p>(dir: &'p Path, packages: &FxHashSet<&Path>) -> &'p Path {
    let mut top = dir;
    while packages.contains(top) {
        match top.parent() {
            Some(parent) if packages.contains(parent) => top = parent,
            _ => break,
        }
    }
    top
}

/// Resolves one import of the module `from`: `(target, resolution)`.
fn resolve(
    import: &FileImport,
    from: &Context,
    namespace: &Namespace,
) -> Option<(String, Resolution)> {
    let Some(base) = absolute(import, from)? else {
        return Some((as_written(import), Resolution::Unresolved));
    };
    let candidates = match &import.form {
        ImportForm::FromName(name) => {
            let mut module = base.clone();
            module.push(name.clone());
            vec![module, base]
        }
        _ => vec![base],
    };
    for candidate in &candidates {
        let name = candidate.join(".");
        if let Some(id) = namespace.id(&name) {
            return Some((name, Resolution::Internal(id)));
        }
    }
    let base = candidates.last()?;
    Some((
        base.join("."),
        not_found(base, import.path.level, namespace)?,
    ))
}

/// A module the tree does not have: unresolved when it looks internal (relative, or its top
/// name is a top-level name of the tree), else an external package.
fn not_found(base: &[String], level: usize, namespace: &Namespace) -> Option<Resolution> {
    let top = base.first()?;
    if level > 0 || namespace.tops.contains(top.as_str()) {
        Some(Resolution::Unresolved)
    } else {
        Some(Resolution::External(top.clone()))
    }
}

/// A relative import as written (`..a`; `....x` for `from .... import x`).
fn as_written(import: &FileImport) -> String {
    let mut written = ".".repeat(import.path.level) + &import.path.segments.join(".");
    if let (ImportForm::FromName(name), true) = (&import.form, import.path.segments.is_empty()) {
        written.push_str(name);
    }
    written
}

/// The imported module's absolute segments: `Some(None)` when a relative import climbs above
/// the top package; `None` for an import with nothing to resolve.
fn absolute(import: &FileImport, from: &Context) -> Option<Option<Vec<String>>> {
    let level = import.path.level;
    if level == 0 {
        return (!import.path.segments.is_empty()).then(|| Some(import.path.segments.clone()));
    }
    let own_package = usize::from(!from.is_package);
    let up = own_package + level - 1;
    if up >= from.segments.len() {
        return Some(None);
    }
    let mut base = from.segments.get(..from.segments.len() - up)?.to_vec();
    base.extend(import.path.segments.iter().cloned());
    Some(Some(base))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(paths: &[&str], roots: &[&str]) -> Vec<String> {
        let paths: Vec<&Path> = paths.iter().map(Path::new).collect();
        let roots: Vec<PathBuf> = roots.iter().map(PathBuf::from).collect();
        module_names(&paths, &roots, "here")
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    }

    #[test]
    fn names_follow_init_chains_src_and_roots() {
        assert_eq!(
            names(
                &[
                    "a/pkg/__init__.py",
                    "a/pkg/sub/__init__.py",
                    "a/pkg/sub/m.py",
                    "a/script.py"
                ],
                &[]
            ),
            ["pkg", "pkg.sub", "pkg.sub.m", "script"]
        );
        assert_eq!(names(&["src/ns/pkg/m.py"], &[]), ["ns.pkg.m"]);
        assert_eq!(names(&["lib/ns/m.py"], &["lib"]), ["ns.m"]);
        assert_eq!(names(&["__init__.py", "m.py"], &[]), ["here", "here.m"]);
    }
}
