//! The coverage metric (docs/metrics.md, "Prometheus metrics"): `gatecheck_coverage_ratio`,
//! written only when the run read a coverage report.

use prometheus::Registry;

use super::gauge;
use crate::coverage::{Coverage, LineCounts};

/// Line coverage over every report read, only when one was.
pub(super) fn metric(registry: &Registry, reports: &[Coverage]) -> prometheus::Result<()> {
    if reports.is_empty() {
        return Ok(());
    }
    let (covered, valid) = reports
        .iter()
        .fold((0, 0), |(c, v), r| (c + r.lines.covered, v + r.lines.valid));
    let ratio = LineCounts { covered, valid }.ratio();
    let help = "Line coverage from the coverage reports read (covered / coverable lines, 0..1).";
    gauge(registry, "gatecheck_coverage_ratio", help, ratio)
}
