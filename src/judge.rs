//! Stage 6, driven: the project-level measurements (the module graph and its analyses, the
//! coverage reports a caller read, a performance run) joined with the per-file ones, every gate
//! evaluated, and the report built. `check`, `serve` and `perf run` all end here, so they judge
//! a tree the same way.
//!
//! [`findings`] is the one place that ties each registry row to its producer: an exhaustive
//! `match` on the row's [`Measure`], so a gate cannot be added without saying who measures it.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::analysis::{Analysis, FileAnalysis};
use crate::config::Config;
use crate::coverage::Coverage;
use crate::diagnostic::{Diagnostic, Stage};
use crate::gates::{self, FileThresholds, Findings, GateResult, Suppressions};
use crate::graph::architecture::{Architecture, UnmatchedRule};
use crate::graph::model::ModuleGraph;
use crate::graph::resolve;
use crate::perf::run::PerfReport;
use crate::registry::{GATES, Measure};
use crate::report::{Analysed, Report};

/// The module graph of `analysis`, its imports resolved.
#[must_use]
pub fn module_graph(analysis: &Analysis, config: &Config) -> ModuleGraph {
    let settings = crate::config::resolve_settings(config, &analysis.root);
    resolve::build(analysis, &settings)
}

/// Every architecture analysis of `analysis`: fan-in/out, cycles, cohesion, rules.
#[must_use]
pub fn architecture(analysis: &Analysis, config: &Config) -> Architecture {
    let classes = analysis
        .files
        .iter()
        .flat_map(|f| f.classes.iter().map(|c| (f.path.clone(), c.clone())))
        .collect();
    Architecture::analyze(
        module_graph(analysis, config),
        Some(classes),
        &config.architecture,
    )
}

/// What one judgement measures from: each producer's input, `None` where the run has none.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sources<'a> {
    /// The measured files (per-function and per-file gates).
    pub files: Option<&'a [FileAnalysis]>,
    /// The coverage reports read (`min_test_coverage`); empty or `None`: not measured.
    pub coverage: Option<&'a [Coverage]>,
    /// A performance run (the performance gates).
    pub perf: Option<&'a PerfReport>,
    /// The module graph and its analyses (the architecture gates).
    pub architecture: Option<&'a Architecture>,
    /// The paths whose architecture findings are reported (`None`: all); see
    /// [`gates::architecture::Scope`].
    pub scope: Option<&'a [PathBuf]>,
}

/// What every producer measured from `sources`, with the thresholds of `config`.
#[must_use]
pub fn findings(sources: &Sources<'_>, config: &Config) -> Findings {
    findings_of(sources, config, |_| true)
}

/// Whether a gate is measured from the files alone (per function or per file).
fn per_file(measure: Measure) -> bool {
    matches!(measure, Measure::Function(_) | Measure::File(_))
}

/// [`findings`] of the gates whose measure `wanted` accepts.
fn findings_of(
    sources: &Sources<'_>,
    config: &Config,
    wanted: impl Fn(Measure) -> bool,
) -> Findings {
    let config_file = config
        .source
        .clone()
        .unwrap_or_else(|| PathBuf::from("gatecheck.toml"));
    let file_thresholds: FileThresholds<'_> = sources
        .files
        .unwrap_or_default()
        .iter()
        .map(|f| (f.path.as_path(), &f.thresholds))
        .collect();
    let mut findings = Findings::default();
    for gate in GATES.iter().filter(|g| wanted(g.measure)) {
        let threshold = config.gates.threshold(gate.key);
        if threshold.is_off() && !per_file(gate.measure) {
            continue; // Off: nothing to measure (per-file gates may be on for some paths).
        }
        let measured = match gate.measure {
            Measure::Function(_) | Measure::File(_) => sources
                .files
                .and_then(|files| gates::per_file::measure(gate, files)),
            Measure::Coverage => sources
                .coverage
                .filter(|reports| !reports.is_empty())
                .map(|reports| gates::coverage::measure(reports, threshold)),
            Measure::Perf(which) => sources
                .perf
                .and_then(|perf| crate::perf::gates::measure(which, perf, threshold, &config_file)),
            Measure::Architecture(which) => sources.architecture.and_then(|a| {
                let scope = gates::architecture::Scope::new(sources.scope);
                gates::architecture::measure(which, a, threshold, &file_thresholds, scope)
            }),
        };
        if let Some(measured) = measured {
            findings.record(gate, measured);
        }
    }
    findings
}

/// Every gate decided from `findings`, with the directives of `files`.
#[must_use]
pub fn decide(findings: &Findings, config: &Config, files: &[FileAnalysis]) -> Vec<GateResult> {
    let suppressions = Suppressions::new(
        files
            .iter()
            .map(|f| (f.path.as_path(), f.directives.as_slice())),
    );
    gates::evaluate(findings, &config.gates.thresholds, &suppressions)
}

/// What one `check` judges.
#[derive(Debug)]
pub struct Run<'a> {
    /// The whole project's analysis (the module graph is always the whole project's).
    pub analysis: &'a Analysis,
    /// The configuration in effect.
    pub config: &'a Config,
    /// The coverage reports read.
    pub coverage: Vec<Coverage>,
    /// A performance run (`check --with-perf`).
    pub perf: Option<PerfReport>,
    /// The paths asked for, relative to the project root, when they are a subset of it: only
    /// their files are measured and reported, while the architecture gates are judged on the
    /// whole project's graph (`None`: the whole project).
    pub scope: Option<&'a [PathBuf]>,
}

/// Why a run's inputs cannot be judged (exit 2): they contradict the tree.
#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    /// A rule names no module of the project.
    #[error("{config}: {rule}")]
    Rule {
        /// The configuration holding the rule.
        config: String,
        /// The rule.
        rule: UnmatchedRule,
    },
    /// A coverage report names none of the analysed files.
    #[error(
        "coverage report {report} names none of the {analysed} analysed files (it lists {files} \
         files, e.g. `{example}`); it was made from another tree or another checkout: \
         regenerate it here, or name the right one with --coverage"
    )]
    ForeignCoverage {
        /// The report.
        report: String,
        /// Files it lists.
        files: usize,
        /// One of them.
        example: String,
        /// Files analysed.
        analysed: usize,
    },
}

/// Evaluates every gate over `analysis`, its architecture, `coverage` and the performance
/// targets of `perf` (`check --with-perf`), and builds the report.
///
/// # Errors
/// [`JudgeError`] when a `[[architecture.layers]]` or `[[architecture.forbid]]` entry names
/// no module of the project, or a coverage report names none of its files.
pub fn report(
    analysis: &Analysis,
    config: &Config,
    coverage: Vec<Coverage>,
    perf: Option<PerfReport>,
) -> Result<Report, JudgeError> {
    judge(Run {
        analysis,
        config,
        coverage,
        perf,
        scope: None,
    })
}

/// [`report`] of a [`Run`], which may ask for a subset of the project.
///
/// # Errors
/// As [`report`].
pub fn judge(run: Run<'_>) -> Result<Report, JudgeError> {
    let Run {
        analysis,
        config,
        coverage,
        perf,
        scope,
    } = run;
    let notes = coverage_notes(&coverage, analysis)?;
    let in_scope = gates::architecture::Scope::new(scope);
    let files = scoped(&analysis.files, in_scope, |f| &f.path);
    let mut sources = Sources {
        files: Some(&files),
        coverage: Some(&coverage),
        perf: perf.as_ref(),
        architecture: None,
        scope,
    };
    // The per-file gates and the module graph read the same analysis and nothing else: on a
    // large tree each takes tens of milliseconds of a single core, so they run side by side.
    let (mut findings, architecture) = rayon::join(
        || findings_of(&sources, config, per_file),
        || architecture(analysis, config),
    );
    if let Some(rule) = architecture.unmatched_rule() {
        return Err(JudgeError::Rule {
            config: config.source_name(),
            rule,
        });
    }
    sources.architecture = Some(&architecture);
    findings.merge(findings_of(&sources, config, |m| !per_file(m)));
    let results = decide(&findings, config, &analysis.files);
    let mut diagnostics = scoped(&analysis.diagnostics, in_scope, |d| &d.path).into_owned();
    diagnostics.extend(notes);
    let ignored = scoped(&analysis.ignored, in_scope, |i| &i.path);
    let analysed = Analysed {
        root: &analysis.root,
        files: &files,
        diagnostics: &diagnostics,
        ignored: &ignored,
        duration: analysis.duration,
    };
    let mut report = Report::new(analysed, &results, config.source.as_deref());
    report.coverage = coverage;
    report.perf = perf;
    Ok(report.with_architecture(&architecture))
}

/// A warning for each coverage report without line data (the gate is then not measured: a
/// report of nothing is no 100%), and an error for one that names none of the analysed
/// files.
fn coverage_notes(
    coverage: &[Coverage],
    analysis: &Analysis,
) -> Result<Vec<Diagnostic>, JudgeError> {
    let analysed: Vec<&Path> = analysis.files.iter().map(|f| f.path.as_path()).collect();
    let mut notes = Vec::new();
    for report in coverage {
        if report.lines.valid == 0 {
            notes.push(Diagnostic::warning(
                &report.report,
                Stage::Read,
                "the coverage report holds no line data; min_test_coverage is not measured \
                 (regenerate the report after running the tests)",
            ));
        } else if !analysed.is_empty() && !report.covers_any(&analysed) {
            return Err(JudgeError::ForeignCoverage {
                report: report.report.clone(),
                files: report.files.len(),
                example: report
                    .files
                    .first()
                    .map(|f| f.path.clone())
                    .unwrap_or_default(),
                analysed: analysed.len(),
            });
        }
    }
    Ok(notes)
}

/// The items of `all` at paths in `scope` (borrowed whole when the scope is everything).
fn scoped<'a, T: Clone>(
    all: &'a [T],
    scope: gates::architecture::Scope<'_>,
    path: impl Fn(&T) -> &Path,
) -> Cow<'a, [T]> {
    if scope.is_all() {
        return Cow::Borrowed(all);
    }
    Cow::Owned(
        all.iter()
            .filter(|item| scope.contains(path(item)))
            .cloned()
            .collect(),
    )
}

/// The report of a performance run alone (`gatecheck perf run`): the performance gates judged
/// from `perf`, every other gate not measured, no file.
#[must_use]
pub fn perf_report(perf: PerfReport, config: &Config, dir: &Path, duration: Duration) -> Report {
    let sources = Sources {
        perf: Some(&perf),
        ..Sources::default()
    };
    let results = decide(&findings(&sources, config), config, &[]);
    let analysed = Analysed {
        root: dir,
        files: &[],
        diagnostics: &[],
        ignored: &[],
        duration,
    };
    let mut report = Report::new(analysed, &results, config.source.as_deref());
    report.perf = Some(perf);
    report
}
