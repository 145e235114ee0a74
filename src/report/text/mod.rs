//! The text format, for people: failures first (worst first, one line each,
//! `path:line: gate: item value > threshold`), then suppressed items, then diagnostics, then a
//! table of every gate. Colour only when asked (the CLI asks when stdout is a terminal).

mod perf;

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::Emitter;
use super::{DiagnosticEntry, GateEntry, Report, ThresholdValue, ViolationEntry};
use crate::gates::Status;

const RED: Style = AnsiColor::Red.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const DIM: Style = Style::new().dimmed();

/// How many violations of one gate are listed before "... and N more".
const MAX_LISTED: usize = 50;

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }
}

/// The text format for people ([`write`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Text {
    /// Whether to add ANSI colours.
    pub color: bool,
}

impl Emitter for Text {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        write(report, out, self.color)
    }
}

/// Writes `report` for people; `color` adds ANSI colours.
///
/// # Errors
/// Any error writing to `out`.
pub fn write(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let p = Painter { color };
    perf::write(report.perf.as_ref(), out)?;
    let mut failed: Vec<&GateEntry> = report
        .gates
        .iter()
        .filter(|g| !g.violations.is_empty())
        .collect();
    failed.sort_by_key(|g| std::cmp::Reverse(g.violations.len()));
    for gate in &failed {
        write_violations(out, &p, gate)?;
    }
    let suppressed: usize = report.gates.iter().map(|g| g.suppressed.len()).sum();
    if suppressed > 0 {
        writeln!(
            out,
            "{}",
            p.paint(DIM, &format!("suppressed ({suppressed}):"))
        )?;
        for gate in &report.gates {
            for v in &gate.suppressed {
                let reason = v
                    .reason
                    .as_deref()
                    .filter(|r| !r.is_empty())
                    .unwrap_or("no reason given");
                writeln!(
                    out,
                    "  {} ({reason})",
                    p.paint(DIM, &violation_line(gate.gate, v))
                )?;
            }
        }
    }
    write_diagnostics(out, &p, &report.diagnostics)?;
    write_table(out, &p, report)
}

fn violation_line(gate: &str, v: &ViolationEntry) -> String {
    format!("{}:{}: {gate}: {}", v.path, v.line, v.describe(gate))
}

fn write_violations(out: &mut dyn Write, p: &Painter, gate: &GateEntry) -> io::Result<()> {
    for v in gate.violations.iter().take(MAX_LISTED) {
        let line = violation_line(gate.gate, v);
        writeln!(out, "{}", p.paint(RED, &line))?;
    }
    if gate.violations.len() > MAX_LISTED {
        let more = gate.violations.len() - MAX_LISTED;
        writeln!(
            out,
            "  ... and {more} more {} violations (all of them are in --format json)",
            gate.gate
        )?;
    }
    Ok(())
}

fn write_diagnostics(
    out: &mut dyn Write,
    p: &Painter,
    diagnostics: &[DiagnosticEntry],
) -> io::Result<()> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        p.paint(YELLOW, &format!("diagnostics ({}):", diagnostics.len()))
    )?;
    for d in diagnostics.iter().take(MAX_LISTED) {
        let severity = serde_json::to_value(d.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        writeln!(out, "  {}: {severity}: {}", d.path, d.message)?;
    }
    if diagnostics.len() > MAX_LISTED {
        writeln!(
            out,
            "  ... and {} more (all of them are in --format json)",
            diagnostics.len() - MAX_LISTED
        )?;
    }
    Ok(())
}

fn write_table(out: &mut dyn Write, p: &Painter, report: &Report) -> io::Result<()> {
    let width = report.gates.iter().map(|g| g.gate.len()).max().unwrap_or(0);
    writeln!(out)?;
    writeln!(
        out,
        "{:<width$}  {:>9}  {:>12}  {:>10}  status",
        "gate", "threshold", "violations", "suppressed"
    )?;
    for g in &report.gates {
        let (status, style) = match g.status {
            Status::Passed => ("passed", GREEN),
            Status::Failed => ("FAILED", RED),
            Status::NotMeasured => ("not measured", DIM),
            Status::Disabled => ("disabled", DIM),
        };
        writeln!(
            out,
            "{:<width$}  {:>9}  {:>12}  {:>10}  {}",
            g.gate,
            threshold_text(&g.threshold),
            g.violations.len(),
            g.suppressed.len(),
            p.paint(style, status)
        )?;
    }
    let s = &report.summary;
    let verdict = if s.passed {
        p.paint(GREEN, "all measured gates passed")
    } else {
        p.paint(RED, "quality gates FAILED")
    };
    writeln!(
        out,
        "\n{verdict}: {} files, {} functions, {} violations, {} suppressed, {} not measured, {} files skipped ({:.2} s)",
        s.files,
        s.functions,
        s.violations,
        s.suppressed,
        s.not_measured,
        s.skipped_files,
        s.duration_seconds
    )
}

fn threshold_text(t: &ThresholdValue) -> String {
    match t {
        ThresholdValue::Count(n) => n.to_string(),
        ThresholdValue::Number(x) => format!("{x}"),
        ThresholdValue::Flag(b) => b.to_string(),
        ThresholdValue::Off => "off".to_owned(),
    }
}
