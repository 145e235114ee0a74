//! Writing a report: rendered in memory in the chosen format (so a failed write never leaves
//! half a report), then written atomically to a file or to standard output. Shared by
//! `check` and `perf run`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use gatecheck::atomic_file;
use gatecheck::report::Report;
use gatecheck::report::emit::{self, Format};
use gatecheck::report::text::Text;

/// Writes the error document of a machine-readable `format` (see
/// [`emit::error_document`]) where the report would have gone; best effort: the error itself
/// is what the caller reports.
pub(super) fn write_error(format: Format, output: Option<&Path>, error: &anyhow::Error) {
    let Some(document) = emit::error_document(format, &format!("{error:#}")) else {
        return;
    };
    let _ = write_bytes(document.as_bytes(), output);
}

/// `result`, with a broken pipe (the reader stopped early) counted as done.
pub(super) fn unless_broken_pipe(result: anyhow::Result<()>) -> anyhow::Result<()> {
    match result {
        Err(error) if is_broken_pipe(&error) => Ok(()),
        other => other,
    }
}

/// Whether `error` is a write to a pipe whose reader has gone.
pub(crate) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Appends the Markdown job summary to `$GITHUB_STEP_SUMMARY` when GitHub Actions set it.
pub(super) fn github_step_summary(report: &Report) -> anyhow::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut text = Vec::new();
    gatecheck::report::github::step_summary(report, &mut text)?;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .with_context(|| format!("opening $GITHUB_STEP_SUMMARY ({})", path.display()))?;
    file.write_all(&text)
        .with_context(|| format!("writing $GITHUB_STEP_SUMMARY ({})", path.display()))
}

/// The width lines must fit: `COLUMNS` when set, else the terminal's when standard output is
/// one (`to_stdout`), else no limit (a file or a pipe keeps whole lines).
pub(super) fn terminal_width(to_stdout: bool) -> Option<usize> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20);
    columns.or_else(|| {
        to_stdout
            .then(|| console::Term::stdout().size_checked())
            .flatten()
            .map(|(_, w)| usize::from(w))
            .filter(|&c| c >= 20)
    })
}

/// Writes `report` in `format` to `output` (atomically) or standard output.
pub(super) fn write_report(
    report: &Report,
    format: Format,
    output: Option<&Path>,
    text: Text,
) -> anyhow::Result<()> {
    let buffer = emit::render(report, format, text)?;
    write_bytes(&buffer, output)?;
    if format == Format::Github {
        github_step_summary(report)?;
    }
    Ok(())
}

fn write_bytes(buffer: &[u8], output: Option<&Path>) -> anyhow::Result<()> {
    if let Some(path) = output {
        return atomic_file::write(path, buffer)
            .with_context(|| format!("writing the report to {}", path.display()));
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(buffer)?;
    stdout.flush()?;
    Ok(())
}
