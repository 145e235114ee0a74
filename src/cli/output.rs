//! Writing a report: rendered in memory in the chosen format (so a failed write never leaves
//! half a report), then written atomically to a file or to standard output. Shared by
//! `check` and `perf run`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use gatecheck::atomic_file;
use gatecheck::report::Report;
use gatecheck::report::emit::{self, Format};

/// Writes `report` in `format` to `output` (atomically) or standard output.
pub(super) fn write_report(
    report: &Report,
    format: Format,
    output: Option<&Path>,
    color: bool,
) -> anyhow::Result<()> {
    let buffer = emit::render(report, format, color)?;
    if let Some(path) = output {
        return atomic_file::write(path, &buffer)
            .with_context(|| format!("writing the report to {}", path.display()));
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&buffer)?;
    stdout.flush()?;
    Ok(())
}
