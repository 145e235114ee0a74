//! Reads test-coverage reports that the user's test run wrote (Cobertura XML, LCOV, coverage.py
//! JSON) and totals their line coverage for the `min_test_coverage` gate. gatecheck never runs
//! the tests itself: it reads what `coverage xml`, `cargo llvm-cov --lcov`, `cargo tarpaulin`
//! or `pytest --cov` left behind.

mod cobertura;
mod coveragepy;
mod lcov;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// Files looked for at the analysis root when no report is named, in this order.
pub const DISCOVERED: &[&str] = &[
    "coverage.xml",
    "cobertura.xml",
    "coverage/cobertura-coverage.xml",
    "lcov.info",
    "coverage/lcov.info",
    "coverage.json",
];

/// Reports larger than this are refused: real reports of large projects are a few MB.
pub const MAX_REPORT_BYTES: u64 = 256 * 1024 * 1024;

/// A report's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Cobertura XML (`coverage xml`, `cargo llvm-cov --cobertura`, tarpaulin, gcovr).
    Cobertura,
    /// LCOV tracefile (`cargo llvm-cov --lcov`, `coverage lcov`, genhtml input).
    Lcov,
    /// coverage.py's `coverage json`.
    CoveragePy,
}

/// Why a report could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    /// The file could not be read.
    #[error("cannot read coverage report {path}: {source}")]
    Io {
        /// The report.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Larger than [`MAX_REPORT_BYTES`], or not a regular file.
    #[error("coverage report: {0}")]
    Bounds(crate::bounded::ReadError),
    /// Neither Cobertura, LCOV nor coverage.py JSON.
    #[error(
        "{path} is not a coverage report gatecheck reads: expected Cobertura XML, an LCOV \
         tracefile or coverage.py JSON (write one with `coverage xml`, `coverage json` or \
         `cargo llvm-cov --lcov --output-path lcov.info`)"
    )]
    UnknownFormat {
        /// The report.
        path: PathBuf,
    },
    /// The format was recognised but the content is broken.
    #[error("coverage report {path} ({format:?}) is malformed: {message}; regenerate it")]
    Malformed {
        /// The report.
        path: PathBuf,
        /// Its format.
        format: Format,
        /// What is wrong.
        message: String,
    },
}

/// Covered and coverable lines of one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LineCounts {
    /// Lines that ran at least once.
    pub covered: u64,
    /// Lines that could run (statements the coverage tool instruments).
    pub valid: u64,
}

impl LineCounts {
    /// Covered over coverable, 0..1; a report with no coverable line counts as fully covered.
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "line counts are far below 2^52")]
    pub fn ratio(self) -> f64 {
        if self.valid == 0 {
            1.0
        } else {
            self.covered as f64 / self.valid as f64
        }
    }
}

/// One file of a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileCoverage {
    /// The path as the report writes it.
    pub path: String,
    /// Its counts.
    #[serde(flatten)]
    pub lines: LineCounts,
    /// `lines.covered / lines.valid`.
    pub ratio: f64,
}

/// A whole coverage report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Coverage {
    /// The report file.
    pub report: String,
    /// Its format.
    pub format: Format,
    /// Totals over every file in the report.
    #[serde(flatten)]
    pub lines: LineCounts,
    /// `lines.covered / lines.valid`, 0..1.
    pub ratio: f64,
    /// Per file, sorted by path.
    pub files: Vec<FileCoverage>,
}

/// Line hits by file, then by line: the common shape every reader fills. A line listed twice
/// (two Cobertura classes in one file, two LCOV records) counts once, covered if either says so.
pub(crate) type Hits = BTreeMap<String, BTreeMap<u64, bool>>;

/// Reads the report at `path`, recognising its format from its content.
///
/// # Errors
/// [`CoverageError`] when it cannot be read, is too large, or is not a report gatecheck knows.
pub fn read(path: &Path) -> Result<Coverage, CoverageError> {
    let text = read_text(path)?;
    let format = sniff(&text).ok_or_else(|| CoverageError::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    let hits = match format {
        Format::Cobertura => cobertura::parse(&text),
        Format::Lcov => lcov::parse(&text),
        Format::CoveragePy => coveragepy::parse(&text),
    }
    .map_err(|message| CoverageError::Malformed {
        path: path.to_path_buf(),
        format,
        message,
    })?;
    Ok(summarise(path, format, &hits))
}

/// The report's text (lossily decoded: reports are ASCII apart from paths).
fn read_text(path: &Path) -> Result<String, CoverageError> {
    crate::bounded::read_text(path, MAX_REPORT_BYTES).map_err(|e| match e {
        crate::bounded::ReadError::Io { path, source } => CoverageError::Io { path, source },
        other => CoverageError::Bounds(other),
    })
}

impl Coverage {
    /// Whether any file of the report is one of `analysed` (paths relative to the project
    /// root): a report path matches when one path ends with the other, component by
    /// component, since reports name files from their own source root.
    #[must_use]
    pub fn covers_any(&self, analysed: &[&Path]) -> bool {
        self.files.iter().any(|f| {
            let reported = Path::new(&f.path);
            analysed
                .iter()
                .any(|a| reported.ends_with(a) || a.ends_with(reported))
        })
    }
}

/// The first report of [`DISCOVERED`] that exists in the first of `dirs` that has one.
#[must_use]
pub fn discover(dirs: &[&Path]) -> Option<PathBuf> {
    dirs.iter()
        .flat_map(|dir| DISCOVERED.iter().map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// The reports at `named` (each must be readable), or when none is named, the one
/// [`discover`] finds in `dirs` (none found: an empty list, the gate is not measured).
///
/// # Errors
/// The first report that cannot be read, as [`read`] says.
pub fn read_reports(named: &[PathBuf], dirs: &[&Path]) -> Result<Vec<Coverage>, CoverageError> {
    let paths: Vec<PathBuf> = if named.is_empty() {
        discover(dirs).into_iter().collect()
    } else {
        named.to_vec()
    };
    paths.iter().map(|p| read(p)).collect()
}

fn sniff(text: &str) -> Option<Format> {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        return head.contains("<coverage").then_some(Format::Cobertura);
    }
    if head.starts_with('{') {
        return Some(Format::CoveragePy);
    }
    let lcov_record = ["TN:", "SF:"];
    lcov_record
        .iter()
        .any(|r| head.starts_with(r))
        .then_some(Format::Lcov)
}

fn summarise(path: &Path, format: Format, hits: &Hits) -> Coverage {
    let files: Vec<FileCoverage> = hits
        .iter()
        .map(|(file, lines)| {
            let counts = LineCounts {
                covered: lines.values().filter(|hit| **hit).count() as u64,
                valid: lines.len() as u64,
            };
            FileCoverage {
                path: file.clone(),
                lines: counts,
                ratio: counts.ratio(),
            }
        })
        .collect();
    let total = files
        .iter()
        .fold(LineCounts::default(), |acc, f| LineCounts {
            covered: acc.covered + f.lines.covered,
            valid: acc.valid + f.lines.valid,
        });
    Coverage {
        report: crate::paths::to_slash(path),
        format,
        lines: total,
        ratio: total.ratio(),
        files,
    }
}

/// Records that `line` of `file` ran (`hit`) or could have run.
pub(crate) fn mark(hits: &mut Hits, file: &str, line: u64, hit: bool) {
    let slot = hits
        .entry(file.to_owned())
        .or_default()
        .entry(line)
        .or_insert(false);
    *slot |= hit;
}
