//! Writing a report: rendered in memory in the chosen format (so a failed write never leaves
//! half a report), then written atomically to a file or to standard output. Shared by
//! `check` and `perf run`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::Format;
use gatecheck::atomic_file;
use gatecheck::report::{self, Report};

/// Writes `report` in `format` to `output` (atomically) or standard output.
pub(super) fn write_report(
    report: &Report,
    format: Format,
    output: Option<&Path>,
    color: bool,
) -> anyhow::Result<()> {
    let buffer = render(report, format, color)?;
    if let Some(path) = output {
        return atomic_file::write(path, &buffer)
            .with_context(|| format!("writing the report to {}", path.display()));
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&buffer)?;
    stdout.flush()?;
    Ok(())
}

/// The report in `format`, in memory (so a failed write never leaves half a report).
fn render(report: &Report, format: Format, color: bool) -> std::io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    let out = &mut buffer;
    match format {
        Format::Text => report::text::write(report, out, color),
        Format::Json => report::json::write(report, out),
        Format::Prometheus => report::prometheus::write(report, out),
        Format::Sarif => report::sarif::write(report, out),
        Format::Junit => report::junit::write(report, out),
        Format::Github => report::github::write(report, out),
    }?;
    Ok(buffer)
}
