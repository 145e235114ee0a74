//! Path helpers shared by every stage: making a path absolute, relative to a root, normalised
//! without touching the file system, and written with `/` separators for reports. A leaf: it
//! imports nothing of gatecheck (ripgrep's `ignore::pathutil` plays the same role).

use std::path::{Component, Path, PathBuf};

/// The directory report paths are relative to: the single directory analysed, the directory
/// of the single file analysed, else the current directory.
#[must_use]
pub fn report_root(paths: &[PathBuf]) -> PathBuf {
    match paths {
        [one] if one.is_dir() => one.clone(),
        [one] => one
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        _ => PathBuf::from("."),
    }
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
    fn report_root_of_one_file_is_its_directory() {
        assert_eq!(report_root(&[PathBuf::from("m.py")]), Path::new("."));
        assert_eq!(report_root(&[PathBuf::from("x/m.py")]), Path::new("x"));
    }
}
