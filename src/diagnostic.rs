//! Per-file problems that never stop a run: a file that cannot be read, decoded, parsed or
//! measured becomes a [`Diagnostic`] in the report, and the run goes on.

use std::path::PathBuf;

use serde::Serialize;

/// The pipeline stage where a problem was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Walking the directory tree.
    Walk,
    /// Reading and decoding a file.
    Read,
    /// Parsing it with tree-sitter.
    Parse,
    /// Running queries and measuring.
    Measure,
    /// Reading configuration or suppressions.
    Config,
}

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The file was not measured (or only partly).
    Error,
    /// The file was measured, but something about it deserves a look.
    Warning,
}

/// One problem with one path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The path concerned (relative to the analysis root when it is below it).
    pub path: PathBuf,
    /// Where it happened.
    pub stage: Stage,
    /// How bad it is.
    pub severity: Severity,
    /// What happened and what to do about it.
    pub message: String,
}

impl Diagnostic {
    /// A problem that kept the file from being measured.
    pub fn error(path: impl Into<PathBuf>, stage: Stage, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            stage,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A problem that did not keep the file from being measured.
    pub fn warning(path: impl Into<PathBuf>, stage: Stage, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            stage,
            severity: Severity::Warning,
            message: message.into(),
        }
    }
}

/// A directory or source file the walk left out because an ignore file or its hidden name
/// said so (listed in reports, so a new `.ignore` cannot drop a failing file unseen).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ignored {
    /// Its path, relative to the project root.
    pub path: PathBuf,
    /// Why: the ignore files of this directory (relative), or `hidden`.
    pub by: String,
}
