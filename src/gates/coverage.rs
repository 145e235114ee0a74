//! The producer of the coverage gate ([`crate::registry::Measure::Coverage`]): the coverage
//! reports read for the run, judged against the threshold. Pure: the reader knows nothing of
//! gates, and this nothing of how the reports were found.

use std::path::PathBuf;

use super::{Measured, Value, Violation};
use crate::coverage::{Coverage, LineCounts};
use crate::registry::Threshold;

/// `min_test_coverage`: the line coverage over every report, in percent, must be at least the
/// threshold. One item is checked: the total.
#[must_use]
pub fn measure(reports: &[Coverage], threshold: Threshold) -> Measured {
    let total = reports
        .iter()
        .fold(LineCounts::default(), |acc, r| LineCounts {
            covered: acc.covered + r.lines.covered,
            valid: acc.valid + r.lines.valid,
        });
    if total.valid == 0 {
        // A report of no line at all measures nothing: not a 100%.
        return Measured::default();
    }
    let percent = total.ratio() * 100.0;
    // Compared at the precision coverage tools print (0.01%), so 79.999..% is not "80%".
    let rounded = (percent * 100.0).round() / 100.0;
    let violations = if rounded < threshold.as_f64() {
        let report = reports
            .first()
            .map(|r| r.report.clone())
            .unwrap_or_default();
        vec![Violation {
            path: PathBuf::from(report),
            line: 1,
            header_line: 1,
            item: format!("line coverage ({} of {} lines)", total.covered, total.valid),
            value: Value::Number(rounded),
            threshold,
            reason: None,
        }]
    } else {
        Vec::new()
    };
    Measured {
        checked: 1,
        violations,
    }
}
