//! The output formats of a [`Report`]: every format is one module of `report/` with a type
//! implementing [`Emitter`] (ruff's shape), one [`Format`] variant here (the name users pass to
//! `--format`) and one snapshot of the shared fixture report
//! (`tests/it/emitters.rs`, which iterates every variant, so a format without a snapshot fails).

use std::io;

use super::{Emitter, Report, github, json, junit, prometheus, sarif, text};

/// The output formats of `gatecheck check` and `gatecheck perf run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Violations and a gate table, for people.
    Text,
    /// The whole report, for tools and agents (docs/report.schema.json).
    Json,
    /// Prometheus text exposition format 0.0.4, for node_exporter's textfile collector
    /// (with --output FILE.prom) and Prometheus (docs/metrics.md, "Prometheus metrics").
    Prometheus,
    /// SARIF 2.1.0, for GitHub code scanning, GitLab and IDEs.
    Sarif,
    /// JUnit XML, for CI test reports (one failing case per violation).
    Junit,
    /// GitHub Actions annotations (`::error file=...,line=...`).
    Github,
}

impl Format {
    /// The emitter of this format; `color` asks the text format for ANSI colours.
    #[must_use]
    pub fn emitter(self, color: bool) -> Box<dyn Emitter> {
        match self {
            Format::Text => Box::new(text::Text { color }),
            Format::Json => Box::new(json::Json),
            Format::Prometheus => Box::new(prometheus::Prometheus),
            Format::Sarif => Box::new(sarif::Sarif),
            Format::Junit => Box::new(junit::Junit),
            Format::Github => Box::new(github::Github),
        }
    }

    /// Whether the format is read by programs (everything but text): on a failed run such a
    /// format still gets a valid document.
    #[must_use]
    pub fn is_machine_readable(self) -> bool {
        self != Format::Text
    }
}

/// `report` in `format`, in memory (so a failed write never leaves half a report).
///
/// # Errors
/// An error of the emitter (a metric the Prometheus encoder refuses).
pub fn render(report: &Report, format: Format, color: bool) -> io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    format.emitter(color).emit(report, &mut buffer)?;
    Ok(buffer)
}
