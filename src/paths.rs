//! Path helpers shared by every stage: making a path absolute, relative to a root, normalised
//! without touching the file system, and written with `/` separators for reports. A leaf: it
//! imports nothing of gatecheck (ripgrep's `ignore::pathutil` plays the same role).

use std::path::{Component, Path, PathBuf};

/// The project root, which every reported path is relative to (so CI annotations, SARIF and
/// editors can open them): the directory of the configuration in effect, else the top level
/// of the git work tree holding `first` (the first path analysed), else the current directory
/// when it holds `first`, else `first` itself (or its directory, for a file). Absolute and
/// normalised.
#[must_use]
pub fn project_root(config_dir: Option<&Path>, first: &Path) -> PathBuf {
    let config_dir = config_dir.map(|d| {
        if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        }
    });
    if let Some(dir) = config_dir {
        return normalize(&absolute(dir));
    }
    if let Some(top) = git_top(first) {
        return top;
    }
    let current = normalize(&absolute(Path::new(".")));
    let first = normalize(&absolute(first));
    if first.starts_with(&current) {
        return current;
    }
    if first.is_dir() {
        first
    } else {
        first.parent().map_or(current, Path::to_path_buf)
    }
}

/// The top level of the git work tree holding `path`: the nearest ancestor (of the directory
/// itself, for a directory) with a `.git` entry (a directory, or a file in a linked work tree
/// or submodule).
#[must_use]
pub fn git_top(path: &Path) -> Option<PathBuf> {
    let start = normalize(&absolute(path));
    let dir = if start.is_dir() {
        start.as_path()
    } else {
        start.parent()?
    };
    dir.ancestors()
        .find(|d| d.join(".git").symlink_metadata().is_ok())
        .map(Path::to_path_buf)
}

/// `path` relative to `root` (an absolute, normalised directory): made absolute against the
/// current directory and normalised first, so `src/a.py` given from a subdirectory and
/// `../src/a.py` name the same file. A path outside `root` stays absolute.
#[must_use]
pub fn relative_to_root(path: &Path, root: &Path) -> PathBuf {
    relative_to(&normalize(&absolute(path)), root)
}

/// `path` made absolute against the current directory (unchanged when that fails).
#[must_use]
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `path` relative to `root` when it lies below it, else `path` itself.
#[must_use]
pub fn relative_to(path: &Path, root: &Path) -> PathBuf {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    if relative.as_os_str().is_empty() {
        path.file_name()
            .map_or_else(|| path.to_path_buf(), PathBuf::from)
    } else {
        relative.to_path_buf()
    }
}

/// `a/./b/../c` is `a/c`, without touching the file system.
#[must_use]
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` as report text: lossy UTF-8, `/`-separated on every platform.
#[must_use]
pub fn to_slash(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_dots_without_the_file_system() {
        assert_eq!(normalize(Path::new("a/./b/../c")), Path::new("a/c"));
        assert_eq!(normalize(Path::new("/x/../../y")), Path::new("/y"));
    }

    #[test]
    fn relative_to_strips_the_root_or_keeps_the_path() {
        assert_eq!(
            relative_to(Path::new("/r/a/b.py"), Path::new("/r")),
            Path::new("a/b.py")
        );
        assert_eq!(
            relative_to(Path::new("/o/b.py"), Path::new("/r")),
            Path::new("/o/b.py")
        );
        assert_eq!(
            relative_to(Path::new("/r/b.py"), Path::new("/r/b.py")),
            Path::new("b.py")
        );
    }

    #[test]
    fn the_project_root_is_the_config_directory_else_the_git_top_level() {
        let dir = tempfile::tempdir().expect("temp dir");
        let top = normalize(&absolute(dir.path()));
        std::fs::create_dir_all(top.join("repo/.git")).expect("mkdir");
        std::fs::create_dir_all(top.join("repo/src/pkg")).expect("mkdir");
        let file = top.join("repo/src/pkg/mod.py");
        std::fs::write(&file, "").expect("write");
        assert_eq!(project_root(None, &file), top.join("repo"));
        assert_eq!(
            project_root(Some(&top.join("repo/src")), &file),
            top.join("repo/src")
        );
        assert_eq!(git_top(&top), None);
    }

    #[test]
    fn relative_to_root_normalises_first() {
        let root = Path::new("/r");
        assert_eq!(
            relative_to_root(Path::new("/r/a/../b.py"), root),
            Path::new("b.py")
        );
    }
}
