//! Where a configuration comes from. The search goes upwards from the analysed path and
//! stops at the project's boundary: the first directory holding `.git`, or a `pyproject.toml`
//! or `Cargo.toml` even without a gatecheck table (the project's own manifest: no table means
//! the defaults). A file found that way is trusted only when it belongs to the current user
//! or root and its directory is writable by its owner alone, so a `gatecheck.toml` planted in
//! a shared parent (the system's temporary directory, a shared build directory) neither
//! passes a run with nothing checked nor runs its `[performance]` commands as you (the class
//! of git's CVE-2022-24765). `--config FILE` is trusted as given.
//!
//! Below the project's configuration, a sub-project's own (a crate's
//! `[package.metadata.gatecheck]`, a package's `pyproject.toml`, a `gatecheck.toml`) sets the
//! gate thresholds of the files under it, as ruff's closest configuration does ([`Nested`]).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::{Config, ConfigError, GateSettings, read};
use crate::bounded::{self, CONFIG_CAP};

/// The files a directory may configure gatecheck in, in order of precedence.
const NAMES: [&str; 3] = ["gatecheck.toml", "pyproject.toml", "Cargo.toml"];

/// What one directory says: a configuration, a project boundary without one, or nothing.
enum Found {
    Config(Box<Config>),
    /// A manifest without a gatecheck table: the project's defaults.
    Manifest,
    Nothing,
}

/// A configuration found by the upward search, and whether its `[performance]` commands may
/// run: only when it lies in the analysed directory or within the same git work tree.
#[derive(Debug)]
pub struct Discovered {
    /// The configuration (the defaults when nothing was found).
    pub config: Config,
    /// Whether it may run commands (`gatecheck perf`).
    pub may_run_commands: bool,
}

/// Finds the configuration for `start`: see the module documentation.
///
/// # Errors
/// [`ConfigError`] when a file found cannot be read, is invalid, or is not trusted.
pub fn discover(start: &Path) -> Result<Discovered, ConfigError> {
    let start = crate::paths::normalize(&crate::paths::absolute(start));
    let first = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    let git_top = crate::paths::git_top(&start);
    for dir in first.into_iter().flat_map(Path::ancestors) {
        match in_dir(dir, true)? {
            Found::Config(config) => {
                let inside =
                    first == Some(dir) || git_top.as_ref().is_some_and(|t| dir.starts_with(t));
                return Ok(Discovered {
                    config: *config,
                    may_run_commands: inside,
                });
            }
            Found::Manifest => break,
            Found::Nothing if dir.join(".git").symlink_metadata().is_ok() => break,
            Found::Nothing => {}
        }
    }
    Ok(Discovered {
        config: Config::default(),
        may_run_commands: true,
    })
}

/// Reads `file`, named by the user (`--config`): trusted as given, but read within bounds.
///
/// # Errors
/// [`ConfigError`] when it cannot be read, is invalid, or has no gatecheck table.
pub fn load(file: &Path) -> Result<Config, ConfigError> {
    let text = bounded::read_text(file, CONFIG_CAP).map_err(|e| io_or_read(file, e))?;
    read::parse(&text, file)?.ok_or_else(|| ConfigError::NoTable {
        path: file.to_path_buf(),
    })
}

/// A missing or unreadable file keeps the historical `Io` error; bounds get their own.
fn io_or_read(file: &Path, error: bounded::ReadError) -> ConfigError {
    match error {
        bounded::ReadError::Io { source, .. } => ConfigError::Io {
            path: file.to_path_buf(),
            source,
        },
        other => ConfigError::Read(other),
    }
}

/// What `dir` holds; `check_trust` refuses files another user could have planted.
fn in_dir(dir: &Path, check_trust: bool) -> Result<Found, ConfigError> {
    for name in NAMES {
        let candidate = dir.join(name);
        // A broken link or a path that vanished is nothing here; a FIFO or a device named
        // like a configuration is an error (below), not skipped.
        if std::fs::metadata(&candidate).is_err() {
            continue;
        }
        if check_trust {
            trusted(&candidate)?;
        }
        return read_found(&candidate, name == "gatecheck.toml");
    }
    Ok(Found::Nothing)
}

/// What the file `candidate` says; a `gatecheck.toml` without settings is still a
/// configuration (of defaults), a manifest without a table is a boundary.
fn read_found(candidate: &Path, own_file: bool) -> Result<Found, ConfigError> {
    let text = bounded::read_text(candidate, CONFIG_CAP).map_err(|e| io_or_read(candidate, e))?;
    Ok(match read::parse(&text, candidate)? {
        Some(config) => Found::Config(Box::new(config)),
        None if own_file => Found::Config(Box::default()),
        None => Found::Manifest,
    })
}

/// Refuses a file owned by another user than the current one or root, or lying in a
/// directory that others may write to.
fn trusted(file: &Path) -> Result<(), ConfigError> {
    let untrusted = |why: String| ConfigError::Untrusted {
        path: file.to_path_buf(),
        why,
    };
    let meta = std::fs::metadata(file).map_err(|source| ConfigError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(untrusted(format!(
            "it belongs to user id {}, not to you ({me}) or root",
            meta.uid()
        )));
    }
    let dir = file.parent().unwrap_or(Path::new("/"));
    let dir_meta = std::fs::metadata(dir).map_err(|source| ConfigError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    if dir_meta.mode() & 0o002 != 0 {
        return Err(untrusted(format!(
            "its directory {} is writable by every user",
            dir.display()
        )));
    }
    Ok(())
}

/// The configurations of sub-projects below the project's own: each sets the gate
/// thresholds (and `[[overrides]]`) of the files under its directory.
#[derive(Debug, Default)]
pub struct Nested {
    /// (absolute directory, its gate settings, its file), deepest first.
    configs: Vec<(PathBuf, GateSettings, PathBuf)>,
}

impl Nested {
    /// Looks for configurations in every directory between `root` (the project's
    /// configuration directory, excluded) and the directories of `files` (absolute).
    ///
    /// # Errors
    /// [`ConfigError`] when a file found cannot be read or is invalid.
    pub fn discover<'a>(
        root: &Path,
        files: impl IntoIterator<Item = &'a Path>,
    ) -> Result<Nested, ConfigError> {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut configs = Vec::new();
        for file in files {
            for dir in file.ancestors().skip(1) {
                if dir == root || !dir.starts_with(root) || !seen.insert(dir.to_path_buf()) {
                    break;
                }
                if let Found::Config(config) = in_dir(dir, false)? {
                    let source = config.source.clone().unwrap_or_default();
                    configs.push((dir.to_path_buf(), config.gates, source));
                }
            }
        }
        configs.sort_by_key(|(dir, _, _)| std::cmp::Reverse(dir.components().count()));
        Ok(Nested { configs })
    }

    /// The settings of the closest sub-project configuration holding `file` (absolute), with
    /// its directory (its patterns are relative to it) and its file.
    #[must_use]
    pub fn for_file(&self, file: &Path) -> Option<(&Path, &GateSettings, &Path)> {
        self.configs
            .iter()
            .find(|(dir, _, _)| file.starts_with(dir))
            .map(|(dir, gates, source)| (dir.as_path(), gates, source.as_path()))
    }

    /// Whether there is none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.configs.is_empty()
    }
}
