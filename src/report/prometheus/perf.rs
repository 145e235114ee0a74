//! The performance metrics (`crate::perf::prometheus`, docs/metrics.md "Performance
//! metrics"): from the report's perf run (`check --with-perf`, `perf run`), else from the
//! newest figures of the history (`gatecheck serve`), with the configured limits. Nothing
//! without either, so a run that measured no performance reports no figures.

use prometheus::Registry;

use super::threshold;
use crate::perf::prometheus::{Limits, register};
use crate::report::Report;

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
    let limits = Limits {
        startup_seconds: threshold(&report.gates, "max_startup_time"),
        memory_bytes: threshold(&report.gates, "max_memory_usage").map(|mb| mb * 1_048_576.0),
        response_seconds: threshold(&report.gates, "max_response_time"),
    };
    register(registry, &summary, &limits)
}
