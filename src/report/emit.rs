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
    /// The emitter of this format; `text` holds the text format's options (colour, width,
    /// grouping), which the other formats do not need.
    #[must_use]
    pub fn emitter(self, text: text::Text) -> Box<dyn Emitter> {
        match self {
            Format::Text => Box::new(text),
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

/// The document a machine-readable format gets when the run failed before it had a report
/// (exit 2: a bad configuration, a missing path), so a consumer never parses an empty file;
/// `None` for text, whose reader gets the message on stderr.
#[must_use]
pub fn error_document(format: Format, message: &str) -> Option<String> {
    let tool = env!("CARGO_PKG_VERSION");
    match format {
        Format::Text => None,
        Format::Json | Format::Sarif => Some(json_error(format, message, tool)),
        Format::Junit => Some(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"gatecheck\" tests=\"1\" \
             failures=\"0\" errors=\"1\">\n  <testsuite name=\"gatecheck\" tests=\"1\" failures=\"0\" \
             errors=\"1\">\n    <testcase name=\"run\" classname=\"gatecheck\">\n      <error \
             message=\"{}\" type=\"error\"/>\n    </testcase>\n  </testsuite>\n</testsuites>\n",
            xml_attribute(message)
        )),
        Format::Github => Some(format!(
            "::error title=gatecheck::{}\n",
            github_data(message)
        )),
        Format::Prometheus => Some(
            "# HELP gatecheck_run_error 1 when the run failed before it could report (see its \
             stderr).\n# TYPE gatecheck_run_error gauge\ngatecheck_run_error 1\n"
                .to_owned(),
        ),
    }
}

fn json_error(format: Format, message: &str, version: &str) -> String {
    let document = if format == Format::Sarif {
        serde_json::json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "gatecheck", "version": version}},
                "invocations": [{
                    "executionSuccessful": false,
                    "toolExecutionNotifications": [{"level": "error", "message": {"text": message}}],
                }],
                "results": [],
            }],
        })
    } else {
        serde_json::json!({
            "schema_version": super::SCHEMA_VERSION,
            "tool": {"name": "gatecheck", "version": version},
            "error": {"message": message, "exit_code": 2},
        })
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn xml_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
}

fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `report` in `format`, in memory (so a failed write never leaves half a report).
///
/// # Errors
/// An error of the emitter (a metric the Prometheus encoder refuses).
pub fn render(report: &Report, format: Format, text: text::Text) -> io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    format.emitter(text).emit(report, &mut buffer)?;
    Ok(buffer)
}
