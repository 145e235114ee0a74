//! Rust crates of the analysed tree, from the `Cargo.toml` files found above its `.rs` files:
//! each package's library (`[lib] path`, default `src/lib.rs`) and its other targets (binaries
//! from `[[bin]]`, `src/main.rs`, `src/bin/*.rs`; tests, benches and examples likewise; the
//! build script `build.rs` or `package.build`).
//! Workspace members are found the same way, by their own manifests; a virtual manifest holds
//! no crate. A manifest that cannot be read or parsed is passed over (its files keep
//! path-derived names).

use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::paths::normalize;

/// One crate: a target of a package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Crate {
    /// The crate's module name: the library's crate name (`my_lib`), or
    /// `package(kind:target)` for other targets (`my_cli(bin:my_cli)`, `my_lib(test:it)`).
    pub(super) name: String,
    /// The name other crates import it by (`Some` for a library only).
    pub(super) import_name: Option<String>,
    /// Its root file, relative to the analysis root.
    pub(super) root: PathBuf,
    /// The package directory, relative to the analysis root.
    pub(super) package_dir: PathBuf,
}

/// Auto-discovered target folders: (kind, folder under the package).
const TARGET_DIRS: &[(&str, &str)] = &[
    ("bin", "src/bin"),
    ("test", "tests"),
    ("bench", "benches"),
    ("example", "examples"),
];

/// The `.rs` files of the analysis, indexed by directory.
pub(super) struct Files<'a> {
    /// Every file, relative to the analysis root.
    pub(super) all: FxHashSet<&'a Path>,
    /// Files by their directory and by their directory's parent.
    by_dir: FxHashMap<&'a Path, Vec<&'a Path>>,
}

impl<'a> Files<'a> {
    /// Indexes `paths`.
    pub(super) fn new(paths: impl IntoIterator<Item = &'a Path>) -> Files<'a> {
        let paths: Vec<&Path> = paths.into_iter().collect();
        let all: FxHashSet<&Path> = paths.iter().copied().collect();
        let mut by_dir: FxHashMap<&Path, Vec<&Path>> = FxHashMap::default();
        for file in paths {
            for dir in file.ancestors().skip(1).take(2) {
                by_dir.entry(dir).or_default().push(file);
            }
        }
        Files { all, by_dir }
    }

    /// Files in `dir` or one folder below it.
    fn near(&self, dir: &Path) -> impl Iterator<Item = &'a Path> {
        self.by_dir.get(dir).into_iter().flatten().copied()
    }

    fn contains(&self, path: &Path) -> bool {
        self.all.contains(path)
    }
}

/// The crates of every package whose directory holds one of `files` (paths relative to
/// `root`), libraries first, then by package directory.
pub(super) fn discover(root: &Path, files: &Files<'_>) -> Vec<Crate> {
    let mut dirs: Vec<&Path> = files
        .all
        .iter()
        .flat_map(|f| f.ancestors().skip(1))
        .collect::<FxHashSet<_>>()
        .into_iter()
        .collect();
    dirs.sort_unstable();
    let mut crates: Vec<Crate> = dirs
        .into_iter()
        .filter_map(|dir| manifest(root, dir).map(|m| (dir, m)))
        .flat_map(|(dir, manifest)| package_crates(dir, &manifest, files))
        .collect();
    crates.sort_by_key(|c| {
        (
            c.import_name.is_none(),
            c.package_dir.clone(),
            c.root.clone(),
        )
    });
    crates
}

/// The parsed `Cargo.toml` of `dir`, if it has a readable one.
fn manifest(root: &Path, dir: &Path) -> Option<toml::Table> {
    // Bounded: a committed Cargo.toml that is a FIFO or a link to /dev/zero is no manifest.
    let path = root.join(dir).join("Cargo.toml");
    let text = crate::bounded::read_text(&path, crate::bounded::CONFIG_CAP).ok()?;
    text.parse::<toml::Table>().ok()
}

/// The crates of one package (none for a virtual manifest).
fn package_crates(dir: &Path, manifest: &toml::Table, files: &Files<'_>) -> Vec<Crate> {
    let Some(package) = manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(toml::Value::as_str)
    else {
        return Vec::new();
    };
    let ident = package.replace('-', "_");
    let mut crates = Vec::new();
    let lib = manifest.get("lib");
    let lib_path = lib
        .and_then(|l| l.get("path"))
        .and_then(toml::Value::as_str)
        .unwrap_or("src/lib.rs");
    let lib_root = normalize(&dir.join(lib_path));
    if files.contains(lib_root.as_path()) {
        let name = lib
            .and_then(|l| l.get("name"))
            .and_then(toml::Value::as_str)
            .map_or_else(|| ident.clone(), |n| n.replace('-', "_"));
        crates.push(Crate {
            name: name.clone(),
            import_name: Some(name),
            root: lib_root,
            package_dir: dir.to_path_buf(),
        });
    }
    let mut seen: FxHashSet<PathBuf> = crates.iter().map(|c| c.root.clone()).collect();
    for (kind, target, path) in targets(manifest, package, dir, files) {
        let root = normalize(&dir.join(path));
        if files.contains(root.as_path()) && seen.insert(root.clone()) {
            crates.push(Crate {
                name: format!("{ident}({kind}:{})", target.replace('-', "_")),
                import_name: None,
                root,
                package_dir: dir.to_path_buf(),
            });
        }
    }
    crates
}

/// Every target but the library, explicit ones first: (kind, name, path in the package).
fn targets(
    manifest: &toml::Table,
    package: &str,
    dir: &Path,
    files: &Files<'_>,
) -> Vec<(String, String, PathBuf)> {
    let mut targets = explicit_targets(manifest);
    targets.push(("bin".to_owned(), package.to_owned(), "src/main.rs".into()));
    let build = manifest
        .get("package")
        .and_then(|p| p.get("build"))
        .and_then(toml::Value::as_str)
        .unwrap_or("build.rs");
    targets.push(("build".to_owned(), "script".to_owned(), build.into()));
    targets.extend(discovered_targets(dir, files));
    targets
}

/// `[[bin]]`, `[[test]]`, `[[bench]]`, `[[example]]` entries with a `path`: (kind, name, path).
fn explicit_targets(manifest: &toml::Table) -> Vec<(String, String, PathBuf)> {
    let mut targets = Vec::new();
    for &(kind, _) in TARGET_DIRS {
        let Some(entries) = manifest.get(kind).and_then(toml::Value::as_array) else {
            continue;
        };
        for entry in entries {
            let name = entry.get("name").and_then(toml::Value::as_str);
            let path = entry.get("path").and_then(toml::Value::as_str);
            if let (Some(name), Some(path)) = (name, path) {
                targets.push((kind.to_owned(), name.to_owned(), PathBuf::from(path)));
            }
        }
    }
    targets
}

/// Targets found by Cargo's conventions: `<folder>/x.rs` and `<folder>/x/main.rs`.
fn discovered_targets(dir: &Path, files: &Files<'_>) -> Vec<(String, String, PathBuf)> {
    let mut targets = Vec::new();
    for &(kind, folder) in TARGET_DIRS {
        let base = dir.join(folder);
        let mut found: Vec<(String, PathBuf)> = files
            .near(&base)
            .filter_map(|f| target_in(&base, f))
            .collect();
        found.sort();
        targets.extend(
            found
                .into_iter()
                .map(|(name, path)| (kind.to_owned(), name, path)),
        );
    }
    targets
}

/// `base/x.rs` is target `x`, `base/x/main.rs` too; the path is relative to the package.
fn target_in(base: &Path, file: &Path) -> Option<(String, PathBuf)> {
    let below = file.strip_prefix(base).ok()?;
    let parts: Vec<&str> = below.iter().filter_map(|p| p.to_str()).collect();
    let name = match parts.as_slice() {
        [single] => single.strip_suffix(".rs")?,
        [folder, "main.rs"] => folder,
        _ => return None,
    };
    let package = base.parent()?;
    let package = if base.ends_with("src/bin") {
        package.parent()?
    } else {
        package
    };
    Some((
        name.to_owned(),
        file.strip_prefix(package).ok()?.to_path_buf(),
    ))
}
