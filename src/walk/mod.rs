//! Stage 1: finds the source files to analyse.
//!
//! Walks the given paths in parallel with the `ignore` crate (honouring `.gitignore`, `.ignore`
//! and git's exclude files, also outside a git repository), skips hidden entries and the
//! configured `exclude` patterns, picks a language by extension and returns the files sorted,
//! so that output never depends on thread timing. Problems become [`Diagnostic`]s.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::diagnostic::{Diagnostic, Ignored, Stage};
use crate::lang::{self, LanguageSpec};
use crate::paths::{absolute, relative_to, relative_to_root};

mod ignores;

use ignores::IgnoreFiles;

/// Directories left out by default, wherever they are (ruff's default `exclude`): version
/// control, virtual environments, build output, caches and installed packages, none of which
/// is the project's own source. Matched against a directory's name. `exclude` in the
/// configuration replaces them, `extend_exclude` adds to them, `--no-default-excludes` turns
/// them off.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "env",
    ".tox",
    ".nox",
    ".eggs",
    "*.egg-info",
    "__pycache__",
    "__pypackages__",
    "build",
    "dist",
    "site-packages",
    "node_modules",
    "target",
    "_build",
    "buck-out",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".direnv",
];

/// A file to analyse.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Its path as found by the walk (joined onto the path given by the user).
    pub path: PathBuf,
    /// Its path relative to the analysis root, for reports and path patterns.
    pub relative: PathBuf,
    /// Its language.
    pub language: &'static LanguageSpec,
    /// Its size in bytes when it was found.
    pub size: u64,
}

/// What the walk needs to know.
#[derive(Clone, Debug, Default)]
pub struct WalkSettings {
    /// The project root (absolute, normalised): paths in reports are relative to it.
    pub root: PathBuf,
    /// The directory `exclude` patterns are relative to (the config file's directory).
    pub exclude_base: PathBuf,
    /// Patterns in `.gitignore` syntax, relative to `exclude_base`, for paths to leave out.
    pub exclude: Vec<String>,
    /// Number of walker threads (0: as many as there are cores).
    pub threads: usize,
    /// Leave out the [`DEFAULT_EXCLUDES`] directories.
    pub default_excludes: bool,
    /// Leave out every directory holding a `pyvenv.cfg` (a Python virtual environment,
    /// whatever its name).
    pub skip_virtualenvs: bool,
    /// Honour `.gitignore`, `.ignore` and `.git/info/exclude`, and leave out hidden entries
    /// (false with `--no-ignore`, for audits).
    pub respect_ignores: bool,
}

/// The outcome of a walk.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to analyse, sorted by relative path.
    pub files: Vec<SourceFile>,
    /// Problems met on the way.
    pub diagnostics: Vec<Diagnostic>,
    /// What ignore files and hidden names left out, sorted by path.
    pub ignored: Vec<Ignored>,
}

/// Errors that stop a walk before it starts.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// A path given to analyse does not exist or cannot be read.
    #[error("{}: does not exist or cannot be read; check the paths you asked gatecheck to analyse", path.display())]
    Missing {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An `exclude` pattern is not valid.
    #[error("exclude pattern `{pattern}`: {message}")]
    Pattern {
        /// The pattern.
        pattern: String,
        /// What is wrong with it.
        message: String,
    },
}

/// Finds the files below `paths` (files given directly are taken as they are).
///
/// # Errors
/// [`WalkError`] when a path does not exist or an exclude pattern is invalid.
pub fn discover(paths: &[PathBuf], settings: &WalkSettings) -> Result<Discovery, WalkError> {
    let ignores = Arc::new(IgnoreFiles::new(
        ignore_top(paths, settings),
        settings.root.clone(),
    ));
    let ignored = Arc::new(Mutex::new(Vec::new()));
    let Some(builder) = walker(paths, settings, &ignores, &ignored)? else {
        return Ok(Discovery::default());
    };
    let found = Mutex::new(Discovery::default());
    builder.build_parallel().run(|| {
        let found = &found;
        let root = &settings.root;
        Box::new(move |entry| {
            let outcome = classify(entry, root);
            if matches!(outcome, Found::Nothing) {
                return WalkState::Continue;
            }
            if let Ok(mut found) = found.lock() {
                match outcome {
                    Found::File(file) => found.files.push(file),
                    Found::Problem(d) => found.diagnostics.push(d),
                    Found::Nothing => {}
                }
            }
            WalkState::Continue
        })
    });
    let mut found = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    found.files.sort_by(|a, b| a.relative.cmp(&b.relative));
    found.files.dedup_by(|a, b| a.relative == b.relative);
    found.diagnostics.extend(ignores.take_problems());
    found.diagnostics.sort();
    found.ignored = std::mem::take(&mut *ignored.lock().unwrap_or_else(PoisonError::into_inner));
    found.ignored.sort();
    found.ignored.dedup();
    Ok(found)
}

/// The highest directory whose ignore files count: the git work tree's top, else the root.
fn ignore_top(paths: &[PathBuf], settings: &WalkSettings) -> PathBuf {
    paths
        .first()
        .and_then(|p| crate::paths::git_top(p))
        .unwrap_or_else(|| settings.root.clone())
}

/// The configured walker over `paths` (`None` when there are none).
fn walker(
    paths: &[PathBuf],
    settings: &WalkSettings,
    ignores: &Arc<IgnoreFiles>,
    ignored: &Arc<Mutex<Vec<Ignored>>>,
) -> Result<Option<WalkBuilder>, WalkError> {
    for path in paths {
        std::fs::symlink_metadata(path).map_err(|source| WalkError::Missing {
            path: path.clone(),
            source,
        })?;
    }
    let excluded = exclude_matcher(settings)?;
    let Some((first, rest)) = paths.split_first() else {
        return Ok(None);
    };
    let mut builder = WalkBuilder::new(first);
    for path in rest {
        builder.add(path);
    }
    let filter = Filter {
        excluded,
        exclude_base: absolute(&settings.exclude_base),
        defaults: settings.default_excludes.then(default_excludes),
        skip_virtualenvs: settings.skip_virtualenvs,
        ignores: settings.respect_ignores.then(|| Arc::clone(ignores)),
        ignored: Arc::clone(ignored),
        root: settings.root.clone(),
    };
    // Ignore files and hidden names are gatecheck's to judge (bounded reads, counted).
    builder
        .standard_filters(false)
        .follow_links(false)
        .threads(settings.threads)
        .filter_entry(move |entry| filter.keeps(entry));
    Ok(Some(builder))
}

/// What the walk leaves out, in order: default-excluded directories and `exclude` patterns
/// (silently: the configuration says so), then hidden names and ignore files (recorded).
struct Filter {
    excluded: Gitignore,
    exclude_base: PathBuf,
    defaults: Option<globset::GlobSet>,
    skip_virtualenvs: bool,
    ignores: Option<Arc<IgnoreFiles>>,
    ignored: Arc<Mutex<Vec<Ignored>>>,
    root: PathBuf,
}

impl Filter {
    fn keeps(&self, entry: &ignore::DirEntry) -> bool {
        if entry.depth() == 0 {
            return true;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        let path = absolute(entry.path());
        if is_dir && self.default_excluded(entry) {
            return false;
        }
        if is_excluded(&self.excluded, &self.exclude_base, &path, is_dir) {
            return false;
        }
        let Some(ignores) = &self.ignores else {
            return true;
        };
        let hidden = entry.file_name().as_encoded_bytes().starts_with(b".");
        let by = if hidden {
            Some("hidden".to_owned())
        } else {
            ignores
                .ignoring(&path, is_dir)
                .map(|file| crate::paths::to_slash(&relative_to_root(&file, &self.root)))
        };
        let Some(by) = by else {
            return true;
        };
        if is_dir || lang::for_path(&path).is_some() {
            self.record(&path, by);
        }
        false
    }

    fn default_excluded(&self, entry: &ignore::DirEntry) -> bool {
        let by_name = self
            .defaults
            .as_ref()
            .is_some_and(|set| set.is_match(entry.file_name()));
        by_name || (self.skip_virtualenvs && entry.path().join("pyvenv.cfg").is_file())
    }

    fn record(&self, path: &Path, by: String) {
        let ignored = Ignored {
            path: relative_to_root(path, &self.root),
            by,
        };
        self.ignored
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(ignored);
    }
}

enum Found {
    File(SourceFile),
    Problem(Diagnostic),
    Nothing,
}

fn classify(entry: Result<ignore::DirEntry, ignore::Error>, root: &Path) -> Found {
    let entry = match entry {
        Ok(entry) => entry,
        Err(err) => return Found::Problem(walk_problem(&err, root)),
    };
    let path = entry.path();
    let Some(language) = lang::for_path(path) else {
        return linked_directory(&entry, root);
    };
    let relative = relative_to_root(path, root);
    let Some(file_type) = entry.file_type() else {
        return Found::Nothing;
    };
    if file_type.is_symlink() {
        return Found::Problem(Diagnostic::warning(
            relative,
            Stage::Walk,
            "symbolic link not followed; gatecheck measures each file at its real path \
             (analyse the link's target directly if it lies outside the tree)",
        ));
    }
    if !file_type.is_file() {
        return Found::Problem(Diagnostic::error(
            relative,
            Stage::Walk,
            "not a regular file (a FIFO, socket or device); skipped",
        ));
    }
    let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
    Found::File(SourceFile {
        path: path.to_path_buf(),
        relative,
        language,
        size,
    })
}

/// A symbolic link to a directory is not followed; say so, since files may hide behind it.
fn linked_directory(entry: &ignore::DirEntry, root: &Path) -> Found {
    let is_link = entry.file_type().is_some_and(|t| t.is_symlink());
    if is_link && entry.path().is_dir() {
        return Found::Problem(Diagnostic::warning(
            relative_to_root(entry.path(), root),
            Stage::Walk,
            "symbolic link to a directory not followed (links can form loops); analyse the \
             target directly if it holds code to check",
        ));
    }
    Found::Nothing
}

fn walk_problem(err: &ignore::Error, root: &Path) -> Diagnostic {
    let path = error_path(err).map_or_else(|| root.to_path_buf(), |p| relative_to_root(p, root));
    let message = match io_error(err) {
        Some(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            "permission denied; skipped (grant read access or add it to `exclude`)".to_owned()
        }
        _ => format!("{err}; skipped (add it to `exclude` if it should not be analysed)"),
    };
    Diagnostic::error(path, Stage::Walk, message)
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithLineNumber { err, .. } | ignore::Error::WithDepth { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn io_error(err: &ignore::Error) -> Option<&std::io::Error> {
    match err {
        ignore::Error::Io(io) => Some(io),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithLineNumber { err, .. }
        | ignore::Error::WithDepth { err, .. } => io_error(err),
        _ => None,
    }
}

/// The [`DEFAULT_EXCLUDES`] as one matcher over directory names.
fn default_excludes() -> globset::GlobSet {
    let mut builder = globset::GlobSetBuilder::new();
    for name in DEFAULT_EXCLUDES {
        if let Ok(glob) = globset::Glob::new(name) {
            builder.add(glob);
        }
    }
    builder
        .build()
        .unwrap_or_else(|_| globset::GlobSet::empty())
}

fn exclude_matcher(settings: &WalkSettings) -> Result<Gitignore, WalkError> {
    let mut builder = GitignoreBuilder::new(absolute(&settings.exclude_base));
    for pattern in &settings.exclude {
        builder
            .add_line(None, pattern)
            .map_err(|e| WalkError::Pattern {
                pattern: pattern.clone(),
                message: e.to_string(),
            })?;
    }
    builder.build().map_err(|e| WalkError::Pattern {
        pattern: settings.exclude.join(", "),
        message: e.to_string(),
    })
}

fn is_excluded(matcher: &Gitignore, root: &Path, path: &Path, is_dir: bool) -> bool {
    if matcher.is_empty() {
        return false;
    }
    let relative = relative_to(path, root);
    if relative.has_root() {
        // Outside the root: patterns relative to the root cannot name it.
        return false;
    }
    matcher
        .matched_path_or_any_parents(&relative, is_dir)
        .is_ignore()
}
