//! Rust module names and import resolution.
//!
//! Modules come from the `mod` tree of each crate ([`super::cargo`]): from the crate root,
//! `mod x;` in a file whose children live in directory `D` loads `D/x.rs` or `D/x/mod.rs`
//! (`D` is the file's directory for a crate root, a `mod.rs` or a `#[path]` file, else the
//! directory named after the file); `#[path = "p"]` loads `p` relative to the file's directory
//! (inside inline modules: relative to `D` and the inline modules). A file is named once: a
//! `mod` cycle through `#[path]` ends at a file already visited. Inline `mod m { }` blocks
//! belong to their file's module. Files no crate reaches get a name derived from their path.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::cargo::{self, Crate, Files};
use super::{Importer, Namespace, Tree};
use crate::analysis::FileAnalysis;
use crate::facts::FileImport;
use crate::graph::model::Resolution;
use crate::lang::LanguageSpec;
use crate::paths::normalize;

/// Crates whose paths are always external, even when a module of the same name exists.
const STANDARD: &[&str] = &["std", "core", "alloc", "proc_macro"];

/// What resolution needs to know about the importing module.
#[derive(Clone, Debug)]
pub(super) struct Context {
    /// The crate's module name (`my_lib`, or `crate` for files outside any crate).
    crate_name: String,
    /// The module's path inside the crate (`["a", "b"]` for `my_lib::a::b`).
    path: Vec<String>,
    /// For a library's root module: the name other crates import it by.
    library: Option<String>,
}

impl Importer for Context {
    /// A library's root module: other crates import it by its import name.
    fn register(&self, _: &str, namespace: &mut Namespace) {
        if let Some(import_name) = &self.library {
            namespace
                .libraries
                .insert(import_name.clone(), self.crate_name.clone());
        }
    }

    fn resolve(&self, import: &FileImport, namespace: &Namespace) -> Option<(String, Resolution)> {
        resolve(import, self, namespace)
    }
}

/// `ModuleSystem::Rust`: the module names of the files of `tree`, in the same order.
pub(super) fn names(tree: &Tree<'_>) -> Vec<(String, Box<dyn Importer>)> {
    module_names(tree.files, tree.root, tree.spec)
        .into_iter()
        .map(|(name, context)| (name, Box::new(context) as Box<dyn Importer>))
        .collect()
}

/// The module names of `files`, in the same order, with each one's context; `root` is the
/// analysis root the files' paths are relative to, `spec` names the files no crate reaches.
fn module_names(
    files: &[&FileAnalysis],
    root: &Path,
    spec: &LanguageSpec,
) -> Vec<(String, Context)> {
    let index = Files::new(files.iter().map(|f| f.path.as_path()));
    let crates = cargo::discover(root, &index);
    let by_path: FxHashMap<&Path, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_path(), i))
        .collect();
    let mut named: Vec<Option<(String, Context)>> = vec![None; files.len()];
    for krate in &crates {
        walk_crate(krate, files, &by_path, &mut named);
    }
    named
        .into_iter()
        .zip(files)
        .map(|(name, file)| name.unwrap_or_else(|| derived(&file.path, &crates, spec)))
        .collect()
}

/// One file waiting to be named: its index, module path in the crate and whether its child
/// modules live in its own directory.
struct Pending {
    file: usize,
    path: Vec<String>,
    owns_directory: bool,
}

/// Names the files of one crate by following its `mod` declarations (a work list, no
/// recursion; a file named before is not visited again).
fn walk_crate(
    krate: &Crate,
    files: &[&FileAnalysis],
    by_path: &FxHashMap<&Path, usize>,
    named: &mut [Option<(String, Context)>],
) {
    let Some(&root) = by_path.get(krate.root.as_path()) else {
        return;
    };
    let mut work = vec![Pending {
        file: root,
        path: Vec::new(),
        owns_directory: true,
    }];
    while let Some(pending) = work.pop() {
        let Some(slot) = named.get_mut(pending.file) else {
            continue;
        };
        if slot.is_some() {
            continue;
        }
        *slot = Some(name(krate, &pending.path));
        let Some(file) = files.get(pending.file) else {
            continue;
        };
        for declaration in file.module_declarations.iter().filter(|d| !d.inline) {
            let (candidates, by_attribute) = child_files(&file.path, &pending, declaration);
            let found = candidates.iter().find_map(|c| by_path.get(c.as_path()));
            if let Some(&child) = found {
                let mut path = pending.path.clone();
                path.extend(declaration.scope.iter().cloned());
                path.push(declaration.name.clone());
                work.push(Pending {
                    file: child,
                    path,
                    owns_directory: by_attribute || is_mod_rs(files, child),
                });
            }
        }
    }
}

fn is_mod_rs(files: &[&FileAnalysis], index: usize) -> bool {
    files
        .get(index)
        .is_some_and(|f| f.path.file_name().is_some_and(|n| n == "mod.rs"))
}

/// The files a `mod` declaration may load, and whether they come from `#[path]`.
fn child_files(
    parent: &Path,
    pending: &Pending,
    declaration: &crate::facts::ModuleDeclaration,
) -> (Vec<PathBuf>, bool) {
    let dir = parent.parent().unwrap_or(Path::new(""));
    let mut children_dir = if pending.owns_directory {
        dir.to_path_buf()
    } else {
        dir.join(parent.file_stem().unwrap_or_default())
    };
    children_dir.extend(&declaration.scope);
    if let Some(attribute) = &declaration.path_attribute {
        let base = if declaration.scope.is_empty() {
            dir
        } else {
            children_dir.as_path()
        };
        return (vec![normalize(&base.join(attribute))], true);
    }
    let name = &declaration.name;
    let flat = children_dir.join(format!("{name}.rs"));
    let nested = children_dir.join(name).join("mod.rs");
    (vec![normalize(&flat), normalize(&nested)], false)
}

fn name(krate: &Crate, path: &[String]) -> (String, Context) {
    let mut segments = vec![krate.name.clone()];
    segments.extend(path.iter().cloned());
    let library = krate.import_name.clone().filter(|_| path.is_empty());
    (
        segments.join("::"),
        Context {
            crate_name: krate.name.clone(),
            path: path.to_vec(),
            library,
        },
    )
}

/// A name from the path of a file no crate reaches: below the package of the nearest crate
/// (`my_lib::tools::gen` for `tools/gen.rs`) or `crate::...` outside every package.
fn derived(path: &Path, crates: &[Crate], spec: &LanguageSpec) -> (String, Context) {
    let package = crates
        .iter()
        .filter(|c| path.starts_with(&c.package_dir))
        .max_by_key(|c| c.package_dir.components().count());
    let (crate_name, below) = match package {
        Some(c) => (
            c.import_name.clone().unwrap_or_else(|| c.name.clone()),
            path.strip_prefix(&c.package_dir).unwrap_or(path),
        ),
        None => ("crate".to_owned(), path),
    };
    let spec_name = spec.module_name(below);
    let mut segments: Vec<String> = spec_name
        .split(spec.name_separator)
        .map(str::to_owned)
        .collect();
    if !segments.is_empty() {
        segments.remove(0);
    }
    let mut full = vec![crate_name.clone()];
    full.extend(segments.iter().cloned());
    (
        full.join("::"),
        Context {
            crate_name,
            path: segments,
            library: None,
        },
    )
}

/// Resolves one import of the module with context `from`: `(target, resolution)`, or `None`
/// for an import of the module itself.
fn resolve(
    import: &FileImport,
    from: &Context,
    namespace: &Namespace,
) -> Option<(String, Resolution)> {
    let segments = &import.path.segments;
    let first = segments.first()?;
    let mut here = from.path.clone();
    here.extend(import.scope.iter().cloned());
    let absolute = match first.as_str() {
        "crate" => Some(tail(&from.crate_name, &[], segments, 1)),
        "self" => Some(tail(&from.crate_name, &here, segments, 1)),
        "super" => above(&from.crate_name, &here, segments),
        _ => return other_root(segments, from, &here, namespace),
    };
    let Some(absolute) = absolute else {
        return Some((segments.join("::"), Resolution::Unresolved));
    };
    let target = written(&absolute, from);
    Some(
        longest_module(&absolute, namespace)
            .map_or((target.clone(), Resolution::Unresolved), |id| {
                (target, Resolution::Internal(id))
            }),
    )
}

/// `crate_name`, `base`, then `segments` from `skip` on.
fn tail(crate_name: &str, base: &[String], segments: &[String], skip: usize) -> Vec<String> {
    let mut path = vec![crate_name.to_owned()];
    path.extend(base.iter().cloned());
    path.extend(segments.iter().skip(skip).cloned());
    path
}

/// `super::super::x` from `here`; `None` when it climbs above the crate root.
fn above(crate_name: &str, here: &[String], segments: &[String]) -> Option<Vec<String>> {
    let ups = segments.iter().take_while(|s| *s == "super").count();
    let keep = here.len().checked_sub(ups)?;
    Some(tail(crate_name, here.get(..keep)?, segments, ups))
}

/// A path that starts with a name: a child module of the current module (2018 paths), a crate
/// of the analysed workspace, a local item (a capitalised type or enum), or an external crate.
fn other_root(
    segments: &[String],
    from: &Context,
    here: &[String],
    namespace: &Namespace,
) -> Option<(String, Resolution)> {
    let first = segments.first()?;
    let local = tail(&from.crate_name, here, segments, 0);
    let child = local.get(..here.len() + 2).map(|p| p.join("::"));
    if child.is_some_and(|c| namespace.id(&c).is_some()) {
        let id = longest_module(&local, namespace)?;
        return Some((written(&local, from), Resolution::Internal(id)));
    }
    if STANDARD.contains(&first.as_str()) {
        return Some((segments.join("::"), Resolution::External(first.clone())));
    }
    if let Some(krate) = namespace.libraries.get(first.as_str()) {
        let path = tail(krate, &[], segments, 1);
        let id = longest_module(&path, namespace)?;
        return Some((segments.join("::"), Resolution::Internal(id)));
    }
    if first.starts_with(char::is_uppercase) {
        // An item of this module (`use Enum::Variant`): no edge.
        return None;
    }
    Some((segments.join("::"), Resolution::External(first.clone())))
}

/// The id of the longest prefix of `path` that is a module.
fn longest_module(path: &[String], namespace: &Namespace) -> Option<usize> {
    (1..=path.len())
        .rev()
        .find_map(|n| namespace.id(&path.get(..n)?.join("::")))
}

/// A path inside the importing crate written as `crate::...`.
fn written(absolute: &[String], from: &Context) -> String {
    let mut parts = vec!["crate"];
    parts.extend(absolute.iter().skip(1).map(String::as_str));
    if absolute.first() != Some(&from.crate_name) {
        return absolute.join("::");
    }
    parts.join("::")
}
