//! The result of the per-file stages: every measured file with its metrics, directives,
//! thresholds and architecture facts. Data only, so the later stages (the module graph, the
//! gates, the reports) read it without importing the driver that produced it
//! ([`crate::analyze`]).

use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostic::{Diagnostic, Ignored};
use crate::facts::{ClassFacts, FileImport, ModuleDeclaration};
use crate::metrics::FileMetrics;
use crate::registry::Thresholds;
use crate::suppress::Directive;

/// One measured file.
#[derive(Clone, Debug)]
pub struct FileAnalysis {
    /// Path relative to the analysis root.
    pub path: PathBuf,
    /// Language identifier.
    pub language: &'static str,
    /// Its measurements.
    pub metrics: FileMetrics,
    /// Its `gatecheck:` directives.
    pub directives: Vec<Directive>,
    /// The thresholds that apply to it (config plus matching overrides).
    pub thresholds: Thresholds,
    /// Its imports as written, before resolution (input of [`crate::graph::resolve::build`]).
    pub imports: Vec<FileImport>,
    /// Its `mod x;` declarations (Rust), for module naming.
    pub module_declarations: Vec<ModuleDeclaration>,
    /// Its classes / inherent `impl` types with what each method touches (for LCOM4).
    pub classes: Vec<ClassFacts>,
}

/// The result of analysing a tree.
#[derive(Debug)]
pub struct Analysis {
    /// The root that report paths are relative to.
    pub root: PathBuf,
    /// Measured files, sorted by path.
    pub files: Vec<FileAnalysis>,
    /// Per-file problems, sorted by path.
    pub diagnostics: Vec<Diagnostic>,
    /// What ignore files and hidden names left out, sorted by path.
    pub ignored: Vec<Ignored>,
    /// Wall time of the whole analysis.
    pub duration: Duration,
}
