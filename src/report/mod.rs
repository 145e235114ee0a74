//! Stage 7: the report, one data structure that every output format writes.
//!
//! [`Report`] is the JSON wire format (schema in docs/report.schema.json): fields are only ever
//! added within a `schema_version`, never renamed. Paths are `/`-separated and relative to the
//! root; a path that is not valid UTF-8 is written lossily in `path` and exactly, as its bytes,
//! in `path_bytes`.

pub mod architecture;
pub mod emit;
pub mod github;
pub mod graph;
pub mod json;
pub mod junit;
pub mod prometheus;
pub mod sarif;
pub mod text;

use std::io::{self, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use std::time::Duration;

use crate::analysis::{Analysis, FileAnalysis};
use crate::coverage::Coverage;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Ignored;
use crate::diagnostic::{Severity, Stage};
use crate::gates::{GateResult, Status, Value, Violation};
use crate::metrics::FileMetrics;
use crate::registry::{self, Threshold};

/// Writes a report in one format; [`emit::Format`] names them all.
pub trait Emitter {
    /// Writes `report` to `out`.
    ///
    /// # Errors
    /// Any error writing to `out`.
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

/// The version of the JSON report's shape.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything a run found.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Version of this shape.
    pub schema_version: u32,
    /// The tool that wrote it.
    pub tool: Tool,
    /// The analysis root (absolute).
    pub root: String,
    /// The configuration file used, if any.
    pub config: Option<String>,
    /// Totals.
    pub summary: Summary,
    /// Every measured file, sorted by path.
    pub files: Vec<FileEntry>,
    /// Every gate of the registry, in registry order.
    pub gates: Vec<GateEntry>,
    /// Per-file problems.
    pub diagnostics: Vec<DiagnosticEntry>,
    /// What `.gitignore`, `.ignore` and hidden names left out (directories and source
    /// files), so nothing drops out of the check unseen; `--no-ignore` includes them.
    pub ignored: Vec<IgnoredEntry>,
    /// The performance measurements, with `gatecheck perf run` and `check --with-perf`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perf: Option<crate::perf::run::PerfReport>,
    /// The newest figures of the performance history, for `gatecheck serve`, which exports
    /// them without running any program (`perf` is absent then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perf_latest: Option<crate::perf::summary::PerfSummary>,
    /// The coverage reports read for `min_test_coverage` (empty when none was found).
    pub coverage: Vec<Coverage>,
    /// Modules of the module graph, sorted by name; absent when the run built no graph.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modules: Option<Vec<architecture::ModuleEntry>>,
    /// Import cycles; absent when the run built no graph.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycles: Option<Vec<architecture::CycleEntry>>,
    /// Classes with their cohesion; absent when the run extracted no class facts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<Vec<architecture::ClassEntry>>,
}

/// Name and version of gatecheck.
#[derive(Debug, Serialize)]
pub struct Tool {
    /// `gatecheck`.
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
}

/// Totals of a run.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Files measured.
    pub files: usize,
    /// Functions measured.
    pub functions: usize,
    /// Whether every measured gate passed.
    pub passed: bool,
    /// Violations over all gates (suppressed ones not included).
    pub violations: usize,
    /// Suppressed violations.
    pub suppressed: usize,
    /// Gates that were not measured.
    pub not_measured: usize,
    /// Gates turned off (threshold `false`, `--ignore`, `--select` without them).
    pub disabled: usize,
    /// Files that could not be measured.
    pub skipped_files: usize,
    /// Directories and source files that ignore files or hidden names left out.
    pub ignored: usize,
    /// Wall time of the analysis.
    pub duration_seconds: f64,
    /// Unix time, in seconds, at which the analysis finished (when the report was made).
    pub timestamp_seconds: f64,
}

/// One measured file.
#[derive(Debug, Serialize)]
pub struct FileEntry {
    /// Path relative to the root, `/`-separated.
    pub path: String,
    /// The exact bytes of a path that is not valid UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<Vec<u8>>,
    /// Language identifier.
    pub language: &'static str,
    /// Its measurements, written as fields of the file entry.
    #[serde(flatten)]
    pub metrics: FileMetrics,
}

/// One gate.
#[derive(Debug, Serialize)]
pub struct GateEntry {
    /// The gate's key.
    pub gate: &'static str,
    /// Its configuration table.
    pub section: &'static str,
    /// Its configured threshold.
    pub threshold: ThresholdValue,
    /// Its status.
    pub status: Status,
    /// Items checked.
    pub checked: usize,
    /// Items over the threshold, worst first.
    pub violations: Vec<ViolationEntry>,
    /// Items over the threshold that a directive exempts.
    pub suppressed: Vec<ViolationEntry>,
}

/// A threshold: a number, or a flag for yes/no rules.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ThresholdValue {
    /// A whole number.
    Count(u64),
    /// A measurement.
    Number(f64),
    /// A yes/no rule.
    Flag(bool),
    /// The gate is off: written `false`.
    #[serde(serialize_with = "off")]
    Off,
}

fn off<S: serde::Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bool(false)
}

impl std::fmt::Display for ThresholdValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ThresholdValue::Count(n) => write!(f, "{n}"),
            ThresholdValue::Number(x) => write!(f, "{x}"),
            ThresholdValue::Flag(b) => write!(f, "{b}"),
            ThresholdValue::Off => f.write_str("off"),
        }
    }
}

impl ViolationEntry {
    /// `item value > threshold` (`<` for a minimum, `breaks` for a rule): the words every
    /// format shows for a violation of `gate`.
    #[must_use]
    pub fn describe(&self, gate: &str) -> String {
        if let ThresholdValue::Flag(_) = self.threshold {
            // A yes/no rule has no number to exceed: `item (value)`, e.g. a cycle and its size.
            return format!("{} ({})", self.item, self.value);
        }
        let symbol = registry::gate(gate).map_or(">", |g| g.bound.violated_symbol());
        format!("{} {} {symbol} {}", self.item, self.value, self.threshold)
    }
}

impl ViolationEntry {
    /// How far beyond its threshold the item is, as a ratio (2.0: twice the limit, or half
    /// the minimum): what "worst first" sorts by across gates. A rule has no number to exceed
    /// and counts as 2.
    #[must_use]
    pub fn excess(&self, gate: &str) -> f64 {
        let value = self.value.as_f64();
        let limit = match self.threshold {
            ThresholdValue::Count(n) => Value::Count(n).as_f64(),
            ThresholdValue::Number(x) => x,
            ThresholdValue::Flag(_) | ThresholdValue::Off => return 2.0,
        };
        let at_least = registry::gate(gate).is_some_and(|g| g.bound == registry::Bound::AtLeast);
        if at_least {
            limit / value.max(f64::EPSILON)
        } else {
            value / limit.max(1.0)
        }
    }
}

impl From<Threshold> for ThresholdValue {
    fn from(t: Threshold) -> Self {
        match t {
            Threshold::Count(n) => ThresholdValue::Count(n),
            Threshold::Number(x) => ThresholdValue::Number(x),
            Threshold::Flag(b) => ThresholdValue::Flag(b),
            Threshold::Off => ThresholdValue::Off,
        }
    }
}

/// One item over a threshold.
#[derive(Debug, Serialize)]
pub struct ViolationEntry {
    /// File path.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// Qualified function name, or the file path.
    pub item: String,
    /// The measured value.
    pub value: Value,
    /// The threshold that applied.
    pub threshold: ThresholdValue,
    /// The reason of the suppressing directive, for suppressed items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A directory or source file left out by an ignore file or a hidden name.
#[derive(Debug, Clone, Serialize)]
pub struct IgnoredEntry {
    /// Its path, relative to the root, `/`-separated.
    pub path: String,
    /// The ignore file that left it out (relative to the root), or `hidden`.
    pub by: String,
}

/// One per-file problem.
#[derive(Debug, Serialize)]
pub struct DiagnosticEntry {
    /// The path concerned.
    pub path: String,
    /// Exact bytes of a non-UTF-8 path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<Vec<u8>>,
    /// Where it happened.
    pub stage: Stage,
    /// How bad it is.
    pub severity: Severity,
    /// What happened and what to do.
    pub message: String,
}

/// A path as report text, plus its bytes when it is not valid UTF-8.
#[must_use]
pub fn path_text(path: &Path) -> (String, Option<Vec<u8>>) {
    let text = crate::paths::to_slash(path);
    let bytes = path
        .to_str()
        .is_none()
        .then(|| path.as_os_str().as_encoded_bytes().to_vec());
    (text, bytes)
}

/// What a run analysed, as the report needs it: an [`Analysis`], or nothing but a root for a
/// run that measured no file (`gatecheck perf run`).
#[derive(Clone, Copy, Debug)]
pub struct Analysed<'a> {
    /// The root report paths are relative to.
    pub root: &'a Path,
    /// Measured files, sorted by path.
    pub files: &'a [FileAnalysis],
    /// Per-file problems.
    pub diagnostics: &'a [Diagnostic],
    /// What ignore files and hidden names left out.
    pub ignored: &'a [Ignored],
    /// Wall time of the run.
    pub duration: Duration,
}

impl<'a> From<&'a Analysis> for Analysed<'a> {
    fn from(analysis: &'a Analysis) -> Self {
        Analysed {
            root: &analysis.root,
            files: &analysis.files,
            diagnostics: &analysis.diagnostics,
            ignored: &analysis.ignored,
            duration: analysis.duration,
        }
    }
}

impl Report {
    /// Builds the report of what a run analysed and its gate results.
    #[must_use]
    pub fn new(analysis: Analysed<'_>, gates: &[GateResult], config: Option<&Path>) -> Report {
        let files: Vec<FileEntry> = analysis.files.iter().map(file_entry).collect();
        let gates: Vec<GateEntry> = gates.iter().map(gate_entry).collect();
        let root = crate::paths::absolute(analysis.root);
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "gatecheck",
                version: env!("CARGO_PKG_VERSION"),
            },
            root: path_text(&root).0,
            config: config.map(|c| path_text(c).0),
            summary: summary(&analysis, &files, &gates),
            files,
            gates,
            diagnostics: analysis.diagnostics.iter().map(diagnostic_entry).collect(),
            ignored: analysis
                .ignored
                .iter()
                .map(|i| IgnoredEntry {
                    path: path_text(&i.path).0,
                    by: i.by.clone(),
                })
                .collect(),
            perf: None,
            perf_latest: None,
            coverage: Vec::new(),
            modules: None,
            cycles: None,
            classes: None,
        }
    }
}

fn summary(analysis: &Analysed<'_>, files: &[FileEntry], gates: &[GateEntry]) -> Summary {
    let count = |f: fn(&GateEntry) -> usize| gates.iter().map(f).sum::<usize>();
    let skipped: std::collections::BTreeSet<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| &d.path)
        .collect();
    Summary {
        files: files.len(),
        functions: files.iter().map(|f| f.metrics.functions.len()).sum(),
        passed: gates.iter().all(|g| g.status != Status::Failed),
        violations: count(|g| g.violations.len()),
        suppressed: count(|g| g.suppressed.len()),
        not_measured: gates
            .iter()
            .filter(|g| g.status == Status::NotMeasured)
            .count(),
        disabled: gates
            .iter()
            .filter(|g| g.status == Status::Disabled)
            .count(),
        skipped_files: skipped.len(),
        ignored: analysis.ignored.len(),
        duration_seconds: analysis.duration.as_secs_f64(),
        timestamp_seconds: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64()),
    }
}

fn diagnostic_entry(d: &crate::diagnostic::Diagnostic) -> DiagnosticEntry {
    let (path, path_bytes) = path_text(&d.path);
    DiagnosticEntry {
        path,
        path_bytes,
        stage: d.stage,
        severity: d.severity,
        message: d.message.clone(),
    }
}

fn file_entry(f: &FileAnalysis) -> FileEntry {
    let (path, path_bytes) = path_text(&f.path);
    FileEntry {
        path,
        path_bytes,
        language: f.language,
        metrics: f.metrics.clone(),
    }
}

fn gate_entry(g: &GateResult) -> GateEntry {
    GateEntry {
        gate: g.gate.key,
        section: g.gate.section.key(),
        threshold: g.threshold.into(),
        status: g.status,
        checked: g.checked,
        violations: g.violations.iter().map(violation_entry).collect(),
        suppressed: g.suppressed.iter().map(violation_entry).collect(),
    }
}

fn violation_entry(v: &Violation) -> ViolationEntry {
    ViolationEntry {
        path: path_text(&v.path).0,
        line: v.line,
        item: v.item.clone(),
        value: v.value,
        threshold: v.threshold.into(),
        reason: v.reason.clone(),
    }
}
