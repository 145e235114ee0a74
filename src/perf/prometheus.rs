//! The performance metrics of the Prometheus output, with the names agreed for issue 6:
//! `gatecheck_startup_duration_seconds{target,quantile}` ("0.5", "0.95"),
//! `gatecheck_startup_limit_seconds`, `gatecheck_peak_memory_bytes{target}`,
//! `gatecheck_memory_limit_bytes`, `gatecheck_response_duration_seconds{target,quantile}`
//! ("0.5", "0.95", "0.99"), `gatecheck_response_limit_seconds`,
//! `gatecheck_response_errors{target}` and `gatecheck_perf_regression{target,measure}`
//! (1 = regression, 0 = none; only where a verdict exists). The two durations are summaries
//! (quantiles plus `_sum` and `_count` of the samples), as a `quantile` label requires; the
//! rest are gauges. All come from a
//! [`PerfSummary`], so that `gatecheck serve` can export the newest figures of a history file
//! ([`super::summary::latest_summary`]) without running anything.

use std::collections::HashMap;

use prometheus::core::{Collector, Desc};
use prometheus::proto::{LabelPair, Metric, MetricFamily, MetricType, Quantile, Summary};
use prometheus::{Gauge, GaugeVec, Opts, Registry};

use super::history::Measure;
use super::summary::{PerfSummary, SummaryEntry};
use super::verdict::MIB;
use crate::registry::Thresholds;
use crate::registry::gate;

/// The configured performance limits, in base units (`None`: leave the gauge out).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Limits {
    /// `max_startup_time`, in seconds.
    pub startup_seconds: Option<f64>,
    /// `max_memory_usage`, in bytes (the config's MB are MiB).
    pub memory_bytes: Option<f64>,
    /// `max_response_time`, in seconds.
    pub response_seconds: Option<f64>,
}

impl Limits {
    /// The limits of `thresholds`, defaults filled in from the registry.
    #[must_use]
    pub fn of(thresholds: &Thresholds) -> Limits {
        let value = |key: &str| {
            thresholds
                .get(key)
                .copied()
                .or_else(|| gate(key).map(|g| g.default))
                .map(|t| t.as_f64())
        };
        Limits {
            startup_seconds: value("max_startup_time"),
            memory_bytes: value("max_memory_usage").map(|mb| mb * MIB),
            response_seconds: value("max_response_time"),
        }
    }
}

/// Registers the performance metrics of `summary` and `limits` in `registry`.
///
/// # Errors
/// A metric the `prometheus` crate refuses, or one already registered under the same name.
pub fn register(
    registry: &Registry,
    summary: &PerfSummary,
    limits: &Limits,
) -> prometheus::Result<()> {
    let mut families = Families::new(registry)?;
    for entry in &summary.entries {
        families.observe(entry);
    }
    registry.register(Box::new(families.startup))?;
    registry.register(Box::new(families.response))?;
    limit_gauges(registry, limits)
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
            Measure::Startup => {
                self.startup
                    .add(e, &[(0.5, e.summary.median), (0.95, e.summary.p95)]);
            }
            Measure::Memory => self.memory.with_label_values(&[target]).set(e.summary.max),
            Measure::Response => {
                let quantiles = [
                    (0.5, e.summary.median),
                    (0.95, e.summary.p95),
                    (0.99, e.p99),
                ];
                self.response.add(e, &quantiles);
                let failed = e.errors.unwrap_or(0) as f64;
                self.errors.with_label_values(&[target]).set(failed);
            }
            Measure::Bench => {}
        }
        if let Some(flag) = e.regression {
            self.regression
                .with_label_values(&[target, e.measure.name()])
                .set(f64::from(u8::from(flag)));
        }
    }
}

fn limit_gauges(registry: &Registry, limits: &Limits) -> prometheus::Result<()> {
    let all = [
        (
            "gatecheck_startup_limit_seconds",
            "Configured max_startup_time, in seconds: the most median wall time a startup target may take.",
            limits.startup_seconds,
        ),
        (
            "gatecheck_memory_limit_bytes",
            "Configured max_memory_usage, in bytes: the most peak resident memory a measured command may reach.",
            limits.memory_bytes,
        ),
        (
            "gatecheck_response_limit_seconds",
            "Configured max_response_time, in seconds: the most p95 latency a response target may have.",
            limits.response_seconds,
        ),
    ];
    for (name, help, value) in all {
        if let Some(value) = value {
            let gauge = Gauge::new(name, help)?;
            registry.register(Box::new(gauge.clone()))?;
            gauge.set(value);
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
