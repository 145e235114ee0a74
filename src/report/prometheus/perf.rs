//! The performance metrics of the Prometheus output, with these names:
//! `gatecheck_startup_duration_seconds{target,quantile}` ("0.5", "0.95"),
//! `gatecheck_startup_limit_seconds`, `gatecheck_peak_memory_bytes{target}`,
//! `gatecheck_memory_limit_bytes`, `gatecheck_response_duration_seconds{target,quantile}`
//! ("0.5", "0.95", "0.99"), `gatecheck_response_limit_seconds`,
//! `gatecheck_response_errors{target}` and `gatecheck_perf_regression{target,measure}`
//! (1 = regression, 0 = none; only where a verdict exists). The two durations are summaries
//! (quantiles plus `_sum` and `_count` of the samples), as a `quantile` label requires; the
//! rest are gauges. All come from a [`PerfSummary`]: the report's perf run (`check
//! --with-perf`, `perf run`), else the newest figures of the history (`gatecheck serve`,
//! `crate::perf::summary::latest_summary`), so serve exports them without running anything.
//! Nothing without either, so a run that measured no performance reports no figures. The
//! limits come from the registry rows of the performance gates.

use std::collections::HashMap;

use prometheus::core::{Collector, Desc};
use prometheus::proto::{LabelPair, Metric, MetricFamily, MetricType, Quantile, Summary};
use prometheus::{Gauge, GaugeVec, Opts, Registry};

use super::threshold;
use crate::perf::history::Measure as Figure;
use crate::perf::summary::{PerfSummary, SummaryEntry};
use crate::registry::{GATES, Measure};
use crate::report::{GateEntry, Report};

/// Registers the performance metrics of `report`, when it has any.
pub(super) fn metrics(registry: &Registry, report: &Report) -> prometheus::Result<()> {
    let latest = || report.perf_latest.clone();
    let Some(summary) = report
        .perf
        .as_ref()
        .and_then(|p| p.summary())
        .or_else(latest)
    else {
        return Ok(());
    };
    register(registry, &summary, &report.gates)
}

/// Registers the performance metrics of `summary` and `limits` in `registry`.
///
/// # Errors
/// A metric the `prometheus` crate refuses, or one already registered under the same name.
fn register(
    registry: &Registry,
    summary: &PerfSummary,
    gates: &[GateEntry],
) -> prometheus::Result<()> {
    let mut families = Families::new(registry)?;
    for entry in &summary.entries {
        families.observe(entry);
    }
    registry.register(Box::new(families.startup))?;
    registry.register(Box::new(families.response))?;
    limit_gauges(registry, gates)
}

/// The per-target metric families.
struct Families {
    startup: Summaries,
    response: Summaries,
    memory: GaugeVec,
    errors: GaugeVec,
    regression: GaugeVec,
}

impl Families {
    fn new(registry: &Registry) -> prometheus::Result<Families> {
        Ok(Families {
            startup: Summaries::new(
                "gatecheck_startup_duration_seconds",
                "Wall time of a startup target from spawn to exit, over its runs.",
            )?,
            response: Summaries::new(
                "gatecheck_response_duration_seconds",
                "Latency of a response target's GET requests.",
            )?,
            memory: gauges(
                registry,
                "gatecheck_peak_memory_bytes",
                "Largest peak resident memory of a measured command's (or server's) process tree.",
                &["target"],
            )?,
            errors: gauges(
                registry,
                "gatecheck_response_errors",
                "Failed requests of a response target in its latest run.",
                &["target"],
            )?,
            regression: gauges(
                registry,
                "gatecheck_perf_regression",
                "1 when the latest run of a target's measure is a regression against its baseline.",
                &["target", "measure"],
            )?,
        })
    }

    #[expect(clippy::cast_precision_loss, reason = "request counts are small")]
    fn observe(&mut self, e: &SummaryEntry) {
        let target = e.target.as_str();
        match e.measure {
            Figure::Startup => {
                self.startup
                    .add(e, &[(0.5, e.summary.median), (0.95, e.summary.p95)]);
            }
            Figure::Memory => self.memory.with_label_values(&[target]).set(e.summary.max),
            Figure::Response => {
                let quantiles = [
                    (0.5, e.summary.median),
                    (0.95, e.summary.p95),
                    (0.99, e.p99),
                ];
                self.response.add(e, &quantiles);
                let failed = e.errors.unwrap_or(0) as f64;
                self.errors.with_label_values(&[target]).set(failed);
            }
            Figure::Bench => {}
        }
        if let Some(flag) = e.regression {
            self.regression
                .with_label_values(&[target, e.measure.name()])
                .set(f64::from(u8::from(flag)));
        }
    }
}

/// The limit gauges of the performance gates, from their registry rows, with the configured
/// thresholds of `gates` (a gate without one is left out).
fn limit_gauges(registry: &Registry, gates: &[GateEntry]) -> prometheus::Result<()> {
    for gate in GATES
        .iter()
        .filter(|g| matches!(g.measure, Measure::Perf(_)))
    {
        let Some(limit) = &gate.limit_metric else {
            continue;
        };
        if let Some(value) = threshold(gates, gate.key) {
            let gauge = Gauge::new(limit.name, limit.help)?;
            registry.register(Box::new(gauge.clone()))?;
            gauge.set(value * limit.scale);
        }
    }
    Ok(())
}

fn gauges(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
) -> prometheus::Result<GaugeVec> {
    let vec = GaugeVec::new(Opts::new(name, help), labels)?;
    registry.register(Box::new(vec.clone()))?;
    Ok(vec)
}

/// A summary metric family with one `target` label, filled from [`SummaryEntry`]s: the
/// `prometheus` crate has no summary type of its own, so this builds the family directly.
struct Summaries {
    desc: Desc,
    family: MetricFamily,
}

impl Summaries {
    fn new(name: &str, help: &str) -> prometheus::Result<Summaries> {
        let desc = Desc::new(
            name.to_owned(),
            help.to_owned(),
            vec!["target".to_owned()],
            HashMap::new(),
        )?;
        let mut family = MetricFamily::default();
        family.set_name(name.to_owned());
        family.set_help(help.to_owned());
        family.set_field_type(MetricType::SUMMARY);
        Ok(Summaries { desc, family })
    }

    /// Adds the series of `entry`'s target with the given (quantile, value) pairs.
    fn add(&mut self, entry: &SummaryEntry, quantiles: &[(f64, f64)]) {
        let mut summary = Summary::default();
        summary.set_sample_count(entry.summary.n as u64);
        summary.set_sample_sum(entry.sum);
        summary.set_quantile(
            quantiles
                .iter()
                .map(|&(q, v)| {
                    let mut quantile = Quantile::default();
                    quantile.set_quantile(q);
                    quantile.set_value(v);
                    quantile
                })
                .collect(),
        );
        let mut label = LabelPair::default();
        label.set_name("target".to_owned());
        label.set_value(entry.target.clone());
        let mut metric = Metric::default();
        metric.set_label(vec![label]);
        metric.set_summary(summary);
        self.family.mut_metric().push(metric);
    }
}

impl Collector for Summaries {
    fn desc(&self) -> Vec<&Desc> {
        vec![&self.desc]
    }

    fn collect(&self) -> Vec<MetricFamily> {
        vec![self.family.clone()]
    }
}
