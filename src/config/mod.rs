//! Configuration: finds the config file, validates it against the gate registry and builds the
//! settings the stages need.
//!
//! Discovery, from the analysed path upwards, stopping at the first directory that has one:
//! `gatecheck.toml`, else `[tool.gatecheck]` in `pyproject.toml`, else
//! `[package.metadata.gatecheck]` / `[workspace.metadata.gatecheck]` in `Cargo.toml`. A
//! `pyproject.toml` or `Cargo.toml` without a gatecheck table is passed over. `--config FILE`
//! wins over discovery. With no file at all, every default holds.

pub mod discover;
mod error;
pub mod measure;
pub mod perf;
mod read;
pub mod template;

use std::path::{Path, PathBuf};
use std::time::Duration;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

pub use error::ConfigError;

use crate::graph::resolve::ResolveSettings;
use crate::graph::settings::ArchitectureSettings;
use crate::registry::{GATES, Threshold, Thresholds};
use crate::walk::WalkSettings;

/// Files larger than this are skipped by default: 4 MiB is far beyond hand-written source, and
/// keeps one generated file from dominating a run's time and memory.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A parse that takes longer than this is stopped by default; tree-sitter parses megabytes a
/// second, so only pathological input comes near it.
pub const DEFAULT_PARSE_TIMEOUT: Duration = Duration::from_secs(10);

/// Resource limits per file.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Longest parse of one file.
    pub parse_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            parse_timeout: DEFAULT_PARSE_TIMEOUT,
        }
    }
}

/// Thresholds that apply to the paths matching some patterns.
#[derive(Clone, Debug)]
pub struct Override {
    /// The patterns as written (`.gitignore` syntax, relative to the config file's directory).
    pub paths: Vec<String>,
    matcher: Gitignore,
    /// The thresholds it sets.
    pub thresholds: Thresholds,
}

/// The gates' thresholds: the configured ones, defaults filled in, and the per-path
/// `[[overrides]]`.
#[derive(Clone, Debug)]
pub struct GateSettings {
    /// Thresholds by gate key, defaults filled in.
    pub thresholds: Thresholds,
    /// Per-path overrides, in file order; a later one wins over an earlier one.
    pub overrides: Vec<Override>,
}

impl Default for GateSettings {
    fn default() -> Self {
        GateSettings {
            thresholds: GATES.iter().map(|g| (g.key, g.default)).collect(),
            overrides: Vec::new(),
        }
    }
}

impl GateSettings {
    /// The configured threshold of `gate` (its registry default when unset or unknown).
    #[must_use]
    pub fn threshold(&self, gate: &str) -> Threshold {
        self.thresholds.get(gate).copied().unwrap_or_else(|| {
            crate::registry::gate(gate).map_or(Threshold::Flag(false), |g| g.default)
        })
    }

    /// Turns off (threshold `Off`, status `disabled`) the gates `select` leaves out, when it
    /// is given, and the gates `ignore` names, here and in every `[[overrides]]` entry (ruff's
    /// `--select` / `--ignore`). Names must be gate keys: see [`known_gate`].
    pub fn select(&mut self, select: Option<&[String]>, ignore: &[String]) {
        let off = |key: &str| {
            select.is_some_and(|s| !s.iter().any(|g| g == key)) || ignore.iter().any(|g| g == key)
        };
        for gate in GATES.iter().filter(|g| off(g.key)) {
            self.thresholds.insert(gate.key, Threshold::Off);
            for o in &mut self.overrides {
                o.thresholds.remove(gate.key);
            }
        }
    }

    /// The thresholds for one file, given by its path relative to [`Config::base_dir`].
    #[must_use]
    pub fn thresholds_for(&self, relative: &Path) -> Thresholds {
        let mut thresholds = self.thresholds.clone();
        for o in self.matching(relative) {
            thresholds.extend(o.thresholds.iter().map(|(k, v)| (*k, *v)));
        }
        thresholds
    }

    /// The `[[overrides]]` entries that match `relative`, with their 1-based positions.
    fn matching<'s>(&'s self, relative: &'s Path) -> impl Iterator<Item = &'s Override> {
        self.overrides.iter().filter(move |o| {
            !relative.has_root()
                && o.matcher
                    .matched_path_or_any_parents(relative, false)
                    .is_ignore()
        })
    }

    /// Each gate's threshold for `relative` and where it comes from (`--show-config`): the
    /// last matching `[[overrides]]` entry that sets it (1-based), else the configuration
    /// when it differs from the default, else the default.
    #[must_use]
    pub fn origins(&self, relative: &Path) -> Vec<(&'static str, Threshold, Origin)> {
        let thresholds = self.thresholds_for(relative);
        GATES
            .iter()
            .map(|g| {
                let value = thresholds.get(g.key).copied().unwrap_or(g.default);
                let by_override = self
                    .overrides
                    .iter()
                    .enumerate()
                    .rfind(|(_, o)| {
                        o.thresholds.contains_key(g.key)
                            && self.matching(relative).any(|m| std::ptr::eq(m, *o))
                    })
                    .map(|(i, o)| Origin::Override(i + 1, o.paths.clone()));
                let origin = by_override.unwrap_or(if value == g.default {
                    Origin::Default
                } else {
                    Origin::Configuration
                });
                (g.key, value, origin)
            })
            .collect()
    }
}

/// Where a threshold in effect comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The registry's default.
    Default,
    /// The configuration's own table.
    Configuration,
    /// The `[[overrides]]` entry at this 1-based position, with its patterns.
    Override(usize, Vec<String>),
}

/// The whole configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file it was read from (`None`: built-in defaults).
    pub source: Option<PathBuf>,
    /// The gates' thresholds, configured and per path.
    pub gates: GateSettings,
    /// Patterns (`.gitignore` syntax) of paths to leave out: `exclude`, then
    /// `extend_exclude`, then `--exclude`.
    pub exclude: Vec<String>,
    /// Leave out `walk::DEFAULT_EXCLUDES` (false once `exclude` replaces them, or with
    /// `--no-default-excludes`).
    pub default_excludes: bool,
    /// Leave out directories holding a `pyvenv.cfg` (false with `--no-default-excludes`).
    pub skip_virtualenvs: bool,
    /// Honour ignore files and leave out hidden entries (false with `--no-ignore`).
    pub respect_ignores: bool,
    /// Resource limits.
    pub limits: Limits,
    /// Performance targets and settings (`[performance]` besides its gates).
    pub perf: perf::PerfConfig,
    /// `[python] roots`: Python import roots, relative to the config file's directory.
    pub python_roots: Vec<String>,
    /// `[architecture]` options and rules besides its gate thresholds.
    pub architecture: ArchitectureSettings,
    /// Whether its `[performance]` commands may run: false for a configuration the upward
    /// search found outside the analysed directory's git work tree (see [`discover`]).
    pub may_run_commands: bool,
    /// The options that change how files are measured (`[code_quality] nested_functions`).
    pub measure: measure::MeasureSettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            source: None,
            gates: GateSettings::default(),
            exclude: Vec::new(),
            default_excludes: true,
            skip_virtualenvs: true,
            respect_ignores: true,
            limits: Limits::default(),
            perf: perf::PerfConfig::default(),
            python_roots: Vec::new(),
            architecture: ArchitectureSettings::default(),
            may_run_commands: true,
            measure: measure::MeasureSettings::default(),
        }
    }
}

impl Config {
    /// Reads the configuration from `file` (a gatecheck.toml, pyproject.toml or Cargo.toml).
    ///
    /// # Errors
    /// [`ConfigError`] naming the file, line, key and the fix.
    pub fn load(file: &Path) -> Result<Config, ConfigError> {
        discover::load(file)
    }

    /// Finds and reads the configuration for `start`: see [`discover::discover`].
    ///
    /// # Errors
    /// [`ConfigError`] when a file found is invalid or not trusted.
    pub fn discover(start: &Path) -> Result<Config, ConfigError> {
        discover::discover(start).map(|d| Config {
            may_run_commands: d.may_run_commands,
            ..d.config
        })
    }

    /// The configuration file, for messages (`the built-in defaults` without one).
    #[must_use]
    pub fn source_name(&self) -> String {
        self.source.as_deref().map_or_else(
            || "the built-in defaults".to_owned(),
            |p| p.display().to_string(),
        )
    }

    /// The directory that relative patterns in this configuration are relative to.
    #[must_use]
    pub fn base_dir(&self) -> Option<&Path> {
        self.source.as_deref().and_then(Path::parent)
    }

    /// What the walk of a tree rooted at `root` leaves out, by this configuration.
    #[must_use]
    pub fn walk_settings(&self, root: &Path, threads: usize) -> WalkSettings {
        WalkSettings {
            root: root.to_path_buf(),
            exclude_base: self
                .base_dir()
                .map_or_else(|| root.to_path_buf(), Path::to_path_buf),
            exclude: self.exclude.clone(),
            threads,
            default_excludes: self.default_excludes,
            skip_virtualenvs: self.skip_virtualenvs,
            respect_ignores: self.respect_ignores,
        }
    }

    /// Turns the default excludes off (`--no-default-excludes`), for audits of everything.
    pub fn without_default_excludes(&mut self) {
        self.default_excludes = false;
        self.skip_virtualenvs = false;
    }
}

/// What module naming needs of `config` for a project rooted at `root` (`[python] roots`,
/// relative to the configuration's directory).
#[must_use]
pub fn resolve_settings(config: &Config, root: &Path) -> ResolveSettings {
    let base = config.base_dir().unwrap_or(root);
    ResolveSettings::new(&config.python_roots, base, root)
}

/// The gate called `name`, else a message naming the closest gate and where the list is.
///
/// # Errors
/// The message, when no gate has that name.
pub fn known_gate(name: &str) -> Result<&'static crate::registry::GateDef, String> {
    crate::registry::gate(name).ok_or_else(|| {
        let closest = GATES
            .iter()
            .map(|g| (strsim::jaro_winkler(name, g.key), g.key))
            .filter(|(score, _)| *score > 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map_or_else(String::new, |(_, key)| format!("; did you mean `{key}`?"));
        format!(
            "`{name}` is no gate{closest} (the gates are listed by `gatecheck init` and in \
             docs/metrics.md)"
        )
    })
}

/// Builds the matcher of an override's patterns.
fn path_matcher(base: &Path, patterns: &[String]) -> Result<Gitignore, String> {
    let mut builder = GitignoreBuilder::new(base);
    for p in patterns {
        builder.add_line(None, p).map_err(|e| e.to_string())?;
    }
    builder.build().map_err(|e| e.to_string())
}
