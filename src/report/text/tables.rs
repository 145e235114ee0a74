//! The parts of the text report that list gates rather than findings: the gate table, the
//! count per gate (`--statistics`), and the diagnostics.

use std::io::{self, Write};

use super::layout::{BOLD_RED, DIM, GREEN, Painter, YELLOW, fit, visible};
use crate::diagnostic::Severity;
use crate::gates::Status;
use crate::registry;
use crate::report::{DiagnosticEntry, GateEntry, Report, ThresholdValue};

/// How many diagnostics are listed before "... and N more".
const MAX_DIAGNOSTICS: usize = 50;

pub(super) fn write_statistics(
    out: &mut dyn Write,
    p: &Painter,
    report: &Report,
) -> io::Result<()> {
    let width = report.gates.iter().map(|g| g.gate.len()).max().unwrap_or(0);
    let mut failed: Vec<&GateEntry> = report
        .gates
        .iter()
        .filter(|g| !g.violations.is_empty())
        .collect();
    failed.sort_by_key(|g| std::cmp::Reverse(g.violations.len()));
    for g in failed {
        let summary = registry::gate(g.gate).map_or("", |d| d.summary);
        let line = format!("{:>6}  {:<width$}  {summary}", g.violations.len(), g.gate);
        writeln!(out, "{}", fit(&line, p.width))?;
    }
    Ok(())
}

pub(super) fn write_diagnostics(
    out: &mut dyn Write,
    p: &Painter,
    diagnostics: &[DiagnosticEntry],
) -> io::Result<()> {
    for d in diagnostics.iter().take(MAX_DIAGNOSTICS) {
        let (word, style) = match d.severity {
            Severity::Error => ("error", BOLD_RED),
            Severity::Warning => ("warning", YELLOW),
        };
        let text = fit(
            &format!("{}: {}", visible(&d.path), visible(&d.message)),
            p.width.map(|w| w - 9),
        );
        writeln!(out, "{} {text}", p.paint(style, &format!("{word}:")))?;
    }
    if diagnostics.len() > MAX_DIAGNOSTICS {
        writeln!(
            out,
            "... and {} more diagnostics (all of them are in --format json)",
            diagnostics.len() - MAX_DIAGNOSTICS
        )?;
    }
    Ok(())
}

pub(super) fn write_table(
    out: &mut dyn Write,
    p: &Painter,
    report: &Report,
    verbose: bool,
) -> io::Result<()> {
    let rows: Vec<&GateEntry> = report
        .gates
        .iter()
        .filter(|g| verbose || g.status.is_measured())
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let width = rows.iter().map(|g| g.gate.len()).max().unwrap_or(0);
    writeln!(out)?;
    writeln!(
        out,
        "{:<width$}  {:>9}  {:>10}  {:>10}  status",
        "gate", "threshold", "violations", "suppressed"
    )?;
    for g in rows {
        let (status, style) = match g.status {
            Status::Passed => ("passed", GREEN),
            Status::Failed => ("FAILED", BOLD_RED),
            Status::NotMeasured => ("not measured", DIM),
            Status::Disabled => ("disabled", DIM),
        };
        writeln!(
            out,
            "{:<width$}  {:>9}  {:>10}  {:>10}  {}",
            g.gate,
            threshold_text(g),
            g.violations.len(),
            g.suppressed.len(),
            p.paint(style, status)
        )?;
    }
    Ok(())
}

/// The threshold as the table shows it (coverage as a percentage).
fn threshold_text(g: &GateEntry) -> String {
    let unit = registry::gate(g.gate).map_or("", |d| d.unit);
    match &g.threshold {
        ThresholdValue::Count(n) => n.to_string(),
        ThresholdValue::Number(x) if unit == "%" => format!("{x}%"),
        ThresholdValue::Number(x) => format!("{x}"),
        ThresholdValue::Flag(b) => b.to_string(),
        ThresholdValue::Off => "off".to_owned(),
    }
}
