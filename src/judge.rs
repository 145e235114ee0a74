//! Stage 6, driven: the project-level measurements (the module graph and its analyses, the
//! coverage reports a caller read) joined with the per-file ones, every gate evaluated, and the
//! report built. `check` and `serve` both end here, so they judge a tree the same way.

use std::path::PathBuf;

use crate::analysis::Analysis;
use crate::config::Config;
use crate::coverage::Coverage;
use crate::facts::ClassFacts;
use crate::gates::{self, ProjectFindings};
use crate::graph::architecture::Architecture;
use crate::graph::model::ModuleGraph;
use crate::graph::resolve;
use crate::perf::run::PerfReport;
use crate::report::Report;

/// The module graph of `analysis`, its imports resolved.
#[must_use]
pub fn module_graph(analysis: &Analysis, config: &Config) -> ModuleGraph {
    let settings = config.resolve_settings(&analysis.root);
    resolve::build(analysis, &settings)
}

/// Every architecture analysis of `analysis`: fan-in/out, cycles, cohesion, rules.
#[must_use]
pub fn architecture(analysis: &Analysis, config: &Config) -> Architecture {
    let classes: Vec<(PathBuf, ClassFacts)> = analysis
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

/// Evaluates every gate over `analysis`, its architecture, `coverage` and the performance
/// targets of `perf` (`check --with-perf`), and builds the report.
#[must_use]
pub fn report(
    analysis: &Analysis,
    config: &Config,
    coverage: Vec<Coverage>,
    perf: Option<PerfReport>,
) -> Report {
    let mut findings = ProjectFindings::default();
    if !coverage.is_empty() {
        let threshold = config.threshold("min_test_coverage");
        findings.record(
            "min_test_coverage",
            gates::project::coverage(&coverage, threshold),
        );
    }
    if let Some(perf) = &perf {
        crate::perf::gates::record(&mut findings, perf, config);
    }
    // The per-file gates and the module graph read the same analysis and nothing else: on a
    // large tree each takes tens of milliseconds of a single core, so they run side by side.
    let (mut results, architecture) = rayon::join(
        || gates::evaluate(&analysis.files, &config.thresholds, &findings),
        || architecture(analysis, config),
    );
    let files = analysis.files.iter().map(|f| {
        let context = gates::architecture::FileContext {
            directives: &f.directives,
            thresholds: &f.thresholds,
        };
        (f.path.as_path(), context)
    });
    gates::architecture::evaluate(&mut results, &architecture, files);
    let mut report = Report::new(analysis, &results, config.source.as_deref());
    report.coverage = coverage;
    report.perf = perf;
    report.with_architecture(&architecture)
}
