//! The Prometheus format: the [`Report`](super::Report) as text exposition format 0.0.4, for
//! node_exporter's textfile collector (`--output FILE.prom`) and for scraping.
//!
//! Every metric is a gauge or a histogram of one run (a snapshot, so no counters and no
//! `_total`), named `gatecheck_*` in base units, with bounded labels only: `language`, `gate`,
//! `kind`, `stage`, `severity`, `version`. Per-file and per-function detail stays in the JSON
//! report; here it is summed per language or bucketed in histograms whose bounds include the
//! configured gate thresholds. No sample carries a timestamp (the textfile collector rejects
//! them); the time of the run is `gatecheck_last_run_timestamp_seconds`. The metrics are built
//! in a fresh [`Registry`] per call, never the process-wide default one. docs/metrics.md,
//! "Prometheus metrics", documents each of them.

mod coverage;
mod graph;
mod perf;

use std::collections::BTreeMap;
use std::io::{self, Write};

use prometheus::core::Collector;
use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

use super::Emitter;
use super::{GateEntry, Report, ThresholdValue};
use crate::diagnostic::{Severity, Stage};
use crate::gates::Status;
use crate::lang::LANGUAGES;
use crate::registry::{GATES, GateDef, HistogramMetric, Measure};

/// The Prometheus text format ([`write`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Prometheus;

impl Emitter for Prometheus {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        write(report, out)
    }
}

/// Writes `report` as Prometheus text exposition format 0.0.4.
///
/// # Errors
/// Any error writing to `out`; a metric the `prometheus` crate refuses (a gatecheck bug) is
/// reported as [`io::ErrorKind::Other`].
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let registry = registry(report).map_err(io_error)?;
    let mut out = out; // `&mut dyn Write` is a sized `Write`, which `encode` needs
    TextEncoder::new()
        .encode(&registry.gather(), &mut out)
        .map_err(io_error)
}

fn io_error(e: prometheus::Error) -> io::Error {
    match e {
        prometheus::Error::Io(e) => e,
        other => io::Error::other(other),
    }
}

/// A fresh registry holding every metric of `report`.
fn registry(report: &Report) -> prometheus::Result<Registry> {
    let registry = Registry::new();
    code_metrics(&registry, report)?;
    project_metrics(&registry, report)?;
    Ok(registry)
}

/// The metrics of the files and functions measured, the gates and the diagnostics.
fn code_metrics(registry: &Registry, report: &Report) -> prometheus::Result<()> {
    let totals = language_totals(report);
    run_metrics(registry, report)?;
    language_metrics(registry, &totals)?;
    for gate in GATES {
        if let Some(def) = &gate.histogram {
            histogram(registry, gate, def, report, &totals)?;
        }
    }
    gate_metrics(registry, &report.gates)?;
    limit_metrics(registry, &report.gates)?;
    diagnostic_metrics(registry, report)
}

/// The metrics of the whole-project stages: the module graph, performance, coverage.
fn project_metrics(registry: &Registry, report: &Report) -> prometheus::Result<()> {
    graph::metrics(registry, report)?;
    perf::metrics(registry, report)?;
    coverage::metric(registry, &report.coverage)
}

/// Registers `collector` and hands it back.
fn register<C: Collector + Clone + 'static>(
    registry: &Registry,
    collector: C,
) -> prometheus::Result<C> {
    registry.register(Box::new(collector.clone()))?;
    Ok(collector)
}

fn int_gauges(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
) -> prometheus::Result<IntGaugeVec> {
    register(registry, IntGaugeVec::new(Opts::new(name, help), labels)?)
}

fn gauge(registry: &Registry, name: &str, help: &str, value: f64) -> prometheus::Result<()> {
    register(registry, Gauge::new(name, help)?)?.set(value);
    Ok(())
}

/// A count as a gauge value.
fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A threshold as a number: a flag is 0 or 1; `None` for a gate turned off (no limit).
#[expect(clippy::cast_precision_loss, reason = "thresholds are far below 2^52")]
fn number(t: &ThresholdValue) -> Option<f64> {
    match *t {
        ThresholdValue::Count(n) => Some(n as f64),
        ThresholdValue::Number(x) => Some(x),
        ThresholdValue::Flag(b) => Some(f64::from(u8::from(b))),
        ThresholdValue::Off => None,
    }
}

/// The configured threshold of the gate called `key` (`None`: unknown or off).
fn threshold(gates: &[GateEntry], key: &str) -> Option<f64> {
    gates
        .iter()
        .find(|g| g.gate == key)
        .and_then(|g| number(&g.threshold))
}

fn run_metrics(registry: &Registry, report: &Report) -> prometheus::Result<()> {
    let info = int_gauges(
        registry,
        "gatecheck_build_info",
        "Always 1; the label version is the version of gatecheck that wrote these metrics.",
        &["version"],
    )?;
    info.with_label_values(&[report.tool.version]).set(1);
    gauge(
        registry,
        "gatecheck_last_run_duration_seconds",
        "Wall time of the analysis, in seconds.",
        report.summary.duration_seconds,
    )?;
    gauge(
        registry,
        "gatecheck_last_run_timestamp_seconds",
        "Unix time at which the analysis finished, in seconds.",
        report.summary.timestamp_seconds,
    )?;
    gauge(
        registry,
        "gatecheck_files_skipped",
        "Files that could not be measured (each has an error diagnostic): a green run with \
         skipped files did not check them.",
        count(report.summary.skipped_files),
    )
}

/// Sums of the measured files of one language.
#[derive(Debug, Default)]
struct LanguageTotals {
    files: usize,
    functions: usize,
    code_lines: usize,
    comment_lines: usize,
    blank_lines: usize,
    syntax_errors: usize,
}

/// Totals per language: every supported language (zero when absent, so a series does not
/// vanish with a language's last file), plus any other language the report names.
fn language_totals(report: &Report) -> BTreeMap<&str, LanguageTotals> {
    let mut totals: BTreeMap<&str, LanguageTotals> = LANGUAGES
        .iter()
        .map(|spec| (spec.id, LanguageTotals::default()))
        .collect();
    for file in &report.files {
        let t = totals.entry(file.language).or_default();
        t.files += 1;
        t.functions += file.metrics.functions.len();
        t.code_lines += file.metrics.code_lines;
        t.comment_lines += file.metrics.comment_lines;
        t.blank_lines += file.metrics.blank_lines;
        t.syntax_errors += file.metrics.syntax_errors;
    }
    totals
}

fn language_metrics(
    registry: &Registry,
    totals: &BTreeMap<&str, LanguageTotals>,
) -> prometheus::Result<()> {
    let language = &["language"];
    let files = int_gauges(
        registry,
        "gatecheck_files",
        "Files measured (files skipped with an error diagnostic are not counted).",
        language,
    )?;
    let functions = int_gauges(
        registry,
        "gatecheck_functions",
        "Functions measured: functions, methods, nested functions, lambdas and closures.",
        language,
    )?;
    let lines = int_gauges(
        registry,
        "gatecheck_lines",
        "Physical lines of the measured files by kind (code, comment or blank); the kinds add \
         up to all lines.",
        &["language", "kind"],
    )?;
    let syntax_errors = int_gauges(
        registry,
        "gatecheck_syntax_errors",
        "Syntax errors (ERROR and MISSING nodes of the syntax tree) in the measured files.",
        language,
    )?;
    for (&id, t) in totals {
        files.with_label_values(&[id]).set(int(t.files));
        functions.with_label_values(&[id]).set(int(t.functions));
        lines
            .with_label_values(&[id, "code"])
            .set(int(t.code_lines));
        lines
            .with_label_values(&[id, "comment"])
            .set(int(t.comment_lines));
        lines
            .with_label_values(&[id, "blank"])
            .set(int(t.blank_lines));
        syntax_errors
            .with_label_values(&[id])
            .set(int(t.syntax_errors));
    }
    Ok(())
}

/// A count as an observation.
#[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
fn count(n: usize) -> f64 {
    n as f64
}

/// `bounds` plus `threshold`, ascending, without duplicates (a threshold that is not a finite
/// number is left out: it cannot be a bucket bound).
fn buckets(bounds: &[f64], threshold: Option<f64>) -> Vec<f64> {
    let mut buckets = bounds.to_vec();
    buckets.extend(threshold.filter(|t| t.is_finite()));
    buckets.sort_by(f64::total_cmp);
    buckets.dedup();
    buckets
}

/// The histogram of `gate`'s figure over every function or file, by language.
fn histogram(
    registry: &Registry,
    gate: &GateDef,
    def: &HistogramMetric,
    report: &Report,
    totals: &BTreeMap<&str, LanguageTotals>,
) -> prometheus::Result<()> {
    let opts = HistogramOpts::new(def.name, def.help)
        .buckets(buckets(def.bounds, threshold(&report.gates, gate.key)));
    let vec = register(registry, HistogramVec::new(opts, &["language"])?)?;
    for &id in totals.keys() {
        vec.with_label_values(&[id]);
    }
    for file in &report.files {
        let h = vec.with_label_values(&[file.language]);
        match gate.measure {
            Measure::Function(read) => {
                for f in &file.metrics.functions {
                    h.observe(figure(read(f)));
                }
            }
            Measure::File(read) => h.observe(figure(read(&file.metrics).0)),
            Measure::Coverage | Measure::Perf(_) | Measure::Architecture(_) => {}
        }
    }
    Ok(())
}

/// A gate's figure as an observation.
#[expect(clippy::cast_precision_loss, reason = "figures are far below 2^52")]
fn figure(n: u64) -> f64 {
    n as f64
}

/// Per-gate gauges written only for measured gates: name, help, value.
type GateGauge = (&'static str, &'static str, fn(&GateEntry) -> i64);

const MEASURED_GATE_GAUGES: [GateGauge; 4] = [
    (
        "gatecheck_gate_passed",
        "1 when the gate passed, 0 when it failed; only for measured gates.",
        |g| i64::from(g.status == Status::Passed),
    ),
    (
        "gatecheck_gate_violations",
        "Items over the gate's threshold, not counting suppressed ones; only for measured \
         gates.",
        |g| int(g.violations.len()),
    ),
    (
        "gatecheck_gate_suppressed",
        "Items over the gate's threshold that a gatecheck: ignore directive exempts; only for \
         measured gates.",
        |g| int(g.suppressed.len()),
    ),
    (
        "gatecheck_gate_checked",
        "Items (functions, files, modules or classes) the gate checked; only for measured \
         gates.",
        |g| int(g.checked),
    ),
];

fn gate_metrics(registry: &Registry, gates: &[GateEntry]) -> prometheus::Result<()> {
    let measured = int_gauges(
        registry,
        "gatecheck_gate_measured",
        "1 when this run measured the gate, 0 when this version of gatecheck does not \
         measure it yet.",
        &["gate"],
    )?;
    for g in gates {
        let is_measured = g.status.is_measured();
        measured
            .with_label_values(&[g.gate])
            .set(i64::from(is_measured));
    }
    for (name, help, read) in MEASURED_GATE_GAUGES {
        let vec = int_gauges(registry, name, help, &["gate"])?;
        for g in gates.iter().filter(|g| g.status.is_measured()) {
            vec.with_label_values(&[g.gate]).set(read(g));
        }
    }
    Ok(())
}

/// One gauge per configured threshold of the code gates that the registry exports (so Grafana
/// can draw each as a line over the matching distribution); the performance limits come with
/// the performance figures (`perf`).
fn limit_metrics(registry: &Registry, gates: &[GateEntry]) -> prometheus::Result<()> {
    for gate in GATES
        .iter()
        .filter(|g| !matches!(g.measure, Measure::Perf(_)))
    {
        if let Some(limit) = &gate.limit_metric
            && let Some(value) = threshold(gates, gate.key)
        {
            gauge(registry, limit.name, limit.help, value)?;
        }
    }
    Ok(())
}

/// Every stage and severity, so that each combination has a series (0 when nothing happened).
const STAGES: [Stage; 5] = [
    Stage::Walk,
    Stage::Read,
    Stage::Parse,
    Stage::Measure,
    Stage::Config,
];
const SEVERITIES: [Severity; 2] = [Severity::Error, Severity::Warning];

/// The name of a stage or severity, as the JSON report writes it.
fn label<T: serde::Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::from("unknown"),
    }
}

fn diagnostic_metrics(registry: &Registry, report: &Report) -> prometheus::Result<()> {
    let diagnostics = int_gauges(
        registry,
        "gatecheck_diagnostics",
        "Per-file problems by pipeline stage and severity; an error means the file was not \
         measured.",
        &["stage", "severity"],
    )?;
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for stage in STAGES {
        for severity in SEVERITIES {
            counts.insert((label(stage), label(severity)), 0);
        }
    }
    for d in &report.diagnostics {
        *counts
            .entry((label(d.stage), label(d.severity)))
            .or_default() += 1;
    }
    for ((stage, severity), n) in &counts {
        diagnostics
            .with_label_values(&[stage.as_str(), severity.as_str()])
            .set(int(*n));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_become_bucket_bounds_once() {
        assert_eq!(buckets(&[1.0, 10.0, 20.0], Some(10.0)), [1.0, 10.0, 20.0]);
        assert_eq!(buckets(&[1.0, 20.0], Some(7.0)), [1.0, 7.0, 20.0]);
        assert_eq!(buckets(&[1.0], Some(f64::INFINITY)), [1.0]);
        assert_eq!(buckets(&[1.0], None), [1.0]);
    }

    #[test]
    fn every_stage_and_severity_has_a_name() {
        for stage in STAGES {
            assert_ne!(label(stage), "unknown");
        }
        assert_eq!(label(Severity::Warning), "warning");
    }
}
