//! GitHub Actions workflow commands: one `::error` annotation per violation, which GitHub shows
//! on the pull request's diff at the file and line, then a one-line summary.

use std::io::{self, Write};

use super::Emitter;
use super::Report;
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
    for gate in &report.gates {
        for v in &gate.violations {
            writeln!(
                out,
                "::error file={},line={},title={}::{}",
                property(&v.path),
                v.line.max(1),
                property(gate.gate),
                data(&v.describe(gate.gate))
            )?;
        }
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
    writeln!(
        out,
        "{verdict} ({} files, {} violations)",
        report.summary.files, report.summary.violations
    )
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
