//! Configuration errors: each names the file, the line, the key and what to do.

use std::fmt;
use std::path::PathBuf;

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("{}: cannot be read", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file could not be read within bounds (not a regular file, too big).
    #[error("{0}")]
    Read(#[from] crate::bounded::ReadError),
    /// A configuration found by the upward search that gatecheck will not trust: another
    /// user's file, or one in a directory anyone may write to.
    #[error(
        "{}: {why}; a configuration found by searching upwards is only trusted when it belongs \
         to you (or root) and lies in a directory only its owner can write. Name it with \
         --config to use it anyway",
        path.display()
    )]
    Untrusted {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// The file is not valid TOML.
    #[error("{}:{line}: invalid TOML: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What the TOML parser said.
        message: String,
    },
    /// `--config` named a pyproject.toml or Cargo.toml without a gatecheck table.
    #[error(
        "{}: has no gatecheck table; add [tool.gatecheck] (pyproject.toml) or \
         [package.metadata.gatecheck] (Cargo.toml), or run `gatecheck init`",
        path.display()
    )]
    NoTable {
        /// The file.
        path: PathBuf,
    },
    /// A key that gatecheck does not know.
    #[error("{}:{line}: unknown key `{key}` in {table}{}", path.display(), Suggestion(suggestion.as_deref()))]
    UnknownKey {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The key as written.
        key: String,
        /// The table it is in (`[code_quality]`, `the top level`).
        table: String,
        /// The closest valid key, if one is close.
        suggestion: Option<String>,
    },
    /// A known key in a table where it does not belong.
    #[error("{}:{line}: `{key}` does not belong in {table}; {hint}", path.display())]
    MisplacedKey {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The key.
        key: String,
        /// The table it was found in.
        table: String,
        /// Where it belongs instead.
        hint: String,
    },
    /// A value of the wrong type or out of range.
    #[error("{}:{line}: `{key}` {problem}", path.display())]
    BadValue {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The key.
        key: String,
        /// What is wrong and what is expected.
        problem: String,
    },
}

struct Suggestion<'a>(Option<&'a str>);

impl fmt::Display for Suggestion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(s) => write!(f, "; did you mean `{s}`?"),
            None => Ok(()),
        }
    }
}
