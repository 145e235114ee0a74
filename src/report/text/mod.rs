//! The text format, for people (ruff is the bar): one line per finding,
//! `path:line: gate: item: figure > limit`, grouped by file in path order and worst first
//! within a file (or by gate with `--group-by gate`), never longer than the terminal; then the
//! diagnostics, the table of measured gates (every gate with `--verbose`), a hint on
//! suppressing or raising a threshold when something failed, and one summary line that says
//! what was not measured and why. `--statistics` prints a count per gate instead of the
//! findings. Colour only when asked (the CLI asks when stdout is a terminal).

mod finding;
mod layout;
mod perf;
mod summary;
mod tables;

use std::io::{self, Write};

use super::Emitter;
use super::{Report, ViolationEntry};
use finding::{Finding, message};
use layout::{BOLD, DIM, Painter, RED, fit, visible, wrap};
use summary::write_summary;
use tables::{write_diagnostics, write_statistics, write_table};

/// How the findings are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupBy {
    /// By file in path order, worst first within a file.
    #[default]
    File,
    /// By gate in registry order, worst first within a gate.
    Gate,
}

/// The text format for people ([`write`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Text {
    /// Whether to add ANSI colours.
    pub color: bool,
    /// The terminal's width: no line is longer (`None`: no limit).
    pub width: Option<usize>,
    /// How findings are ordered.
    pub group_by: GroupBy,
    /// List suppressed findings and every gate, measured or not.
    pub verbose: bool,
    /// A count per gate instead of the findings.
    pub statistics: bool,
}

impl Emitter for Text {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let p = Painter {
            color: self.color,
            width: self.width,
        };
        perf::write(report.perf.as_ref(), out)?;
        if self.statistics {
            write_statistics(out, &p, report)?;
        } else {
            write_findings(out, &p, &findings(report, self.group_by))?;
        }
        if self.verbose {
            write_suppressed(out, &p, report)?;
        }
        write_diagnostics(out, &p, &report.diagnostics)?;
        write_table(out, &p, report, self.verbose)?;
        write_hint(out, &p, report)?;
        write_summary(out, &p, report, self.verbose)
    }
}

/// Writes `report` for people with the defaults (no width limit, grouped by file); `color`
/// adds ANSI colours.
///
/// # Errors
/// Any error writing to `out`.
pub fn write(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    Text {
        color,
        ..Text::default()
    }
    .emit(report, out)
}

/// Every unsuppressed finding, in the order `group_by` asks for.
fn findings(report: &Report, group_by: GroupBy) -> Vec<Finding<'_>> {
    let mut all: Vec<Finding<'_>> = report
        .gates
        .iter()
        .enumerate()
        .flat_map(|(order, g)| {
            g.violations.iter().map(move |v| Finding {
                gate: g.gate,
                order,
                violation: v,
            })
        })
        .collect();
    all.sort_by(|a, b| {
        let group = match group_by {
            GroupBy::File => a.violation.path.cmp(&b.violation.path),
            GroupBy::Gate => a.order.cmp(&b.order),
        };
        group
            .then_with(|| b.excess().total_cmp(&a.excess()))
            .then_with(|| a.violation.path.cmp(&b.violation.path))
            .then(a.violation.line.cmp(&b.violation.line))
    });
    all
}

fn write_findings(out: &mut dyn Write, p: &Painter, findings: &[Finding<'_>]) -> io::Result<()> {
    for f in findings {
        let location = format!("{}:{}:", visible(&f.violation.path), f.violation.line);
        let room = p
            .width
            .map(|w| w.saturating_sub(location.chars().count() + f.gate.len() + 3));
        let text = message(f.gate, f.violation, room);
        writeln!(
            out,
            "{} {} {text}",
            p.paint(BOLD, &location),
            p.paint(RED, &format!("{}:", f.gate))
        )?;
    }
    Ok(())
}

fn write_suppressed(out: &mut dyn Write, p: &Painter, report: &Report) -> io::Result<()> {
    for g in &report.gates {
        for v in &g.suppressed {
            let reason = v
                .reason
                .as_deref()
                .filter(|r| !r.is_empty())
                .unwrap_or("no reason given");
            let line = format!(
                "{}:{}: {} (suppressed: {reason}): {}",
                visible(&v.path),
                v.line,
                g.gate,
                message(g.gate, v, None)
            );
            writeln!(out, "{}", p.paint(DIM, &fit(&line, p.width)))?;
        }
    }
    Ok(())
}

fn write_hint(out: &mut dyn Write, p: &Painter, report: &Report) -> io::Result<()> {
    if report.summary.passed {
        return Ok(());
    }
    writeln!(out)?;
    let hint = "hint: to suppress one finding, put `gatecheck: ignore[GATE] reason` in a comment \
                on or above its line; to raise a threshold for some paths, add [[overrides]] \
                with paths = [...] to the configuration (docs/metrics.md says what each gate \
                measures)";
    for line in wrap(hint, p.width.unwrap_or(90).min(90), 6) {
        writeln!(out, "{}", p.paint(DIM, &line))?;
    }
    Ok(())
}

/// A violation as one finding line's message, for the tests of other formats too.
#[must_use]
pub fn describe(gate: &str, v: &ViolationEntry) -> String {
    message(gate, v, None)
}
