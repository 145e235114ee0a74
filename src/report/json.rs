//! The JSON format: the [`Report`](super::Report) as one pretty-printed document.

use std::io::{self, Write};

use super::Emitter;
use super::Report;

/// The JSON report ([`write`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Json;

impl Emitter for Json {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        write(report, out)
    }
}

/// Writes `report` as JSON followed by a newline.
///
/// # Errors
/// Any error writing to `out`.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}
