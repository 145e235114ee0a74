//! The ignore files gatecheck honours (`.gitignore`, `.ignore`, `.git/info/exclude`), read by
//! gatecheck itself rather than by the walker so that reading them is bounded: each file is
//! opened non-blocking, must be a regular file, may hold at most [`MAX_IGNORE_BYTES`] and
//! [`MAX_PATTERNS`] patterns; anything else is a diagnostic naming it, and the file is not
//! used. Matchers are built once per directory and shared by the walker's threads.
//!
//! Precedence is git's: the deepest directory's files decide first, `.ignore` over
//! `.gitignore` over `.git/info/exclude` in one directory, a `!pattern` re-includes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rustc_hash::FxHashMap;

use crate::bounded;
use crate::diagnostic::{Diagnostic, Stage};
use crate::paths::relative_to_root;

/// The largest ignore file read: hand-written ones are a few KiB.
pub(super) const MAX_IGNORE_BYTES: u64 = 1024 * 1024;
/// The most patterns read from one ignore file (matching costs grow with them).
pub(super) const MAX_PATTERNS: usize = 10_000;

/// The ignore files of one directory, compiled.
type Matcher = Option<Arc<Gitignore>>;

/// Every directory's ignore files, loaded on first use.
#[derive(Debug)]
pub(super) struct IgnoreFiles {
    /// Ancestors above this directory are not read (the git work tree's top, or the root).
    top: PathBuf,
    /// The project root, for the paths of diagnostics.
    root: PathBuf,
    matchers: Mutex<FxHashMap<PathBuf, Matcher>>,
    problems: Mutex<Vec<Diagnostic>>,
}

impl IgnoreFiles {
    /// Ignore files from `top` (absolute) down; diagnostics relative to `root`.
    pub(super) fn new(top: PathBuf, root: PathBuf) -> IgnoreFiles {
        IgnoreFiles {
            top,
            root,
            matchers: Mutex::default(),
            problems: Mutex::default(),
        }
    }

    /// The ignore file that excludes `path` (absolute), if any.
    pub(super) fn ignoring(&self, path: &Path, is_dir: bool) -> Option<PathBuf> {
        for dir in path.ancestors().skip(1) {
            if let Some(matcher) = self.matcher(dir) {
                match matcher.matched(path, is_dir) {
                    Match::Ignore(glob) => {
                        return Some(
                            glob.from()
                                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf),
                        );
                    }
                    Match::Whitelist(_) => return None,
                    Match::None => {}
                }
            }
            if dir == self.top || !dir.starts_with(&self.top) {
                break;
            }
        }
        None
    }

    /// What went wrong reading ignore files (taken: a second call gives nothing).
    pub(super) fn take_problems(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.problems.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn matcher(&self, dir: &Path) -> Matcher {
        if let Some(found) = self.lock().get(dir) {
            return found.clone();
        }
        let (matcher, problems) = load(dir, &self.root);
        self.problems
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(problems);
        self.lock().insert(dir.to_path_buf(), matcher.clone());
        matcher
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<PathBuf, Matcher>> {
        self.matchers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The ignore files of `dir` compiled into one matcher, lowest precedence first.
fn load(dir: &Path, root: &Path) -> (Matcher, Vec<Diagnostic>) {
    let mut builder = GitignoreBuilder::new(dir);
    let mut problems = Vec::new();
    let mut any = false;
    for file in [
        dir.join(".git/info/exclude"),
        dir.join(".gitignore"),
        dir.join(".ignore"),
    ] {
        match read_patterns(&file) {
            Ok(None) => {}
            Ok(Some(lines)) => {
                any = true;
                for line in lines {
                    // A malformed glob is skipped, as git skips it.
                    let _ = builder.add_line(Some(file.clone()), &line);
                }
            }
            Err(problem) => problems.push(Diagnostic::warning(
                relative_to_root(&file, root),
                Stage::Walk,
                format!("{problem}; this ignore file is not used"),
            )),
        }
    }
    let matcher = any.then(|| builder.build().ok().map(Arc::new)).flatten();
    (matcher, problems)
}

/// The patterns of one ignore file; `None` when there is none.
fn read_patterns(file: &Path) -> Result<Option<Vec<String>>, String> {
    let text = match bounded::read_text(file, MAX_IGNORE_BYTES) {
        Ok(text) => text,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(bounded::ReadError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::NotADirectory =>
        {
            return Ok(None);
        }
        Err(e) => return Err(e.to_string()),
    };
    let patterns: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    if patterns.len() > MAX_PATTERNS {
        return Err(format!(
            "{} holds {} patterns, more than the {MAX_PATTERNS} gatecheck reads from one \
             ignore file",
            file.display(),
            patterns.len()
        ));
    }
    Ok(Some(patterns))
}
