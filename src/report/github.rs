//! GitHub Actions workflow commands: one `::error` annotation per violation, which GitHub shows
//! on the pull request's diff at the file and line, then a one-line summary.

use std::io::{self, Write};

use super::Emitter;
use super::{Report, ViolationEntry};
use crate::gates::Status;

/// GitHub Actions workflow commands ([`write`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Github;

impl Emitter for Github {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        write(report, out)
    }
}

/// Writes `report` as GitHub workflow commands.
///
/// # Errors
/// Any error writing to `out`.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // GitHub shows the first ten errors of a step on the pull request: the worst go first.
    for (gate, v) in worst_first(report) {
        writeln!(
            out,
            "::error file={},line={},title={}::{}",
            property(&v.path),
            v.line.max(1),
            property(gate),
            data(&v.describe(gate))
        )?;
    }
    let failed: Vec<&str> = report
        .gates
        .iter()
        .filter(|g| g.status == Status::Failed)
        .map(|g| g.gate)
        .collect();
    let verdict = if failed.is_empty() {
        "quality gates passed".to_owned()
    } else {
        format!("quality gates FAILED: {}", failed.join(", "))
    };
    let s = &report.summary;
    writeln!(
        out,
        "{verdict} ({} files, {} violations, {} not measured, {} files skipped)",
        s.files, s.violations, s.not_measured, s.skipped_files
    )
}

/// Every unsuppressed violation with its gate, furthest beyond its threshold first.
fn worst_first(report: &Report) -> Vec<(&str, &ViolationEntry)> {
    let mut all: Vec<(&str, &ViolationEntry)> = report
        .gates
        .iter()
        .flat_map(|g| g.violations.iter().map(move |v| (g.gate, v)))
        .collect();
    all.sort_by(|(ga, a), (gb, b)| {
        b.excess(gb)
            .total_cmp(&a.excess(ga))
            .then_with(|| a.path.cmp(&b.path))
            .then(a.line.cmp(&b.line))
    });
    all
}

/// The job summary GitHub shows on the run's page (`$GITHUB_STEP_SUMMARY`): the verdict, the
/// gate table and the worst violations, in Markdown.
///
/// # Errors
/// Any error writing to `out`.
pub fn step_summary(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    let verdict = if s.passed { "passed" } else { "FAILED" };
    writeln!(out, "## gatecheck: quality gates {verdict}\n")?;
    writeln!(
        out,
        "{} files, {} functions, {} violations, {} suppressed, {} not measured, {} files skipped\n",
        s.files, s.functions, s.violations, s.suppressed, s.not_measured, s.skipped_files
    )?;
    gate_table(report, out)?;
    worst_list(report, out)
}

fn gate_table(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "| gate | threshold | violations | status |\n|---|---:|---:|---|"
    )?;
    for g in &report.gates {
        let status = serde_json::to_value(g.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        writeln!(
            out,
            "| `{}` | {} | {} | {status} |",
            g.gate,
            g.threshold,
            g.violations.len()
        )?;
    }
    Ok(())
}

fn worst_list(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let worst = worst_first(report);
    if !worst.is_empty() {
        writeln!(out, "\n### Worst violations\n")?;
        for (gate, v) in worst.iter().take(20) {
            let text = v.describe(gate).replace('|', "\\|").replace('`', "'");
            writeln!(out, "- `{}:{}` {gate}: {text}", v.path, v.line)?;
        }
        if worst.len() > 20 {
            writeln!(out, "- ... and {} more", worst.len() - 20)?;
        }
    }
    Ok(())
}

/// Escapes a message as GitHub's command parser expects (`%`, CR, LF).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`, which separate properties).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::{data, property};

    #[test]
    fn command_values_are_escaped() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a,b:c.py"), "a%2Cb%3Ac.py");
    }
}
