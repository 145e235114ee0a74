//! The closing line of the text report: the verdict, what was found, what was not measured
//! and why, and the time taken; wrapped to the terminal.

use std::io::{self, Write};

use super::layout::{BOLD_RED, GREEN, Painter, YELLOW, strip, wrap};
use crate::report::Report;

/// Writes the summary line of `report`.
pub(super) fn write_summary(
    out: &mut dyn Write,
    p: &Painter,
    report: &Report,
    verbose: bool,
) -> io::Result<()> {
    let measured = report
        .gates
        .iter()
        .filter(|g| g.status.is_measured())
        .count();
    let verdict = verdict(p, report, measured);
    let parts = parts(report, measured, verbose);
    // Wrapped on the plain text's width: colour codes take no room on the terminal.
    let plain = strip(&verdict);
    let text = format!("{plain}: {}", parts.join(", "));
    let lines = wrap(&text, p.width.unwrap_or(usize::MAX), 2);
    for (i, line) in lines.iter().enumerate() {
        match line.strip_prefix(plain.as_str()).filter(|_| i == 0) {
            Some(rest) => writeln!(out, "{verdict}{rest}")?,
            None => writeln!(out, "{line}")?,
        }
    }
    Ok(())
}

fn verdict(p: &Painter, report: &Report, measured: usize) -> String {
    if measured == 0 {
        p.paint(YELLOW, "no gate measured")
    } else if report.summary.passed {
        p.paint(GREEN, "all measured gates passed")
    } else {
        p.paint(BOLD_RED, "quality gates FAILED")
    }
}

/// What the run found and left out, each part a few words.
fn parts(report: &Report, measured: usize, verbose: bool) -> Vec<String> {
    let s = &report.summary;
    let mut parts = vec![
        format!("{} violations", s.violations),
        format!("{} suppressed", s.suppressed),
        format!("{} files, {} functions", s.files, s.functions),
    ];
    if s.skipped_files > 0 {
        parts.push(format!(
            "{} files skipped (see the errors above)",
            s.skipped_files
        ));
    }
    if s.not_measured > 0 {
        let why = match (s.files == 0 && measured == 0, verbose) {
            (true, _) => " (no source file was found)",
            (false, false) => " (--verbose lists them)",
            (false, true) => "",
        };
        parts.push(format!("{} gates not measured{why}", s.not_measured));
    }
    if s.ignored > 0 {
        parts.push(format!(
            "{} paths left out by ignore files or hidden names (listed in --format json; \
             --no-ignore includes them)",
            s.ignored
        ));
    }
    if s.disabled > 0 {
        parts.push(format!("{} disabled", s.disabled));
    }
    parts.push(format!("{:.2} s", s.duration_seconds));
    parts
}
